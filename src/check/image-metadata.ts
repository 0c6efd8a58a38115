/**
 * Image metadata: no published JPEG, PNG, WebP, AVIF/HEIF, TIFF or GIF may
 * carry EXIF, GPS, camera make/model, XMP or IPTC — a photo's metadata can
 * reveal where it was taken and by whom.
 *
 * Two detectors are combined so one parser's blind spot does not hide a
 * leak: a container walker here (JPEG segments, PNG chunks, RIFF chunks,
 * ISOBMFF `infe` items, TIFF IFD0 tags, plus a raw search for XMP packets)
 * and exifr (for GPS and camera details; loaded lazily).
 */
import { createDiagnostic } from '../errors/catalogue.js';
import { CHECK_IMAGE_METADATA } from '../errors/codes-harden.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { OutputFiles } from '../site/output.js';

/** Image extensions the check inspects. */
export const METADATA_IMAGE_EXTENSIONS = /\.(?:jpe?g|png|webp|avif|heic|heif|tiff?|gif)$/i;

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** The first offset in [from, to) where the ASCII `needle` starts in `bytes`, or -1 (a native byte search: images are large). */
function indexOfAscii(bytes: Uint8Array, needle: string, from = 0, to = bytes.length): number {
  const start = Math.max(0, from);
  const end = Math.min(to, bytes.byteLength);
  if (end - start < needle.length) return -1;
  const at = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).indexOf(needle, 0, 'latin1');
  return at === -1 ? -1 : at + start;
}

function scanJpeg(bytes: Uint8Array, found: Set<string>): void {
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return;
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return; // start of scan / end of image
    if (marker >= 0xd0 && marker <= 0xd7) {
      i += 2;
      continue;
    }
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    const body = i + 4;
    if (marker === 0xe1) {
      if (ascii(bytes, body, 6) === 'Exif\0\0') found.add('EXIF');
      else if (ascii(bytes, body, 28).startsWith('http://ns.adobe.com/xap/1.0/') || ascii(bytes, body, 34).startsWith('http://ns.adobe.com/xmp/extension/')) found.add('XMP');
    } else if (marker === 0xed && ascii(bytes, body, 13) === 'Photoshop 3.0') {
      found.add('IPTC');
    } else if (marker === 0xfe) {
      found.add('JPEG comment');
    }
    i += 2 + length;
  }
}

function scanPng(bytes: Uint8Array, found: Set<string>): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = 8;
  while (i + 8 <= bytes.length) {
    const length = view.getUint32(i);
    const type = ascii(bytes, i + 4, 4);
    if (type === 'eXIf' || type === 'exIf') found.add('EXIF');
    if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') {
      const keyword = ascii(bytes, i + 8, Math.min(80, length)).split('\0')[0];
      if (keyword === 'XML:com.adobe.xmp') found.add('XMP');
      else if (/^Raw profile type (?:exif|APP1)$/i.test(keyword)) found.add('EXIF');
      else if (/^Raw profile type (?:iptc|8bim)$/i.test(keyword)) found.add('IPTC');
      else if (/^Raw profile type xmp$/i.test(keyword)) found.add('XMP');
    }
    if (type === 'IEND') return;
    i += 12 + length;
  }
}

function scanRiff(bytes: Uint8Array, found: Set<string>): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = 12;
  while (i + 8 <= bytes.length) {
    const type = ascii(bytes, i, 4);
    const length = view.getUint32(i + 4, true);
    if (type === 'EXIF') found.add('EXIF');
    if (type === 'XMP ') found.add('XMP');
    i += 8 + length + (length % 2);
  }
}

function scanIsobmff(bytes: Uint8Array, found: Set<string>): void {
  let from = 0;
  for (;;) {
    const p = indexOfAscii(bytes, 'infe', from);
    if (p === -1) return;
    from = p + 4;
    const version = bytes[p + 4];
    if (version < 2) continue;
    const typeAt = p + 8 + (version >= 3 ? 6 : 4);
    const itemType = ascii(bytes, typeAt, 4);
    if (itemType === 'Exif') found.add('EXIF');
    if (itemType === 'mime') {
      const rest = ascii(bytes, typeAt + 4, 200);
      if (rest.includes('application/rdf+xml')) found.add('XMP');
    }
  }
}

function scanTiff(bytes: Uint8Array, found: Set<string>): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  let ifd = view.getUint32(4, le);
  for (let n = 0; n < 8 && ifd > 0 && ifd + 2 <= bytes.length; n++) {
    const count = view.getUint16(ifd, le);
    for (let k = 0; k < count; k++) {
      const entry = ifd + 2 + k * 12;
      if (entry + 12 > bytes.length) return;
      const tag = view.getUint16(entry, le);
      if (tag === 0x8825) found.add('GPS');
      if (tag === 0x010f || tag === 0x0110) found.add('camera make/model');
      if (tag === 0x8769) found.add('EXIF');
      if (tag === 0x02bc) found.add('XMP');
      if (tag === 0x83bb) found.add('IPTC');
    }
    const next = ifd + 2 + count * 12;
    if (next + 4 > bytes.length) return;
    ifd = view.getUint32(next, le);
  }
}

/** The metadata blocks found by walking the container (synchronous, never throws). */
export function scanImageContainer(bytes: Uint8Array): Set<string> {
  const found = new Set<string>();
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xd8) scanJpeg(bytes, found);
    else if (ascii(bytes, 1, 3) === 'PNG') scanPng(bytes, found);
    else if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') scanRiff(bytes, found);
    else if (ascii(bytes, 4, 4) === 'ftyp') scanIsobmff(bytes, found);
    else if (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*') scanTiff(bytes, found);
  } catch {
    // A truncated container: whatever was found so far stands.
  }
  if (indexOfAscii(bytes, 'http://ns.adobe.com/xap/1.0/') !== -1 || indexOfAscii(bytes, '<x:xmpmeta') !== -1) found.add('XMP');
  return found;
}

type ExifrModule = { parse(data: Uint8Array, options: object): Promise<Record<string, Record<string, unknown> | undefined> | undefined> };

let exifrPromise: Promise<ExifrModule | undefined> | undefined;
function loadExifr(): Promise<ExifrModule | undefined> {
  exifrPromise ??= import('exifr').then(
    (m) => ((m as { default?: ExifrModule }).default ?? (m as unknown as ExifrModule)) as ExifrModule,
    () => undefined,
  );
  return exifrPromise;
}

/** Metadata found by exifr (GPS, camera, EXIF, XMP, IPTC); empty when exifr is unavailable or cannot parse. */
export async function inspectWithExifr(bytes: Uint8Array): Promise<Set<string>> {
  const isTiff = ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*';
  const found = new Set<string>();
  const exifr = await loadExifr();
  if (!exifr) return found;
  let result: Record<string, Record<string, unknown> | undefined> | undefined;
  try {
    result = await exifr.parse(bytes, {
      tiff: true,
      ifd0: true,
      exif: true,
      gps: true,
      interop: true,
      ifd1: true,
      xmp: true,
      iptc: true,
      icc: false,
      jfif: false,
      ihdr: false,
      makerNote: false,
      userComment: false,
      mergeOutput: false,
      translateKeys: true,
      translateValues: false,
      reviveValues: false,
      sanitize: true,
    });
  } catch {
    return found;
  }
  if (!result) return found;
  const has = (block: string) => result[block] && Object.keys(result[block]!).length > 0;
  if (has('gps')) found.add('GPS');
  if (result.ifd0?.Make !== undefined || result.ifd0?.Model !== undefined) found.add('camera make/model');
  // A TIFF's IFD0 is its image structure, not metadata; other formats only have one inside EXIF.
  if (has('exif') || has('interop') || (!isTiff && (has('ifd0') || has('ifd1')))) found.add('EXIF');
  if (has('xmp')) found.add('XMP');
  if (has('iptc')) found.add('IPTC');
  return found;
}

/** Check every image of the output for metadata. */
/**
 * Results per byte buffer. Rebuilds in `stele dev` reuse the same buffers for
 * unchanged images, so they are inspected once; a changed image is a new buffer.
 */
const METADATA_CACHE = new WeakMap<Uint8Array, Set<string>>();

export async function checkImageMetadata(output: OutputFiles): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const path of [...output.keys()].sort()) {
    if (!METADATA_IMAGE_EXTENSIONS.test(path)) continue;
    const bytes = output.get(path)!;
    let found = METADATA_CACHE.get(bytes);
    if (!found) {
      found = new Set([...scanImageContainer(bytes), ...(await inspectWithExifr(bytes))]);
      METADATA_CACHE.set(bytes, found);
    }
    if (found.size === 0) continue;
    const order = ['GPS', 'camera make/model', 'EXIF', 'XMP', 'IPTC', 'JPEG comment'];
    const list = [...found].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    diagnostics.push(createDiagnostic(CHECK_IMAGE_METADATA, { file: path }, list.join(', ')));
  }
  return diagnostics;
}
