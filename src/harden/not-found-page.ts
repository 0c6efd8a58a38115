/**
 * 404 pages. A server answers a missing address at any depth
 * (`/posts/a/b/c/`) with the bytes of `404.html` (or a language folder's
 * `zh-hans/404.html`), so relative links in it would resolve against that
 * address and break. stele's 404 pages therefore link root-relative, under
 * the URL path the site was built for (`baseUrl`'s path, else `/`). This
 * module finds that path again in a built site, for the server configs, the
 * link check and the local server.
 */
import type { OutputFiles } from '../site/output.js';
import { getAttribute, getAttributeTokens, scanHtml } from './html-scan.js';

const NOT_FOUND_PAGE = /^(?:[a-z][a-z0-9-]*\/)?404\.html$/;

/** Whether `path` is a 404 page: `404.html`, or a language folder's (`zh-hans/404.html`). */
export function isNotFoundPagePath(path: string): boolean {
  return NOT_FOUND_PAGE.test(path);
}

/**
 * The URL path the 404 pages of a built site link from (`/`, `/campaign/`):
 * the folder of the root `404.html`'s icon link when it is root-relative
 * (the icon lives at the site root). Undefined when the site has no such page,
 * or its links are relative (a site built before 404 pages linked this way, or
 * not by stele).
 */
export function resolveNotFoundLinkRoot(output: OutputFiles): string | undefined {
  const page = output.get('404.html');
  if (!page) return undefined;
  const scanned = scanHtml(new TextDecoder().decode(page));
  for (const e of scanned.elements) {
    if (e.name !== 'link' || !getAttributeTokens(e, 'rel').includes('icon')) continue;
    const href = getAttribute(e, 'href')?.value ?? '';
    if (!href.startsWith('/') || href.startsWith('//')) return undefined;
    return href.slice(0, href.lastIndexOf('/') + 1);
  }
  return undefined;
}
