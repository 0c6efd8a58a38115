/**
 * Run a command in a child process and measure its wall time and peak RSS.
 *
 * Peak RSS comes from GNU `time -v` ("Maximum resident set size") when
 * `/usr/bin/time` exists; otherwise node commands are wrapped in a tiny launcher
 * that prints `process.resourceUsage().maxRSS` at exit, and other commands get no
 * RSS figure.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where GNU time lives on Debian. */
export const GNU_TIME = '/usr/bin/time';

/** What one measured run produced. */
export interface MeasuredRun {
  command: string;
  args: string[];
  exitCode: number | null;
  wallMs: number;
  /** Peak resident set size of the child, KiB, when it could be measured. */
  maxRssKiB?: number;
  /** User + system CPU time of the child (ms), when GNU time reported it. */
  cpuMs?: number;
  stdout: string;
  stderr: string;
}

const RSS_MARKER = '__stele_bench_maxrss__=';

/** A node `-e` program that runs `argv[1]` as a module and reports maxRSS to stderr at exit. */
const NODE_RSS_LAUNCHER = `process.on('exit',()=>process.stderr.write('\\n${RSS_MARKER}'+process.resourceUsage().maxRSS+'\\n'));const {pathToFileURL}=require('node:url');const p=process.argv[1];process.argv.splice(1,1);import(pathToFileURL(require('node:path').resolve(p)).href);`;

/** Spawn and collect output; never rejects on a non-zero exit. */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

/** Parse GNU `time -v` output appended to stderr; returns the child's own stderr and the peak RSS. */
export function parseGnuTimeOutput(stderr: string): { stderr: string; maxRssKiB?: number; cpuMs?: number } {
  const start = stderr.lastIndexOf('\tCommand being timed:');
  const report = start >= 0 ? stderr.slice(start) : stderr;
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
  const user = /User time \(seconds\): ([\d.]+)/.exec(report);
  const system = /System time \(seconds\): ([\d.]+)/.exec(report);
  return {
    stderr: start >= 0 ? stderr.slice(0, start) : stderr,
    maxRssKiB: match ? Number(match[1]) : undefined,
    cpuMs: user && system ? (Number(user[1]) + Number(system[1])) * 1000 : undefined,
  };
}

/**
 * Run `command args` and measure it. `node` commands (command === process.execPath)
 * fall back to the maxRSS launcher when GNU time is missing.
 */
export async function measureCommand(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<MeasuredRun> {
  const useTime = existsSync(GNU_TIME);
  const isNode = command === process.execPath || command === 'node';
  let spawnCommand = command;
  let spawnArgs = args;
  if (useTime) {
    spawnCommand = GNU_TIME;
    spawnArgs = ['-v', command, ...args];
  } else if (isNode) {
    // node [flags…] script args… → node [flags…] -e LAUNCHER script args…
    const scriptAt = args.findIndex((a) => !a.startsWith('-'));
    spawnArgs = [...args.slice(0, scriptAt), '-e', NODE_RSS_LAUNCHER, ...args.slice(scriptAt)];
  }
  const started = performance.now();
  const result = await runProcess(spawnCommand, spawnArgs, options);
  const wallMs = performance.now() - started;
  let stderr = result.stderr;
  let maxRssKiB: number | undefined;
  let cpuMs: number | undefined;
  if (useTime) {
    ({ stderr, maxRssKiB, cpuMs } = parseGnuTimeOutput(result.stderr));
  } else if (isNode) {
    const at = stderr.lastIndexOf(RSS_MARKER);
    if (at >= 0) {
      maxRssKiB = Number.parseInt(stderr.slice(at + RSS_MARKER.length), 10);
      stderr = stderr.slice(0, at).replace(/\n$/, '');
    }
  }
  return { command, args, exitCode: result.code, wallMs, maxRssKiB, cpuMs, stdout: result.stdout, stderr };
}
