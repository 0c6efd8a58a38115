/** Catalogue entries for render and site (2xxx). */
import { defineError } from './catalogue.js';

export const SiteNoBaseUrl = defineError({
  code: 'STELE2000',
  title: 'No baseUrl: sitemap and link-preview image skipped',
  severity: 'warning',
  message: () =>
    'The config has no `baseUrl`, so no sitemap.xml is written, feeds use relative links, and pages carry no `og:image`, `twitter:image` or `og:url`: link previews (Signal, Telegram, Mastodon, X) need absolute URLs, so shared links show no image.',
  hint: "Set `baseUrl: 'https://your.domain/'` in stele.config.ts; pages stay relative and work on every mirror.",
});

export const SiteTagCollision = defineError({
  code: 'STELE2001',
  title: 'Two tags share a URL',
  severity: 'warning',
  message: (a: string, b: string, slug: string) => `Tags ${JSON.stringify(a)} and ${JSON.stringify(b)} both map to tags/${slug}/; they are listed together.`,
  hint: 'Use one spelling for the tag.',
});

export const SiteSearchIndexFailed = defineError({
  code: 'STELE2002',
  title: 'The search index could not be built',
  severity: 'error',
  message: (detail: string) => `Pagefind could not index the site: ${detail}`,
  hint: 'Run `npm ci` again so the Pagefind binary for this platform is installed (package @pagefind/<platform>), then rebuild.',
});

export const SiteMenuPageMissing = defineError<[index: number, path: string, languages: string]>({
  code: 'STELE2010',
  title: 'A menu entry opens no page',
  severity: 'error',
  message: (index, path, languages) => `menu[${index}].path ${JSON.stringify(path)} names no page of this site in ${languages}: its link would be broken on every page.`,
  hint: 'Write the page (for `about/index.html`, a Markdown file in content/pages/ whose slug is `about`, e.g. content/pages/about.en.md and its translation), or fix the path: it names the page file relative to the language\'s root.',
});
