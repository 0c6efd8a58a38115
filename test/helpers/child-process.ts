/**
 * Child processes started by tests: stop them for certain (SIGTERM, then
 * SIGKILL if they do not exit) and wait until they are gone.
 */
import type { ChildProcess } from 'node:child_process';

/** True while a process with this pid exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stop `child` and resolve once it has exited (SIGKILL after `graceMs`). */
export async function stopChildProcess(child: ChildProcess | undefined, graceMs = 5000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Wait (polling) until the process `pid` is gone. */
export async function waitForProcessExit(pid: number): Promise<void> {
  while (isProcessAlive(pid)) await new Promise((r) => setTimeout(r, 100));
}
