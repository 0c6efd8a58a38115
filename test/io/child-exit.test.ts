/**
 * A program started and killed without waiting by a library in a worker
 * thread (as Pagefind's Node API does) is collected when the worker waits with
 * `recordChildProcesses`; without it, it stays a zombie of the process after
 * the worker ends. Runs the compiled module in a separate Node process, since
 * recording patches the thread's `node:child_process`.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = pathToFileURL(join(import.meta.dirname, '../../dist/io/child-exit.js')).href;

/** Zombie children of a Node process after a worker started `sleep`, unreferenced it and killed it. */
function countZombies(wait: boolean): number {
  const worker = `
    const { parentPort } = await import('node:worker_threads');
    const { recordChildProcesses } = await import(${JSON.stringify(MODULE)});
    const children = recordChildProcesses();
    const { default: cp } = await import('node:child_process');
    const child = cp.spawn('sleep', ['30'], { stdio: 'ignore' });
    child.unref();
    child.kill();
    parentPort.postMessage(${wait} ? await children.waitForExit(5000) : true);
  `;
  const main = `
    import { Worker } from 'node:worker_threads';
    import { execFileSync } from 'node:child_process';
    const w = new Worker(${JSON.stringify(`(async () => { ${worker} })()`)}, { eval: true });
    const exited = await new Promise((resolve) => w.once('message', resolve));
    await w.terminate();
    if (!exited) throw new Error('the child did not exit');
    await new Promise((r) => setTimeout(r, 300));
    let zombies = 0;
    try { zombies = execFileSync('ps', ['-o', 'stat=', '--ppid', String(process.pid)], { encoding: 'utf8' }).split('\\n').filter((s) => s.startsWith('Z')).length; } catch {}
    console.log(zombies);
  `;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', main], { encoding: 'utf8' }).trim());
}

describe('recordChildProcesses', () => {
  it('collects a program a worker killed without waiting', () => {
    expect(countZombies(true)).toBe(0);
  });

  it('is what collects it: without waiting, the program stays a zombie', () => {
    expect(countZombies(false)).toBe(1);
  });
});
