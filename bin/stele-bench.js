#!/usr/bin/env node
// `npm run bench`: runs bench/run.ts (TypeScript) with tsx's loader in a child node,
// passing the arguments and node flags (e.g. --expose-gc) through. See bench/README.md.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const tsx = import.meta.resolve('tsx');
const script = fileURLToPath(new URL('../bench/run.ts', import.meta.url));
const child = spawn(process.execPath, [...process.execArgv, '--import', tsx, script, ...process.argv.slice(2)], { stdio: 'inherit' });
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
