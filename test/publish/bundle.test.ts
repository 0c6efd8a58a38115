/**
 * `stele bundle` and `stele verify site.zip`: the archive holds the sealed site
 * under one folder; the real `unzip` unpacks it and Chromium opens it from disk
 * (file://) and follows its links; `stele verify` checks the zip in memory and
 * catches a modified or an added entry.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { launchChromium } from '../browser/helpers.js';
import { createTestHost } from '../helpers/temp-site.js';
import { createSealedOutput, NOW, writeProject } from './peers.js';

let base: string;
let project: string;

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(args, { host: createTestHost({ now: NOW }), cwd: project, stdout: (t) => (out += t), stderr: (t) => (out += t), isTTY: false });
  return { code, out };
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'stele-bundle-'));
  project = join(base, 'project');
  await writeProject(project, '', createSealedOutput(7));
});

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

describe('stele bundle', () => {
  it('writes one zip with the whole sealed site under <siteId>-v<version>/', async () => {
    const { code, out } = await cli(['bundle', '--out', '../site.zip']);
    expect(code, out).toBe(0);
    expect(out).toMatch(/open rights-watch-v7\/index\.html/);
    const entries = Object.keys(unzipSync(await readFile(join(base, 'site.zip'))));
    expect(entries).toContain('rights-watch-v7/index.html');
    expect(entries).toContain('rights-watch-v7/.well-known/stele/manifest.json');
    expect(entries).toContain('rights-watch-v7/.well-known/stele/manifest.json.minisig');
    expect(entries.every((e) => e.startsWith('rights-watch-v7/'))).toBe(true);
  });

  it('stele verify checks the zip without unpacking it', async () => {
    const before = await readdir(base);
    const { code, out } = await cli(['verify', '../site.zip', '--key', 'keys/stele.pub']);
    expect(code, out).toBe(0);
    expect(out).toMatch(/genuine/i);
    expect(await readdir(base)).toEqual(before);
  });

  it('catches a modified page and an added file inside the zip', async () => {
    const entries = unzipSync(await readFile(join(base, 'site.zip')));
    entries['rights-watch-v7/about/index.html'] = strToU8('<!doctype html><title>About</title><p>Planted.</p>\n');
    entries['rights-watch-v7/evil.js'] = strToU8('alert(1)');
    await writeFile(join(base, 'tampered.zip'), zipSync(entries));
    const { code, out } = await cli(['verify', '../tampered.zip', '--key', 'keys/stele.pub', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(out) as { problems: { kind: string; path?: string }[] };
    expect(report.problems.map((p) => `${p.kind} ${p.path}`).sort()).toEqual(['added evil.js', 'modified about/index.html']);
    await writeFile(join(base, 'junk.zip'), 'not a zip');
    expect((await cli(['verify', '../junk.zip', '--key', 'keys/stele.pub'])).code).toBe(2);
  });

  it('the real unzip unpacks it, and Chromium opens it from disk and follows its links', async () => {
    const out = join(base, 'unpacked');
    execFileSync('unzip', ['-q', join(base, 'site.zip'), '-d', out]);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      await page.goto(pathToFileURL(join(out, 'rights-watch-v7', 'index.html')).href);
      expect(await page.textContent('h1')).toBe('Version 7');
      await page.click('a[href="about/index.html"]');
      await page.waitForURL(/about\/index\.html$/);
      expect(await page.textContent('p')).toBe('Who we are.');
      expect(failed).toEqual([]);
    } finally {
      await browser.close();
    }
    expect((await cli(['verify', join(out, 'rights-watch-v7'), '--key', 'keys/stele.pub'])).code).toBe(0);
  }, 60_000);
});
