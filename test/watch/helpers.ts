/**
 * Test doubles for the watch loop: a manual clock with timers, a scripted verify
 * function and a recording command runner.
 */
import type { VerifyProblem, VerifyReport } from '../../src/verify/types.js';
import type { AlertCommandRunner } from '../../src/watch/alert.js';
import type { WatchVerifyOptions } from '../../src/watch/types.js';

/** A clock that only moves when told; `sleep` resolves when the clock passes its deadline. */
export function createManualClock(start = '2025-03-01T12:00:00.000Z') {
  let current = Date.parse(start);
  const timers: { due: number; resolve: () => void }[] = [];
  const sleeps: number[] = [];
  return {
    now: () => new Date(current),
    sleeps,
    pendingTimers: () => timers.length,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      sleeps.push(ms);
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const timer = { due: current + ms, resolve };
        timers.push(timer);
        signal?.addEventListener(
          'abort',
          () => {
            const i = timers.indexOf(timer);
            if (i >= 0) timers.splice(i, 1);
            resolve();
          },
          { once: true },
        );
      });
    },
    /** Move the clock forward and fire due timers. */
    advance(ms: number): void {
      current += ms;
      for (const t of [...timers]) {
        if (t.due <= current) {
          timers.splice(timers.indexOf(t), 1);
          t.resolve();
        }
      }
    },
  };
}

/** A verify function answering from a per-mirror script; records every call. */
export function createScriptedVerify() {
  const reports = new Map<string, VerifyReport>();
  const calls: { source: string; options: WatchVerifyOptions }[] = [];
  const verify = async (source: string, options: WatchVerifyOptions): Promise<VerifyReport> => {
    calls.push({ source, options });
    const r = reports.get(source);
    if (!r) throw new Error(`no scripted report for ${source}`);
    return structuredClone({ ...r, source });
  };
  return {
    verify,
    calls,
    genuine(source: string, version = 1, files = 3): void {
      reports.set(source, {
        source,
        status: 'genuine',
        manifest: manifest(version, files),
        problems: [],
        checkedFiles: files,
      });
    },
    tampered(source: string, problems: VerifyProblem[], version = 1): void {
      reports.set(source, {
        source,
        status: 'not-genuine',
        manifest: manifest(version, 3),
        problems,
        checkedFiles: 1,
      });
    },
    unreachable(source: string, message = 'connect ECONNREFUSED 127.0.0.1:9'): void {
      reports.set(source, { source, status: 'error', problems: [{ kind: 'unreachable', message }], checkedFiles: 0 });
    },
    set(source: string, report: VerifyReport): void {
      reports.set(source, report);
    },
  };
}

function manifest(version: number, fileCount: number) {
  return {
    siteId: 'example-org',
    version,
    buildTime: '2025-03-01T00:00:00.000Z',
    expires: '2025-04-01T00:00:00.000Z',
    keyId: '0123456789ABCDEF',
    fileCount,
  };
}

/** A command runner that records what it would run; `fail` makes the next calls fail. */
export function createRecordingRunner() {
  const runs: { command: string; stdin: string; env: Record<string, string> }[] = [];
  let failuresLeft = 0;
  const runner: AlertCommandRunner = async (command, input) => {
    runs.push({ command, ...input });
    if (failuresLeft > 0) {
      failuresLeft--;
      return { exitCode: 3, stderr: 'pager service down' };
    }
    return { exitCode: 0, stderr: '' };
  };
  return {
    runner,
    runs,
    fail(times: number): void {
      failuresLeft = times;
    },
    payloads: () => runs.map((r) => JSON.parse(r.stdin)),
  };
}

/** Problems of a typical defacement. */
export const DEFACEMENT: VerifyProblem[] = [
  { kind: 'modified', path: 'index.html', message: 'hash differs', expected: 'aa', actual: 'bb' },
  { kind: 'added', path: 'evil.js', message: 'not in manifest' },
  { kind: 'missing', path: 'about/index.html', message: 'listed but absent' },
];
