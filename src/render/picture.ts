/**
 * `<picture>` markup for processed images, with page-relative URLs (sites are
 * served from mirrors, IPFS gateways and file:// as well as their own domain)
 * and every attribute value HTML-escaped. The assets stage hands over plain
 * data (`ProcessedImage`); the markup is render's.
 */
import type { ProcessedImage, ProcessedImageFile } from '../assets/types.js';
import { relativeUrl } from '../content/urls.js';
import { createDiagnostic, type Location } from '../errors/catalogue.js';
import { IMAGE_ALT_FILENAME, IMAGE_ALT_MISSING } from '../errors/codes-assets.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { html, join, type SafeHtml } from './html.js';

/** Options for `renderPicture`. */
export interface RenderPictureOptions {
  /** Alt text (escaped). Check it first with `validateAlt`; an empty string renders `alt=""`. */
  alt: string;
  /** The `sizes` attribute; default `(max-width: <W>px) 100vw, <W>px` with W the largest width. */
  sizes?: string;
  loading: 'lazy' | 'eager';
  /** Site-relative path of the page that embeds the image: a file (`news/a/index.html`) or a folder ending in `/` (`news/a/`). */
  pagePath: string;
  /** Optional class on the `<img>`. */
  className?: string;
}

const MIME: Record<string, string> = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png' };
const SOURCE_ORDER = ['avif', 'webp'];

/**
 * The URL of site-relative `targetPath` relative to the page at `pagePath`
 * (see `RenderPictureOptions.pagePath`): the site-wide `relativeUrl`.
 */
export const resolveRelativeUrl = relativeUrl;

/**
 * Check alt text. Missing, non-string, empty or blank alt is an error
 * (STELE3007); alt that looks like a file name is a warning (STELE3008).
 * The caller reports the diagnostics with the content file's location.
 */
export function validateAlt(alt: unknown, location: Location = {}): Diagnostic[] {
  if (typeof alt !== 'string' || alt.trim() === '') return [createDiagnostic(IMAGE_ALT_MISSING, location)];
  const trimmed = alt.trim();
  if (/^[\w.-]+\.(jpe?g|png|gif|webp|avif|heic|tiff?)$/i.test(trimmed) || /^(img|dsc|dscn|pxl|photo|image)[_-]?\d+$/i.test(trimmed)) {
    return [createDiagnostic(IMAGE_ALT_FILENAME, location, trimmed)];
  }
  return [];
}

function srcset(files: readonly ProcessedImageFile[], pagePath: string): string {
  return files.map((f) => `${resolveRelativeUrl(pagePath, f.path)} ${f.width}w`).join(', ');
}

/**
 * Render `<picture>` with one `<source>` per modern format (AVIF, then WebP)
 * and an `<img>` fallback (JPEG, or PNG for transparent images) carrying
 * srcset, sizes, intrinsic width/height, alt, loading and decoding="async".
 * Returns '' when the image has no files (its diagnostics say why).
 */
export function renderPicture(result: ProcessedImage, options: RenderPictureOptions): string {
  if (result.files.length === 0) return '';
  const byFormat = new Map<string, ProcessedImageFile[]>();
  for (const f of result.files) {
    const list = byFormat.get(f.format) ?? [];
    list.push(f);
    byFormat.set(f.format, list);
  }
  for (const list of byFormat.values()) list.sort((a, b) => a.width - b.width);
  const fallbackFormat = byFormat.has('jpeg')
    ? 'jpeg'
    : byFormat.has('png')
      ? 'png'
      : ['webp', 'avif'].find((f) => byFormat.has(f))!;
  const fallback = byFormat.get(fallbackFormat)!;
  const largest = fallback[fallback.length - 1]!;
  const src = [...fallback].reverse().find((f) => f.width <= 1000) ?? fallback[0]!;
  const sizes = options.sizes ?? `(max-width: ${largest.width}px) 100vw, ${largest.width}px`;
  const loading = options.loading === 'eager' ? 'eager' : 'lazy';
  const sources: SafeHtml[] = SOURCE_ORDER.filter((f) => f !== fallbackFormat && byFormat.has(f)).map(
    (f) => html`<source type="${MIME[f]!}" srcset="${srcset(byFormat.get(f)!, options.pagePath)}" sizes="${sizes}">`,
  );
  const classAttr = options.className ? html` class="${options.className}"` : '';
  const img = html`<img src="${resolveRelativeUrl(options.pagePath, src.path)}" srcset="${srcset(fallback, options.pagePath)}" sizes="${sizes}" width="${largest.width}" height="${largest.height}" alt="${options.alt ?? ''}"${classAttr} loading="${loading}" decoding="async">`;
  return html`<picture>${join(sources)}${img}</picture>`.value;
}
