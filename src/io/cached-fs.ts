/**
 * A file system that keeps the bytes it read of watched files until a watcher
 * reports them changed (`stele dev`): a rebuild reads only what changed, and
 * an unchanged file comes back as the same byte array, whose digest
 * (`digestBytes`) is then known already. Only files a watcher covers are kept;
 * everything else is read from the disk every time.
 */
import type { FileSystem } from './host.js';

/** A caching file system and the call that makes it forget. */
export interface CachedFileSystem {
  fs: FileSystem;
  /** Forget what was read at these absolute paths, or under them (a folder renamed or removed). */
  forget(paths: Iterable<string>): void;
  /**
   * The watcher reported these paths: read the kept ones again and keep their
   * new bytes (a path gone or never kept is forgotten). True when any of them holds other bytes than before, is gone,
   * or was not kept (so nothing says it is unchanged); false when every one
   * holds what the last build read (the second event of one save, say).
   */
  refresh(paths: Iterable<string>): Promise<boolean>;
}

/**
 * Wrap `fs`: `readFile` and `readFiles` of a path `covers` accepts
 * (a change to it will be reported to `forget`) are answered from memory after
 * the first read. Writes, renames and removals through it forget their paths too.
 */
export function createCachedFileSystem(fs: FileSystem, covers: (path: string) => boolean): CachedFileSystem {
  const bytes = new Map<string, Uint8Array>();
  /** Bumped by every `forget`: a read that was under way meanwhile is not kept. */
  let generation = 0;
  const forget = (paths: Iterable<string>) => {
    generation++;
    for (const path of paths) {
      bytes.delete(path);
      const folder = `${path.replace(/\/+$/, '')}/`;
      for (const key of bytes.keys()) if (key.startsWith(folder)) bytes.delete(key);
    }
  };
  const read = async (path: string): Promise<Uint8Array> => {
    const hit = bytes.get(path);
    if (hit) return hit;
    const before = generation;
    const keep = covers(path);
    const data = await fs.readFile(path);
    if (keep && generation === before) bytes.set(path, data);
    return data;
  };
  const readMany = fs.readFiles?.bind(fs);
  const cached: FileSystem = {
    ...fs,
    readFile: read,
    ...(readMany
      ? {
          readFiles: async (paths: readonly string[]) => {
            const out: (Uint8Array | undefined)[] = paths.map((p) => bytes.get(p));
            const missing = paths.filter((_, i) => out[i] === undefined);
            if (!missing.length) return out as Uint8Array[];
            const before = generation;
            const keep = missing.map(covers);
            const fresh = await readMany(missing);
            const unchanged = generation === before;
            let j = 0;
            for (let i = 0; i < out.length; i++) {
              if (out[i] !== undefined) continue;
              out[i] = fresh[j];
              if (unchanged && keep[j]) bytes.set(paths[i]!, fresh[j]!);
              j++;
            }
            return out as Uint8Array[];
          },
        }
      : {}),
    writeFile: async (path, data, options) => {
      forget([path]);
      await fs.writeFile(path, data, options);
      forget([path]);
    },
    rename: async (from, to) => {
      forget([from, to]);
      await fs.rename(from, to);
      forget([from, to]);
    },
    rm: async (path) => {
      forget([path]);
      await fs.rm(path);
      forget([path]);
    },
  };
  const refresh = async (paths: Iterable<string>): Promise<boolean> => {
    let changed = false;
    for (const path of paths) {
      const kept = bytes.get(path);
      if (!kept) {
        forget([path]);
        changed = true;
        continue;
      }
      const before = generation;
      const now = await fs.readFile(path).catch(() => undefined);
      if (now && generation === before && sameBytes(now, kept)) continue;
      forget([path]);
      // The new bytes are what the next build reads (a later event compares with them); but not an
      // empty file that was not empty: most likely a save caught between truncating and writing.
      if (now && generation === before + 1 && (now.byteLength || !kept.byteLength)) bytes.set(path, now);
      changed = true;
    }
    return changed;
  };
  return { fs: cached, forget, refresh };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
