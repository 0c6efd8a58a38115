/**
 * Verify a bundle (`stele bundle` → `site.zip`) without unpacking it to disk:
 * the archive is read into memory, every entry is hashed there, and the entries
 * themselves are the "files present" (anything unlisted is an addition). When
 * every entry sits under one top folder that holds the manifest, that folder is
 * the site root.
 */
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import type { ManifestFile } from '../trust/manifest.js';
import { MANIFEST_PATH } from '../trust/paths.js';
import { MAX_SCAN_BYTES, type SiteSource, type SourceFileCheck, type SourceReadResult } from './site-source.js';

/** Largest total size of a bundle's files that is checked (they are held in memory). */
export const MAX_BUNDLE_BYTES = 2 * 1024 * 1024 * 1024;

/** Open a zip archive; `error` explains why it cannot be checked. */
export function openZipSite(bytes: Uint8Array): { source: SiteSource; present: string[] } | { error: string } {
  let total = 0;
  let tooLarge = false;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter(file) {
        total += file.originalSize;
        if (total > MAX_BUNDLE_BYTES) tooLarge = true;
        return !tooLarge && !file.name.endsWith('/');
      },
    });
  } catch (error) {
    return { error: `not a readable zip archive (${(error as Error).message})` };
  }
  if (tooLarge) return { error: `the archive holds more than ${MAX_BUNDLE_BYTES} bytes; unpack it and verify the folder` };
  const names = Object.keys(entries);
  const top = names[0]?.split('/')[0];
  const prefix = top && names.every((n) => n.startsWith(`${top}/`)) && entries[`${top}/${MANIFEST_PATH}`] ? `${top}/` : '';
  const files = new Map<string, Uint8Array>();
  for (const name of names) files.set(name.slice(prefix.length), entries[name]);
  const source: SiteSource = {
    kind: 'zip',
    async read(path, maxBytes): Promise<SourceReadResult> {
      const data = files.get(path);
      if (!data) return { status: 'missing' };
      if (data.byteLength > maxBytes) return { status: 'error', message: `${path} is larger than ${maxBytes} bytes` };
      return { status: 'ok', data };
    },
    async check(file: ManifestFile, wantText: boolean): Promise<SourceFileCheck> {
      const data = files.get(file.path);
      if (!data) return { status: 'missing' };
      const sha = createHash('sha256').update(data).digest('hex');
      const text = wantText && data.byteLength <= MAX_SCAN_BYTES ? new TextDecoder().decode(data) : undefined;
      if (data.byteLength === file.size && sha === file.sha256) return { status: 'match', text };
      return { status: 'mismatch', actualSize: data.byteLength, actualSha256: sha, text };
    },
  };
  return { source, present: [...files.keys()].sort() };
}
