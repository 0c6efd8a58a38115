/**
 * Classify and resolve URLs found in built pages. stele pages use relative
 * URLs only, so a URL is either external (another host), a same-page
 * fragment, a site-internal path resolved against the page's own path, or a
 * non-navigational scheme (mailto:, data:, javascript:, …).
 */

/** What a URL in a page points at. */
export type ClassifiedUrl =
  | { kind: 'external'; url: string; scheme: string }
  | { kind: 'scheme'; scheme: string }
  | { kind: 'fragment'; fragment: string }
  | {
      kind: 'internal';
      /** Site-relative posix path of the target file (`dir/` resolved to `dir/index.html`). */
      path: string;
      /** Decoded fragment without `#`, when the URL had one. */
      fragment?: string;
      /** True for `/x` URLs, which break in sub-folders and on file://. */
      rootRelative: boolean;
      /** True when `..` climbs above the site root. */
      escapesRoot: boolean;
      /** True when the URL named a folder (ended in `/` or was empty). */
      folder: boolean;
    };

const EXTERNAL_SCHEMES = new Set(['http', 'https', 'ftp', 'ws', 'wss']);

/** Strip what browsers strip before parsing a URL: leading/trailing C0+space, inner tab/LF/CR. */
export function normalizeUrlText(raw: string): string {
  return raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
}

/** Decode percent-escapes, keeping invalid sequences as written. */
export function decodePercent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** Classify `raw` (an attribute value, entities already decoded) as found on the page at `pagePath`. */
export function classifyUrl(pagePath: string, raw: string): ClassifiedUrl {
  const url = normalizeUrlText(raw).replace(/\\/g, '/');
  if (url.startsWith('//')) return { kind: 'external', url, scheme: '' };
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme) {
    return EXTERNAL_SCHEMES.has(scheme) ? { kind: 'external', url, scheme } : { kind: 'scheme', scheme };
  }
  const hashAt = url.indexOf('#');
  const fragment = hashAt === -1 ? undefined : decodePercent(url.slice(hashAt + 1));
  let rest = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = rest.indexOf('?');
  if (queryAt !== -1) rest = rest.slice(0, queryAt);
  if (rest === '') {
    return { kind: 'fragment', fragment: fragment ?? '' };
  }
  const rootRelative = rest.startsWith('/');
  const base = rootRelative ? [] : pagePath.split('/').slice(0, -1);
  const segments = [...base];
  let escapesRoot = false;
  const parts = rest.split('/');
  for (const part of parts) {
    const decoded = decodePercent(part);
    if (decoded === '' || decoded === '.') continue;
    if (decoded === '..') {
      if (segments.length === 0) escapesRoot = true;
      else segments.pop();
      continue;
    }
    segments.push(decoded);
  }
  const last = parts.at(-1) ?? '';
  const folder = last === '' || last === '.' || last === '..';
  if (folder) segments.push('index.html');
  return {
    kind: 'internal',
    path: segments.join('/'),
    ...(fragment !== undefined ? { fragment } : {}),
    rootRelative,
    escapesRoot,
    folder,
  };
}

/** Split a `srcset` value into its URLs. */
export function parseSrcset(value: string): string[] {
  const urls: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i])) i++;
    const start = i;
    while (i < value.length && !/\s/.test(value[i])) i++;
    let url = value.slice(start, i);
    // A URL may end in commas that separate candidates when no descriptor follows.
    let trimmedCommas = false;
    while (url.endsWith(',')) {
      url = url.slice(0, -1);
      trimmedCommas = true;
    }
    if (url) urls.push(url);
    if (!trimmedCommas) {
      // Skip the descriptor up to the next comma outside parentheses.
      let depth = 0;
      while (i < value.length) {
        const c = value[i];
        if (c === '(') depth++;
        else if (c === ')') depth = Math.max(0, depth - 1);
        else if (c === ',' && depth === 0) break;
        i++;
      }
    }
  }
  return urls;
}
