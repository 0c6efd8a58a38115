/**
 * `stele dev` in real Chromium: while the build fails the browser shows the
 * diagnostics (file, line, code frame) instead of a 0-byte 404 or the old
 * pages, and reloads by itself when the problem is fixed. Runs the compiled
 * CLI as a child process; the browser and the process are stopped even when a
 * test fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStarterFiles } from '../../src/content/starter.js';
import { stopChildProcess } from '../helpers/child-process.js';
import { createTempDir, launchChromium, REPO_ROOT, removeTempDir } from './helpers.js';

const BIN = join(REPO_ROOT, 'bin/stele.js');
const BROKEN = '---\ntitle: Broken\ndate: 2026-02-01\ntagz: [news]\n---\n\nText.\n';
const FIXED = '---\ntitle: Fixed post\ndate: 2026-02-01\ntags: [news]\n---\n\nAll good now.\n';

let dir: string;
let child: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let url: string;
let output = '';
const post = () => join(dir, 'content/posts/2026-02-01-broken.en.md');

beforeAll(async () => {
  dir = await createTempDir('dev-overlay');
  for (const [rel, text] of Object.entries(createStarterFiles('overlay'))) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  // Broken from the start: there has never been a good build.
  await writeFile(post(), BROKEN);
  child = spawn(process.execPath, [BIN, 'dev', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  url = await new Promise<string>((resolve, reject) => {
    const onData = (b: Buffer) => {
      output += b;
      const m = /dev server at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child!.stdout!.on('data', onData);
    child!.stderr!.on('data', onData);
    child!.once('exit', (code) => reject(new Error(`dev exited ${code}: ${output}`)));
  });
  browser = await launchChromium();
  page = await browser.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stopChildProcess(child);
  await removeTempDir(dir);
});

describe('stele dev diagnostics overlay', () => {
  it('shows the problems of a first build that failed, at the Markdown file and line', async () => {
    const res = await page.goto(`${url}posts/broken/index.html`);
    expect(res?.status()).toBe(500);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('The build failed');
    expect(text).toContain('content/posts/2026-02-01-broken.en.md:4:1 error STELE1103');
    expect(text).toContain('> 4 | tagz: [news]');
    expect(text).toContain('Did you mean `tags`?');
  });

  it('reloads into the site once the file is fixed', async () => {
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await writeFile(post(), FIXED);
    await reloaded;
    await page.waitForFunction(() => document.title.includes('Fixed post'), undefined, { timeout: 60_000 });
    expect(await page.locator('main').textContent()).toContain('All good now.');
  });

  it('replaces the old pages with the overlay when the build breaks again, and tells the terminal once about warnings', async () => {
    const reloaded = page.waitForEvent('load', { timeout: 30_000 });
    await writeFile(post(), (await readFile(post(), 'utf8')).replace('tags: [news]', 'tagz: [news]'));
    await reloaded.catch((e) => {
      throw new Error(`${e}\n${output}`);
    });
    await page.waitForFunction(() => document.body.textContent!.includes('STELE1103'), undefined, { timeout: 60_000 });
    expect(await page.locator('h1').textContent()).toContain('The build failed: 1 error');
    // Every URL shows it, not a stale page or an empty 404.
    const other = await browser!.newPage();
    const res = await other.goto(`${url}about/index.html`);
    expect(res?.status()).toBe(500);
    expect(await other.locator('main').textContent()).toContain('STELE1103');
    await other.close();
    // The starter has no baseUrl: that warning was printed on the first build only.
    expect(output.match(/STELE2000/g)?.length).toBe(1);
    await rm(post());
  });
});
