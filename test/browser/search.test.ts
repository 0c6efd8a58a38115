/**
 * Site search in real Chromium: the example's search page finds an English
 * word, a Simplified and a Traditional Chinese word (Pagefind's segmentation),
 * every Chinese page by each word the browser's segmenter reads in it (the
 * index is made from the same word boundaries, `site/search-segment.ts`),
 * served with stele's production headers and from a mirror's sub-folder, with
 * no CSP violation; without JavaScript it says so; no other page runs a script.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../src/dev/static-server.js';
import type { OutputFiles } from '../../src/site/output.js';
import {
  type BuiltSite,
  buildExampleSite,
  createContext,
  createPageProblems,
  guardContextRequests,
  launchChromium,
  placeInSubfolder,
  readSearchResults,
  type PlainServer,
  removeTempDir,
  servePlain,
  serveSite,
  watchPage,
} from './helpers.js';

let site: BuiltSite;
let server: StaticServer;
let mirror: PlainServer;
let browser: Browser;

/**
 * The words `Intl.Segmenter` (the segmenter Pagefind's search code splits a
 * query with) reads in the indexed text of each `lang` page, two Han
 * characters or more, and the pages each occurs in: a sample of at most 120,
 * spread over the sorted list.
 */
function collectSegmentedWords(output: OutputFiles, lang: string): { words: string[]; pages: Map<string, Set<string>> } {
  const segmenter = new Intl.Segmenter(lang === 'zh-hant' ? 'zh-Hant' : 'zh-Hans', { granularity: 'word' });
  const pages = new Map<string, Set<string>>();
  for (const [path, bytes] of output) {
    if (!path.startsWith(`${lang}/`) || !path.endsWith('.html')) continue;
    const html = new TextDecoder().decode(bytes);
    const at = html.indexOf('data-pagefind-body');
    if (at < 0) continue;
    const main = html.slice(at, html.indexOf('</main>', at));
    const text = main.replace(/<[^>]*>/g, ' ');
    for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
      for (const { segment, isWordLike } of segmenter.segment(run)) {
        if (!isWordLike || segment.length < 2) continue;
        const set = pages.get(segment) ?? new Set<string>();
        set.add(path);
        pages.set(segment, set);
      }
    }
  }
  const all = [...pages.keys()].sort();
  const step = Math.max(1, Math.floor(all.length / 120));
  return { words: all.filter((_, i) => i % step === 0).slice(0, 120), pages };
}

beforeAll(async () => {
  site = await buildExampleSite();
  server = await serveSite(site.output);
  mirror = await servePlain(placeInSubfolder(site.output));
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await mirror?.close();
  await removeTempDir(site?.root);
});

/** Open a search page with `?q=`, wait for the status line, return result titles and links. */
async function search(base: string, pagePath: string, query: string, options: { javaScript?: boolean } = {}) {
  const context = await createContext(browser, { javaScriptEnabled: options.javaScript ?? true });
  const problems = createPageProblems();
  await guardContextRequests(context, [base], (url) => problems.foreignRequests.push(url));
  try {
    const page: Page = await context.newPage();
    watchPage(page, problems);
    await page.goto(`${base}${pagePath}?q=${encodeURIComponent(query)}`, { waitUntil: 'load' });
    if (options.javaScript === false) {
      return { problems, text: (await page.locator('main').textContent()) ?? '', results: [] as { title: string; href: string }[], formVisible: await page.locator('#stele-search').isVisible() };
    }
    const results = await readSearchResults(page);
    // Every result link opens a real page of the site.
    for (const r of results.slice(0, 2)) {
      const response = await page.request.get(r.href);
      expect(response.status(), r.href).toBe(200);
    }
    return { problems, text: (await page.locator('main').textContent()) ?? '', results, formVisible: true };
  } finally {
    await context.close();
  }
}

describe('search in Chromium', () => {
  it('finds an English word on the English search page', async () => {
    const { problems, results } = await search(server.url, 'search/index.html', 'poem');
    expect(problems.cspViolations).toEqual([]);
    expect(problems.pageErrors, JSON.stringify(problems)).toEqual([]);
    expect(problems.foreignRequests).toEqual([]);
    expect(results.length).toBeGreaterThan(0);
    expect(results.some((r) => /Zhu Yufu/.test(r.title))).toBe(true);
    for (const r of results) expect(r.href.startsWith(server.url)).toBe(true);
  }, 90_000);

  it('finds a Simplified Chinese word on the zh-Hans search page', async () => {
    const { problems, results } = await search(server.url, 'zh-hans/search/index.html', '诗');
    expect(problems.cspViolations).toEqual([]);
    expect(problems.pageErrors, JSON.stringify(problems)).toEqual([]);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.href.includes('/zh-hans/'))).toBe(true);
  }, 90_000);

  it('finds a Traditional Chinese word on the zh-Hant search page', async () => {
    const { problems, results } = await search(server.url, 'zh-hant/search/index.html', '簽名');
    expect(problems.cspViolations).toEqual([]);
    expect(problems.pageErrors, JSON.stringify(problems)).toEqual([]);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.href.includes('/zh-hant/'))).toBe(true);
  }, 90_000);

  for (const lang of ['zh-hans', 'zh-hant']) {
    it(`finds every ${lang} page by each word the browser's own segmenter reads in it`, async () => {
      const { words, pages } = collectSegmentedWords(site.output, lang);
      expect(words.length).toBeGreaterThan(40);
      const context = await createContext(browser);
      try {
        const page = await context.newPage();
        await page.goto(`${server.url}${lang}/search/index.html`, { waitUntil: 'load' });
        // The same calls the search page makes, for many queries at once (a string: the test
        // runner must not rewrite the page's dynamic import).
        const found = (await page.evaluate(`(async (queries) => {
          const pagefind = await import('/pagefind/pagefind.js');
          await pagefind.options({ baseUrl: '/', noWorker: true });
          await pagefind.init();
          const out = {};
          for (const q of queries) {
            const r = await pagefind.search(q);
            out[q] = (await Promise.all(r.results.map((x) => x.data()))).map((d) => d.url);
          }
          return out;
        })(${JSON.stringify(words)})`)) as Record<string, string[]>;
        const missed: string[] = [];
        for (const word of words) {
          const urls = new Set(found[word]!.map((url) => url.replace(/^\//, '')));
          for (const path of pages.get(word)!) if (!urls.has(path)) missed.push(`${word} → ${path}`);
        }
        expect(missed, `${missed.length} of ${words.length} words`).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);
  }

  it('shows excerpts without the word marks of the index', async () => {
    const { results, text } = await search(server.url, 'zh-hans/search/index.html', '签名');
    expect(results.length).toBeGreaterThan(0);
    expect(text).toContain('签名');
    expect(text).not.toContain('\u200b');
  }, 90_000);

  it('works from a mirror sub-folder served with no headers at all', async () => {
    const { problems, results } = await search(`${mirror.url}mirror/cfcr/`, 'search/index.html', 'poem');
    expect(problems.pageErrors, JSON.stringify(problems)).toEqual([]);
    expect(problems.foreignRequests).toEqual([]);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.href.startsWith(`${mirror.url}mirror/cfcr/`)).toBe(true);
  }, 90_000);

  it('says search needs JavaScript when scripts are off', async () => {
    const { text, formVisible } = await search(server.url, 'search/index.html', 'poem', { javaScript: false });
    expect(formVisible).toBe(false);
    expect(text).toMatch(/Search needs JavaScript/);
  }, 90_000);

  it('puts a script on the search pages and on no other page', () => {
    const withScript = [...site.output.keys()]
      .filter((p) => p.endsWith('.html'))
      .filter((p) => /<script(?![^>]*application\/ld\+json)\b/i.test(new TextDecoder().decode(site.output.get(p)!)))
      .sort();
    expect(withScript).toEqual(['search/index.html', 'zh-hans/search/index.html', 'zh-hant/search/index.html']);
  });
});
