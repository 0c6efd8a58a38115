/**
 * `processImage`: decode one user image, orient it, blur requested regions,
 * strip every byte of metadata, and encode responsive widths × web formats
 * with content-hashed names.
 *
 * Metadata policy: outputs are encoded from a bare decoded raster, so nothing
 * from the source container (EXIF, GPS, XMP, IPTC, comments, thumbnails) can
 * be copied. Colour is converted to sRGB using the source's ICC profile, and
 * NO ICC profile is embedded (browsers treat untagged images as sRGB). Every
 * encoded file is re-inspected before it is returned; any that still carries
 * metadata is dropped with STELE3010.
 */
import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { createDiagnostic } from '../errors/catalogue.js';
import {
  IMAGE_ANIMATION_DROPPED,
  IMAGE_BLUR_REGION_INVALID,
  IMAGE_FORMAT_UNSUPPORTED,
  IMAGE_FORMATS_INVALID,
  IMAGE_METADATA_LEAK,
  IMAGE_OUT_DIR_INVALID,
  IMAGE_TOO_LARGE,
  IMAGE_UNREADABLE,
  IMAGE_WIDTHS_INVALID,
} from '../errors/codes-assets.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { applyBlurRegions, type RawImage } from './blur.js';
import { inspectImageMetadata } from './metadata.js';
import { createSafeBaseName, resolveSafeOutDir } from './safe-name.js';
import type { BlurRegion, ImageOutputFormat, ProcessedImage, ProcessedImageFile, ProcessImageOptions } from './types.js';

/** Default responsive widths. */
export const DEFAULT_IMAGE_WIDTHS: readonly number[] = [480, 960, 1600];
/** Default output formats, most efficient first. */
export const DEFAULT_IMAGE_FORMATS: readonly ImageOutputFormat[] = ['avif', 'webp', 'jpeg'];
/** Default site-relative output folder. */
export const DEFAULT_IMAGE_OUT_DIR = 'assets/img';
/** Largest input stele decodes (pixels). */
export const MAX_INPUT_PIXELS = 100_000_000;
const MAX_WIDTH = 8192;

/** Fixed encoder settings: explicit quality and effort make output byte-for-byte deterministic. */
export const ENCODER_SETTINGS = {
  avif: { quality: 55, effort: 4, chromaSubsampling: '4:2:0' },
  webp: { quality: 78, effort: 4 },
  jpeg: { quality: 80, mozjpeg: true },
  png: { compressionLevel: 9, effort: 7, palette: false },
} as const;

const ACCEPTED_INPUT = new Set(['jpeg', 'png', 'webp', 'heif', 'tiff', 'gif']);
const FORMAT_ORDER: readonly string[] = ['avif', 'webp', 'jpeg', 'png'];
const EXTENSIONS: Record<string, string> = { avif: 'avif', webp: 'webp', jpeg: 'jpg', png: 'png' };

/** Options after validation and defaulting. */
export interface ResolvedImagePlan {
  widths: number[];
  formats: ImageOutputFormat[];
  blur: BlurRegion[];
  outDir: string;
  baseName: string;
}

/**
 * Validate and default the options of one image. Returns the plan, or the
 * diagnostics that prevent processing it.
 */
export function resolveImagePlan(options: ProcessImageOptions): { plan?: ResolvedImagePlan; diagnostics: Diagnostic[] } {
  const file = { file: options.sourcePath };
  const diagnostics: Diagnostic[] = [];

  const rawWidths: unknown = options.widths ?? DEFAULT_IMAGE_WIDTHS;
  let widths: number[] = [];
  if (!Array.isArray(rawWidths) || rawWidths.length === 0) {
    diagnostics.push(createDiagnostic(IMAGE_WIDTHS_INVALID, file, 'expected a non-empty list'));
  } else {
    const bad = rawWidths.filter((w) => typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > MAX_WIDTH);
    if (bad.length > 0) diagnostics.push(createDiagnostic(IMAGE_WIDTHS_INVALID, file, `${bad.map(String).join(', ')} out of range`));
    else widths = [...new Set(rawWidths as number[])].sort((a, b) => a - b);
  }

  const rawFormats: unknown = options.formats ?? DEFAULT_IMAGE_FORMATS;
  let formats: ImageOutputFormat[] = [];
  if (!Array.isArray(rawFormats) || rawFormats.length === 0) {
    diagnostics.push(createDiagnostic(IMAGE_FORMATS_INVALID, file, 'expected a non-empty list'));
  } else {
    const bad = rawFormats.filter((f) => f !== 'avif' && f !== 'webp' && f !== 'jpeg');
    if (bad.length > 0) diagnostics.push(createDiagnostic(IMAGE_FORMATS_INVALID, file, `unknown ${bad.map((b) => JSON.stringify(b)).join(', ')}`));
    else formats = DEFAULT_IMAGE_FORMATS.filter((f) => (rawFormats as string[]).includes(f));
  }

  const rawBlur: unknown = options.blur ?? [];
  const blur: BlurRegion[] = [];
  if (!Array.isArray(rawBlur)) {
    diagnostics.push(createDiagnostic(IMAGE_BLUR_REGION_INVALID, file, 0, 'blur must be a list of regions'));
  } else {
    rawBlur.forEach((region: unknown, index) => {
      const detail = describeBlurProblem(region);
      if (detail) diagnostics.push(createDiagnostic(IMAGE_BLUR_REGION_INVALID, file, index, detail));
      else blur.push(region as BlurRegion);
    });
  }

  const outDir = resolveSafeOutDir(typeof options.outDir === 'string' ? options.outDir : DEFAULT_IMAGE_OUT_DIR);
  if (outDir === undefined) diagnostics.push(createDiagnostic(IMAGE_OUT_DIR_INVALID, file, String(options.outDir)));

  if (diagnostics.length > 0 || outDir === undefined) return { diagnostics };
  const baseName = createSafeBaseName(typeof options.baseName === 'string' ? options.baseName : String(options.sourcePath ?? ''));
  return { plan: { widths, formats, blur, outDir, baseName }, diagnostics };
}

const EPSILON = 1e-9;

function describeBlurProblem(region: unknown): string | undefined {
  if (typeof region !== 'object' || region === null) return 'not an object { x, y, w, h }';
  const r = region as Record<string, unknown>;
  for (const k of ['x', 'y', 'w', 'h']) {
    if (typeof r[k] !== 'number' || !Number.isFinite(r[k])) return `${k} is not a number`;
  }
  const { x, y, w, h } = r as unknown as BlurRegion;
  if (x < 0 || y < 0) return 'x and y must be at least 0';
  if (w <= 0 || h <= 0) return 'w and h must be greater than 0';
  if (x + w > 1 + EPSILON) return `x + w is ${x + w}, beyond the right edge (1)`;
  if (y + h > 1 + EPSILON) return `y + h is ${y + h}, beyond the bottom edge (1)`;
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function failed(diagnostics: Diagnostic[]): ProcessedImage {
  return { files: [], width: 0, height: 0, diagnostics };
}

/** Decode to an upright 8-bit sRGB raster (alpha kept only when it is not fully opaque). */
async function decodeUpright(input: Uint8Array, format: string): Promise<RawImage> {
  // Strict decoding: libjpeg reports corrupt scan data only as a warning, and a
  // JPEG decoded past it is published garbled; other decoders' warnings (PNG
  // colour-profile notes) are harmless, so they fail on errors only.
  const failOn = format === 'jpeg' ? 'warning' : 'error';
  const { data, info } = await sharp(input, { failOn, limitInputPixels: MAX_INPUT_PIXELS, pages: 1 })
    .rotate()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const image: RawImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: info.channels };
  if (image.channels === 4) {
    let opaque = true;
    for (let i = 3; i < image.data.length; i += 4) {
      if (image.data[i] !== 255) {
        opaque = false;
        break;
      }
    }
    if (opaque) {
      const rgb = new Uint8Array(image.width * image.height * 3);
      for (let p = 0, q = 0; p < image.data.length; p += 4, q += 3) {
        rgb[q] = image.data[p]!;
        rgb[q + 1] = image.data[p + 1]!;
        rgb[q + 2] = image.data[p + 2]!;
      }
      return { data: rgb, width: image.width, height: image.height, channels: 3 };
    }
  }
  if (image.channels !== 3 && image.channels !== 4) throw new Error(`unexpected channel count ${image.channels}`);
  return image;
}

async function encode(raster: RawImage, format: string): Promise<Buffer> {
  const s = sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels as 3 | 4 } });
  switch (format) {
    case 'avif':
      return s.avif(ENCODER_SETTINGS.avif).toBuffer();
    case 'webp':
      return s.webp(ENCODER_SETTINGS.webp).toBuffer();
    case 'jpeg':
      return s.jpeg(ENCODER_SETTINGS.jpeg).toBuffer();
    default:
      return s.png(ENCODER_SETTINGS.png).toBuffer();
  }
}

async function resizeRaster(raster: RawImage, width: number): Promise<RawImage> {
  if (width === raster.width) return raster;
  const { data, info } = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels as 3 | 4 } })
    .resize({ width, kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: info.channels };
}

/** The metadata kinds an encoded output still carries (empty when clean). */
async function findLeakedMetadata(bytes: Uint8Array): Promise<string[]> {
  const r = await inspectImageMetadata(bytes);
  const kinds: string[] = [];
  if (r.hasExif) kinds.push('EXIF');
  if (r.hasGps) kinds.push('GPS');
  if (r.hasCamera) kinds.push('camera data');
  if (r.hasXmp) kinds.push('XMP');
  if (r.hasIptc) kinds.push('IPTC');
  if (r.hasIcc) kinds.push('an ICC profile');
  return kinds;
}

/**
 * Process one image. Never throws for bad user input: problems come back as
 * diagnostics (with `file: sourcePath` and a hint) and `files: []`. An image
 * whose blur regions are invalid is never published unblurred.
 */
export async function processImage(input: Uint8Array, options: ProcessImageOptions): Promise<ProcessedImage> {
  const location = { file: options.sourcePath };
  const { plan, diagnostics } = resolveImagePlan(options);
  if (!plan) return failed(diagnostics);
  if (!(input instanceof Uint8Array) || input.length === 0) return failed([createDiagnostic(IMAGE_UNREADABLE, location, 'the file is empty')]);

  let meta: Metadata;
  try {
    meta = await sharp(input, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch (error) {
    return failed([createDiagnostic(IMAGE_UNREADABLE, location, firstLine((error as Error).message))]);
  }
  const format = meta.format ?? 'unknown';
  if (!ACCEPTED_INPUT.has(format) || (format === 'heif' && meta.compression !== 'av1')) {
    const name = format === 'heif' ? 'HEIC' : format === 'svg' ? 'SVG (vector images are not rasterised from user input)' : format.toUpperCase();
    return failed([createDiagnostic(IMAGE_FORMAT_UNSUPPORTED, location, name)]);
  }
  if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_INPUT_PIXELS) {
    return failed([createDiagnostic(IMAGE_TOO_LARGE, location, `${meta.width} × ${meta.height} pixels`)]);
  }
  if ((meta.pages ?? 1) > 1 && (format === 'gif' || format === 'webp')) {
    diagnostics.push(createDiagnostic(IMAGE_ANIMATION_DROPPED, location, meta.pages!));
  }

  let raster: RawImage;
  try {
    raster = await decodeUpright(input, format);
    await applyBlurRegions(raster, plan.blur);
  } catch (error) {
    const message = firstLine((error as Error).message);
    if (/pixel limit/i.test(message)) return failed([createDiagnostic(IMAGE_TOO_LARGE, location, message)]);
    return failed([createDiagnostic(IMAGE_UNREADABLE, location, message)]);
  }

  const widths = [...new Set(plan.widths.map((w) => Math.min(w, raster.width)))].sort((a, b) => a - b);
  const outFormats: string[] = plan.formats.map((f) => (f === 'jpeg' && raster.channels === 4 ? 'png' : f));
  const files: ProcessedImageFile[] = [];
  try {
    for (const width of widths) {
      const resized = await resizeRaster(raster, width);
      for (const format of outFormats) {
        const data = new Uint8Array(await encode(resized, format));
        const hash = createHash('sha256').update(data).digest('hex').slice(0, 8);
        const path = `${plan.outDir}/${plan.baseName}-${resized.width}.${hash}.${EXTENSIONS[format]}`;
        const leaked = await findLeakedMetadata(data);
        if (leaked.length > 0) {
          diagnostics.push(createDiagnostic(IMAGE_METADATA_LEAK, location, path, leaked.join(', ')));
          continue;
        }
        files.push({ path, data, width: resized.width, height: resized.height, format });
      }
    }
  } catch (error) {
    return failed([...diagnostics, createDiagnostic(IMAGE_UNREADABLE, location, firstLine((error as Error).message))]);
  }
  if (diagnostics.some((d) => d.severity === 'error')) return failed(diagnostics);
  files.sort((a, b) => FORMAT_ORDER.indexOf(a.format) - FORMAT_ORDER.indexOf(b.format) || a.width - b.width);
  const largest = files.reduce<ProcessedImageFile | undefined>((best, f) => (!best || f.width > best.width ? f : best), undefined);
  return { files, width: largest?.width ?? 0, height: largest?.height ?? 0, diagnostics };
}
