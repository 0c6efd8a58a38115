/**
 * Verify a folder: hash each listed file from disk as a stream, and list every
 * file actually present (dot-files and symbolic links included) to find additions.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ManifestFile } from '../trust/manifest.js';
import { MAX_SCAN_BYTES, type SiteSource, type SourceFileCheck, type SourceReadResult } from './site-source.js';

function toNative(root: string, path: string): string {
  return join(root, ...path.split('/'));
}

/** A `SiteSource` for a folder. */
export function createDirSource(dir: string): SiteSource {
  const root = resolve(dir);
  return {
    kind: 'dir',
    async read(path, maxBytes): Promise<SourceReadResult> {
      try {
        const info = await lstat(toNative(root, path));
        if (!info.isFile()) return { status: 'error', message: `${path} is not a regular file` };
        if (info.size > maxBytes) return { status: 'error', message: `${path} is larger than ${maxBytes} bytes` };
        const handle = await open(toNative(root, path), 'r');
        try {
          return { status: 'ok', data: new Uint8Array(await handle.readFile()) };
        } finally {
          await handle.close();
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing' };
        return { status: 'error', message: `cannot read ${path} (${code ?? (error as Error).message})` };
      }
    },
    async check(file: ManifestFile, wantText: boolean): Promise<SourceFileCheck> {
      const native = toNative(root, file.path);
      let info: Awaited<ReturnType<typeof lstat>>;
      try {
        info = await lstat(native);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing' };
        return { status: 'error', message: `cannot read ${file.path} (${code})` };
      }
      if (info.isSymbolicLink()) return { status: 'mismatch', note: 'replaced by a symbolic link' };
      if (!info.isFile()) return { status: 'mismatch', note: 'not a regular file' };
      if (info.size !== file.size && !wantText) return { status: 'mismatch', actualSize: info.size };
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let kept = 0;
      let size = 0;
      try {
        for await (const chunk of createReadStream(native)) {
          const buf = chunk as Buffer;
          size += buf.length;
          hash.update(buf);
          if (wantText && kept < MAX_SCAN_BYTES) {
            chunks.push(buf);
            kept += buf.length;
          }
        }
      } catch (error) {
        return { status: 'error', message: `cannot read ${file.path} (${(error as NodeJS.ErrnoException).code})` };
      }
      const sha = hash.digest('hex');
      const text = wantText ? Buffer.concat(chunks).toString('utf8') : undefined;
      if (size === file.size && sha === file.sha256) return { status: 'match', text };
      return { status: 'mismatch', actualSize: size, actualSha256: sha, text };
    },
  };
}

/**
 * Every entry under `dir` that is not a directory (regular files, dot-files,
 * symbolic links, sockets…), as sorted posix paths relative to `dir`.
 * Symbolic links to directories are listed, not followed.
 */
export async function listPresentFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(abs: string, rel: string): Promise<void> {
    const entries = await readdir(abs, { withFileTypes: true });
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(join(abs, e.name), childRel);
      else out.push(childRel);
    }
  }
  await walk(resolve(dir), '');
  return out.sort();
}
