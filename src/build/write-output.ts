/**
 * Write a built site to disk atomically: everything goes to a temporary
 * sibling folder first; only when every file is written does it replace the
 * previous output. A failed build leaves the previous output untouched.
 *
 * Invariant: nothing under `outDir` is changed unless the whole new site was written.
 */
import { dirname } from 'node:path';
import type { Host } from '../io/host.js';
import type { OutputFiles } from '../site/output.js';

/** Write `output` to `outDir`, replacing it atomically (two renames on the same file system). */
export async function writeOutputAtomically(output: OutputFiles, outDir: string, host: Host): Promise<void> {
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
  } catch (error) {
    await host.fs.rm(tmp);
    throw error;
  }
  const hadOld = await host.fs.exists(outDir);
  if (hadOld) await host.fs.rename(outDir, old);
  try {
    await host.fs.rename(tmp, outDir);
  } catch (error) {
    if (hadOld) await host.fs.rename(old, outDir);
    throw error;
  }
  if (hadOld) await host.fs.rm(old);
}
