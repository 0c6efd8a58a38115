/**
 * Injected effects. Stages never touch `node:fs`, the clock, the network or a
 * signer directly; they receive a `Host`, so tests run without disks or networks.
 */
import type { Dirent } from 'node:fs';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { hashFilesInWorkers, hashNodeFile, listNodeTree, prestartHashWorkers, toKind, yieldWhenSliceUsed } from './hash-file.js';

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

/** One file for `FileSystem.hashFiles`. */
export interface FileHashRequest {
  path: string;
  expectedSize?: number;
}

/** What `FileSystem.hashFiles` reports for one file: `hashFile`'s answer, or the error code it rejected with. */
export type FileHashOutcome = { status: 'found'; hash: FileHash } | { status: 'missing' } | { status: 'error'; code: string };

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
  /**
   * Write a file; `data` may be chunks, written in order (no joined copy is made): a list, or an
   * iterable (a generator) asked for each chunk only after the one before it was written.
   */
  writeFile(path: string, data: Uint8Array | string | Iterable<Uint8Array>, options?: WriteFileOptions): Promise<void>;
  /** The bytes of a file in chunks (hashing large files with flat memory). */
  readChunks(path: string): AsyncIterable<Uint8Array>;
  /**
   * The SHA-256 of a regular file, read to its end in chunks (memory flat in its size),
   * without following a final symbolic link: a link, folder or other entry is reported by
   * its kind and not read, and so is a file whose size is not `expectedSize` (when given).
   * Undefined when nothing is there; rejects on other errors (e.g. EACCES).
   */
  hashFile(path: string, expectedSize?: number): Promise<FileHash | undefined>;
  /**
   * `hashFile` over many files, each outcome reported through `onResult` as it comes (in
   * any order), starting no new file once `signal` aborts. Optional: without it callers
   * run `hashFile` themselves. The real disk spreads a large batch over worker threads.
   */
  hashFiles?(requests: readonly FileHashRequest[], onResult: (index: number, outcome: FileHashOutcome) => void, signal?: AbortSignal): Promise<void>;
  /** Optional hint that `hashFiles` of about `count` files is coming: the real disk starts its threads now. */
  prepareHashFiles?(count: number): void;
  /** Kind, size and permissions of `path` (a symbolic link is reported as one); undefined when it does not exist. */
  stat(path: string): Promise<FileStat | undefined>;
  /** The entries of one folder, sorted by name; symbolic links are not followed. Empty when `dir` does not exist. */
  listEntries(dir: string): Promise<DirEntry[]>;
  /**
   * Optional: every entry under `dir` that is not a folder (files, symbolic links — listed,
   * not followed — and anything else), as sorted paths relative to `dir` with `/` separators:
   * what walking `listEntries` gives, in one call. The real disk walks a tree of thousands of
   * folders this way several times faster, on a hash thread started ahead when there is one.
   */
  listTree?(dir: string): Promise<string[]>;
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
      fsp.writeFile(p, data, { ...(options?.mode !== undefined ? { mode: options.mode } : {}), ...(options?.exclusive ? { flag: 'wx' } : {}) }),
    async *readChunks(p) {
      const handle = await fsp.open(p, 'r');
      try {
        for await (const chunk of handle.createReadStream({ autoClose: false })) yield new Uint8Array(chunk as Buffer);
      } finally {
        await handle.close();
      }
    },
    hashFile: hashNodeFile,
    hashFiles: hashFilesInWorkers,
    prepareHashFiles: prestartHashWorkers,
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
    listTree: listNodeTree,
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
