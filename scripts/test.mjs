// The test command (README and .ci/run): compile dist, type-check, lint, then
// the whole vitest suite. Ends with the plain line "N passed, N failed", where
// type-checking and linting count as one test each.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { countTests } from './count-tests.mjs';

const run = (label, cmd, args) => {
  process.stdout.write(`\n> ${label}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status === 0;
};

let passed = 0;
let failed = 0;
const count = (ok) => (ok ? passed++ : failed++);

if (!run('build', 'node', ['scripts/build-dist.mjs'])) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
count(run('typecheck', 'npx', ['tsc', '-p', '.']));
count(run('lint', 'npx', ['biome', 'lint']));
mkdirSync('test-results', { recursive: true });
const extra = process.argv.slice(2);
run('tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json', ...extra]);
try {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  const counted = countTests(report);
  passed += counted.passed;
  failed += counted.failed;
} catch (error) {
  console.error(`could not read the vitest JSON report: ${error.message}`);
  failed++;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
