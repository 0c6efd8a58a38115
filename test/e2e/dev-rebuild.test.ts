/**
 * `stele dev` rebuilds re-lay out only the pages an edit touches (memo tables
 * for entries, lists, feeds, the sitemap, hardening and checks). After every
 * kind of edit, each file of the dev rebuild must be byte for byte the file a
 * cold build of the edited source makes: the post, its translations and its
 * derived zh-Hant page, the list, tag and archive pages it is on, their
 * neighbours, the feeds, the home page and the sitemap.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BuildCache, type BuildResult, buildProject } from '../../src/build/build-project.js';
import { LIVE_RELOAD } from '../../src/cli/commands/dev.js';
import { createCachedFileSystem } from '../../src/io/cached-fs.js';
import { createNodeHost } from '../../src/io/host.js';
import { copyExampleSources } from '../helpers/temp-site.js';
import { SEARCH_INDEX_DIR } from '../../src/site/search-pagefind.js';

const now = new Date('2026-11-25T12:00:00Z');
const host = { ...createNodeHost({ quiet: true }), now: () => now };
const dir = copyExampleSources('stele-dev-rebuild-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const posts = join(dir, 'content/posts');
/** A few more dated, tagged posts in both languages, so lists paginate (the example's `pageSize` is 2). */
for (let i = 1; i <= 5; i++) {
  const date = `2025-0${i}-1${i}`;
  const tags = i % 2 ? '[security, vigil]' : '[vigil]';
  writeFileSync(join(posts, `${date}-extra-${i}.en.md`), `---\ntitle: Extra post ${i}\ndate: ${date}\ntags: ${tags}\n---\n\nFirst paragraph of extra post ${i}.\n\n## Details\n\nMore text, with a [link to the first post](./2012-02-14-rally-for-zhu-yufu.en.md).\n`);
  writeFileSync(join(posts, `${date}-extra-${i}.zh.md`), `---\ntitle: 附加文章${i}\n---\n\n附加文章${i}的第一段，关于自由与记忆。\n`);
}

/**
 * `stele dev` reads through a cache its watcher empties: here the test says
 * what it changed (`touched`), and everything else comes back as the bytes read before.
 */
const files = createCachedFileSystem(host.fs, (path) => path.startsWith(`${dir}/`));
const touched = new Set<string>();
const devHost = { ...host, fs: files.fs };

/** What `stele dev` builds (drafts, live reload, not sealed, in memory); without `cache`, a cold build from the disk. */
const build = (cache?: BuildCache, deferSearch = false) =>
  buildProject({ root: dir, host: cache ? devHost : host, mode: 'development', write: false, headExtra: LIVE_RELOAD, devConnect: true, ...(cache ? { cache } : {}), deferSearch });

/** Paths whose bytes differ between two outputs (or exist in one only). */
function differences(a: BuildResult, b: BuildResult, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const path of new Set([...a.output!.keys(), ...b.output!.keys()])) {
    if (skip(path)) continue;
    const x = a.output!.get(path);
    const y = b.output!.get(path);
    if (!x || !y || Buffer.compare(x, y) !== 0) out.push(path);
  }
  return out.sort();
}

const edit = (file: string, change: (text: string) => string) => {
  const path = join(posts, file);
  touched.add(path);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  expect(after, file).not.toBe(before);
  writeFileSync(path, after);
};

describe('stele dev rebuilds', () => {
  it('give, after every kind of edit, the bytes of a cold build of the edited source', async () => {
    const cache: BuildCache = { processed: new Map(), cards: new Map() };
    const first = await build(cache);
    expect(first.ok).toBe(true);
    const edits: [string, () => void, (warm: BuildResult) => void][] = [
      [
        'a first paragraph (the summary on lists and feeds)',
        () => edit('2025-03-13-extra-3.en.md', (t) => t.replace('First paragraph of extra post 3.', 'A new first paragraph of extra post 3.')),
        (warm) => {
          const lists = [...warm.output!].filter(([path]) => /^(tags|archive)\/.*index\.html$/.test(path) && new TextDecoder().decode(warm.output!.get(path)).includes('A new first paragraph of extra post 3.'));
          expect(lists.length).toBeGreaterThan(1);
          expect(new TextDecoder().decode(warm.output!.get('atom.xml'))).toContain('A new first paragraph of extra post 3.');
        },
      ],
      [
        'a title (list, tag, archive and home pages, feeds)',
        () => edit('2025-05-15-extra-5.en.md', (t) => t.replace('title: Extra post 5', 'title: Renamed extra post')),
        (warm) => {
          expect(new TextDecoder().decode(warm.output!.get('index.html'))).toContain('Renamed extra post');
          expect(new TextDecoder().decode(warm.output!.get('atom.xml'))).toContain('Renamed extra post');
        },
      ],
      [
        'a tag added and one removed (tag pages appear and go, the tag index counts)',
        () => edit('2025-02-12-extra-2.en.md', (t) => t.replace('tags: [vigil]', 'tags: [newtag]')),
        (warm) => expect(warm.output!.has('tags/newtag/index.html')).toBe(true),
      ],
      [
        'a Simplified Chinese body (its derived Traditional page)',
        () => edit('2025-04-14-extra-4.zh.md', (t) => t.replace('关于自由与记忆', '关于国家与记忆')),
        (warm) => expect(new TextDecoder().decode(warm.output!.get('zh-hant/posts/extra-4/index.html'))).toContain('國家'),
      ],
      [
        'a date (the order of lists, their pages and neighbours)',
        () => edit('2025-01-11-extra-1.en.md', (t) => t.replace('date: 2025-01-11', 'date: 2026-12-01')),
        () => undefined,
      ],
      [
        'a new post',
        () => {
          touched.add(join(posts, '2026-06-01-added.en.md'));
          writeFileSync(join(posts, '2026-06-01-added.en.md'), '---\ntitle: Added post\ndate: 2026-06-01\ntags: [vigil]\n---\n\nAdded while the server runs.\n');
        },
        (warm) => expect(warm.output!.has('posts/added/index.html')).toBe(true),
      ],
      [
        'a post removed',
        () => {
          touched.add(join(posts, '2026-06-01-added.en.md'));
          rmSync(join(posts, '2026-06-01-added.en.md'));
        },
        (warm) => expect(warm.output!.has('posts/added/index.html')).toBe(false),
      ],
    ];
    for (const [what, change, expectation] of edits) {
      change();
      files.forget(touched);
      touched.clear();
      // What the browser reloads to first: this build reuses the last search index.
      const served = await build(cache, true);
      const cold = await build();
      expect(served.ok, what).toBe(true);
      expect(cold.ok, what).toBe(true);
      expect(differences(served, cold, (path) => path.startsWith(`${SEARCH_INDEX_DIR}/`)), what).toEqual([]);
      expectation(served);
      // Then, once edits pause, the search index too.
      const settled = await build(cache);
      expect(differences(settled, cold), what).toEqual([]);
    }
  }, 600_000);
});
