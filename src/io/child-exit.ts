/**
 * Waiting for the programs a library starts in this thread. Pagefind's Node
 * API starts its service process, unreferences it and, when closed, kills it
 * without waiting: in a worker thread that then ends, nobody collects the
 * process's exit, so it stays a zombie until stele exits (one per search
 * index `stele dev` makes, and its CPU time is never counted). Every child
 * spawned through `node:child_process` in this thread from the call on is
 * recorded, and `waitForExit` waits until each has exited.
 */
import childProcess, { type ChildProcess } from 'node:child_process';

/** The children spawned in this thread since {@link recordChildProcesses}. */
export interface RecordedChildren {
  /** Resolves once every recorded child has exited, or after `timeoutMs` (then false). */
  waitForExit(timeoutMs: number): Promise<boolean>;
}

/**
 * Record the child processes spawned in this thread (through the shared
 * `node:child_process` module object, as libraries import it). Call it once,
 * in a worker thread of its own, before the library starts its programs.
 */
export function recordChildProcesses(): RecordedChildren {
  const children: ChildProcess[] = [];
  const spawn = childProcess.spawn;
  childProcess.spawn = ((...args: Parameters<typeof spawn>) => {
    const child = spawn(...args);
    children.push(child);
    return child;
  }) as typeof spawn;
  return {
    async waitForExit(timeoutMs) {
      const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
      if (!running.length) return true;
      let timer: NodeJS.Timeout | undefined;
      const exited = Promise.all(running.map((c) => new Promise<void>((resolve) => c.once('exit', () => resolve())))).then(() => true);
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([exited, late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
