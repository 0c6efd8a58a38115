#!/usr/bin/env node
// The `stele` command. Runs the compiled library from dist/ (built by `npm run build`,
// which `npm ci` runs through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const entry = new URL('../dist/cli/index.js', import.meta.url);
// `stele verify` (the command named first, as the CLI reads it) runs from one prebuilt
// bundle of the verify command: one file to load instead of about a hundred and fifty.
const verifyBundle = new URL('../dist/cli/verify-cli.bundle.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('stele: dist/ is missing; run `npm run build` in the stele folder first\n');
  process.exitCode = 2;
} else if (argv.find((a) => !a.startsWith('-')) === 'verify' && existsSync(fileURLToPath(verifyBundle))) {
  const { runVerifyCli } = await import(verifyBundle.href);
  process.exitCode = await runVerifyCli(argv);
} else {
  const { runCli } = await import(entry.href);
  process.exitCode = await runCli(argv);
}
