import { posix } from 'node:path';
import type { FileSystem } from './host.js';

/**
 * An in-memory file system for tests: `files` maps absolute posix paths to contents.
 */
export function createMemoryFileSystem(initial: Record<string, string | Uint8Array> = {}): FileSystem & {
  files: Map<string, Uint8Array>;
} {
  const enc = new TextEncoder();
  const files = new Map<string, Uint8Array>();
  for (const [k, v] of Object.entries(initial)) files.set(k, typeof v === 'string' ? enc.encode(v) : v);
  const norm = (p: string) => p.replace(/\/+$/, '');
  const has = (n: string) => {
    if (files.has(n)) return true;
    const prefix = `${n}/`;
    for (const k of files.keys()) if (k.startsWith(prefix)) return true;
    return false;
  };
  const notFound = (p: string) => Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
  return {
    files,
    async readFile(p) {
      const f = files.get(norm(p));
      if (!f) throw notFound(p);
      return f;
    },
    async readText(p) {
      const f = files.get(norm(p));
      if (!f) throw notFound(p);
      return new TextDecoder().decode(f);
    },
    async writeFile(p, data) {
      files.set(norm(p), typeof data === 'string' ? enc.encode(data) : data);
    },
    async listFiles(dir) {
      const prefix = `${norm(dir)}/`;
      return [...files.keys()]
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length))
        .sort();
    },
    async exists(p) {
      return has(norm(p));
    },
    async mkdir() {},
    async rename(from, to) {
      const a = norm(from);
      const b = norm(to);
      for (const [k, v] of [...files]) {
        if (k === a || k.startsWith(`${a}/`)) {
          files.delete(k);
          files.set(b + k.slice(a.length), v);
        }
      }
    },
    // No symbolic links in memory: the canonical path is the normalised one.
    async realpath(p) {
      const n = posix.normalize(norm(p));
      if (!has(n)) throw notFound(p);
      return n;
    },
    async rm(p) {
      const n = norm(p);
      for (const k of [...files.keys()]) if (k === n || k.startsWith(`${n}/`)) files.delete(k);
    },
  };
}
