/**
 * The chunks of a language's search index (`resolveSearchChunks`): a power of
 * two of them, at most `chunkPages` pages each on average, a language that
 * fits in one is one, and a page keeps its chunk when others are added or
 * removed (as long as the count of chunks stays); and how the chunks' indexes
 * are laid out under `pagefind/` (`placeChunkIndexes`).
 */
import fc from 'fast-check';
import { SiteSearchIndexFailed } from '../../src/errors/codes-site.js';
import { describe, expect, it } from 'vitest';
import { createSearchIndex, placeChunkIndexes, resolveSearchChunks, type SearchChunkIndex } from '../../src/site/search-pagefind.js';

const paths = (n: number, prefix = 'posts/p') => Array.from({ length: n }, (_, i) => `${prefix}${i}/index.html`);
const bucketOf = (chunks: Set<string>[], path: string) => chunks.findIndex((c) => c.has(path));

describe('resolveSearchChunks', () => {
  it('keeps a language of at most chunkPages pages in one chunk', () => {
    expect(resolveSearchChunks(paths(1000), 1000).map((c) => c.size)).toEqual([1000]);
    expect(resolveSearchChunks([], 1000).map((c) => c.size)).toEqual([0]);
  });

  it('makes the fewest power of two of chunks with at most chunkPages pages on average, every page in one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 700 }), (n, chunkPages) => {
        const all = paths(n);
        const chunks = resolveSearchChunks(all, chunkPages);
        const k = chunks.length;
        expect(Number.isInteger(Math.log2(k))).toBe(true);
        expect(n / k).toBeLessThanOrEqual(chunkPages);
        if (k > 1) expect(n / (k / 2)).toBeGreaterThan(chunkPages);
        expect(chunks.reduce((s, c) => s + c.size, 0)).toBe(n);
        for (const p of all) expect(chunks.filter((c) => c.has(p)).length).toBe(1);
      }),
      { numRuns: 60 },
    );
  });

  it('spreads pages evenly enough: no chunk of 1000-page chunks of 16000 pages is above 1150', () => {
    const sizes = resolveSearchChunks(paths(16_000), 1000).map((c) => c.size);
    expect(sizes.length).toBe(16);
    expect(Math.max(...sizes)).toBeLessThan(1150);
  });

  it('keeps every page in its chunk when a page is added or removed, so one chunk changes', () => {
    const all = paths(3000);
    const before = resolveSearchChunks(all, 1000);
    const added = resolveSearchChunks([...all, 'posts/new/index.html'], 1000);
    const removed = resolveSearchChunks(all.slice(1), 1000);
    expect(before.length).toBe(4);
    for (const after of [added, removed]) {
      expect(after.length).toBe(4);
      for (const p of all.slice(1)) expect(bucketOf(after, p)).toBe(bucketOf(before, p));
      const changed = after.filter((c, i) => c.size !== before[i]!.size || [...c].some((p) => !before[i]!.has(p)));
      expect(changed.length).toBe(1);
    }
  });
});

/** A chunk's index as Pagefind makes it: the shared files, an entry and files named by the language. */
function fakeIndex(lang: string, tag: string, wasm = 'wasm'): SearchChunkIndex {
  const bytes = (s: string) => new TextEncoder().encode(s);
  return {
    diagnostics: [],
    files: [
      ['fragment/' + lang + '_' + tag + '.pf_fragment', bytes(`fragment ${tag}`)],
      ['pagefind-entry.json', bytes(JSON.stringify({ version: '1.6.0', languages: { [lang]: { hash: `${lang}_${tag}`, wasm: lang, page_count: 1 } } }))],
      ['pagefind.js', bytes('pagefind')],
      [`wasm.${lang}.pagefind`, bytes(wasm)],
    ],
  };
}

describe('placeChunkIndexes', () => {
  it('puts each language’s first chunk at the top, the others in folders, and lists those', () => {
    const placed = placeChunkIndexes([
      { lang: 'zh-hans', bucket: 2, index: fakeIndex('zh-hans', 'b') },
      { lang: 'en', bucket: 0, index: fakeIndex('en', 'a') },
      { lang: 'zh-hans', bucket: 1, index: fakeIndex('zh-hans', 'a') },
      { lang: 'en', bucket: 3, index: fakeIndex('en', 'b') },
    ]);
    if (typeof placed === 'string') throw new Error(placed);
    expect([...placed.keys()]).toEqual([
      'chunks/en/3/fragment/en_b.pf_fragment',
      'chunks/en/3/pagefind-entry.json',
      'chunks/zh-hans/2/fragment/zh-hans_b.pf_fragment',
      'chunks/zh-hans/2/pagefind-entry.json',
      'fragment/en_a.pf_fragment',
      'fragment/zh-hans_a.pf_fragment',
      'pagefind-entry.json',
      'pagefind.js',
      'stele-chunks.json',
      'wasm.en.pagefind',
      'wasm.zh-hans.pagefind',
    ]);
    expect(JSON.parse(new TextDecoder().decode(placed.get('stele-chunks.json')!))).toEqual({ en: ['chunks/en/3/'], 'zh-hans': ['chunks/zh-hans/2/'] });
    expect(Object.keys(JSON.parse(new TextDecoder().decode(placed.get('pagefind-entry.json')!)).languages)).toEqual(['en', 'zh-hans']);
  });

  it('refuses chunks whose shared files differ', () => {
    const placed = placeChunkIndexes([
      { lang: 'en', bucket: 0, index: fakeIndex('en', 'a') },
      { lang: 'en', bucket: 1, index: fakeIndex('en', 'b', 'other wasm') },
    ]);
    expect(placed).toMatch(/different wasm\.en\.pagefind/);
  });
});

describe('chunks that wait for their turn', () => {
  const encoder = new TextEncoder();
  const page = (i: number) => encoder.encode(`<!doctype html><html lang="en"><head><title>p${i}</title></head><body><main data-pagefind-body><h1>Post ${i}</h1><p>Words of page ${i}: rally, court, witness ${i}.</p></main></body></html>`);
  const all = paths(8);
  const site = () => new Map<string, Uint8Array>(all.map((path, i) => [path, page(i)]));
  const indexFiles = (out: Map<string, Uint8Array>) => [...out].filter(([path]) => path.startsWith('pagefind/')).map(([path, bytes]) => `${path}:${Buffer.from(bytes).toString('base64')}`);

  it('read their pages again when their turn comes, for the same index; a page that does not come back as it was fails its chunk', async () => {
    const plain = site();
    expect(await createSearchIndex(plain, { pages: all, chunkPages: 1 })).toEqual([]);
    // Each page given back as a copy of its bytes, from outside the index's own copy.
    const copies = new Map(all.map((path, i) => [path, page(i)]));
    const asked: string[] = [];
    const read: string[] = [];
    const rereading = site();
    const diagnostics = await createSearchIndex(rereading, {
      pages: all,
      chunkPages: 1,
      rereadPage: (path) => {
        asked.push(path);
        return () => {
          read.push(path);
          return copies.get(path);
        };
      },
    });
    expect(diagnostics).toEqual([]);
    expect(indexFiles(rereading)).toEqual(indexFiles(plain));
    // Every chunk but the one indexed first waited, and read every page of it again, once.
    const chunks = resolveSearchChunks(all, 1).filter((c) => c.size);
    expect(asked.length).toBe(all.length - chunks.find((c) => !asked.some((p) => c.has(p)))!.size);
    expect([...read].sort()).toEqual([...asked].sort());
    // A page read back with other bytes: its chunk fails, naming it, and the index is not placed.
    copies.set(asked[0]!, page(99));
    const failed = await createSearchIndex(site(), { pages: all, chunkPages: 1, rereadPage: (path) => () => copies.get(path) });
    expect(failed.map((d) => d.code)).toEqual([SiteSearchIndexFailed.code]);
    expect(failed[0]!.message).toContain(asked[0]);
  }, 120_000);
});
