/**
 * A search index in several chunks per language (`search.chunkPages`, set
 * small here) in real Chromium: on each language's search page, one query
 * finds the pages that have its word in every chunk of that language (the
 * search page merges the further chunks listed in `pagefind/stele-chunks.json`),
 * with no CSP violation, page error or request elsewhere.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../src/dev/static-server.js';
import type { OutputFiles } from '../../src/site/output.js';
import { resolveSearchChunks } from '../../src/site/search-pagefind.js';
import {
  type BuiltSite,
  buildExampleSite,
  createContext,
  createPageProblems,
  guardContextRequests,
  launchChromium,
  type PlainServer,
  placeInSubfolder,
  readSearchResults,
  REPO_ROOT,
  removeTempDir,
  servePlain,
  serveSite,
  watchPage,
} from './helpers.js';

const CHUNK_PAGES = 2;
const LANGUAGES = [
  { lang: 'en', prefix: '', segmenter: 'en' },
  { lang: 'zh-hans', prefix: 'zh-hans/', segmenter: 'zh-Hans' },
  { lang: 'zh-hant', prefix: 'zh-hant/', segmenter: 'zh-Hant' },
];

let site: BuiltSite;
let server: StaticServer;
/** The same files under `mirror/cfcr/`, served with no headers, as a mirror in a sub-folder serves them. */
let mirror: PlainServer;
let browser: Browser;

beforeAll(async () => {
  const config = readFileSync(join(REPO_ROOT, 'examples/cfcr/stele.config.ts'), 'utf8');
  const chunked = config.replace('defineConfig({', `defineConfig({\n  search: { chunkPages: ${CHUNK_PAGES} },`);
  expect(chunked).not.toBe(config);
  site = await buildExampleSite({ extraFiles: { 'stele.config.ts': chunked } });
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

/** The indexed pages of a language (path order) and, for each word of their indexed text, the pages it is on. */
function collectWords(output: OutputFiles, prefix: string, segmenterLang: string): { pages: string[]; words: Map<string, Set<string>> } {
  const segmenter = new Intl.Segmenter(segmenterLang, { granularity: 'word' });
  const words = new Map<string, Set<string>>();
  const pages: string[] = [];
  for (const [path, bytes] of [...output].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!path.endsWith('.html') || (prefix ? !path.startsWith(prefix) : /^zh-han[st]\//.test(path))) continue;
    const html = new TextDecoder().decode(bytes);
    const at = html.indexOf('data-pagefind-body');
    if (at < 0) continue;
    pages.push(path);
    const text = html.slice(html.indexOf('>', at) + 1, html.indexOf('</main>', at)).replace(/<[^>]*>/g, ' ');
    for (const { segment, isWordLike } of segmenter.segment(text)) {
      if (!isWordLike || /^\d+$/.test(segment)) continue;
      const word = segment.toLowerCase();
      const set = words.get(word) ?? new Set<string>();
      set.add(path);
      words.set(word, set);
    }
  }
  return { pages, words };
}

describe('a search index in chunks, in Chromium', () => {
  it('lists several chunks for every language', () => {
    const listed = JSON.parse(new TextDecoder().decode(site.output.get('pagefind/stele-chunks.json')!)) as Record<string, string[]>;
    expect(Object.keys(listed)).toEqual(LANGUAGES.map((l) => l.lang));
    for (const { lang } of LANGUAGES) {
      expect(listed[lang]!.length, lang).toBeGreaterThan(1);
      for (const folder of listed[lang]!) expect(site.output.has(`pagefind/${folder}pagefind-entry.json`), folder).toBe(true);
    }
  });

  const cases = [...LANGUAGES.map((l) => ({ ...l, base: () => server.url, where: '' })), { ...LANGUAGES[0]!, base: () => `${mirror.url}mirror/cfcr/`, where: ' from a mirror sub-folder' }];
  for (const { lang, prefix, segmenter, base, where } of cases) {
    it(`finds pages of every ${lang} chunk with one query${where}`, async () => {
      const { pages, words } = collectWords(site.output, prefix, segmenter);
      const chunks = resolveSearchChunks(pages, CHUNK_PAGES).filter((c) => c.size);
      expect(chunks.length).toBeGreaterThan(2);
      // The word on the most pages (ties: the first in code-point order), on a page of every chunk.
      const [word, on] = [...words].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1))[0]!;
      for (const chunk of chunks) expect([...chunk].some((p) => on.has(p)), `${word} in ${[...chunk]}`).toBe(true);

      const context = await createContext(browser);
      const problems = createPageProblems();
      const root = base();
      await guardContextRequests(context, [root], (url) => problems.foreignRequests.push(url));
      try {
        const page = await context.newPage();
        watchPage(page, problems);
        await page.goto(`${root}${prefix}search/index.html?q=${encodeURIComponent(word)}`, { waitUntil: 'load' });
        const found = new Set((await readSearchResults(page)).map((r) => r.href.slice(root.length)));
        const missed = [...on].filter((p) => !found.has(p));
        expect(missed, `"${word}" missed`).toEqual([]);
        for (const chunk of chunks) expect([...chunk].some((p) => found.has(p)), `a result in ${[...chunk]}`).toBe(true);
        expect(problems.cspViolations).toEqual([]);
        expect(problems.pageErrors, JSON.stringify(problems)).toEqual([]);
        expect(problems.foreignRequests).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);
  }
});
