/**
 * Shared helpers for real-browser tests: build a site into a temp folder, serve
 * it on 127.0.0.1, launch Debian's Chromium with playwright-core, and watch a
 * page for errors, failed loads, CSP violations and requests to other hosts.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { buildProject } from '../../src/build/build-project.js';
import { createStarterFiles } from '../../src/content/starter.js';
import { type StaticServer, startStaticServer } from '../../src/dev/static-server.js';
import type { Diagnostic } from '../../src/errors/diagnostic.js';
import { createNodeHost } from '../../src/io/host.js';
import type { OutputFiles } from '../../src/site/output.js';

/** Repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Debian's Chromium (CI installs the `chromium` package). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep Chromium quiet on the network and working as root in a container. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch Chromium with a fresh temporary profile. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Create a temporary folder (removed with `removeTempDir`). */
export async function createTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `stele-${prefix}-`));
}

/** Remove a temporary folder made by `createTempDir`. */
export async function removeTempDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** A built site: its project folder, written output folder and files in memory. */
export interface BuiltSite {
  /** Which project was built. */
  source: 'cfcr' | 'starter' | 'custom';
  root: string;
  outDir: string;
  output: OutputFiles;
  diagnostics: Diagnostic[];
}

/** Thrown (a bug in the test setup, or a broken example) when a build reports errors. */
export class BuildFailedError extends Error {
  constructor(
    readonly source: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(
      `build of ${source} failed:\n${diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => `  ${d.code} ${d.file ?? ''}${d.line ? `:${d.line}` : ''} ${d.message}`)
        .join('\n')}`,
    );
  }
}

/** Build the project at `root` (production, unsealed) and write `<root>/dist`. */
export async function buildSiteAt(root: string, source: BuiltSite['source']): Promise<BuiltSite> {
  const result = await buildProject({ root, host: createNodeHost({ quiet: true }), mode: 'production', write: true, noSeal: true });
  if (!result.ok || !result.output || !result.outDir) throw new BuildFailedError(source, result.diagnostics);
  return { source, root, outDir: result.outDir, output: result.output, diagnostics: result.diagnostics };
}

/** Write `files` (relative path → text or bytes) under a new temp folder and build it. */
export async function buildSiteFromFiles(files: Record<string, string | Uint8Array>, source: BuiltSite['source'] = 'custom'): Promise<BuiltSite> {
  const root = await createTempDir('site');
  try {
    for (const [path, text] of Object.entries(files)) {
      const abs = join(root, ...path.split('/'));
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, text);
    }
    return await buildSiteAt(root, source);
  } catch (e) {
    await removeTempDir(root);
    throw e;
  }
}

/**
 * Build a copy of `examples/cfcr` (without its gitignored keys and output, as
 * a fresh clone has it, plus `extraFiles`) in a temp folder. When the example does not build and
 * `STELE_BROWSER_FALLBACK=starter` is set, build the `stele init` starter site
 * instead (for working on the harness while the example is being changed);
 * otherwise the build failure is thrown.
 */
export async function buildExampleSite(options: { extraFiles?: Record<string, string> } = {}): Promise<BuiltSite> {
  const root = await createTempDir('cfcr');
  const example = join(REPO_ROOT, 'examples', 'cfcr');
  await cp(example, root, {
    recursive: true,
    filter: (src) => {
      const rel = src.slice(example.length).replace(/\\/g, '/');
      return !/^\/(dist|keys|\.stele-[^/]*)(\/|$)/.test(rel);
    },
  });
  for (const [path, text] of Object.entries(options.extraFiles ?? {})) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  try {
    return await buildSiteAt(root, 'cfcr');
  } catch (e) {
    await removeTempDir(root);
    if (!(e instanceof BuildFailedError) || process.env.STELE_BROWSER_FALLBACK !== 'starter') throw e;
    return buildSiteFromFiles({ ...createStarterFiles('starter'), ...options.extraFiles }, 'starter');
  }
}

/** Output paths of every HTML page, sorted. */
export function listHtmlPages(output: OutputFiles): string[] {
  return [...output.keys()].filter((p) => p.endsWith('.html')).sort();
}

/** Language of an output path from its folder (`zh-hans/…`, `zh-hant/…`, else en). */
export function resolvePageLanguage(path: string): 'en' | 'zh-Hans' | 'zh-Hant' {
  if (path.startsWith('zh-hans/')) return 'zh-Hans';
  if (path.startsWith('zh-hant/')) return 'zh-Hant';
  return 'en';
}

/** Serve `output` on 127.0.0.1 on a free port, with stele's production security headers. */
export async function serveSite(output: OutputFiles): Promise<StaticServer> {
  return startStaticServer(output, { port: 0, host: '127.0.0.1' });
}

/** A plain server with no security headers at all (for proving the sanitizer holds without the CSP). */
export interface PlainServer {
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

const PLAIN_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  css: 'text/css; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  js: 'text/javascript; charset=utf-8',
};

/** Serve `output` on 127.0.0.1 without any security header (folders → index.html, else 404). */
export async function servePlain(output: OutputFiles): Promise<PlainServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    let path = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    if (path === '' || path.endsWith('/')) path += 'index.html';
    const body = output.get(path);
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': PLAIN_TYPES[extname(path).slice(1)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** Everything that went wrong while a page was open. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  /** Requests whose URL is not on an allowed origin (not made: they are aborted). */
  foreignRequests: string[];
  /** Console messages that report a Content-Security-Policy violation. */
  cspViolations: string[];
  /** HTTP responses with status >= 400. */
  badResponses: string[];
}

/** Create an empty problem record. */
export function createPageProblems(): PageProblems {
  return { consoleErrors: [], pageErrors: [], failedRequests: [], foreignRequests: [], cspViolations: [], badResponses: [] };
}

/** True when every list in `p` is empty. */
export function isClean(p: PageProblems): boolean {
  return Object.values(p).every((list) => list.length === 0);
}

/**
 * Abort (and record) every request of `context` that does not start with one
 * of `allowedPrefixes` (e.g. `http://127.0.0.1:1234/`, `file:///tmp/x/`), so
 * nothing ever leaves the machine.
 */
export async function guardContextRequests(context: BrowserContext, allowedPrefixes: string[], onForeign: (url: string) => void): Promise<void> {
  await context.route(
    () => true,
    async (route) => {
      const url = route.request().url();
      if (allowedPrefixes.some((p) => url.startsWith(p)) || url.startsWith('data:') || url === 'about:blank') {
        await route.continue();
        return;
      }
      onForeign(url);
      await route.abort('blockedbyclient');
    },
  );
}

/** Record console errors, page errors, failed loads and CSP violations of `page` into `problems`. */
export function watchPage(page: Page, problems: PageProblems): void {
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) problems.cspViolations.push(text);
    if (msg.type() === 'error') problems.consoleErrors.push(`${page.url()}: ${text}`);
  });
  page.on('pageerror', (err) => problems.pageErrors.push(`${page.url()}: ${err.message}`));
  page.on('requestfailed', (req) => problems.failedRequests.push(`${req.url()} (${req.failure()?.errorText ?? 'failed'})`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.badResponses.push(`${res.status()} ${res.url()}`);
  });
}

/** A context with sensible defaults for these tests. */
export async function createContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', serviceWorkers: 'block', ...options });
}

/** Folder for screenshots (gitignored). */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'artifacts');

/** The same files under `mirror/cfcr/`, as a mirror in a sub-folder serves them (serve with `servePlain`). */
export function placeInSubfolder(output: OutputFiles): OutputFiles {
  return new Map([...output].map(([path, bytes]) => [`mirror/cfcr/${path}`, bytes]));
}

/** On a search page opened with `?q=`: wait until its status line is final, then the result links (title, absolute href). */
export async function readSearchResults(page: Page): Promise<{ title: string; href: string }[]> {
  await page.waitForFunction(() => {
    const s = document.getElementById('stele-search-status')?.textContent ?? '';
    return s !== '' && !/…$/.test(s);
  }, undefined, { timeout: 30_000 });
  return page.locator('#stele-search-results li a').evaluateAll((links) => links.map((a) => ({ title: a.textContent ?? '', href: (a as HTMLAnchorElement).href })));
}
