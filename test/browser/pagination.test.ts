/**
 * Pagination of long lists, walked in Chromium with scripts disabled: the
 * archive, a tag page and a year page split into `pageSize` entries a page
 * (`page/2/index.html`, …), linked by relative prev/next links (in the page and
 * as `<link rel=prev/next>`), together listing every post exactly once. A site
 * with thousands of posts never renders one page listing all of them.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../src/dev/static-server.js';
import { readOutputText } from '../../src/site/output.js';
import { type BuiltSite, buildSiteFromFiles, createContext, launchChromium, listHtmlPages, removeTempDir, serveSite } from './helpers.js';

const POSTS = 47;
const PAGE_SIZE = 10;

function createFiles(): Record<string, string> {
  const files: Record<string, string> = {
    'stele.config.ts': `import { defineConfig } from 'stele';
export default defineConfig({
  siteId: 'paged',
  title: { en: 'Paged', 'zh-Hans': '分页' },
  baseUrl: 'https://paged.example/',
  languages: ['en', 'zh-Hans'],
  pageSize: ${PAGE_SIZE},
  seal: { required: false },
});
`,
  };
  for (let i = 1; i <= POSTS; i++) {
    const n = String(i).padStart(3, '0');
    // 2024 and 2025, so the archive has two years and a year page paginates too.
    const date = `${i <= 30 ? 2025 : 2024}-01-${String(((i - 1) % 28) + 1).padStart(2, '0')}`;
    files[`content/posts/${date}-post-${n}.en.md`] = `---\ntitle: Post ${n}\ndate: ${date}\ntags: [news]\n---\n\nText ${n}.\n`;
    if (i <= 12) files[`content/posts/${date}-post-${n}.zh.md`] = `---\ntitle: 文章 ${n}\ndate: ${date}\ntags: [新闻]\n---\n\n正文 ${n}。\n`;
  }
  return files;
}

let site: BuiltSite;
let server: StaticServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  site = await buildSiteFromFiles(createFiles());
  server = await serveSite(site.output);
  browser = await launchChromium();
  context = await createContext(browser, { javaScriptEnabled: false });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  await removeTempDir(site?.root);
});

/** Follow rel=next from `start` until there is none; returns every page visited and the post links on each. */
async function walk(start: string): Promise<{ url: string; posts: string[]; headPrev: string | null; headNext: string | null }[]> {
  const page = await context.newPage();
  const seen: { url: string; posts: string[]; headPrev: string | null; headNext: string | null }[] = [];
  try {
    await page.goto(server.url + start);
    for (;;) {
      const posts = await page.$$eval('main .cards a', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      const [headPrev, headNext] = await page.evaluate(() => [
        document.querySelector('head link[rel=prev]')?.getAttribute('href') ?? null,
        document.querySelector('head link[rel=next]')?.getAttribute('href') ?? null,
      ]);
      seen.push({ url: page.url(), posts, headPrev, headNext });
      const next = page.locator('main nav.pagination a[rel=next]');
      if ((await next.count()) === 0) break;
      expect(seen.length, 'the walk ends').toBeLessThan(20);
      await Promise.all([page.waitForURL((u) => u.href !== seen.at(-1)!.url), next.click()]);
    }
  } finally {
    await page.close();
  }
  return seen;
}

describe('pagination (Chromium, JavaScript disabled)', () => {
  it('walks the archive page by page with rel=next and back with rel=prev; every post once', async () => {
    const pages = await walk('archive/index.html');
    expect(pages.map((p) => new URL(p.url).pathname)).toEqual([
      '/archive/index.html',
      '/archive/page/2/index.html',
      '/archive/page/3/index.html',
      '/archive/page/4/index.html',
      '/archive/page/5/index.html',
    ]);
    for (const p of pages) expect(p.posts.length).toBeLessThanOrEqual(PAGE_SIZE);
    const all = pages.flatMap((p) => p.posts);
    expect(all).toHaveLength(POSTS);
    expect(new Set(all).size).toBe(POSTS);
    // Head links: relative in the file, resolved by the browser to the neighbours.
    expect(pages[0]!.headPrev).toBeNull();
    expect(pages[1]!.headPrev).toBe('../../index.html');
    expect(pages[1]!.headNext).toBe('../3/index.html');
    expect(pages.at(-1)!.headNext).toBeNull();

    // Back again with rel=prev links.
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}archive/page/5/index.html`);
      const back: string[] = [new URL(page.url()).pathname];
      while ((await page.locator('main nav.pagination a[rel=prev]').count()) > 0) {
        const before = page.url();
        await Promise.all([page.waitForURL((u) => u.href !== before), page.locator('main nav.pagination a[rel=prev]').click()]);
        back.push(new URL(page.url()).pathname);
      }
      expect(back).toEqual(pages.map((p) => new URL(p.url).pathname).reverse());
      await expect(page.locator('main nav.pagination [aria-current=page]').textContent()).resolves.toBe('Page 1 of 5');
    } finally {
      await page.close();
    }
  });

  it('paginates tag and year pages, and the Chinese archive in its own folder', async () => {
    const tag = await walk('tags/news/index.html');
    expect(tag).toHaveLength(5);
    expect(tag.flatMap((p) => p.posts)).toHaveLength(POSTS);
    const year = await walk('archive/2025/index.html');
    expect(year.map((p) => new URL(p.url).pathname)).toEqual(['/archive/2025/index.html', '/archive/2025/page/2/index.html', '/archive/2025/page/3/index.html']);
    expect(year.flatMap((p) => p.posts)).toHaveLength(30);
    const zh = await walk('zh-hans/archive/index.html');
    expect(zh.map((p) => new URL(p.url).pathname)).toEqual(['/zh-hans/archive/index.html', '/zh-hans/archive/page/2/index.html']);
  });

  it('links language versions of a numbered page only where that page exists', () => {
    const en3 = readOutputText(site.output, 'archive/page/3/index.html')!;
    expect(en3).not.toContain('hreflang="zh-Hans" href="../../../zh-hans/archive/page/3/index.html"');
    expect(site.output.has('zh-hans/archive/page/3/index.html')).toBe(false);
    const en2 = readOutputText(site.output, 'archive/page/2/index.html')!;
    expect(en2).toContain('zh-hans/archive/page/2/index.html');
  });

  it('the local server answers a missing page in a language folder with that language\'s 404 page', async () => {
    const page = await context.newPage();
    try {
      const res = await page.goto(`${server.url}zh-hans/archive/page/99/index.html`);
      expect(res?.status()).toBe(404);
      expect(await page.getAttribute('html', 'lang')).toBe('zh-Hans');
      await expect(page.locator('main h1').textContent()).resolves.toBe('找不到页面');
      const en = await page.goto(`${server.url}archive/page/99/index.html`);
      expect(en?.status()).toBe(404);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
    } finally {
      await page.close();
    }
  });

  it('no page lists more than pageSize entries', () => {
    for (const path of listHtmlPages(site.output)) {
      if (path === 'index.html' || path === 'zh-hans/index.html' || path === 'zh-hant/index.html') continue;
      const text = readOutputText(site.output, path)!;
      const cards = text.match(/<ul class="cards">[\s\S]*?<\/ul>/g) ?? [];
      const items = cards.reduce((n, ul) => n + (ul.match(/<li>/g)?.length ?? 0), 0);
      expect(items, path).toBeLessThanOrEqual(PAGE_SIZE);
    }
  });
});
