/**
 * Safe output names: the source file name becomes a short lowercase ASCII slug,
 * and output folders are checked to stay inside the site.
 */

const MAX_SLUG = 48;

/**
 * Turn any source path into a lowercase ASCII slug of `[a-z0-9-]`, at most 48
 * characters, never empty (falls back to `image`). Only the last path segment
 * is used, the extension dropped; `../`, NUL, bidi overrides and other
 * control characters cannot survive.
 */
export function createSafeBaseName(sourcePath: string): string {
  const lastSegment = sourcePath.split(/[\\/]/).pop() ?? '';
  const dot = lastSegment.lastIndexOf('.');
  const stem = dot > 0 ? lastSegment.slice(0, dot) : lastSegment;
  const slug = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/g, '');
  return slug || 'image';
}

/**
 * Normalise a site-relative output folder, or return undefined when it is not
 * safe (absolute, `..`, empty segments, characters outside `[a-z0-9._-]`).
 */
export function resolveSafeOutDir(outDir: string): string | undefined {
  const trimmed = outDir.replace(/^\.\//, '').replace(/\/+$/, '');
  if (trimmed === '' || trimmed.startsWith('/')) return undefined;
  const segments = trimmed.split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || !/^[a-z0-9][a-z0-9._-]*$/.test(s)) return undefined;
  }
  return segments.join('/');
}
