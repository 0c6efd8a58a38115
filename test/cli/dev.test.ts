/**
 * `stele dev`: serves drafts, rebuilds on save and tells the browser to reload
 * over server-sent events. Runs the real CLI (dist/) as a child process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStarterFiles } from '../../src/content/starter.js';
import { isProcessAlive, stopChildProcess, waitForProcessExit } from '../helpers/child-process.js';

const bin = join(import.meta.dirname, '../../bin/stele.js');
let dir: string;
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stele-dev-'));
  for (const [rel, text] of Object.entries(createStarterFiles('devsite'))) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  await writeFile(join(dir, 'content/posts/2026-02-01-draft.en.md'), '---\ntitle: Draft post\ndate: 2026-02-01\ndraft: true\n---\n\nNot yet.\n');
  child = spawn(process.execPath, [bin, 'dev', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b) => {
      out += b;
      const m = /dev server at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`dev exited ${code}: ${out}`)));
  });
}, 60_000);

afterAll(async () => {
  await stopChildProcess(child);
  rmSync(dir, { recursive: true, force: true });
});

describe('stele dev', () => {
  it('serves drafts with the live-reload script allowed by the CSP', async () => {
    const res = await fetch(`${url}posts/draft/index.html`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Draft post');
    expect(page).toContain('new EventSource("/__stele/reload")');
    expect(page).toMatch(/connect-src 'self'/);
    expect(page).toMatch(/script-src 'sha256-/);
  });

  it('rebuilds on save and sends a reload event', async () => {
    const controller = new AbortController();
    const events = await fetch(`${url}__stele/reload`, { signal: controller.signal });
    const reader = events.body!.getReader();
    const gotReload = (async () => {
      let text = '';
      while (!text.includes('data: reload')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      return text;
    })();
    writeFileSync(join(dir, 'content/posts/2026-01-01-welcome.en.md'), '---\ntitle: Welcome back\ndate: 2026-01-01\ntags: [news]\n---\n\nEdited while the server runs.\n');
    expect(await gotReload).toContain('data: reload');
    controller.abort();
    const page = await (await fetch(`${url}posts/welcome/index.html`)).text();
    expect(page).toContain('Edited while the server runs.');
    expect(page).toContain('Welcome back');
  });

  it('serves a post added in a new folder, each edit of it, and a 404 once it is removed', async () => {
    /** Fetch `path` until `done` accepts the response (the rebuild is under way); the last response. */
    const poll = async (path: string, done: (status: number, text: string) => boolean) => {
      let status = 0;
      let text = '';
      for (let i = 0; i < 600; i++) {
        const res = await fetch(`${url}${path}`);
        status = res.status;
        text = await res.text();
        if (done(status, text)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return { status, text };
    };
    const folder = join(dir, 'content/posts/later');
    const file = join(folder, '2026-03-01-nested.en.md');
    await mkdir(folder);
    writeFileSync(file, '---\ntitle: Nested post\ndate: 2026-03-01\n---\n\nFirst version.\n');
    expect((await poll('posts/nested/', (s) => s === 200)).text).toContain('First version.');
    for (const version of ['Second version.', 'Third version.']) {
      writeFileSync(file, `---\ntitle: Nested post\ndate: 2026-03-01\n---\n\n${version}\n`);
      expect((await poll('posts/nested/', (_, t) => t.includes(version))).text).toContain(version);
    }
    rmSync(folder, { recursive: true });
    expect((await poll('posts/nested/', (s) => s === 404)).status).toBe(404);
  }, 60_000);

  it('after an edit, makes the search index again once edits pause, for the language that changed', async () => {
    const entry = async () => JSON.parse(await (await fetch(`${url}pagefind/pagefind-entry.json`)).text()) as { languages: Record<string, { hash: string }> };
    const before = await entry();
    expect(Object.keys(before.languages).length).toBeGreaterThan(0);
    writeFileSync(join(dir, 'content/posts/2026-01-01-welcome.en.md'), '---\ntitle: Welcome back\ndate: 2026-01-01\ntags: [news]\n---\n\nA sentence with the word quokkaforsearch in it.\n');
    // The English index changes (the page's new words are searchable); the others are the same files.
    let after = before;
    for (let i = 0; i < 300 && after.languages.en?.hash === before.languages.en?.hash; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await entry();
    }
    expect(after.languages.en?.hash).not.toBe(before.languages.en?.hash);
    for (const [lang, value] of Object.entries(before.languages)) if (lang !== 'en') expect(after.languages[lang]).toEqual(value);
    const meta = await fetch(`${url}pagefind/pagefind.${after.languages.en!.hash}.pf_meta`);
    expect(meta.status).toBe(200);
  }, 60_000);

  it('stops by itself when the process that started it is gone', async () => {
    // A parent that starts `stele dev` and then exits without stopping it (as a killed test runner would).
    const parent = `const { spawn } = require('node:child_process');
const c = spawn(process.execPath, [${JSON.stringify(bin)}, 'dev', ${JSON.stringify(dir)}, '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
c.stdout.on('data', (b) => { if (/dev server at/.test(String(b))) { console.log(c.pid); process.exit(0); } });`;
    const launcher = spawn(process.execPath, ['-e', parent], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    launcher.stdout!.on('data', (b) => {
      text += b;
    });
    await new Promise((resolve) => launcher.once('exit', resolve));
    const pid = Number(text.trim());
    expect(pid).toBeGreaterThan(0);
    try {
      await waitForProcessExit(pid);
      expect(isProcessAlive(pid)).toBe(false);
    } finally {
      if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 60_000);
});
