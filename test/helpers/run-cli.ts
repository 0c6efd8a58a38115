/**
 * Run the `stele` command line in process (`runCli`, no child process) and
 * capture what it prints: stdout, stderr, both in the order written, and what
 * cac printed with `console.info` (help, version).
 */
import { vi } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { createTestHost, FIXED_NOW } from './temp-site.js';

/** What one CLI run printed, and its exit code. */
export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, in the order they were written. */
  output: string;
  /** What cac printed with console.info (help, version). */
  printed: string;
}

/** Run `argv` in `cwd` on a test host whose clock says `now`. */
export async function runCliCapturing(argv: string[], cwd: string, now = FIXED_NOW): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  let output = '';
  const log = vi.spyOn(console, 'info').mockImplementation(() => {});
  try {
    const code = await runCli(argv, {
      cwd,
      host: createTestHost({ now }),
      isTTY: false,
      stdout: (t) => {
        stdout += t;
        output += t;
      },
      stderr: (t) => {
        stderr += t;
        output += t;
      },
    });
    return { code, stdout, stderr, output, printed: log.mock.calls.map((c) => c.join(' ')).join('\n') };
  } finally {
    log.mockRestore();
  }
}
