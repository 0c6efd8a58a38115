/**
 * Neutral placeholder portraits for people whose photos cannot or must not be
 * published: a head-and-shoulders silhouette on a soft background, colours
 * derived from a seed. No text is ever drawn: names may be sensitive.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';

/** Options for `createPlaceholderPortrait`. */
export interface PlaceholderPortraitOptions {
  /** Any stable string (e.g. a record id); the same seed always gives the same bytes. Not drawn. */
  seed: string;
  /** Accepted so callers can pass a person's label without thinking, and deliberately ignored: it is never drawn and does not change the pixels. */
  label?: string;
  /** Pixels, integer 16..4096; default 480. */
  width?: number;
  /** Pixels, integer 16..4096; default 600. */
  height?: number;
}

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/** The SVG source of a placeholder portrait (exported for tests and for inline use). */
export function createPlaceholderPortraitSvg(seed: string, width: number, height: number): string {
  const digest = createHash('sha256').update(`stele-placeholder:${seed}`).digest();
  const hue = (digest.readUInt16BE(0) % 360) + 0;
  const background = hslToHex(hue, 0.28, 0.86);
  const figure = hslToHex(hue, 0.18, 0.58);
  // Variation from the seed: head size and shoulder width, within calm bounds.
  const headR = 0.17 + (digest[2]! / 255) * 0.04;
  const shoulder = 0.36 + (digest[3]! / 255) * 0.08;
  const cx = 0.5;
  const headCy = 0.4;
  const neckY = headCy + headR * 0.9;
  const w = 100;
  const h = (100 * height) / width;
  const x = (f: number) => (f * w).toFixed(2);
  const y = (f: number) => (f * h).toFixed(2);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${w} ${h.toFixed(2)}">`,
    `<rect width="100%" height="100%" fill="${background}"/>`,
    `<circle cx="${x(cx)}" cy="${y(headCy)}" r="${(headR * Math.min(w, h)).toFixed(2)}" fill="${figure}"/>`,
    `<path d="M ${x(cx - shoulder)} ${y(1)} C ${x(cx - shoulder)} ${y(neckY + 0.12)} ${x(cx - 0.12)} ${y(neckY + 0.04)} ${x(cx)} ${y(neckY + 0.04)} C ${x(cx + 0.12)} ${y(neckY + 0.04)} ${x(cx + shoulder)} ${y(neckY + 0.12)} ${x(cx + shoulder)} ${y(1)} Z" fill="${figure}"/>`,
    '</svg>',
  ].join('');
}

function checkDimension(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 16 || v > 4096) throw new RangeError(`placeholder ${name} must be an integer 16..4096, got ${v}`);
  return v;
}

/**
 * Rasterise a deterministic placeholder portrait to PNG (no metadata).
 * Throws RangeError for dimensions outside 16..4096 (a caller bug).
 */
export async function createPlaceholderPortrait(options: PlaceholderPortraitOptions): Promise<Uint8Array> {
  const width = checkDimension('width', options.width, 480);
  const height = checkDimension('height', options.height, 600);
  const svg = createPlaceholderPortraitSvg(String(options.seed), width, height);
  const png = await sharp(Buffer.from(svg), { density: 72 })
    .resize(width, height, { fit: 'fill' })
    .flatten()
    .png({ compressionLevel: 9, effort: 7, palette: false })
    .toBuffer();
  return new Uint8Array(png);
}
