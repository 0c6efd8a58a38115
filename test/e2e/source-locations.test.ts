/**
 * Problems the checks find in the built pages, in elements the author wrote
 * (a broken anchor, a root-relative link, a wrong relative link, a raw-HTML
 * `<img>` without alt), are reported at the Markdown file, line and column,
 * in the same `stele build` run as errors in content; the source marks that
 * carry those positions never reach the output bytes.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCapturing } from '../helpers/run-cli.js';
import { createTempSite, removeTempDirs } from '../helpers/temp-site.js';

afterAll(removeTempDirs);

async function build(root: string, extra: string[] = []): Promise<{ code: number; out: string }> {
  const r = await runCliCapturing(['build', root, '--no-seal', ...extra], root);
  return { code: r.code, out: r.output };
}

const POST = 'content/posts/2026-01-01-hello.en.md';
// Line numbers below are those of this file as written.
const POST_TEXT = `---
title: Hello
date: 2026-01-01
---

See [the about page](/about/) and [a section](#nowhere).

Also [wrong](../nope/index.html) here.

<p>Raw: <img src="pic.png"></p>

- a list item with raw HTML:

  <div><img src="a.png"></div>
`;

/** Each case: the code and the `file:line:column` it must be reported at. */
const CASES: [string, string, string][] = [
  ['root-relative link', 'STELE4103', `${POST}:6:22`],
  ['broken anchor', 'STELE4102', `${POST}:6:47`],
  ['wrong relative link', 'STELE4101', `${POST}:8:14`],
  ['raw-HTML img without alt', 'STELE4201', `${POST}:10:9`],
  ['raw-HTML img without alt, indented in a list', 'STELE4201', `${POST}:14:8`],
];

describe('built-page problems point at the Markdown', () => {
  it.each(CASES)('%s: reported at the source, in the same run as a content error', async (_name, code, where) => {
    const root = await createTempSite({
      [POST]: POST_TEXT,
      'content/pages/about.en.md': '---\ntitle: About\n---\n\nAbout us.\n',
      // A content error in another file: both kinds come in one run.
      'content/posts/2026-01-02-bad.en.md': '---\ntitle: Bad\ndate: notadate\n---\n\nHello.\n',
    });
    const r = await build(root);
    expect(r.code).toBe(1);
    expect(r.out).toContain('content/posts/2026-01-02-bad.en.md:3:7 error STELE1106');
    expect(r.out).toContain(`${where} error ${code}`);
    // Never against the generated page.
    expect(r.out).not.toMatch(/dist\/posts\/hello/);
    // The code frame is the author's line.
    const frame = r.out.slice(r.out.indexOf(`${where} error ${code}`)).split('\n').slice(1, 6).join('\n');
    const line = POST_TEXT.split('\n')[Number(where.split(':')[1]) - 1]!;
    expect(frame).toContain(line.trim());
    // A root-relative link gets the Markdown file to link instead.
    if (code === 'STELE4103') expect(r.out).toContain("Link to the page's Markdown file, relative to this one: `../pages/about.en.md`");
  });

  it('reports them at the source once content is valid too, and once for a derived zh-Hant page', async () => {
    const root = await createTempSite(
      {
        [POST]: POST_TEXT,
        'content/posts/2026-01-01-hello.zh.md': '---\ntitle: 你好\n---\n\n见[页面](/about/)。\n',
      },
      `import { defineConfig } from 'stele';
export default defineConfig({ siteId: 'test-site', title: 'Test', baseUrl: 'https://t.example/', languages: ['en', 'zh-Hans', 'zh-Hant'] });
`,
    );
    const r = await build(root);
    expect(r.code).toBe(1);
    for (const [, code, where] of CASES) expect(r.out).toContain(`${where} error ${code}`);
    const zh = r.out.match(/content\/posts\/2026-01-01-hello\.zh\.md:5:7 error STELE4103/g) ?? [];
    expect(zh).toHaveLength(1);
    expect(r.out).not.toMatch(/dist\/(zh-hans|zh-hant\/)?posts\/hello/);
  });


});

describe('menu links (issue 13 item 9)', () => {
  const config = (menu: string) => `import { defineConfig } from 'stele';
export default defineConfig({
  siteId: 'test-site',
  title: 'Test',
  baseUrl: 'https://t.example/',
  languages: ['en'],
  menu: [
    { label: 'Home', path: 'index.html' },
    ${menu}
  ],
});
`;
  it.each([
    ['an absolute path', "{ label: 'About', path: '/about/' }", 'about/index.html'],
    ['a folder', "{ label: 'About', path: 'about/' }", 'about/index.html'],
    ['a folder without slash', "{ label: 'About', path: 'about' }", 'about/index.html'],
    ['another site', "{ label: 'Elsewhere', path: 'https://example.org/' }", 'about/index.html'],
  ])('%s is one error at the menu entry in stele.config.ts, not one per page', async (_name, entry, suggestion) => {
    const root = await createTempSite({ 'content/pages/about.en.md': '---\ntitle: About\n---\n\nAbout us.\n' }, config(entry));
    const r = await build(root);
    expect(r.code).toBe(1);
    expect(r.out).toContain('stele.config.ts:9:');
    expect(r.out.match(/error STELE/g)).toHaveLength(1);
    expect(r.out).toContain('menu[1].path');
    expect(r.out).toContain(`path: '${suggestion}'`);
    expect(r.out).toContain('docs/config.md#menu-path');
    expect(r.out).not.toContain('dist/');
  });

  it('a page that does not exist is one error at the menu entry, naming the languages, not a broken link on every page', async () => {
    const root = await createTempSite(
      {
        'content/pages/about.en.md': '---\ntitle: About\n---\n\nAbout us.\n',
        // An author's own link to the missing page is still reported, at the Markdown line.
        'content/posts/2026-01-01-hello.en.md': '---\ntitle: Hello\ndate: 2026-01-01\n---\n\nSee [gone](../../gone/index.html).\n',
      },
      config("{ label: 'Gone', path: 'gone/index.html' }"),
    );
    const r = await build(root);
    expect(r.code).toBe(1);
    expect(r.out, r.out).toMatch(/stele\.config\.ts:9:22 error STELE2010/);
    expect(r.out).toContain('menu[1].path "gone/index.html" names no page of this site in en');
    expect(r.out).toMatch(/content\/posts\/2026-01-01-hello\.en\.md:\d+:\d+ error STELE4101/);
    expect(r.out.match(/error STELE/g)).toHaveLength(2);
    expect(r.out).not.toContain('dist/');
  });

  it('a page file builds', async () => {
    const root = await createTempSite({ 'content/pages/about.en.md': '---\ntitle: About\n---\n\nAbout us.\n' }, config("{ label: 'About', path: 'about/index.html' }"));
    const r = await build(root);
    expect(r.code, r.out).toBe(0);
  });
});

describe('source marks never reach the output', () => {
  it('a clean build carries no mark, and an author cannot write one', async () => {
    const root = await createTempSite({
      'content/pages/about.en.md': '---\ntitle: About\n---\n\nAbout us.\n',
      [POST]: `---\ntitle: Hello\ndate: 2026-01-01\n---\n\nSee [about](../pages/about.en.md) and [out](https://example.org/).\n\n<p><a href="#top" data-stele-src="0:0">top</a> <a href="#top" data-stele-src="1:2" data-stele-mark="3">top</a></p>\n`,
    });
    const r = await build(root);
    expect(r.code, r.out).toBe(0);
    const dist = join(root, 'dist');
    const files = (await readdir(dist, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = await readFile(join(f.parentPath, f.name), 'latin1');
      expect(text, join(f.parentPath, f.name)).not.toMatch(/data-stele-(src|mark)/);
    }
    const page = await readFile(join(dist, 'posts/hello/index.html'), 'utf8');
    expect(page).toContain('<a href="../../about/index.html">about</a>');
  });
});
