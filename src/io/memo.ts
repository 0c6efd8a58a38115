/**
 * Memo tables for rebuilds: results of pure per-item work (a Markdown body, a
 * page's hardening, a page's checks) keyed by a hash of everything the result
 * depends on. Kept in one process (`stele dev`), and some of them between
 * processes in `.stele/cache` (`build/build-cache.ts`). Entries not used by a
 * build are dropped after it, so memory follows the site, not the editing session.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

/** `zlib.crc32` (Node 20.15 and later), or undefined on an older Node: callers fall back to a hash. */
export const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** A memo table with per-build pruning. */
export class Memo<V> {
  private readonly map = new Map<string, V>();
  private readonly used = new Set<string>();
  /** Remembered entries not decoded yet (`restoreLazy`): decoded on their first `get`. */
  private readonly lazy = new Map<string, () => V | undefined>();

  /** The value for `key`, marking it used by this build. */
  get(key: string): V | undefined {
    let v = this.map.get(key);
    if (v === undefined && this.lazy.size) {
      const load = this.lazy.get(key);
      if (load) {
        this.lazy.delete(key);
        v = load();
        if (v !== undefined) this.map.set(key, v);
      }
    }
    if (v !== undefined) this.used.add(key);
    return v;
  }

  set(key: string, value: V): void {
    this.lazy.delete(key);
    this.map.set(key, value);
    this.used.add(key);
  }

  /**
   * Let go of the value of `key`, keeping the entry: `load` makes it again on its next `get`
   * (at most once). An entry the running build used stays used (`prune` keeps it), but
   * `usedEntries` no longer yields it: whoever releases an entry keeps what it needs of it
   * (the build cache keeps a laid-out page in the form it writes, see `build-cache.ts`).
   */
  release(key: string, load: () => V | undefined): void {
    if (!this.map.delete(key)) return;
    this.lazy.set(key, load);
  }

  /** Forget what the last build did not use. */
  prune(): void {
    for (const key of this.map.keys()) if (!this.used.has(key)) this.map.delete(key);
    // Entries remembered but never asked for go; released ones the build used stay (as their loader).
    for (const key of this.lazy.keys()) if (!this.used.has(key)) this.lazy.delete(key);
    this.used.clear();
  }

  get size(): number {
    return this.map.size + this.lazy.size;
  }

  /** The entries the running build has used so far and not released (what `prune` will keep, less the released ones). */
  *usedEntries(): IterableIterator<[string, V]> {
    for (const key of this.used) {
      const value = this.map.get(key);
      if (value !== undefined) yield [key, value];
    }
  }

  /** Add remembered entries (from `.stele/cache`); they count as unused until a build asks for them. */
  restore(entries: Iterable<readonly [string, V]>): void {
    for (const [key, value] of entries) this.map.set(key, value);
  }

  /**
   * Add a remembered entry that is decoded only when a build asks for it (`load` runs at most
   * once; `undefined` from it is a miss). Unused until then, like `restore`.
   */
  restoreLazy(key: string, load: () => V | undefined): void {
    this.lazy.set(key, load);
  }
}

/**
 * Digests of byte arrays already hashed, by the array itself. Output bytes are
 * never changed in place once made (every stage that changes a file puts new
 * bytes in the map), so an array reused from a memo (a page laid out, hardened
 * or read before) is hashed once per process, not once per build.
 */
const DIGESTS = new WeakMap<Uint8Array, string>();

/** The SHA-1 digest (base64) of `bytes`, computed once per array. */
export function digestBytes(bytes: Uint8Array): string {
  let digest = DIGESTS.get(bytes);
  if (digest === undefined) {
    digest = createHash('sha1').update(bytes).digest('base64');
    DIGESTS.set(bytes, digest);
  }
  return digest;
}

/**
 * A memo key of the given parts without hashing them again: strings as they
 * are, bytes by their `digestBytes`, joined by NUL. For parts that are short
 * or already digests (a context hashed once per build, a path, a page's
 * bytes); none may contain NUL.
 */
export function joinKey(...parts: (string | Uint8Array)[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : `\u0001${digestBytes(p)}`)).join('\u0000');
}

/** A hash of the given parts (strings, or bytes by their `digestBytes`), as a memo key. */
export function hashKey(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha1');
  for (const p of parts) {
    if (typeof p === 'string') h.update(p);
    else {
      h.update('\u0001bytes:');
      h.update(digestBytes(p));
    }
    h.update('\u0000');
  }
  return h.digest('base64');
}
