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

/** Relative URL from one output file to another (`../../tags/x/index.html`). */
export function relativeUrl(fromFile: string, toFile: string): string {
  const from = fromFile.split('/').slice(0, -1);
  const to = toFile.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  const up = from.length - i;
  const rest = to.slice(i).join('/');
  return `${'../'.repeat(up)}${rest}` || './';
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
