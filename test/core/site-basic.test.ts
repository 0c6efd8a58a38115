/**
 * The whole pipeline on `test/fixtures/sites/basic` (bilingual posts and pages,
 * one tag, an untranslated post, a draft), built in memory with a fixed clock:
 * output listing and key files are pinned as file snapshots, and the site-wide
 * promises are checked on every page (relative links, hreflang, switcher,
 * drafts, determinism, atomic writes).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildProject, digestOutput } from '../../src/build/build-project.js';
import { readOutputText } from '../../src/site/output.js';
import { collectUrls } from '../helpers/html-urls.js';
import { copySiteFixture, createTestHost, FIXED_NOW, removeTempDirs, SITE_FIXTURES } from '../helpers/temp-site.js';

const ROOT = join(SITE_FIXTURES, 'basic');
const BASE = 'https://friends.example.org/';
const LANG_PREFIX: Record<string, string> = { en: '', 'zh-Hans': 'zh-hans/', 'zh-Hant': 'zh-hant/' };

let production: BuildResult;

const text = (r: BuildResult, path: string): string => {
  const t = readOutputText(r.output!, path);
  if (t === undefined) throw new Error(`${path} is not in the output`);
  return t;
};
const htmlPages = (r: BuildResult) => [...r.output!.keys()].filter((p) => p.endsWith('.html')).sort();
const langOf = (path: string) => (path.startsWith('zh-hans/') ? 'zh-Hans' : path.startsWith('zh-hant/') ? 'zh-Hant' : 'en');
const withoutLang = (path: string) => path.replace(/^zh-han[st]\//, '');

beforeAll(async () => {
  production = await buildProject({ root: ROOT, host: createTestHost(), mode: 'production', write: false, noSeal: true });
});
afterAll(removeTempDirs);

describe('basic site, production build', () => {
  it('builds with only the expected warnings', () => {
    expect(production.ok).toBe(true);
    expect(production.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}`)).toEqual([
      'warning STELE1209 content/posts/2011-05-01-poem-published.en.md',
    ]);
    expect(production.seal).toBeUndefined();
  });

  it('produces exactly these files', async () => {
    // Preview cards are drawn with the system's fonts: their hashed names are not pinned (test/core/social-meta.test.ts checks them).
    const listing = `${[...production.output!.keys()].map(unpinCards).sort().join('\n')}\n`;
    await expect(listing).toMatchFileSnapshot('__snapshots__/site-basic/output-paths.txt');
  });

  for (const path of ['index.html', 'posts/rally-for-zhu-yufu/index.html', 'zh-hant/posts/rally-for-zhu-yufu/index.html', 'atom.xml', 'sitemap.xml']) {
    it(`pins ${path}`, async () => {
      await expect(unpinCards(text(production, path))).toMatchFileSnapshot(`__snapshots__/site-basic/${path.replace(/\//g, '__')}.snap`);
    });
  }

  it('derives Traditional Chinese from Simplified, marked as converted', () => {
    const page = text(production, 'zh-hant/posts/rally-for-zhu-yufu/index.html');
    expect(page).toContain('<html lang="zh-Hant">');
    expect(page).toContain('<h1>聲援朱虞夫集會</h1>');
    expect(page).toContain('為言論自由發聲');
    expect(page).toContain('本繁體中文頁面由簡體中文自動轉換。');
    // The hand-written Simplified page is not marked as converted.
    expect(text(production, 'zh-hans/posts/rally-for-zhu-yufu/index.html')).not.toContain('自动转换');
  });

  it('leaves drafts out of every file', () => {
    expect([...production.output!.keys()].some((p) => p.includes('draft-statement'))).toBe(false);
    expect(production.output!.has('archive/2026/index.html')).toBe(false);
    for (const [path] of production.output!) {
      if (/\.(html|xml|json|txt)$/.test(path)) expect(text(production, path), path).not.toContain('Draft statement');
    }
  });

  it('uses only relative internal URLs that point at files in the output (404 pages: root-relative under the site path)', () => {
    const problems: string[] = [];
    let checked = 0;
    const sitePath = new URL(BASE).pathname;
    for (const path of htmlPages(production)) {
      // Servers answer any missing address with a 404 page, so its links start at the site's path instead.
      const notFound = /^(?:[a-z-]+\/)?404\.html$/.test(path);
      for (const u of collectUrls(text(production, path))) {
        if (notFound && !/^([a-z][a-z0-9+.-]*:|#)/i.test(u.value)) {
          if (!u.value.startsWith(sitePath)) problems.push(`${path}: ${u.value} is not under ${sitePath}`);
          else if (!production.output!.has(u.value.slice(sitePath.length).split('#')[0]!)) problems.push(`${path}: ${u.value} does not exist`);
          checked++;
          continue;
        }
        const rel = u.attributes.rel ?? '';
        if (u.tag === 'link' && (rel === 'canonical' || (rel === 'alternate' && u.attributes.hreflang))) {
          // Search engines need absolute canonical/hreflang URLs; they are the only exception.
          if (!u.value.startsWith(BASE)) problems.push(`${path}: ${rel} ${u.value} is not absolute`);
          continue;
        }
        if (/^(mailto:|#)/.test(u.value)) continue;
        if (u.value.startsWith('/')) problems.push(`${path}: root-relative ${u.tag}[${u.attribute}]=${u.value}`);
        if (u.value.startsWith(BASE) || u.value.startsWith(BASE.replace('https:', 'http:'))) problems.push(`${path}: absolute own-site ${u.value}`);
        if (/^[a-z][a-z0-9+.-]*:/i.test(u.value)) {
          problems.push(`${path}: external ${u.tag}[${u.attribute}]=${u.value}`);
          continue;
        }
        const target = posix.normalize(posix.join(posix.dirname(path), u.value.split('#')[0]!));
        const file = target.endsWith('/') || target === '.' ? `${target === '.' ? '' : target}index.html` : target;
        if (!production.output!.has(file)) problems.push(`${path}: ${u.value} -> ${file} does not exist`);
        checked++;
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });

  it('lists every existing language version of every page as an hreflang alternate', () => {
    const pages = htmlPages(production).filter((p) => !p.endsWith('404.html'));
    expect(pages.length).toBe(29); // 26 + a search page per language
    for (const path of pages) {
      const expected = Object.entries(LANG_PREFIX)
        .filter(([, prefix]) => production.output!.has(prefix + withoutLang(path)))
        .map(([lang, prefix]) => `${lang} ${BASE}${(prefix + withoutLang(path)).replace(/index\.html$/, '')}`);
      const found = collectUrls(text(production, path))
        .filter((u) => u.tag === 'link' && u.attributes.rel === 'alternate' && u.attributes.hreflang)
        .map((u) => `${u.attributes.hreflang} ${u.value}`);
      expect(found, path).toEqual(expected);
      expect(found, path).toContain(`${langOf(path)} ${BASE}${path.replace(/index\.html$/, '')}`);
    }
  });

  it('says in the language switcher when a translation is missing', () => {
    const page = text(production, 'posts/poem-published/index.html');
    const switcher = /<nav class="lang-switch"[\s\S]*?<\/nav>/.exec(page)![0];
    expect(switcher).toContain('href="../../zh-hans/index.html" hreflang="zh-Hans" lang="zh-Hans" title="本页尚无此语言版本；链接将前往该语言的首页。"');
    expect(switcher).toContain('<small>(尚未翻译)</small>');
    expect(switcher).toContain('href="../../zh-hant/index.html"');
    expect(switcher).toContain('<small>(尚未翻譯)</small>');
    // A translated page has no such note.
    const translated = /<nav class="lang-switch"[\s\S]*?<\/nav>/.exec(text(production, 'posts/rally-for-zhu-yufu/index.html'))![0];
    expect(translated).not.toContain('<small>');
    expect(translated).toContain('href="../../zh-hans/posts/rally-for-zhu-yufu/index.html"');
  });

  it('rewrites links between Markdown files to the page in the reader’s language', () => {
    expect(text(production, 'posts/rally-for-zhu-yufu/index.html')).toContain('<a href="../../about/index.html#top">about us</a>');
    // The Chinese about page links to the English file; readers get the Chinese post.
    expect(text(production, 'zh-hans/about/index.html')).toContain('<a href="../posts/rally-for-zhu-yufu/index.html">朱虞夫</a>');
    expect(text(production, 'zh-hant/about/index.html')).toContain('<a href="../posts/rally-for-zhu-yufu/index.html">朱虞夫</a>');
  });

  it('is deterministic: two builds give byte-identical output', async () => {
    const again = await buildProject({ root: ROOT, host: createTestHost(), mode: 'production', write: false, noSeal: true });
    expect(digestOutput(again.output!)).toBe(digestOutput(production.output!));
    // The digest does see changes.
    const changed = new Map(again.output!);
    changed.set('index.html', new Uint8Array([1]));
    expect(digestOutput(changed)).not.toBe(digestOutput(production.output!));
  });
});

describe('basic site, development build', () => {
  it('shows drafts', async () => {
    const dev = await buildProject({ root: ROOT, host: createTestHost(), mode: 'development', write: false });
    expect(dev.ok).toBe(true);
    expect(dev.output!.has('posts/draft-statement/index.html')).toBe(true);
    expect(text(dev, 'posts/draft-statement/index.html')).toContain('<h1>Draft statement</h1>');
    expect(text(dev, 'archive/2026/index.html')).toContain('Draft statement');
    expect(dev.seal).toBeUndefined();
  });
});

describe('writing the output', () => {
  it('leaves the previous dist untouched when the build fails, and replaces it fully when it succeeds', async () => {
    const root = await copySiteFixture('basic');
    const dist = join(root, 'dist');
    const host = createTestHost({ now: FIXED_NOW });
    await mkdir(join(dist, 'old'), { recursive: true });
    await writeFile(join(dist, 'sentinel.txt'), 'previous build');
    await writeFile(join(dist, 'old', 'page.html'), 'old page');

    // A broken post: the whole build fails and nothing is written.
    const broken = join(root, 'content/posts/2011-05-01-poem-published.en.md');
    const good = await readFile(broken, 'utf8');
    await writeFile(broken, good.replace('date: 2011-05-01', 'date: 2011-02-30'));
    const failed = await buildProject({ root, host, mode: 'production', write: true, noSeal: true });
    expect(failed.ok).toBe(false);
    expect(failed.outDir).toBeUndefined();
    expect(await readFile(join(dist, 'sentinel.txt'), 'utf8')).toBe('previous build');
    expect((await readdir(dist)).sort()).toEqual(['old', 'sentinel.txt']);
    expect((await readdir(root)).filter((n) => n.includes('.stele-'))).toEqual([]);

    // Fixed: the new site replaces the old folder completely.
    await writeFile(broken, good);
    const ok = await buildProject({ root, host, mode: 'production', write: true, noSeal: true });
    expect(ok.ok).toBe(true);
    expect(ok.outDir).toBe(dist);
    expect(existsSync(join(dist, 'sentinel.txt'))).toBe(false);
    expect(existsSync(join(dist, 'old'))).toBe(false);
    expect(await readFile(join(dist, 'index.html'), 'utf8')).toBe(text(production, 'index.html'));
    expect(await listTree(dist)).toEqual([...production.output!.keys()].sort());
    expect((await readdir(root)).filter((n) => n.includes('.stele-'))).toEqual([]);
  });
});

async function listTree(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await listTree(join(dir, e.name), `${prefix}${e.name}/`)));
    else out.push(prefix + e.name);
  }
  return out.sort();
}

/** A preview card's content-hashed name, without its hash. */
function unpinCards(text: string): string {
  return text.replace(/card-[0-9a-f]{16}\.png/g, 'card-HASH.png');
}
