/**
 * Verify a folder: hash each listed file as a stream, and list every file
 * actually present (dot-files and symbolic links included) to find additions.
 * All reads go through the `FileSystem` port, so a folder on disk and an
 * in-memory site verify the same way.
 */
import { createHash } from 'node:crypto';
import { join, resolve, sep } from 'node:path';
import { createNodeFileSystem, type FileHash, type FileHashOutcome, type FileSystem } from '../io/host.js';
import type { ManifestFile } from '../trust/manifest.js';
import { MAX_SCAN_BYTES, type SiteSource, type SourceFileCheck, type SourceReadResult } from './site-source.js';

function toNative(root: string, path: string): string {
  // Listed paths are safe relative posix paths (no `.`, `..` or empty segment): on posix no normalising is needed.
  return sep === '/' ? `${root}/${path}` : join(root, ...path.split('/'));
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** A listed file against what hashing its path found. */
function compareHash(file: ManifestFile, outcome: FileHashOutcome | { status: 'found'; hash: FileHash | undefined }): SourceFileCheck {
  if (outcome.status === 'error') return { status: 'error', message: `cannot read ${file.path} (${outcome.code})` };
  const found = outcome.status === 'found' ? outcome.hash : undefined;
  if (!found) return { status: 'missing' };
  if (found.kind === 'symlink') return { status: 'mismatch', note: 'replaced by a symbolic link' };
  if (found.kind !== 'file') return { status: 'mismatch', note: 'not a regular file' };
  if (found.sha256 === undefined) return { status: 'mismatch', actualSize: found.size };
  if (found.size === file.size && found.sha256 === file.sha256) return { status: 'match' };
  return { status: 'mismatch', actualSize: found.size, actualSha256: found.sha256 };
}

/** Hash a listed file as a stream and keep the start of its text (for reference scanning). */
async function checkWithText(fs: FileSystem, native: string, file: ManifestFile): Promise<SourceFileCheck> {
  let info: Awaited<ReturnType<FileSystem['stat']>>;
  try {
    info = await fs.stat(native);
  } catch (error) {
    return { status: 'error', message: `cannot read ${file.path} (${errorCode(error)})` };
  }
  if (!info) return { status: 'missing' };
  if (info.kind === 'symlink') return { status: 'mismatch', note: 'replaced by a symbolic link' };
  if (info.kind !== 'file') return { status: 'mismatch', note: 'not a regular file' };
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let size = 0;
  try {
    for await (const chunk of fs.readChunks(native)) {
      size += chunk.byteLength;
      hash.update(chunk);
      if (kept < MAX_SCAN_BYTES) {
        chunks.push(chunk);
        kept += chunk.byteLength;
      }
    }
  } catch (error) {
    return { status: 'error', message: `cannot read ${file.path} (${errorCode(error)})` };
  }
  const sha = hash.digest('hex');
  const text = Buffer.concat(chunks).toString('utf8');
  if (size === file.size && sha === file.sha256) return { status: 'match', text };
  return { status: 'mismatch', actualSize: size, actualSha256: sha, text };
}

/** A `SiteSource` for a folder read through `fs` (default: the real disk). */
export function createDirSource(dir: string, fs: FileSystem = createNodeFileSystem()): SiteSource {
  const root = resolve(dir);
  return {
    kind: 'dir',
    async read(path, maxBytes): Promise<SourceReadResult> {
      try {
        const info = await fs.stat(toNative(root, path));
        if (!info) return { status: 'missing' };
        if (info.kind !== 'file') return { status: 'error', message: `${path} is not a regular file` };
        if (info.size > maxBytes) return { status: 'error', message: `${path} is larger than ${maxBytes} bytes` };
        return { status: 'ok', data: await fs.readFile(toNative(root, path)) };
      } catch (error) {
        const code = errorCode(error);
        if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing' };
        return { status: 'error', message: `cannot read ${path} (${code})` };
      }
    },
    async check(file: ManifestFile, wantText: boolean): Promise<SourceFileCheck> {
      const native = toNative(root, file.path);
      if (wantText) return checkWithText(fs, native, file);
      try {
        return compareHash(file, { status: 'found', hash: await fs.hashFile(native, file.size) });
      } catch (error) {
        return compareHash(file, { status: 'error', code: errorCode(error) });
      }
    },
    prepare(fileCount: number): void {
      fs.prepareHashFiles?.(fileCount);
    },
    async checkAll(files, onResult, signal): Promise<void> {
      if (!fs.hashFiles) {
        for (const file of files) {
          if (signal?.aborted) return;
          onResult(file, await this.check(file, false));
        }
        return;
      }
      const requests = files.map((f) => ({ path: toNative(root, f.path), expectedSize: f.size }));
      await fs.hashFiles(requests, (index, outcome) => onResult(files[index], compareHash(files[index], outcome)), signal);
    },
  };
}

/**
 * Every entry under `dir` that is not a directory (regular files, dot-files,
 * symbolic links, sockets…), as sorted posix paths relative to `dir`.
 * Symbolic links to directories are listed, not followed.
 */
export async function listPresentFiles(dir: string, fs: FileSystem = createNodeFileSystem()): Promise<string[]> {
  const out: string[] = [];
  async function walk(abs: string, rel: string): Promise<void> {
    for (const e of await fs.listEntries(abs)) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.kind === 'dir') await walk(join(abs, e.name), childRel);
      else out.push(childRel);
    }
  }
  // The folder itself may be reached through a symbolic link; links inside it are listed, not followed.
  const root = await fs.realpath(resolve(dir)).catch(() => resolve(dir));
  if ((await fs.stat(root))?.kind !== 'dir') throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR' });
  if (fs.listTree) return fs.listTree(root);
  await walk(root, '');
  return out.sort();
}
