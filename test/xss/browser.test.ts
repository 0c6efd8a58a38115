/**
 * The XSS corpus in real Chromium. A site is built from every payload (one post
 * each, some in front matter), served twice — with stele's production headers
 * and CSP meta, and as a copy with the CSP removed from both — and every page,
 * feed and sitemap is opened, every element focused, hovered and (when it does
 * not navigate) clicked. Nothing may call the `__xss` marker, open a dialog or
 * a window, navigate away, or request an `/xss/` path or another host. The run
 * without CSP is what proves the sanitizer holds on its own.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../src/dev/static-server.js';
import type { Diagnostic } from '../../src/errors/diagnostic.js';
import type { OutputFiles } from '../../src/site/output.js';
import {
  BuildFailedError,
  type BuiltSite,
  buildSiteFromFiles,
  createContext,
  guardContextRequests,
  launchChromium,
  type PlainServer,
  removeTempDir,
  servePlain,
  serveSite,
} from '../browser/helpers.js';
import { createCorpusSiteFiles, findPayloadId } from '../fixtures/xss/corpus-site.js';
import { XSS_PAYLOADS } from '../fixtures/xss/payloads.js';

/** Defines the marker in every frame of every page, before any page script (CSP does not apply to init scripts). */
const MARKER_INIT = `(() => {
  const report = (id) => { try { window.__steleXssHit(String(id)); } catch (e) {} };
  Object.defineProperty(window, '__xss', { value: report, writable: false, configurable: false });
})();`;

/** A control page served only on the CSP-less server: its handlers must all be caught by the harness. */
const CONTROL_PATH = 'xss-control/index.html';
const CONTROL_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>control</title></head><body><main>
<img src="missing.png" alt="c" onerror="__xss('control-onerror')">
<a onmouseover="__xss('control-hover')" onclick="__xss('control-click')">no href</a>
<span tabindex="0" onfocus="__xss('control-focus')">focus</span>
<a href="#main" onfocus="__xss('control-link-focus')">hash link</a>
<img src="/xss/control" alt="request">
</main></body></html>`;

interface Findings {
  hits: string[];
  dialogs: string[];
  navigations: string[];
  popups: string[];
  xssRequests: string[];
  foreignRequests: string[];
  domProblems: string[];
  pageErrors: string[];
  visited: number;
}

function createFindings(): Findings {
  return { hits: [], dialogs: [], navigations: [], popups: [], xssRequests: [], foreignRequests: [], domProblems: [], pageErrors: [], visited: 0 };
}

let server: StaticServer;
let plain: PlainServer;
let browser: Browser;
let site: BuiltSite;
/** Payload id → the error diagnostics with which the build refused it. */
const rejected = new Map<number, Diagnostic[]>();

/** Build the corpus site; payloads the build refuses (with located errors) are recorded and left out. */
async function buildCorpus(origin: string): Promise<BuiltSite> {
  let payloads = [...XSS_PAYLOADS];
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await buildSiteFromFiles(await createCorpusSiteFiles(payloads, origin));
    } catch (e) {
      if (!(e instanceof BuildFailedError)) throw e;
      const errors = e.diagnostics.filter((d) => d.severity === 'error');
      const unattributed = errors.filter((d) => findPayloadId(d.file) === undefined);
      if (unattributed.length > 0) throw e;
      for (const d of errors) {
        const id = findPayloadId(d.file)!;
        rejected.set(id, [...(rejected.get(id) ?? []), d]);
      }
      payloads = payloads.filter((p) => !rejected.has(p.id));
    }
  }
  throw new Error('the corpus site still fails after leaving out refused payloads');
}

/** The same site with the CSP meta removed from every page. */
function stripCspMeta(output: OutputFiles): OutputFiles {
  const out: OutputFiles = new Map();
  for (const [path, bytes] of output) {
    if (!path.endsWith('.html')) {
      out.set(path, bytes);
      continue;
    }
    const text = new TextDecoder().decode(bytes);
    const stripped = text.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/gi, '');
    if (stripped === text) throw new Error(`no CSP meta to strip in ${path}`);
    out.set(path, new TextEncoder().encode(stripped));
  }
  return out;
}

/** Paths to open: every page, feed, sitemap and JSON file. */
function listTargets(output: OutputFiles): string[] {
  // Search pages carry no author content and run stele's own script (test/browser/search.test.ts).
  return [...output.keys()].filter((p) => /\.(html|xml|json|txt)$/.test(p) && !p.endsWith('search/index.html')).sort();
}

/** A context whose pages report marker calls, dialogs, popups, navigations and requests into `f`. */
async function createWatchedContext(base: string, f: Findings): Promise<BrowserContext> {
  const context = await createContext(browser);
  await context.exposeBinding('__steleXssHit', ({ frame }, id: string) => {
    f.hits.push(`${id} @ ${frame.url()}`);
  });
  await context.addInitScript(MARKER_INIT);
  await guardContextRequests(context, [base], (url) => f.foreignRequests.push(url));
  context.on('request', (req) => {
    if (/\/xss\//.test(new URL(req.url()).pathname)) f.xssRequests.push(`${req.url()} from ${req.frame().url()}`);
  });
  return context;
}

/**
 * Interact with every element: DOM audit, synthetic focus/hover/toggle events
 * and clicks that do not follow a link; with `realInput`, also real mouse moves
 * over the first elements of `main` and Tab presses (slow: a frame each).
 */
async function exercisePage(page: Page, path: string, f: Findings, realInput: boolean): Promise<void> {
  const result = await page.evaluate(() => {
    const problems: string[] = [];
    const all = [...document.querySelectorAll('*')];
    for (const el of all) {
      const tag = el.localName;
      for (const attr of [...el.attributes]) {
        if (/^on/i.test(attr.name)) problems.push(`<${tag} ${attr.name}>`);
        if (/^(href|src|action|formaction|data|poster|background|xlink:href|srcset)$/i.test(attr.name)) {
          const v = attr.value.replace(/[\u0000-\u0020]/g, '');
          if (/^(javascript|vbscript|data):/i.test(v)) problems.push(`<${tag} ${attr.name}=${attr.value.slice(0, 40)}>`);
          if (/(^|,)[\\/]{2}|(^|,)\s*https?:/i.test(v) && /^(src|srcset|poster|background|data)$/i.test(attr.name)) {
            problems.push(`<${tag} ${attr.name}> loads from elsewhere: ${attr.value.slice(0, 60)}`);
          }
        }
      }
      if (tag === 'script' && (el as HTMLScriptElement).type !== 'application/ld+json') problems.push('<script>');
      if (/^(iframe|frame|object|embed|base|form|portal|svg|math|template|noscript|textarea|select|button|style)$/.test(tag) && el.closest('body')) {
        problems.push(`<${tag}> in body`);
      }
      if (tag === 'meta' && /refresh|content-security/i.test(el.getAttribute('http-equiv') ?? '') && el.closest('body')) problems.push('<meta http-equiv> in body');
    }
    // Everything gets synthetic focus and hover events; only `main` (where author content lands) gets real pointer moves.
    const targets = [...document.querySelectorAll('body *')] as HTMLElement[];
    const points: { x: number; y: number }[] = [];
    for (const el of targets) {
      el.focus?.({ preventScroll: true });
      for (const type of ['pointerover', 'pointerenter', 'mouseover', 'mouseenter', 'mousemove', 'focusin', 'animationstart', 'toggle']) {
        el.dispatchEvent(new Event(type, { bubbles: type !== 'mouseenter' && type !== 'pointerenter' }));
      }
      // Click whatever does not follow a link (a click inside a link follows it).
      if (!el.closest('a[href]:not([href^="#"])')) el.click();
      const r = el.getBoundingClientRect();
      if (el.closest('main') && r.width > 0 && r.height > 0 && r.top < innerHeight && points.length < 5) {
        points.push({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
      }
    }
    return { problems, points };
  });
  for (const p of result.problems) f.domProblems.push(`${path}: ${p}`);
  if (!realInput) return;
  for (const pt of result.points) await page.mouse.move(pt.x, pt.y);
  for (let i = 0; i < 2; i++) await page.keyboard.press('Tab');
}

/** Open every target on `base` with `workers` pages in parallel; let late timers and loads run out. */
async function crawl(base: string, targets: string[], f: Findings, options: { workers?: number; realInput: boolean }): Promise<void> {
  const workers = options.workers ?? 3;
  const context = await createWatchedContext(base, f);
  const queue = [...targets];
  const work = async () => {
    const page = await context.newPage();
    let expected = '';
    page.on('dialog', (d) => {
      f.dialogs.push(`${d.type()} "${d.message()}" on ${page.url()}`);
      void d.dismiss();
    });
    page.on('popup', (p) => f.popups.push(`${p.url()} from ${page.url()}`));
    page.on('pageerror', (e) => f.pageErrors.push(`${page.url()}: ${e.message}`));
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().split('#')[0] !== expected) f.navigations.push(`${expected} → ${frame.url()}`);
    });
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      expected = base + path;
      await page.goto(expected, { waitUntil: 'load' });
      if (path.endsWith('.html')) await exercisePage(page, path, f, options.realInput);
      f.visited++;
    }
    await page.waitForTimeout(500);
    await page.close();
  };
  await Promise.all(Array.from({ length: workers }, work));
  await context.close();
}

function clean(f: Findings): Omit<Findings, 'visited'> {
  const { visited: _, ...rest } = f;
  return rest;
}

beforeAll(async () => {
  server = await serveSite(new Map());
  const origin = server.url.replace(/\/$/, '');
  site = await buildCorpus(origin);
  server.setSite(site.output);
  const stripped = stripCspMeta(site.output);
  stripped.set(CONTROL_PATH, new TextEncoder().encode(CONTROL_HTML));
  plain = await servePlain(stripped);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await plain?.close();
  await removeTempDir(site?.root);
});

describe('XSS corpus in Chromium', () => {
  it('renders or refuses (with located errors) every payload; most reach a page', () => {
    const report = [...rejected].map(([id, ds]) => `#${id}: ${[...new Set(ds.map((d) => d.code))].join(', ')}`);
    console.log(`payloads: ${XSS_PAYLOADS.length}; refused by the build: ${rejected.size}\n  ${report.join('\n  ')}`);
    for (const p of XSS_PAYLOADS) {
      if (rejected.has(p.id)) continue;
      expect(site.output.has(`posts/p${p.id}/index.html`), `payload ${p.id} page`).toBe(true);
      if (p.zh) {
        expect(site.output.has(`zh-hans/posts/p${p.id}/index.html`)).toBe(true);
        expect(site.output.has(`zh-hant/posts/p${p.id}/index.html`)).toBe(true);
      }
    }
    expect(XSS_PAYLOADS.length - rejected.size).toBeGreaterThanOrEqual(150);
    for (const name of ['sitemap.xml', 'atom.xml', 'feed.json', 'zh-hans/atom.xml', 'zh-hant/atom.xml']) expect(site.output.has(name), name).toBe(true);
  });

  it('the harness sees marker calls under the CSP, and catches handlers, hovers, focus and requests on a control page', async () => {
    const f = createFindings();
    const context = await createWatchedContext(server.url, f);
    const page = await context.newPage();
    await page.goto(`${server.url}posts/p1/index.html`);
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').count()).toBe(1);
    // The init script ran despite `script-src 'none'`, and its reports arrive.
    expect(await page.evaluate(() => typeof (window as unknown as { __xss?: unknown }).__xss)).toBe('function');
    await page.evaluate(() => (window as unknown as { __xss(id: string): void }).__xss('probe'));
    await expect.poll(() => f.hits).toEqual([`probe @ ${server.url}posts/p1/index.html`]);
    await context.close();

    const g = createFindings();
    await crawl(plain.url, [CONTROL_PATH], g, { workers: 1, realInput: true });
    const ids = g.hits.map((h) => h.split(' @ ')[0]).sort();
    expect(ids).toEqual(expect.arrayContaining(['control-click', 'control-focus', 'control-hover', 'control-link-focus', 'control-onerror']));
    expect(g.xssRequests.some((r) => r.includes('/xss/control'))).toBe(true);
    expect(g.domProblems.some((p) => p.includes('onerror'))).toBe(true);
  });

  it('no payload runs, navigates, opens anything or loads from elsewhere with the production CSP', async () => {
    const f = createFindings();
    const targets = listTargets(site.output);
    // Synthetic events only here; the run without CSP below adds real input.
    await crawl(server.url, targets, f, { realInput: false });
    expect(f.visited).toBe(targets.length);
    expect(clean(f)).toEqual(clean(createFindings()));
  }, 150_000);

  it('no payload runs, navigates, opens anything or loads from elsewhere with the CSP removed (the sanitizer alone)', async () => {
    const f = createFindings();
    const targets = listTargets(site.output);
    // The copy really has no CSP: neither header nor meta.
    const probe = await fetch(`${plain.url}posts/p1/index.html`);
    expect(probe.headers.get('content-security-policy')).toBeNull();
    expect(await probe.text()).not.toMatch(/Content-Security-Policy/i);
    await crawl(plain.url, targets, f, { realInput: true });
    expect(f.visited).toBe(targets.length);
    expect(clean(f)).toEqual(clean(createFindings()));
  }, 150_000);
});
