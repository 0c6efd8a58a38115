/**
 * Issue 12 item 4: every file the build reads from a content reference must
 * resolve (after percent-decoding, `..` and symbolic links) inside the content
 * folder; anything else is an error with file and line, and nothing is
 * published. Item 10: a malformed percent escape is a diagnostic, not a crash.
 */
import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { resolveContentReference } from '../../src/content/content-path.js';
import { createMemoryFileSystem } from '../../src/io/memory-fs.js';
import { createNoiseJpeg } from '../assets/fixtures.js';
import { createTempDir, createTempSite, createTestHost, removeTempDirs, writeFiles } from '../helpers/temp-site.js';

afterAll(removeTempDirs);

const POST = 'content/posts/2012-01-01-x.en.md';
const post = (body: string, frontMatter = '') => `---\ntitle: T\ndate: 2012-01-01\n${frontMatter}---\n\n${body}\n`;

async function build(root: string): Promise<{ code: number; out: string; json: { diagnostics: { code: string; file?: string; line?: number }[] } }> {
  let out = '';
  const code = await runCli(['build', root, '--no-seal', '--json'], {
    host: createTestHost(),
    isTTY: false,
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      out += t;
    },
  });
  return { code, out, json: JSON.parse(out) };
}

/** A project whose parent holds a private photo, plus the photo inside `root/private/`. */
async function createSiteNextToSecret(files: (root: string) => Record<string, string>): Promise<string> {
  const outer = await createTempDir('stele-outside-');
  const jpeg = await createNoiseJpeg(40, 30, 9);
  await writeFiles(outer, { 'private/secret.jpg': jpeg });
  const root = join(outer, 'site');
  await mkdir(root);
  await writeFiles(root, { 'private/secret.jpg': jpeg, 'stele.config.ts': (await import('../helpers/temp-site.js')).createConfigSource() });
  await writeFiles(root, files(root));
  return root;
}

describe('image references outside the content folder', () => {
  const cases: [string, (root: string) => Record<string, string>, number, string][] = [
    ['`..` in a Markdown image', () => ({ [POST]: post('![a](../../private/secret.jpg)') }), 6, 'STELE1250'],
    ['percent-encoded `..`', () => ({ [POST]: post('![a](%2e%2e/%2E%2E/private/secret.jpg)') }), 6, 'STELE1250'],
    ['percent-encoded slashes', () => ({ [POST]: post('![a](..%2f..%2fprivate%2fsecret.jpg)') }), 6, 'STELE1250'],
    ['backslashes in cover.src', () => ({ [POST]: post('hi', "cover: { src: '..\\..\\..\\private\\secret.jpg', alt: x }\n") }), 4, 'STELE1250'],
    ['a long run of `../` to an absolute path', (root) => ({ [POST]: post(`![a](${'../'.repeat(40)}${root.slice(1)}/private/secret.jpg)`) }), 6, 'STELE1250'],
    ['an absolute path', (root) => ({ [POST]: post(`![a](${root}/private/secret.jpg)`) }), 6, 'STELE1250'],
    ['`..` in cover.src', () => ({ [POST]: post('hi', 'cover: { src: ../../../private/secret.jpg, alt: x }\n') }), 4, 'STELE1250'],
    ['an absolute cover.src', (root) => ({ [POST]: post('hi', `cover:\n  src: ${root}/private/secret.jpg\n  alt: x\n`) }), 5, 'STELE1250'],
    [
      'a portrait with `..`',
      () => ({ 'content/people/li.en.md': '---\ntitle: Li\nnames: { en: Li Wei }\nstatus: detained\nportrait: { src: ../../private/secret.jpg, alt: Li }\n---\n' }),
      5,
      'STELE1250',
    ],
    [
      'event photos with `..`',
      () => ({
        'content/events/rally.en.md': '---\ntitle: Rally\nkind: rally\nstart: 2012-02-14\nplace: { name: { en: Square } }\nphotos:\n  - src: ./ok-missing.jpg\n    alt: ok\n  - src: ../../private/secret.jpg\n    alt: x\n---\n',
      }),
      9,
      'STELE1250',
    ],
    ['a malformed percent escape in cover.src', () => ({ [POST]: post('hi', 'cover: { src: ./a%zz.jpg, alt: x }\n') }), 4, 'STELE1251'],
    ['invalid UTF-8 in a Markdown image', () => ({ [POST]: post('![a](./a%ff%fe.jpg)') }), 6, 'STELE1251'],
    ['invalid UTF-8 in a link', () => ({ [POST]: post('[a](./a%ff.md)') }), 6, 'STELE1251'],
  ];
  for (const [name, files, line, code] of cases) {
    it(`refuses ${name} with file and line, and publishes nothing`, async () => {
      const root = await createSiteNextToSecret(files);
      const r = await build(root);
      expect(r.code).toBe(1);
      const hits = r.json.diagnostics.filter((d) => d.code === code);
      expect(hits.length, r.out).toBeGreaterThan(0);
      expect(hits[0]).toMatchObject({ line });
      expect(hits[0]!.file).toMatch(/^content\//);
      expect(r.out).not.toMatch(/URIError|\n\s+at /);
      expect(existsSync(join(root, 'dist'))).toBe(false);
    });
  }

  it('refuses a symbolic link inside content/ that points outside, with file and line', async () => {
    const root = await createSiteNextToSecret(() => ({ [POST]: post('text\n\n![a](./link.jpg)', 'cover: { src: ./cover-link.jpg, alt: c }\n') }));
    await symlink(join(root, '..', 'private', 'secret.jpg'), join(root, 'content/posts/link.jpg'));
    await symlink(join(root, 'private'), join(root, 'content/posts/dir'));
    await symlink(join(root, 'private', 'secret.jpg'), join(root, 'content/posts/cover-link.jpg'));
    const r = await build(root);
    expect(r.code).toBe(1);
    const outside = r.json.diagnostics.filter((d) => d.code === 'STELE1250');
    expect(outside).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: POST, line: 9 }), expect.objectContaining({ file: POST, line: 4 })]),
    );
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });

  it('refuses a link through a symlinked folder', async () => {
    const root = await createSiteNextToSecret(() => ({ [POST]: post('![a](./dir/secret.jpg)') }));
    await symlink(join(root, 'private'), join(root, 'content/posts/dir'));
    const r = await build(root);
    expect(r.code).toBe(1);
    expect(r.json.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'STELE1250', file: POST, line: 6 })]));
  });

  it('still publishes images inside the content folder, also through a symlink that stays inside', async () => {
    const jpeg = await createNoiseJpeg(40, 30, 3);
    const root = await createTempSite({ [POST]: post('![a](./photo.jpg) ![b](./inside-link.jpg) ![c](../media/x%20y.jpg)'), 'content/posts/photo.jpg': jpeg, 'content/media/x y.jpg': jpeg });
    await symlink(join(root, 'content/posts/photo.jpg'), join(root, 'content/posts/inside-link.jpg'));
    const r = await build(root);
    expect(r.code, r.out).toBe(0);
  });

  it('reports a folder named as an image instead of crashing', async () => {
    const root = await createTempSite({ [POST]: post('hi', 'cover: { src: ./folder, alt: x }\n'), 'content/posts/folder/a.txt': 'x' });
    const r = await build(root);
    expect(r.code).toBe(1);
    expect(r.json.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'STELE1208', file: POST })]));
  });
});

describe('resolveContentReference', () => {
  it('keeps paths inside the folder and refuses the rest', () => {
    const from = 'content/posts/a.en.md';
    expect(resolveContentReference(from, './p.jpg', 'content')).toEqual({ ok: true, path: 'content/posts/p.jpg' });
    expect(resolveContentReference(from, '../m/p%20q.jpg?x#y', 'content')).toEqual({ ok: true, path: 'content/m/p q.jpg' });
    expect(resolveContentReference(from, '../../p.jpg', 'content')).toEqual({ ok: false, problem: 'outside' });
    expect(resolveContentReference(from, '../../content-other/p.jpg', 'content')).toEqual({ ok: false, problem: 'outside' });
    expect(resolveContentReference(from, '/etc/passwd', 'content')).toEqual({ ok: false, problem: 'absolute' });
    expect(resolveContentReference(from, '%2Fetc%2Fpasswd', 'content')).toEqual({ ok: false, problem: 'absolute' });
    expect(resolveContentReference(from, 'C:\\x.jpg', 'content')).toEqual({ ok: false, problem: 'absolute' });
    expect(resolveContentReference(from, 'a%00.jpg', 'content')).toEqual({ ok: false, problem: 'malformed' });
    expect(resolveContentReference(from, 'a%e4.jpg', 'content')).toEqual({ ok: false, problem: 'malformed' });
  });

  it('memory file system: realpath normalises and rejects missing paths', async () => {
    const fs = createMemoryFileSystem({ '/p/content/a.jpg': 'x' });
    expect(await fs.realpath('/p/content/../content/a.jpg')).toBe('/p/content/a.jpg');
    expect(await fs.realpath('/p/content/')).toBe('/p/content');
    await expect(fs.realpath('/p/nothing')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
