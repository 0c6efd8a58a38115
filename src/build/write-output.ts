/**
 * Write a built site to disk so that `outDir` only ever holds a whole,
 * verified site: everything goes to a temporary sibling folder
 * (`<outDir>.stele-tmp-<pid>-<time>-<random>`), which is checked there
 * (`verify`) before it replaces the previous output with two renames
 * (`outDir` → `<outDir>.stele-old-…`, temporary → `outDir`).
 *
 * A process killed between the two renames leaves no `outDir`;
 * `recoverOutputFolder`, run at the start of every command that reads or
 * writes an output folder, puts the previous output back and removes the
 * leftovers of dead processes. So an interrupted build leaves the previous
 * output exactly as it was.
 *
 * Invariant: nothing under `outDir` is changed unless the whole new site was written and verified.
 */
import { basename, dirname, join } from 'node:path';
import type { Host } from '../io/host.js';
import type { OutputFiles } from '../site/output.js';

/** Options of `writeOutputAtomically`. */
export interface WriteOutputOptions {
  /** Check the written temporary folder; false keeps `outDir` untouched (the temporary folder is removed). */
  verify?: (dir: string) => Promise<boolean>;
}

/**
 * Write `output` to `outDir`, replacing it only after the whole site is written
 * and `options.verify` (if any) accepted it. Resolves to true when `outDir` now
 * holds the new site, false when the verifier refused it. Throws (after removing
 * the temporary folder) when the disk fails.
 */
export async function writeOutputAtomically(output: OutputFiles, outDir: string, host: Host, options: WriteOutputOptions = {}): Promise<boolean> {
  await recoverOutputFolder(outDir, host);
  const stamp = `${process.pid}-${host.now().getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const tmp = `${outDir}.stele-tmp-${stamp}`;
  const old = `${outDir}.stele-old-${stamp}`;
  try {
    const dirs = new Set<string>();
    for (const path of output.keys()) dirs.add(dirname(`${tmp}/${path}`));
    await host.fs.mkdir(tmp);
    for (const d of [...dirs].sort()) await host.fs.mkdir(d);
    const entries = [...output];
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
        const [path, data] = entries[next++]!;
        await host.fs.writeFile(`${tmp}/${path}`, data);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    if (options.verify && !(await options.verify(tmp))) {
      await host.fs.rm(tmp);
      return false;
    }
  } catch (error) {
    await host.fs.rm(tmp);
    throw error;
  }
  const hadOld = await host.fs.exists(outDir);
  if (hadOld) await host.fs.rename(outDir, old);
  // Tests only: die between the two renames, as a power cut or `kill -9` would.
  if (process.env.STELE_TEST_KILL_AT === 'output-switch') process.kill(process.pid, 'SIGKILL');
  try {
    await host.fs.rename(tmp, outDir);
  } catch (error) {
    if (hadOld) await host.fs.rename(old, outDir);
    await host.fs.rm(tmp);
    throw error;
  }
  if (hadOld) await host.fs.rm(old);
  return true;
}

/** What `recoverOutputFolder` did. */
export interface OutputRecovery {
  /** The leftover folder moved back to `outDir` (the previous output of an interrupted switch). */
  restored?: string;
  /** Leftover folders removed. */
  removed: string[];
}

const LEFTOVER = /\.stele-(tmp|old)-(\d+)-([0-9a-z]+)-[0-9a-z]*$/;

/**
 * Repair what an interrupted `writeOutputAtomically` left beside `outDir`.
 * Only leftovers of processes that are no longer running are touched (a build
 * running now keeps its folders). If `outDir` is missing and the previous output
 * survives as `<outDir>.stele-old-…`, it is moved back; every other leftover is removed.
 */
export async function recoverOutputFolder(outDir: string, host: Host): Promise<OutputRecovery> {
  const parent = dirname(outDir);
  const base = basename(outDir);
  const leftovers = (await host.fs.listEntries(parent))
    .filter((e) => e.kind === 'dir' && e.name.startsWith(`${base}.stele-`))
    .map((e) => ({ name: e.name, match: LEFTOVER.exec(e.name.slice(base.length)) }))
    .filter((l) => l.match && !isProcessRunning(Number(l.match[2])))
    .map((l) => ({ path: join(parent, l.name), kind: l.match![1]!, time: Number.parseInt(l.match![3]!, 36) }));
  const result: OutputRecovery = { removed: [] };
  if (!leftovers.length) return result;
  if (!(await host.fs.exists(outDir))) {
    const previous = leftovers.filter((l) => l.kind === 'old').sort((a, b) => a.time - b.time || (a.path < b.path ? -1 : 1)).at(-1);
    if (previous) {
      await host.fs.rename(previous.path, outDir);
      result.restored = previous.path;
    }
  }
  for (const l of leftovers) {
    if (l.path === result.restored) continue;
    await host.fs.rm(l.path);
    result.removed.push(l.path);
  }
  if (result.restored) host.log.warn(`recovered ${outDir} from an interrupted build (${basename(result.restored)})`);
  return result;
}

/** True while process `pid` exists (this process counts as running). */
function isProcessRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
