#!/usr/bin/env node
// The `stele` command. Runs the compiled library from dist/ (built by `npm run build`,
// which `npm ci` runs through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/index.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('stele: dist/ is missing; run `npm run build` in the stele folder first\n');
  process.exitCode = 2;
} else {
  const { runCli } = await import(entry.href);
  process.exitCode = await runCli(process.argv.slice(2));
}
