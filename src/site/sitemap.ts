/**
 * sitemap.xml with hreflang alternates, and robots.txt.
 */
import type { LanguageCode } from '../config/languages.js';
import { LANGUAGES } from '../config/languages.js';
import { absoluteUrl } from '../content/urls.js';
import { escapeXml } from './feeds.js';

/** A page and its language versions (output paths). */
export interface SitemapPage {
  path: string;
  alternates: { lang: LanguageCode; path: string }[];
  lastmod?: string;
}

/** Render a sitemap (requires an absolute base URL). */
export function renderSitemap(baseUrl: string, pages: SitemapPage[]): string {
  const urls = [...pages]
    .sort((a, b) => a.path.localeCompare(b.path))
    .map(
      (p) => `<url><loc>${escapeXml(absoluteUrl(baseUrl, p.path))}</loc>${p.lastmod ? `<lastmod>${escapeXml(p.lastmod.slice(0, 10))}</lastmod>` : ''}${p.alternates
        .map((a) => `<xhtml:link rel="alternate" hreflang="${LANGUAGES[a.lang].htmlLang}" href="${escapeXml(absoluteUrl(baseUrl, a.path))}"/>`)
        .join('')}</url>`,
    );
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${urls.join('\n')}
</urlset>
`;
}

/** robots.txt pointing at the sitemap when there is one. */
export function renderRobots(baseUrl: string | undefined): string {
  return `User-agent: *\nAllow: /\n${baseUrl ? `Sitemap: ${absoluteUrl(baseUrl, 'sitemap.xml')}\n` : ''}`;
}
