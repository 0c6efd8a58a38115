/**
 * Metadata inspection: does an image carry EXIF, GPS, camera identity, XMP,
 * IPTC or an ICC profile? Used to prove stele's outputs are clean and by
 * `stele check` to audit a built site.
 *
 * Three independent detectors are OR-ed, so one parser's blind spot does not
 * hide a leak: sharp's metadata, a small built-in TIFF/EXIF IFD scanner, and
 * exifr when it is installed (it is a dev dependency; loaded lazily).
 */
import sharp from 'sharp';

/** What an image file carries besides pixels. */
export interface ImageMetadataReport {
  /** sharp's format name ('jpeg', 'png', 'webp', 'heif', …) or 'unknown'. */
  format: string;
  hasExif: boolean;
  hasGps: boolean;
  /** Camera/lens make, model or serial number. */
  hasCamera: boolean;
  hasXmp: boolean;
  hasIptc: boolean;
  hasIcc: boolean;
}

const TAG_MAKE = 0x010f;
const TAG_MODEL = 0x0110;
const TAG_EXIF_IFD = 0x8769;
const TAG_GPS_IFD = 0x8825;
const CAMERA_EXIF_TAGS = new Set([0xa431 /* BodySerialNumber */, 0xa433 /* LensMake */, 0xa434 /* LensModel */, 0xa435 /* LensSerialNumber */, 0xa430 /* CameraOwnerName */]);

interface ExifScan {
  gps: boolean;
  camera: boolean;
}

/** Scan a raw EXIF block (optionally prefixed `Exif\0\0`) for GPS and camera tags. Never throws. */
export function scanExifBlock(block: Uint8Array): ExifScan {
  const result: ExifScan = { gps: false, camera: false };
  try {
    let start = 0;
    if (block.length >= 6 && String.fromCharCode(...block.subarray(0, 4)) === 'Exif') start = 6;
    const view = new DataView(block.buffer, block.byteOffset + start, block.length - start);
    const order = view.getUint16(0);
    if (order !== 0x4949 && order !== 0x4d4d) return result;
    const le = order === 0x4949;
    const readIfd = (offset: number): Map<number, number> => {
      const tags = new Map<number, number>();
      if (offset <= 0 || offset + 2 > view.byteLength) return tags;
      const count = view.getUint16(offset, le);
      for (let i = 0; i < count && i < 1000; i++) {
        const entry = offset + 2 + i * 12;
        if (entry + 12 > view.byteLength) break;
        tags.set(view.getUint16(entry, le), view.getUint32(entry + 8, le));
      }
      return tags;
    };
    const ifd0 = readIfd(view.getUint32(4, le));
    if (ifd0.has(TAG_MAKE) || ifd0.has(TAG_MODEL)) result.camera = true;
    const gpsOffset = ifd0.get(TAG_GPS_IFD);
    // Any GPS IFD pointer counts, even one that points at garbage: fail closed.
    if (gpsOffset !== undefined) result.gps = true;
    const exifOffset = ifd0.get(TAG_EXIF_IFD);
    if (exifOffset !== undefined) {
      for (const tag of readIfd(exifOffset).keys()) if (CAMERA_EXIF_TAGS.has(tag)) result.camera = true;
    }
  } catch {
    // A malformed block is still an EXIF block; the caller already reports hasExif.
  }
  return result;
}

function containsAscii(bytes: Uint8Array, needle: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle, 0, 'latin1');
}

type ExifrModule = typeof import('exifr');
let exifrPromise: Promise<ExifrModule | undefined> | undefined;
function loadExifr(): Promise<ExifrModule | undefined> {
  exifrPromise ??= import('exifr').then(
    (m) => ((m as { default?: ExifrModule }).default ?? m) as ExifrModule,
    () => undefined,
  );
  return exifrPromise;
}

/**
 * Report which kinds of metadata an image carries. Never throws: bytes that
 * are not an image give format 'unknown' (with whatever the byte scans found).
 */
export async function inspectImageMetadata(bytes: Uint8Array): Promise<ImageMetadataReport> {
  const report: ImageMetadataReport = {
    format: 'unknown',
    hasExif: false,
    hasGps: false,
    hasCamera: false,
    hasXmp: false,
    hasIptc: false,
    hasIcc: false,
  };
  try {
    const meta = await sharp(bytes).metadata();
    report.format = meta.format ?? 'unknown';
    if (meta.exif && meta.exif.length > 0) {
      report.hasExif = true;
      const scan = scanExifBlock(meta.exif);
      report.hasGps ||= scan.gps;
      report.hasCamera ||= scan.camera;
    }
    report.hasXmp ||= !!meta.xmp && meta.xmp.length > 0;
    report.hasIptc ||= !!meta.iptc && meta.iptc.length > 0;
    report.hasIcc ||= !!meta.icc && meta.icc.length > 0;
  } catch {
    // Not decodable by sharp; the other detectors still run.
  }
  report.hasXmp ||= containsAscii(bytes, 'x:xmpmeta') || containsAscii(bytes, 'http://ns.adobe.com/xap/1.0/');
  report.hasIptc ||= containsAscii(bytes, 'Photoshop 3.0\0');

  const exifr = await loadExifr();
  if (exifr) {
    try {
      const parsed = (await exifr.parse(bytes, {
        tiff: true,
        ifd0: {},
        exif: true,
        gps: true,
        xmp: true,
        iptc: true,
        icc: true,
        mergeOutput: false,
      })) as Record<string, Record<string, unknown> | undefined> | undefined;
      if (parsed) {
        const nonEmpty = (k: string) => !!parsed[k] && Object.keys(parsed[k]!).length > 0;
        if (nonEmpty('ifd0') || nonEmpty('exif') || nonEmpty('gps')) report.hasExif = true;
        if (nonEmpty('gps')) report.hasGps = true;
        const ifd0 = parsed.ifd0 ?? {};
        const exif = parsed.exif ?? {};
        if (ifd0.Make || ifd0.Model || exif.SerialNumber || exif.BodySerialNumber || exif.LensModel || exif.LensMake) {
          report.hasCamera = true;
        }
        if (nonEmpty('iptc')) report.hasIptc = true;
        if (nonEmpty('icc')) report.hasIcc = true;
        const known = new Set(['ifd0', 'ifd1', 'exif', 'gps', 'interop', 'iptc', 'icc', 'jfif', 'ihdr', 'makerNote', 'userComment']);
        if (Object.keys(parsed).some((k) => !known.has(k) && nonEmpty(k))) report.hasXmp = true;
      }
    } catch {
      // exifr does not know every format (e.g. WebP); sharp covered it.
    }
  }
  return report;
}
