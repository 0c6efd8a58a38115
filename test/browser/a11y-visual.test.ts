/**
 * Accessibility (axe-core, WCAG 2.2 AA) on every page of the built example,
 * screenshots of the three home pages, a check that Chinese text is drawn
 * with a CJK font (not tofu), and the home page weight.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../src/dev/static-server.js';
import { ARTIFACTS_DIR, type BuiltSite, buildExampleSite, createContext, launchChromium, listHtmlPages, removeTempDir, serveSite } from './helpers.js';

const HOMES = [
  { lang: 'en', path: 'index.html' },
  { lang: 'zh-Hans', path: 'zh-hans/index.html' },
  { lang: 'zh-Hant', path: 'zh-hant/index.html' },
] as const;

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Font families that carry Han glyphs (Noto CJK here; the others are what the theme's stacks name on other systems). */
const CJK_FAMILY = /CJK|Source Han|PingFang|Hiragino|YaHei|JhengHei|WenQuanYi|Heiti|Songti|Ming|Kai/i;
const HAN = /\p{Script=Han}/gu;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

let site: BuiltSite;
let server: StaticServer;
let browser: Browser;
let axeSource: string;

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  axeSource = await readFile(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');
  site = await buildExampleSite();
  server = await serveSite(site.output);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await removeTempDir(site?.root);
});

/** Inject axe (the context bypasses the CSP for this) and return serious and critical violations (`all`: every violation). */
async function runAxe(page: Page, all = false): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  }, AXE_TAGS);
  return all ? violations : violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

function formatViolations(path: string, vs: AxeViolation[]): string[] {
  return vs.map((v) => `${path}: [${v.impact}] ${v.id} — ${v.help} — ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', ')}`);
}

describe('accessibility', () => {
  it('axe finds no serious or critical violation on any page (light scheme)', async () => {
    // Only this context bypasses the CSP, so that axe's script can be injected.
    const context = await createContext(browser, { bypassCSP: true, colorScheme: 'light' });
    const page = await context.newPage();
    const found: string[] = [];
    let checked = 0;
    for (const path of listHtmlPages(site.output)) {
      await page.goto(server.url + path);
      found.push(...formatViolations(path, await runAxe(page)));
      checked++;
    }
    await context.close();
    expect(found).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  }, 600_000); // one axe run per page: the example has 75 pages with pagination and localized 404s (45 s idle; over 240 s at load 10)

  it('axe finds no violation at all, of any impact, on the three home pages', async () => {
    const context = await createContext(browser, { bypassCSP: true, colorScheme: 'light' });
    const page = await context.newPage();
    const found: string[] = [];
    for (const home of HOMES) {
      await page.goto(server.url + home.path);
      found.push(...formatViolations(home.path, await runAxe(page, true)));
    }
    await context.close();
    expect(found).toEqual([]);
  }, 60_000);

  it('axe finds no serious or critical violation on the home pages and a post in the dark scheme and at 375 px', async () => {
    const context = await createContext(browser, { bypassCSP: true, colorScheme: 'dark', viewport: { width: 375, height: 812 } });
    const page = await context.newPage();
    const post = listHtmlPages(site.output).find((p) => /^posts\/[^/]+\/index\.html$/.test(p));
    const found: string[] = [];
    for (const path of [...HOMES.map((h) => h.path), post!]) {
      await page.goto(server.url + path);
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
      found.push(...formatViolations(`${path} (dark)`, await runAxe(page)));
    }
    await context.close();
    expect(found).toEqual([]);
  }, 60_000);

  it('axe itself reports a serious violation on a page made inaccessible (the harness can fail)', async () => {
    const context = await createContext(browser, { bypassCSP: true });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = document.images[0]?.src ?? 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
      document.querySelector('main')!.append(img);
    });
    const vs = await runAxe(page);
    expect(vs.map((v) => v.id)).toContain('image-alt');
    await context.close();
  });
});

describe('home page looks', () => {
  it('takes screenshots of the three home pages at 375 px and 1280 px, light and dark', async () => {
    const dir = join(ARTIFACTS_DIR, 'screenshots');
    await mkdir(dir, { recursive: true });
    const shots: string[] = [];
    for (const width of [375, 1280]) {
      for (const scheme of ['light', 'dark'] as const) {
        const context = await createContext(browser, { viewport: { width, height: width === 375 ? 812 : 900 }, colorScheme: scheme });
        const page = await context.newPage();
        for (const home of HOMES) {
          await page.goto(server.url + home.path);
          const file = join(dir, `home-${home.lang}-${width}-${scheme}.png`);
          await page.screenshot({ path: file, fullPage: true });
          shots.push(file);
          // No horizontal scrolling at either width.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(overflow, `${home.path} at ${width}px`).toBeLessThanOrEqual(0);
        }
        await context.close();
      }
    }
    for (const file of shots) expect((await readFile(file)).subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);

  it('draws Chinese text with a CJK font, not tofu (fonts Chromium actually used, via CSS.getPlatformFontsForNode)', async () => {
    // Why this method: document.fonts.check() only knows @font-face fonts and
    // answers true for system fonts it never loads; width comparisons depend on
    // the fallback font's .notdef metrics. The DevTools protocol reports, per
    // element, which platform fonts drew its text and how many glyphs each drew:
    // Han characters drawn with a CJK font are real glyphs. A control element of
    // unassigned code points proves the method sees missing glyphs.
    const context = await createContext(browser);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const fontsOf = async (selector: string) => {
      const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
      expect(nodeId, selector).toBeGreaterThan(0);
      return (await cdp.send('CSS.getPlatformFontsForNode', { nodeId })).fonts;
    };
    const report: string[] = [];
    for (const home of HOMES.filter((h) => h.lang !== 'en')) {
      await page.goto(server.url + home.path);
      for (const selector of ['a.site-title', 'main h1', 'nav[aria-label] li:first-child a']) {
        const text = await page.locator(selector).first().textContent();
        const han = (text ?? '').match(HAN)?.length ?? 0;
        expect(han, `${home.path} ${selector} has Chinese text`).toBeGreaterThan(0);
        const fonts = await fontsOf(selector);
        const cjkGlyphs = fonts.filter((f) => CJK_FAMILY.test(f.familyName)).reduce((n, f) => n + f.glyphCount, 0);
        report.push(`${home.lang} ${selector}: ${fonts.map((f) => `${f.familyName}×${f.glyphCount}`).join(', ')}`);
        expect(cjkGlyphs, `${home.path} ${selector}: ${JSON.stringify(fonts)}`).toBeGreaterThanOrEqual(han);
      }
      // Control: code points no font has are not reported as drawn by a CJK font.
      await page.evaluate(() => {
        const span = document.createElement('span');
        span.id = 'tofu-control';
        span.textContent = '\u{E0FFF}\u{E0FFE}\u{10FFFD}';
        document.querySelector('main')!.append(span);
      });
      const control = await fontsOf('#tofu-control');
      expect(control.filter((f) => CJK_FAMILY.test(f.familyName)).reduce((n, f) => n + f.glyphCount, 0)).toBe(0);
    }
    console.log(`fonts used:\n  ${report.join('\n  ')}`);
    await context.close();
  });

  it('keeps each home page under 30 KB of gzipped HTML', () => {
    for (const home of HOMES) {
      const bytes = site.output.get(home.path)!;
      const gz = gzipSync(bytes, { level: 9 }).byteLength;
      const html = new TextDecoder().decode(bytes);
      const images = [...html.matchAll(/<img [^>]*src="([^"]+)"/g)].map((m) => new URL(m[1]!, `http://x/${home.path}`).pathname.slice(1));
      const imageBytes = images.reduce((n, p) => n + (site.output.get(p)?.byteLength ?? 0), 0);
      console.log(`${home.path}: ${bytes.byteLength} B raw, ${gz} B gzip; ${images.length} images, ${imageBytes} B`);
      expect(gz, home.path).toBeLessThan(30 * 1024);
    }
  });
});
