/**
 * Injected effects. Stages never touch `node:fs`, the clock, the network or a
 * signer directly; they receive a `Host`, so tests run without disks or networks.
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { closeSync, constants, createReadStream, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import * as fsp from 'node:fs/promises';

/** What `FileSystem.stat` reports about one path, without following a final symbolic link. */
export interface FileStat {
  kind: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  /** Permission bits (`mode & 0o7777`). */
  mode: number;
}

/**
 * What `FileSystem.hashFile` found at one path. `sha256` (hex) and `size` are those of
 * the bytes actually read, for a regular file read to its end; only `kind` and `size`
 * (from its metadata) for anything else, and for a file whose size was not the expected one.
 */
export interface FileHash {
  kind: FileStat['kind'];
  size: number;
  sha256?: string;
}

/** One entry of a folder (`FileSystem.listEntries`). */
export interface DirEntry {
  name: string;
  kind: FileStat['kind'];
}

/** Options of `FileSystem.writeFile`. */
export interface WriteFileOptions {
  /** Permission bits of a newly created file (e.g. `0o600` for secrets). */
  mode?: number;
  /** Fail with `EEXIST` instead of replacing an existing file (never follows a symbolic link there). */
  exclusive?: boolean;
}

/** The slice of the file system stele uses. Paths are absolute, native separators. */
export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
  /**
   * Many small files at once (content sources), in order. Optional: without
   * it, callers read each with `readFile`. The real file system reads them one
   * after another on the main thread, which for small files is several times
   * faster than a thread-pool round trip per file.
   */
  readFiles?(paths: readonly string[]): Promise<Uint8Array[]>;
  readText(path: string): Promise<string>;
  /** Write a file; `data` may be a list of chunks, written in order (no joined copy is made). */
  writeFile(path: string, data: Uint8Array | string | readonly Uint8Array[], options?: WriteFileOptions): Promise<void>;
  /** The bytes of a file in chunks (hashing large files with flat memory). */
  readChunks(path: string): AsyncIterable<Uint8Array>;
  /**
   * The SHA-256 of a regular file, read to its end in chunks (memory flat in its size),
   * without following a final symbolic link: a link, folder or other entry is reported by
   * its kind and not read, and so is a file whose size is not `expectedSize` (when given).
   * Undefined when nothing is there; rejects on other errors (e.g. EACCES).
   */
  hashFile(path: string, expectedSize?: number): Promise<FileHash | undefined>;
  /** Kind, size and permissions of `path` (a symbolic link is reported as one); undefined when it does not exist. */
  stat(path: string): Promise<FileStat | undefined>;
  /** The entries of one folder, sorted by name; symbolic links are not followed. Empty when `dir` does not exist. */
  listEntries(dir: string): Promise<DirEntry[]>;
  chmod(path: string, mode: number): Promise<void>;
  /** Every file under `dir`, recursively, as paths relative to `dir` with `/` separators, sorted. */
  listFiles(dir: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string): Promise<void>;
  /** Read a file piece by piece (large inputs such as blog exports): its size and its bytes in chunks. */
  openRead(path: string): Promise<{ size: number; chunks: AsyncIterable<Uint8Array> }>;
  /** The canonical absolute path: `..` resolved and every symbolic link followed. Rejects (ENOENT) when the path does not exist. */
  realpath(path: string): Promise<string>;
}

/** Output lines for humans; `quiet` hosts drop `info`. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Everything a stage may need from the outside world. */
export interface Host {
  fs: FileSystem;
  /** The build's clock: "now" for build time, time served, expiry. */
  now(): Date;
  log: Logger;
}

function toKind(info: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): FileStat['kind'] {
  return info.isFile() ? 'file' : info.isDirectory() ? 'dir' : info.isSymbolicLink() ? 'symlink' : 'other';
}

/** Bytes read at a time by `hashFile`: one buffer, reused for every file. */
const HASH_CHUNK_BYTES = 256 * 1024;
/** Longest stretch `hashFile` reads without letting timers and other work run (deadlines, aborts). */
const HASH_SLICE_MS = 10;
// Without O_NOFOLLOW (Windows) the kind is read with lstat before opening.
const OPEN_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// A FIFO opened without O_NONBLOCK would wait for a writer; it is reported as `other`, never read.
const OPEN_FOR_HASH = constants.O_RDONLY | OPEN_NOFOLLOW | (constants.O_NONBLOCK ?? 0);
let hashBuffer: Buffer | undefined;
let sliceStart = 0;

/** Let timers and I/O callbacks run when synchronous reads (files hashed, folders listed) have held the thread for a slice. */
async function yieldWhenSliceUsed(): Promise<void> {
  if (performance.now() - sliceStart < HASH_SLICE_MS) return;
  await new Promise((resolve) => setImmediate(resolve));
  sliceStart = performance.now();
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * `FileSystem.hashFile` on the real disk. Small synchronous reads into one shared buffer
 * (a page-cache read costs far less than a thread-pool round trip per file), in slices of
 * {@link HASH_SLICE_MS} between which the event loop runs. The buffer is never held across
 * an await, so calls running side by side can share it.
 */
async function hashNodeFile(path: string, expectedSize?: number): Promise<FileHash | undefined> {
  await yieldWhenSliceUsed();
  let fd: number;
  try {
    if (OPEN_NOFOLLOW === 0) {
      const info = lstatSync(path);
      if (!info.isFile()) return { kind: toKind(info), size: info.size };
    }
    fd = openSync(path, OPEN_FOR_HASH);
  } catch (error) {
    if (isMissing(error)) return undefined;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ELOOP' && code !== 'EMLINK') throw error;
    // O_NOFOLLOW refused a symbolic link (or it went away in between).
    try {
      const info = lstatSync(path);
      return { kind: toKind(info), size: info.size };
    } catch (again) {
      if (isMissing(again)) return undefined;
      throw again;
    }
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { kind: toKind(info), size: info.size };
    if (expectedSize !== undefined && info.size !== expectedSize) return { kind: 'file', size: info.size };
    const hash = createHash('sha256');
    hashBuffer ??= Buffer.allocUnsafe(HASH_CHUNK_BYTES);
    let size = 0;
    for (;;) {
      const n = readSync(fd, hashBuffer, 0, HASH_CHUNK_BYTES, null);
      if (n === 0) break;
      hash.update(n === HASH_CHUNK_BYTES ? hashBuffer : hashBuffer.subarray(0, n));
      size += n;
      if (n === HASH_CHUNK_BYTES) await yieldWhenSliceUsed();
    }
    return { kind: 'file', size, sha256: hash.digest('hex') };
  } finally {
    closeSync(fd);
  }
}

/** The real file system. */
export function createNodeFileSystem(): FileSystem {
  return {
    readFile: async (p) => {
      // A plain Uint8Array over the bytes read (not a copy: a build cache is hundreds of MB).
      const b = await fsp.readFile(p);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
    readFiles: async (paths) =>
      paths.map((p) => {
        const b = readFileSync(p);
        return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      }),
    readText: (p) => fsp.readFile(p, 'utf8'),
    writeFile: (p, data, options) =>
      fsp.writeFile(p, Array.isArray(data) ? (data as readonly Uint8Array[]).values() : (data as Uint8Array | string), { ...(options?.mode !== undefined ? { mode: options.mode } : {}), ...(options?.exclusive ? { flag: 'wx' } : {}) }),
    async *readChunks(p) {
      const handle = await fsp.open(p, 'r');
      try {
        for await (const chunk of handle.createReadStream({ autoClose: false })) yield new Uint8Array(chunk as Buffer);
      } finally {
        await handle.close();
      }
    },
    hashFile: hashNodeFile,
    async stat(p) {
      try {
        const info = await fsp.lstat(p);
        return { kind: toKind(info), size: info.size, mode: info.mode & 0o7777 };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
        throw error;
      }
    },
    async listEntries(dir) {
      // One folder read synchronously (walking a 10,000-file tree is thousands of them), between slices.
      await yieldWhenSliceUsed();
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return [];
        throw error;
      }
      return entries
        .map((e): DirEntry => ({ name: e.name, kind: toKind(e) }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    chmod: (p, mode) => fsp.chmod(p, mode),
    async listFiles(dir) {
      const out: string[] = [];
      async function walk(abs: string, rel: string): Promise<void> {
        let entries: Dirent[];
        try {
          entries = await fsp.readdir(abs, { withFileTypes: true });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
          throw error;
        }
        for (const e of entries) {
          const childRel = rel ? `${rel}/${e.name}` : e.name;
          if (e.isDirectory()) await walk(`${abs}/${e.name}`, childRel);
          else if (e.isFile()) out.push(childRel);
        }
      }
      await walk(dir, '');
      return out.sort();
    },
    exists: (p) =>
      fsp.stat(p).then(
        () => true,
        () => false,
      ),
    mkdir: async (p) => {
      await fsp.mkdir(p, { recursive: true });
    },
    rename: (a, b) => fsp.rename(a, b),
    rm: (p) => fsp.rm(p, { recursive: true, force: true }),
    async openRead(p) {
      const { size } = await fsp.stat(p);
      return { size, chunks: createReadStream(p, { highWaterMark: 1 << 20 }) };
    },
    realpath: (p) => fsp.realpath(p),
  };
}

/** A logger writing to stderr (info to stdout), silent for info when quiet. */
export function createConsoleLogger(options: { quiet?: boolean } = {}): Logger {
  return {
    info: (m) => {
      if (!options.quiet) process.stdout.write(`${m}\n`);
    },
    warn: (m) => process.stderr.write(`${m}\n`),
    error: (m) => process.stderr.write(`${m}\n`),
  };
}

/** The default host: real disk, real clock, console logger. */
export function createNodeHost(options: { quiet?: boolean; now?: () => Date } = {}): Host {
  return {
    fs: createNodeFileSystem(),
    now: options.now ?? (() => new Date()),
    log: createConsoleLogger(options),
  };
}
