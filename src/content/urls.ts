/**
 * Output paths and relative URLs. Every internal link is relative and names
 * `index.html` explicitly, so the same files work at a domain root, in a
 * sub-folder of a mirror, and opened from disk (`file://`).
 */
import { type LanguageCode, LANGUAGES } from '../config/languages.js';

/** Folder prefix of a language: '' for the default language, `zh-hans/` otherwise. */
export function languagePrefix(lang: LanguageCode, defaultLanguage: LanguageCode): string {
  return lang === defaultLanguage ? '' : `${LANGUAGES[lang].dir}/`;
}

/** Output path of a page: `zh-hans/posts/rally/index.html`. Parts must be safe slugs. */
export function pagePath(lang: LanguageCode, defaultLanguage: LanguageCode, ...parts: string[]): string {
  const folder = parts.filter(Boolean).join('/');
  return `${languagePrefix(lang, defaultLanguage)}${folder ? `${folder}/` : ''}index.html`;
}

function splitSegments(path: string): string[] {
  const out: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (out.length === 0) throw new RangeError(`path escapes the site root: ${path}`);
      out.pop();
    } else out.push(s);
  }
  return out;
}

/**
 * Relative URL from one output file to another (`../../tags/x/index.html`),
 * each segment percent-encoded. `fromFile` may also be a folder (`news/x/`).
 * Throws RangeError for paths that escape the site root (a caller bug).
 */
export function relativeUrl(fromFile: string, toFile: string): string {
  const from = splitSegments(fromFile);
  if (!fromFile.endsWith('/')) from.pop();
  const to = splitSegments(toFile);
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.slice(common).map(() => '..');
  return [...up, ...to.slice(common).map((s) => encodeURIComponent(s))].join('/');
}

/** The URL path the site lives under, from `baseUrl` (`https://x.org/campaign` → `/campaign/`); `/` without one. */
export function resolveSitePath(baseUrl: string | undefined): string {
  if (!baseUrl) return '/';
  const path = new URL(baseUrl).pathname;
  return path.endsWith('/') ? path : `${path}/`;
}

/** Encode each segment of an output path for use in an absolute URL. */
export function absoluteUrl(baseUrl: string, path: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const clean = path.replace(/(^|\/)index\.html$/, '$1');
  return base + clean.split('/').map(encodeURIComponent).join('/');
}

/** URL folder of a collection (mirrors the collection registry). */
const COLLECTION_PREFIX: Record<string, string> = { posts: 'posts', pages: '', campaigns: 'campaigns', people: 'people', events: 'events' };

/** Slug of the page whose body is shown on the home page (`content/pages/home.<lang>.md`). */
export const HOME_PAGE_SLUG = 'home';

/** Output path of a content entry's page. `pages/home` is the language's home page. */
export function entryPath(entry: { collection: string; lang: LanguageCode; slug: string }, defaultLanguage: LanguageCode): string {
  if (entry.collection === 'pages' && entry.slug === HOME_PAGE_SLUG) return pagePath(entry.lang, defaultLanguage);
  return pagePath(entry.lang, defaultLanguage, COLLECTION_PREFIX[entry.collection] ?? entry.collection, entry.slug);
}
