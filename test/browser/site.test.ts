/**
 * The built example site in real Chromium: every page in every language loads
 * cleanly (no console error, failed load, page error, CSP violation or request
 * to another host), works with JavaScript off and from file://, the language
 * switcher round-trips, and the CSP is really enforced.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../src/dev/static-server.js';
import { isNotFoundPagePath } from '../../src/harden/not-found-page.js';
import {
  type BuiltSite,
  buildExampleSite,
  createContext,
  createPageProblems,
  guardContextRequests,
  launchChromium,
  listHtmlPages,
  removeTempDir,
  resolvePageLanguage,
  serveSite,
  watchPage,
} from './helpers.js';

/** Logs every CSP violation the page sees as a console error (init scripts run whatever the page CSP says). */
const CSP_LISTENER = `document.addEventListener('securitypolicyviolation', (e) => {
  console.error('securitypolicyviolation ' + e.violatedDirective + ' ' + e.blockedURI);
}, true);`;

/** Make lazy images load now and wait for every image to decode or fail. */
async function loadAllImages(page: Page): Promise<{ src: string; ok: boolean }[]> {
  return page.evaluate(async () => {
    const imgs = [...document.images];
    for (const img of imgs) img.loading = 'eager';
    await Promise.all(imgs.map((img) => img.decode().catch(() => undefined)));
    return imgs.map((img) => ({ src: img.currentSrc || img.src, ok: img.complete && img.naturalWidth > 0 }));
  });
}

let site: BuiltSite;
let server: StaticServer;
let browser: Browser;
let pages: string[];

/** Every page of the example is translated; this one English-only post exercises the "not translated" switcher. */
const ENGLISH_ONLY_POST = {
  'content/posts/2026-11-20-english-only-notice.en.md': `---
title: An English-only notice
date: 2026-11-20
tags: [announcement]
---

This notice has not been translated yet.
`,
};

beforeAll(async () => {
  site = await buildExampleSite({ extraFiles: ENGLISH_ONLY_POST });
  pages = listHtmlPages(site.output);
  server = await serveSite(site.output);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await removeTempDir(site?.root);
});

describe('built example in Chromium', () => {
  it('builds the real example and has pages in all three languages', () => {
    if (process.env.STELE_BROWSER_FALLBACK !== 'starter') expect(site.source).toBe('cfcr');
    const langs = new Set(pages.map(resolvePageLanguage));
    expect([...langs].sort()).toEqual(['en', 'zh-Hans', 'zh-Hant']);
    for (const home of ['index.html', 'zh-hans/index.html', 'zh-hant/index.html']) expect(pages).toContain(home);
  });

  it('loads every page with no console error, page error, failed or foreign request, CSP violation or script', async () => {
    const context = await createContext(browser);
    const problems = createPageProblems();
    await guardContextRequests(context, [server.url], (url) => problems.foreignRequests.push(url));
    await context.addInitScript(CSP_LISTENER);
    const page = await context.newPage();
    watchPage(page, problems);
    const brokenImages: string[] = [];
    const scripts: string[] = [];
    let imageCount = 0;
    for (const path of pages) {
      const res = await page.goto(server.url + path, { waitUntil: 'load' });
      expect(res?.status(), path).toBe(200);
      const images = await loadAllImages(page);
      imageCount += images.length;
      for (const img of images) if (!img.ok) brokenImages.push(`${path}: ${img.src}`);
      const executable = await page.evaluate(
        () => [...document.scripts].filter((s) => s.type !== 'application/ld+json').map((s) => s.outerHTML.slice(0, 80)),
      );
      // The search pages run stele's search script (test/browser/search.test.ts); no other page runs any.
      if (!path.endsWith('search/index.html')) for (const s of executable) scripts.push(`${path}: ${s}`);
    }
    await context.close();
    // Chromium fetches the icon at low priority and aborts that fetch when the
    // crawl moves on; an aborted icon fetch is not a broken page as long as the
    // icon itself is served (checked right here).
    const icon = await fetch(`${server.url}favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    problems.failedRequests = problems.failedRequests.filter((r) => !/\/favicon\.svg \(net::ERR_ABORTED\)$/.test(r));
    expect(problems).toEqual(createPageProblems());
    expect(brokenImages).toEqual([]);
    expect(scripts).toEqual([]);
    // The listener must be live: it is what turns violations into console errors.
    expect(pages.length).toBeGreaterThan(10);
    if (site.source === 'cfcr') expect(imageCount).toBeGreaterThan(0);
  }, 240_000); // one visit per page (75 in the example), slow under load

  it('answers an unknown address with the 404 page and status', async () => {
    const context = await createContext(browser);
    const page = await context.newPage();
    const res = await page.goto(`${server.url}no/such/page/`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('main h1').first().textContent()).toBe('Page not found');
    await context.close();
  });

  it('enforces the CSP: an injected inline script is refused and reported', async () => {
    const context = await createContext(browser);
    await context.addInitScript(CSP_LISTENER);
    const page = await context.newPage();
    const messages: string[] = [];
    page.on('console', (m) => messages.push(m.text()));
    const res = await page.goto(server.url);
    // The header is the union of every page's policy: only the search page's hash and its
    // engine's sources; each page's own meta policy (here 'none') is the one that binds.
    expect(res?.headers()['content-security-policy']).toMatch(/script-src (?:'sha256-[A-Za-z0-9+/=]+' )+'strict-dynamic' 'wasm-unsafe-eval';/);
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toMatch(/script-src 'none'/);
    await expect(page.addScriptTag({ content: 'window.__injected = true' })).rejects.toThrow(/Content Security Policy/);
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.alt = '';
      img.src = 'http://127.0.0.2:9/probe.png';
      document.body.append(img);
    });
    await expect.poll(() => messages.some((m) => /^securitypolicyviolation img-src http:\/\/127\.0\.0\.2:9\//.test(m))).toBe(true);
    expect(messages.some((m) => /^securitypolicyviolation script-src/.test(m))).toBe(true);
    await context.close();
  });

  it('language switcher round-trips en → zh-Hans → zh-Hant → en on a post', async () => {
    const post = pages.find(
      (p) => /^posts\/[^/]+\/index\.html$/.test(p) && pages.includes(`zh-hans/${p}`) && pages.includes(`zh-hant/${p}`),
    );
    expect(post, 'a post translated into Chinese').toBeDefined();
    const context = await createContext(browser);
    const page = await context.newPage();
    await page.goto(server.url + post);
    const enTitle = await page.locator('h1').first().textContent();
    const steps: [string, string][] = [
      ['zh-Hans', `zh-hans/${post}`],
      ['zh-Hant', `zh-hant/${post}`],
      ['en', post!],
    ];
    for (const [lang, path] of steps) {
      await Promise.all([page.waitForURL(server.url + path), page.locator(`nav.lang-switch a[hreflang="${lang}"]`).click()]);
      expect(page.url()).toBe(server.url + path);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await expect
        .poll(() => page.locator(`nav.lang-switch a[hreflang="${lang}"]`).getAttribute('aria-current'))
        .toBe('page');
    }
    expect(await page.locator('h1').first().textContent()).toBe(enTitle);
    await context.close();
  });

  it('says so when a page has no translation, and links to that language’s home', async () => {
    const untranslated = pages.find((p) =>
      /<small>/.test(/<nav class="lang-switch"[^>]*>([\s\S]*?)<\/nav>/.exec(new TextDecoder().decode(site.output.get(p)))?.[1] ?? ''),
    );
    expect(untranslated).toBe('posts/english-only-notice/index.html');
    const context = await createContext(browser);
    const page = await context.newPage();
    await page.goto(server.url + untranslated);
    const link = page.locator('nav.lang-switch a:has(small)').first();
    const lang = await link.getAttribute('hreflang');
    const note = lang === 'en' ? /not translated/ : lang === 'zh-Hant' ? /尚未翻譯/ : /尚未翻译/;
    expect(await link.textContent()).toMatch(note);
    expect(await link.getAttribute('title')).toBeTruthy();
    await link.click();
    await page.waitForLoadState('load');
    const expectedHome = lang === 'en' ? 'index.html' : `${lang!.toLowerCase()}/index.html`;
    expect(page.url()).toBe(server.url + expectedHome);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    await context.close();
  });

  it('renders every page’s main content and navigation with JavaScript disabled', async () => {
    const context = await createContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    const problems: string[] = [];
    for (const path of pages) {
      await page.goto(server.url + path);
      const main = page.locator('main#main');
      if (!(await main.isVisible())) problems.push(`${path}: main not visible`);
      else if (((await main.textContent()) ?? '').trim().length < 2) problems.push(`${path}: main is empty`);
      if (!(await page.locator('main h1').first().isVisible())) problems.push(`${path}: no visible h1`);
      // The 404 pages (site-wide and per language folder) are served at any address, so it links home by the site title only (its menus are empty).
      const notFound = path.endsWith('404.html');
      const navLinks = page.locator(notFound ? 'header.site a.site-title' : 'header.site nav a');
      const count = await navLinks.count();
      if (count < (notFound ? 1 : 3)) problems.push(`${path}: ${count} navigation links`);
      for (let i = 0; i < count; i++) if (!(await navLinks.nth(i).isVisible())) problems.push(`${path}: nav link ${i} hidden`);
    }
    await context.close();
    expect(problems).toEqual([]);
  }, 240_000); // one visit per page: the example has 75 pages with pagination and localized 404s

  it('works from file://: home → news → post and home → Chinese home, with styles and images', async () => {
    const base = pathToFileURL(site.outDir).href;
    const context = await createContext(browser);
    const problems = createPageProblems();
    await guardContextRequests(context, [`${base}/`], (url) => problems.foreignRequests.push(url));
    await context.addInitScript(CSP_LISTENER);
    const page = await context.newPage();
    watchPage(page, problems);
    const checkPage = async (label: string) => {
      // The theme's inline stylesheet is applied (its hash is in the CSP): body margin is 0, not the UA's 8px.
      expect(await page.evaluate(() => getComputedStyle(document.body).marginTop), label).toBe('0px');
      const images = await loadAllImages(page);
      expect(images.filter((i) => !i.ok), label).toEqual([]);
      return images.length;
    };

    await page.goto(`${base}/index.html`);
    let images = await checkPage('home');
    const newsLink = page.locator('header.site nav[aria-label] a').nth(1);
    await Promise.all([page.waitForURL(/\/archive\/index\.html$/), newsLink.click()]);
    images += await checkPage('news');
    await Promise.all([page.waitForURL(/\/posts\/[^/]+\/index\.html$/), page.locator('main a[href*="posts/"]').first().click()]);
    images += await checkPage('post');
    expect(await page.locator('main article h1').isVisible()).toBe(true);
    await page.goto(`${base}/index.html`);
    await Promise.all([page.waitForURL(/\/zh-hans\/index\.html$/), page.locator('nav.lang-switch a[hreflang="zh-Hans"]').click()]);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hans');
    images += await checkPage('zh-Hans home');
    // Pages with portraits are reachable too, when the example has them.
    // (404 pages link from the server root: a server answers a missing address with them; test/harden/not-found-links.test.ts.)
    const withImage = listHtmlPages(site.output).find((p) => !isNotFoundPagePath(p) && /<img\b/.test(new TextDecoder().decode(site.output.get(p))));
    if (withImage) {
      await page.goto(`${base}/${withImage}`);
      images += await checkPage(withImage);
      expect(images).toBeGreaterThan(0);
    }
    await context.close();
    expect(problems).toEqual(createPageProblems());
  });

  it('links from file:// resolve to files, never to folders (which a browser would list)', async () => {
    const html = await readFile(join(site.outDir, 'index.html'), 'utf8');
    const hrefs = [...html.matchAll(/<a [^>]*href="([^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(3);
    for (const href of hrefs) {
      if (/^[a-z]+:/i.test(href) || href.startsWith('#')) continue;
      expect(href, href).toMatch(/\.(html|xml|json)(#.*)?$/);
    }
  });
});
