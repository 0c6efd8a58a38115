/**
 * The content types and cache rules every server config is generated from,
 * so nginx, Caddy, _headers and .htaccess agree.
 */

/** Extension (without dot, lower-case) → MIME type (charset added separately). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  json: 'application/json',
  jsonld: 'application/ld+json',
  xml: 'application/xml',
  atom: 'application/atom+xml',
  rss: 'application/rss+xml',
  webmanifest: 'application/manifest+json',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  minisig: 'text/plain',
  sig: 'application/octet-stream',
  asc: 'text/plain',
  pub: 'text/plain',
  vtt: 'text/vtt',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  pdf: 'application/pdf',
  zip: 'application/zip',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  // Pagefind's search index (compressed chunks fetched by the search module).
  pagefind: 'application/octet-stream',
  pf_meta: 'application/octet-stream',
  pf_index: 'application/octet-stream',
  pf_fragment: 'application/octet-stream',
  pf_filter: 'application/octet-stream',
};

/** Types served with `; charset=utf-8`. */
export const UTF8_TYPES: ReadonlySet<string> = new Set([
  'text/html',
  'text/css',
  'text/javascript',
  'text/plain',
  'text/markdown',
  'text/csv',
  'text/vtt',
  'application/json',
  'application/ld+json',
  'application/xml',
  'application/atom+xml',
  'application/rss+xml',
  'application/manifest+json',
  'image/svg+xml',
]);

/** The full Content-Type header value for an extension, or undefined when unknown. */
export function resolveContentType(extension: string): string | undefined {
  const type = CONTENT_TYPES[extension.toLowerCase()];
  if (!type) return undefined;
  return UTF8_TYPES.has(type) ? `${type}; charset=utf-8` : type;
}

/** Cache-Control for content-hashed files. */
export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
/** Cache-Control for everything else (HTML, feeds, .well-known/stele/*): always revalidate. */
export const CACHE_REVALIDATE = 'no-cache';

/** Matches content-hashed asset paths (site-relative): `assets/…/name.<8+ hex>.ext`. */
export const HASHED_ASSET_PATTERN = /^assets\/(?:.+\/)?[^/]+\.[0-9a-fA-F]{8,}\.[A-Za-z0-9]+$/;

/** The same pattern as source text, for server configs, with the URL base path (e.g. `/`). */
export function createHashedAssetRegexSource(basePath: string): string {
  return `^${escapeRegex(basePath)}assets/(?:.+/)?[^/]+\\.[0-9a-fA-F]{8,}\\.[A-Za-z0-9]+$`;
}

/** True for a content-hashed asset path (site-relative). */
export function isHashedAssetPath(path: string): boolean {
  return HASHED_ASSET_PATTERN.test(path);
}

/** Escape text for use inside a regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Normalise a URL base path to start and end with `/`. */
export function normalizeBasePath(basePath: string | undefined): string {
  const trimmed = (basePath ?? '/').replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}
