/**
 * Content-addressed cache of processed images, so rebuilds do not re-encode
 * unchanged images. Key = sha256(input bytes + resolved options + encoder and
 * library versions). Entries are verified on read (lengths, sha256 of every
 * file, name matches hash, no metadata) and ignored when anything is off.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { FileSystem } from '../io/host.js';
import { inspectImageMetadata } from './metadata.js';
import { ENCODER_SETTINGS, type ResolvedImagePlan } from './process-image.js';
import type { ProcessedImage, ProcessedImageFile } from './types.js';

/** Where cache entries live. Keys are 64 lowercase hex characters. */
export interface ImageCache {
  read(key: string): Promise<Uint8Array | undefined>;
  write(key: string, entry: Uint8Array): Promise<void>;
}

const CACHE_FORMAT = 1;
const MAGIC = new TextEncoder().encode('STELE-IMG-CACHE\n');

/** A cache in folder `dir` of an injected file system: `<dir>/<key[0..2]>/<key>.bin`. */
export function createFileSystemImageCache(fs: FileSystem, dir: string): ImageCache {
  const root = dir.replace(/[\\/]+$/, '');
  const pathOf = (key: string) => {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new RangeError(`invalid image cache key ${key}`);
    return `${root}/${key.slice(0, 2)}/${key}.bin`;
  };
  return {
    async read(key) {
      const p = pathOf(key);
      if (!(await fs.exists(p))) return undefined;
      try {
        return await fs.readFile(p);
      } catch {
        return undefined;
      }
    },
    async write(key, entry) {
      const p = pathOf(key);
      await fs.mkdir(`${root}/${key.slice(0, 2)}`);
      await fs.writeFile(p, entry);
    },
  };
}

function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The cache key of one image: input bytes, resolved plan, encoder settings and library versions. */
export function createImageCacheKey(input: Uint8Array, plan: ResolvedImagePlan): string {
  return sha256Hex(
    JSON.stringify({
      format: CACHE_FORMAT,
      sharp: sharp.versions.sharp,
      vips: sharp.versions.vips,
      encoder: ENCODER_SETTINGS,
      input: sha256Hex(input),
      plan,
    }),
  );
}

interface EntryHeader {
  width: number;
  height: number;
  diagnostics: Diagnostic[];
  files: { path: string; width: number; height: number; format: string; length: number; sha256: string }[];
}

/** Serialise a successful result into a cache entry. */
export function encodeImageCacheEntry(result: ProcessedImage): Uint8Array {
  const header: EntryHeader = {
    width: result.width,
    height: result.height,
    diagnostics: result.diagnostics,
    files: result.files.map((f) => ({ path: f.path, width: f.width, height: f.height, format: f.format, length: f.data.length, sha256: sha256Hex(f.data) })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const total = MAGIC.length + 4 + json.length + result.files.reduce((n, f) => n + f.data.length, 0);
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length);
  out.set(json, MAGIC.length + 4);
  let offset = MAGIC.length + 4 + json.length;
  for (const f of result.files) {
    out.set(f.data, offset);
    offset += f.data.length;
  }
  return out;
}

/**
 * Parse and verify a cache entry for `plan`; undefined when it is malformed,
 * fails an integrity check, names files outside the plan's folder, or any
 * file carries metadata.
 */
export async function decodeImageCacheEntry(entry: Uint8Array, plan: ResolvedImagePlan): Promise<ProcessedImage | undefined> {
  try {
    if (entry.length < MAGIC.length + 4) return undefined;
    for (let i = 0; i < MAGIC.length; i++) if (entry[i] !== MAGIC[i]) return undefined;
    const jsonLength = new DataView(entry.buffer, entry.byteOffset, entry.byteLength).getUint32(MAGIC.length);
    const start = MAGIC.length + 4;
    if (start + jsonLength > entry.length) return undefined;
    const header = JSON.parse(new TextDecoder().decode(entry.subarray(start, start + jsonLength))) as EntryHeader;
    if (!Array.isArray(header.files) || header.files.length === 0) return undefined;
    let offset = start + jsonLength;
    const files: ProcessedImageFile[] = [];
    const prefix = `${plan.outDir}/${plan.baseName}-`;
    for (const f of header.files) {
      if (offset + f.length > entry.length) return undefined;
      const data = entry.slice(offset, offset + f.length);
      offset += f.length;
      const hash = sha256Hex(data);
      if (hash !== f.sha256) return undefined;
      const name = f.path.slice(prefix.length);
      if (!f.path.startsWith(prefix) || !/^\d+\.[0-9a-f]{8}\.(avif|webp|jpg|png)$/.test(name) || !name.includes(`.${hash.slice(0, 8)}.`)) return undefined;
      const meta = await inspectImageMetadata(data);
      if (meta.hasExif || meta.hasGps || meta.hasCamera || meta.hasXmp || meta.hasIptc || meta.hasIcc) return undefined;
      files.push({ path: f.path, data, width: f.width, height: f.height, format: f.format });
    }
    if (offset !== entry.length) return undefined;
    return { files, width: header.width, height: header.height, diagnostics: Array.isArray(header.diagnostics) ? header.diagnostics : [] };
  } catch {
    return undefined;
  }
}
