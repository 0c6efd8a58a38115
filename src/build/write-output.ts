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
 * With `spareDir` (`stele build`: `.stele/cache/output`), the output a write
 * replaces is kept there instead of being removed, and the next write starts
 * from it: it is moved to the temporary name, made equal to the new output
 * (an unchanged file, compared byte for byte, is left in place; anything else
 * is removed and written anew, never written through a link), and verified
 * like a fresh folder. Removing and creating tens of thousands of files is
 * most of a rebuild's write on a large site.
 *
 * Invariant: nothing under `outDir` is changed unless the whole new site was written and verified.
 */
import { basename, dirname, join, posix } from 'node:path';
import type { Host } from '../io/host.js';
import type { OutputFiles } from '../site/output.js';

/** The folder in the persistent build cache where `stele build` keeps the output it replaced (`spareDir`). */
export const OUTPUT_SPARE_DIR = 'output';

/** Options of `writeOutputAtomically`. */
export interface WriteOutputOptions {
  /** Check the written temporary folder; false keeps `outDir` untouched (the temporary folder is removed). */
  verify?: (dir: string) => Promise<boolean>;
  /**
   * Keep the replaced output here (absolute; same file system as `outDir`, else it is removed as
   * without this) and start the next write from it. Whatever it holds is untrusted: only regular
   * files whose bytes equal the new output's stay; the folder is verified before it replaces `outDir`.
   */
  spareDir?: string;
  /**
   * With `spareDir`: the SHA-256 (hex) of the output's files by path, and a reader of the digests
   * the kept output claims for its own files (its manifest, untrusted). A kept file is then left in
   * place when the two agree, without reading it; the verify that follows reads every file, and a
   * kept output that lied is thrown away and the site written afresh and verified again. Ignored
   * without `verify`.
   */
  digests?: ReadonlyMap<string, string>;
  readKeptDigests?: (dir: string) => Promise<ReadonlyMap<string, string> | undefined>;
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
  // The spare is claimed by a rename: a second build running now finds none and writes afresh.
  let reused = false;
  if (options.spareDir && (await host.fs.stat(options.spareDir))?.kind === 'dir') {
    reused = await host.fs.rename(options.spareDir, tmp).then(
      () => true,
      () => false,
    );
    // On another file system (or otherwise unusable): not kept, so it cannot go stale.
    if (!reused) await host.fs.rm(options.spareDir).catch(() => undefined);
  }
  const write = async (entries: [string, Uint8Array][]) => {
    const dirs = new Set<string>();
    for (const [path] of entries) dirs.add(dirname(`${tmp}/${path}`));
    await host.fs.mkdir(tmp);
    for (const d of [...dirs].sort()) await host.fs.mkdir(d);
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
        const [path, data] = entries[next++]!;
        await host.fs.writeFile(`${tmp}/${path}`, data);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
  };
  try {
    if (reused) {
      // Claims are used only when a verify follows to check them.
      const kept = options.digests && options.readKeptDigests && options.verify ? await options.readKeptDigests(tmp).catch(() => undefined) : undefined;
      await write(await resolveChangedFiles(output, tmp, host, kept && options.digests ? { kept, digests: options.digests } : undefined));
    } else await write([...output]);
    let verified = !options.verify || (await options.verify(tmp));
    if (!verified && reused) {
      // The kept output was not what it claimed (or changed meanwhile): the whole site afresh.
      await host.fs.rm(tmp);
      await write([...output]);
      verified = await options.verify!(tmp);
    }
    if (!verified) {
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
  if (hadOld) {
    const kept =
      options.spareDir !== undefined &&
      (await host.fs.mkdir(dirname(options.spareDir)).then(() => host.fs.rename(old, options.spareDir!)).then(
        () => true,
        () => false,
      ));
    if (!kept) await host.fs.rm(old);
  }
  return true;
}

/**
 * Make the folder `dir` (a previous output, untrusted) hold nothing but what
 * `output` names, and say which files must still be written: every entry
 * `output` does not name as a file is removed (links, other kinds, folders no
 * file of `output` lies in), and so is every file whose bytes differ (a new file
 * is written in its place, so nothing is written through a link to another
 * file). Files equal byte for byte stay; with `claimed`, a file whose digest the
 * kept output claims equal to the new one's stays unread (the caller verifies).
 */
async function resolveChangedFiles(
  output: OutputFiles,
  dir: string,
  host: Host,
  claimed?: { kept: ReadonlyMap<string, string>; digests: ReadonlyMap<string, string> },
): Promise<[string, Uint8Array][]> {
  const folders = new Set<string>(['']);
  for (const path of output.keys()) for (let d = posix.dirname(path); d !== '.' && !folders.has(d); d = posix.dirname(d)) folders.add(d);
  const found: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await host.fs.listEntries(rel ? `${dir}/${rel}` : dir);
    await Promise.all(
      entries.map(async (e) => {
        const path = rel ? `${rel}/${e.name}` : e.name;
        if (e.kind === 'dir' && folders.has(path)) return walk(path);
        if (e.kind === 'file' && output.has(path)) return void found.push(path);
        await host.fs.rm(`${dir}/${path}`);
      }),
    );
  };
  await walk('');
  const kept = new Set<string>();
  // A file whose digest the kept output's manifest gives as the new one's stays unread (the verify reads it).
  if (claimed) {
    const rest: string[] = [];
    for (const path of found) {
      const digest = claimed.digests.get(path);
      if (digest !== undefined && claimed.kept.get(path) === digest) kept.add(path);
      else rest.push(path);
    }
    found.splice(0, found.length, ...rest);
  }
  let next = 0;
  const compare = async () => {
    while (next < found.length) {
      const path = found[next++]!;
      const want = output.get(path)!;
      const stat = await host.fs.stat(`${dir}/${path}`);
      const have = stat?.kind === 'file' && stat.size === want.byteLength ? await host.fs.readFile(`${dir}/${path}`).catch(() => undefined) : undefined;
      if (have && have.byteLength === want.byteLength && Buffer.from(have.buffer, have.byteOffset, have.byteLength).equals(want)) kept.add(path);
      else await host.fs.rm(`${dir}/${path}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, compare));
  return [...output].filter(([path]) => !kept.has(path));
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
