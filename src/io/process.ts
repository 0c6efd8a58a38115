/**
 * The process port: stages that run other programs (rsync, ssh, git) receive a
 * `ProcessRunner`, so tests can record or replace them. Programs run without a
 * shell: arguments are passed as a list and never parsed.
 */
import { spawn } from 'node:child_process';

/** How to run one program. */
export interface RunProcessOptions {
  cwd?: string;
  /** The whole environment of the child (default: the parent's). */
  env?: Record<string, string | undefined>;
  /** Bytes written to the child's stdin, which is then closed. */
  input?: Uint8Array | string;
  /** Abort kills the child (with `killSignal`). */
  signal?: AbortSignal;
  /** The signal an abort sends (default SIGTERM; SIGKILL for a child that must not outlive a timeout). */
  killSignal?: NodeJS.Signals;
}

/** What a finished program left behind. */
export interface ProcessResult {
  /** Exit code, or null when it was killed by a signal. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs programs. `run` rejects only when the program could not be started at all. */
export interface ProcessRunner {
  run(command: string, args: readonly string[], options?: RunProcessOptions): Promise<ProcessResult>;
}

/** The real process runner (`child_process.spawn`, no shell). */
export function createNodeProcessRunner(): ProcessRunner {
  return {
    run(command, args, options = {}) {
      return new Promise((resolvePromise, reject) => {
        const child = spawn(command, [...args], {
          cwd: options.cwd,
          env: options.env ? (Object.fromEntries(Object.entries(options.env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv) : process.env,
          stdio: ['pipe', 'pipe', 'pipe'],
          signal: options.signal,
          ...(options.killSignal ? { killSignal: options.killSignal } : {}),
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on('data', (b: Buffer) => out.push(b));
        child.stderr.on('data', (b: Buffer) => err.push(b));
        child.on('error', (error) => {
          if ((error as Error).name === 'AbortError') return;
          reject(error);
        });
        child.on('close', (code, signal) =>
          resolvePromise({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
        );
        child.stdin.on('error', () => {});
        child.stdin.end(options.input ?? undefined);
      });
    },
  };
}
