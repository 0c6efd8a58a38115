import { createHash } from 'node:crypto';
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
  const modes = new Map<string, number>();
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
    async writeFile(p, data, options) {
      const n = norm(p);
      if (options?.exclusive && has(n)) throw Object.assign(new Error(`EEXIST: ${p}`), { code: 'EEXIST' });
      if (options?.mode !== undefined) modes.set(n, options.mode & 0o7777);
      files.set(n, typeof data === 'string' ? enc.encode(data) : data instanceof Uint8Array ? data : new Uint8Array(Buffer.concat([...data])));
    },
    async *readChunks(p) {
      const f = files.get(norm(p));
      if (!f) throw notFound(p);
      yield f;
    },
    async hashFile(p, expectedSize) {
      const n = norm(p);
      const f = files.get(n);
      if (!f) return has(n) ? { kind: 'dir', size: 0 } : undefined;
      if (expectedSize !== undefined && f.byteLength !== expectedSize) return { kind: 'file', size: f.byteLength };
      return { kind: 'file', size: f.byteLength, sha256: createHash('sha256').update(f).digest('hex') };
    },
    async stat(p) {
      const n = norm(p);
      const f = files.get(n);
      if (f) return { kind: 'file', size: f.byteLength, mode: modes.get(n) ?? 0o644 };
      return has(n) ? { kind: 'dir', size: 0, mode: 0o755 } : undefined;
    },
    async listEntries(dir) {
      const prefix = `${norm(dir)}/`;
      const entries = new Map<string, 'file' | 'dir'>();
      for (const k of files.keys()) {
        if (!k.startsWith(prefix)) continue;
        const rest = k.slice(prefix.length);
        const slash = rest.indexOf('/');
        entries.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? 'file' : 'dir');
      }
      return [...entries].map(([name, kind]) => ({ name, kind })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async chmod(p, mode) {
      const n = norm(p);
      if (!files.has(n)) throw notFound(p);
      modes.set(n, mode & 0o7777);
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
          const mode = modes.get(k);
          modes.delete(k);
          if (mode !== undefined) modes.set(b + k.slice(a.length), mode);
        }
      }
    },
    async openRead(p) {
      const f = files.get(norm(p));
      if (!f) throw notFound(p);
      const chunk = 64 * 1024;
      return {
        size: f.length,
        chunks: (async function* () {
          for (let i = 0; i < f.length; i += chunk) yield f.subarray(i, i + chunk);
        })(),
      };
    },
    // No symbolic links in memory: the canonical path is the normalised one.
    async realpath(p) {
      const n = posix.normalize(norm(p));
      if (!has(n)) throw notFound(p);
      return n;
    },
    async rm(p) {
      const n = norm(p);
      for (const k of [...files.keys()])
        if (k === n || k.startsWith(`${n}/`)) {
          files.delete(k);
          modes.delete(k);
        }
    },
  };
}

