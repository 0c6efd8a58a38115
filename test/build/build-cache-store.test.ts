/**
 * The store under `.stele/cache` (`build-cache.ts`) on an in-memory disk: a
 * save writes only the entries a build made as one new segment, keeps the old
 * segments by reference, copies the live records into one segment when the old
 * ones are mostly dead, checks every entry again when the protected names
 * change, and a save cut short leaves the previous cache readable.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { BuildCache } from '../../src/build/build-project.js';
import { applyLayoutDiff, createLayoutDiff, createLayoutPacker, loadBuildCache, saveBuildCache } from '../../src/build/build-cache.js';
import type { Redactor } from '../../src/errors/redact.js';
import { createMemoryFileSystem } from '../../src/io/memory-fs.js';
import { parseFrontMatter } from '../../src/content/front-matter.js';
import type { ParsedSource } from '../../src/content/load-content.js';
import { digestBytes, Memo } from '../../src/io/memo.js';
import type { LaidOutPage } from '../../src/site/create-site.js';

setFlagsFromString('--expose-gc');
/** A full garbage collection (V8's `gc`, exposed above). */
const collectGarbage = runInNewContext('gc') as () => void;

const DIR = '/project/.stele/cache';
const OPTIONS = { dir: DIR, codeId: 'test' };

/** A redactor that protects `names` (substring match). */
function createRedactor(names: string[]): Redactor {
  return {
    redactText: (text) => names.reduce((t, n) => t.replaceAll(n, '[withheld]'), text),
    findLines: (text) => new Set(text.split('\n').flatMap((line, i) => (names.some((n) => line.includes(n)) ? [i] : []))),
    protectsLine: () => false,
  };
}

/** A cache whose Traditional table used `texts` (each converted to itself, upper-cased). */
function createCache(texts: string[]): BuildCache {
  const traditional = new Memo<string>();
  for (const t of texts) traditional.set(t, t.toUpperCase());
  return { traditional };
}

/** Use every entry of a loaded cache, as a build that needed them all would. */
function useAll(cache: BuildCache, texts: string[]): void {
  for (const t of texts) expect(cache.traditional!.get(t)).toBe(t.toUpperCase());
}

const segments = (fs: ReturnType<typeof createMemoryFileSystem>) => [...fs.files.keys()].filter((p) => p.endsWith('.seg')).sort();
const temporaries = (fs: ReturnType<typeof createMemoryFileSystem>) => [...fs.files.keys()].filter((p) => p.endsWith('.tmp')).sort();
const bytesOf = (fs: ReturnType<typeof createMemoryFileSystem>) => [...fs.files].map(([p, b]) => `${p}:${Buffer.from(b).toString('base64')}`).sort();

describe('the build cache store', () => {
  const texts = Array.from({ length: 40 }, (_, i) => `text ${i} ${'x'.repeat(200)}`);
  const build = { redactor: createRedactor([]), output: new Map(), namesKey: 'names-1' };

  it('writes one segment, reads it back lazily, and leaves the files alone when nothing changed', async () => {
    const fs = createMemoryFileSystem();
    expect(await saveBuildCache(fs, OPTIONS, 'production', createCache(texts), build)).toBe(true);
    expect(segments(fs).length).toBe(1);
    const loaded = (await loadBuildCache(fs, OPTIONS, 'production'))!;
    expect(loaded.traditional!.size).toBe(texts.length);
    useAll(loaded, texts);
    const before = bytesOf(fs);
    expect(await saveBuildCache(fs, OPTIONS, 'production', loaded, build)).toBe(true);
    expect(bytesOf(fs)).toEqual(before);
    // Another mode or another code reads nothing.
    expect(await loadBuildCache(fs, OPTIONS, 'development')).toBeUndefined();
    expect(await loadBuildCache(fs, { dir: DIR, codeId: 'other' }, 'production')).toBeUndefined();
  });

  it('adds only what a build made as a new segment, and copies the live records into one when most are dead', async () => {
    const fs = createMemoryFileSystem();
    await saveBuildCache(fs, OPTIONS, 'production', createCache(texts), build);
    const [first] = segments(fs);
    const firstBytes = fs.files.get(first!);
    let loaded = (await loadBuildCache(fs, OPTIONS, 'production'))!;
    useAll(loaded, texts);
    loaded.traditional!.set('one more', 'ONE MORE');
    await saveBuildCache(fs, OPTIONS, 'production', loaded, build);
    expect(segments(fs).length).toBe(2);
    expect(fs.files.get(first!)).toEqual(firstBytes);
    loaded = (await loadBuildCache(fs, OPTIONS, 'production'))!;
    expect(loaded.traditional!.get('one more')).toBe('ONE MORE');
    useAll(loaded, texts);
    // A build that uses only a few entries: the rest are dropped, and the survivors copied into one segment.
    loaded = (await loadBuildCache(fs, OPTIONS, 'production'))!;
    useAll(loaded, texts.slice(0, 3));
    await saveBuildCache(fs, OPTIONS, 'production', loaded, build);
    expect(segments(fs).length).toBe(1);
    expect(segments(fs)).not.toContain(first);
    loaded = (await loadBuildCache(fs, OPTIONS, 'production'))!;
    expect(loaded.traditional!.size).toBe(3);
    useAll(loaded, texts.slice(0, 3));
  });

  it('checks every kept entry again when the protected names change', async () => {
    const fs = createMemoryFileSystem();
    await saveBuildCache(fs, OPTIONS, 'production', createCache(texts), build);
    const loaded = (await loadBuildCache(fs, OPTIONS, 'production'))!;
    useAll(loaded, texts);
    await saveBuildCache(fs, OPTIONS, 'production', loaded, { redactor: createRedactor(['text 7 ']), output: new Map(), namesKey: 'names-2' });
    const all = Buffer.concat([...fs.files.values()].map((b) => Buffer.from(b)));
    expect(all.includes(Buffer.from('text 7 '))).toBe(false);
    expect(all.includes(Buffer.from('text 8 '))).toBe(true);
    expect((await loadBuildCache(fs, OPTIONS, 'production'))!.traditional!.size).toBe(texts.length - 1);
  });

  it('a save cut short leaves the previous cache as it was; a missing or damaged segment is a miss', async () => {
    const fs = createMemoryFileSystem();
    await saveBuildCache(fs, OPTIONS, 'production', createCache(texts), build);
    const loaded = (await loadBuildCache(fs, OPTIONS, 'production'))!;
    useAll(loaded, texts);
    loaded.traditional!.set('one more', 'ONE MORE');
    // The index cannot be replaced: the new segment is written, the old index still names the old one.
    const rename = fs.rename.bind(fs);
    fs.rename = async (from, to) => {
      if (to.endsWith('.idx')) throw new Error('killed');
      return rename(from, to);
    };
    expect(await saveBuildCache(fs, OPTIONS, 'production', loaded, build)).toBe(false);
    fs.rename = rename;
    expect(temporaries(fs)).toEqual([]);
    // A build killed during its save (no catch ran) leaves its temporary files behind.
    fs.files.set(`${DIR}/production-99999.tmp`, new Uint8Array(8));
    fs.files.set(`${DIR}/build-production.idx.99999.tmp`, new Uint8Array(8));
    const again = (await loadBuildCache(fs, OPTIONS, 'production'))!;
    expect(again.traditional!.size).toBe(texts.length);
    useAll(again, texts);
    // The stray segment is removed by the next save.
    again.traditional!.set('one more', 'ONE MORE');
    await saveBuildCache(fs, OPTIONS, 'production', again, build);
    expect(segments(fs).length).toBe(2);
    expect(temporaries(fs)).toEqual([]);
    const [seg] = segments(fs);
    const bytes = new Uint8Array(fs.files.get(seg!)!);
    bytes[10] = bytes[10]! ^ 0xff;
    fs.files.set(seg!, bytes);
    expect(await loadBuildCache(fs, OPTIONS, 'production')).toBeUndefined();
    fs.files.delete(seg!);
    expect(await loadBuildCache(fs, OPTIONS, 'production')).toBeUndefined();
  });

  it('keeps a front-matter parse without its locator, and locates a field as the parse did', async () => {
    const fs = createMemoryFileSystem();
    const text = '---\ntitle: A title\ndate: 2026-01-02\ntags:\n  - one\n  - two\n---\n\nThe body.\n';
    const fm = parseFrontMatter(text, 'content/posts/a.en.md');
    const head = text.slice(0, text.length - fm.body.length);
    const frontMatter = new Memo<ParsedSource>();
    const key = 'content/posts/a.en.md\u0000\u0001digest';
    frontMatter.set(key, { rosterLines: [], fm, head });
    // A file with a roster is never kept.
    frontMatter.set('content/people/b.en.md\u0000\u0001digest', { rosterLines: [[2, 4]], fm, head });
    await saveBuildCache(fs, OPTIONS, 'production', { frontMatter }, build);
    const loaded = (await loadBuildCache(fs, OPTIONS, 'production'))!;
    expect(loaded.frontMatter!.size).toBe(1);
    const parsed = loaded.frontMatter!.get(key)!;
    expect(parsed.fm.data).toEqual(fm.data);
    expect(parsed.fm.body).toBe(fm.body);
    expect(parsed.fm.bodyLine).toBe(fm.bodyLine);
    for (const path of [['title'], ['date'], ['tags', 1]]) expect(parsed.fm.locate(path)).toEqual(fm.locate(path));
  });

  it('writes a laid-out page as its differences from the hardened page, and gives back the same bytes', async () => {
    const enc = new TextEncoder();
    const body = Array.from({ length: 200 }, (_, i) => `<p>Paragraph ${i} <a href="../p${i}/index.html">a link</a></p>`).join('\n');
    const laid = enc.encode(`<!doctype html><html><head><title>T</title></head><body>${body}<img src="a.png" alt="A"></body></html>`);
    const hardened = enc.encode(
      `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>T</title></head><body>${body.replaceAll('<a href', '<a rel="noopener" href')}<img src="a.png" alt="A" decoding="async"></body></html>`,
    );
    const parts = createLayoutDiff(laid, hardened)!;
    expect(parts).toBeDefined();
    expect(Buffer.compare(Buffer.from(applyLayoutDiff(parts, hardened)!), Buffer.from(laid))).toBe(0);
    // Unrelated bytes are not written as a diff.
    expect(createLayoutDiff(laid, enc.encode('something else entirely'))).toBeUndefined();
    // Through the store: the laid-out page comes back from its hardened page's record.
    const fs = createMemoryFileSystem();
    const layout = new Memo<{ bytes: Uint8Array }>();
    layout.set('page', { bytes: laid });
    const harden = new Memo<never>();
    harden.set(`context\u0000index.html\u0000false\u0000\u0001${digestBytes(laid)}`, { html: hardened, diagnostics: [], summary: {}, shifts: [] } as never);
    await saveBuildCache(fs, OPTIONS, 'production', { layout, harden } as BuildCache, build);
    const segment = fs.files.get(segments(fs)[0]!)!;
    expect(segment.byteLength).toBeLessThan(hardened.byteLength + laid.byteLength / 4);
    const loaded = (await loadBuildCache(fs, OPTIONS, 'production'))!;
    const page = loaded.layout!.get('page')!;
    expect(Buffer.compare(Buffer.from(page.bytes), Buffer.from(laid))).toBe(0);
    // A page of its own, not a view of the segment.
    expect(page.bytes.buffer.byteLength).toBe(laid.byteLength);
  });

  it('lets go of a laid-out page once its hardened page exists, and gives it back, by the memo, to the search and to the next build', async () => {
    const enc = new TextEncoder();
    const body = Array.from({ length: 200 }, (_, i) => `<p>Paragraph ${i} <a href="../p${i}/index.html">a link</a></p>`).join('\n');
    const text = `<!doctype html><html><head><title>T</title></head><body>${body}</body></html>`;
    const hardened = enc.encode(text.replace('<title>', `<meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>`).replaceAll('<a href', '<a rel="noopener" href'));
    const layout = new Memo<LaidOutPage>();
    const harden = new Memo<never>();
    const marks = [{ offset: 60, file: 'content/posts/a.en.md', line: 3, column: 1 }];
    // Made in a function of its own, so that nothing but the memo and the packer could hold the laid-out bytes.
    const lay = () => {
      const laid = enc.encode(text);
      layout.set('page', { bytes: laid, marks } as LaidOutPage);
      return { digest: digestBytes(laid), ref: new WeakRef(laid) };
    };
    const { digest, ref } = lay();
    const hardenKey = `context\u0000index.html\u0000false\u0000\u0001${digest}`;
    harden.set(hardenKey, { html: hardened, diagnostics: [], summary: {}, shifts: [] } as never);
    const cache = { layout, harden } as BuildCache;
    const packer = createLayoutPacker(cache, { redactor: createRedactor([]), namesKey: 'names-1' });
    const reread = packer.rereadPage('index.html', ref.deref()!)!;
    expect(reread).toBeDefined();
    // Before it is hardened the search reads the page as laid out.
    expect(Buffer.from(reread()!).toString()).toBe(text);
    packer.onPage({ path: 'index.html', input: ref.deref()!, html: hardened, memoKey: hardenKey });
    // The memo keeps the page only as its record now: used by the build, no longer holding the bytes.
    expect([...layout.usedEntries()]).toEqual([]);
    expect(layout.size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
    // Read again, the same bytes: by the search, by the memo, and by the next build from the saved record.
    expect(Buffer.from(reread()!).toString()).toBe(text);
    const fs = createMemoryFileSystem();
    await saveBuildCache(fs, OPTIONS, 'production', cache, build);
    expect(Buffer.from(layout.get('page')!.bytes).toString()).toBe(text);
    expect(layout.get('page')!.marks).toEqual(marks);
    const loaded = (await loadBuildCache(fs, OPTIONS, 'production'))!;
    expect(Buffer.from(loaded.layout!.get('page')!.bytes).toString()).toBe(text);
    expect(loaded.layout!.get('page')!.marks).toEqual(marks);
    expect(fs.files.get(segments(fs)[0]!)!.byteLength).toBeLessThan(hardened.byteLength + text.length / 4);
    // A page with a protected name stays whole, and is left out of the save as before.
    const secret = new Memo<LaidOutPage>();
    const secretBytes = enc.encode(`${text}Shi Aiqin`);
    secret.set('page', { bytes: secretBytes });
    const other = { layout: secret, harden } as BuildCache;
    createLayoutPacker(other, { redactor: createRedactor(['Shi Aiqin']), namesKey: 'names-2' }).onPage({ path: 'index.html', input: secretBytes, html: hardened, memoKey: hardenKey });
    expect([...secret.usedEntries()].length).toBe(1);
    const fs2 = createMemoryFileSystem();
    await saveBuildCache(fs2, OPTIONS, 'production', other, { ...build, redactor: createRedactor(['Shi Aiqin']), namesKey: 'names-2' });
    expect((await loadBuildCache(fs2, OPTIONS, 'production'))!.layout!.size).toBe(0);
  });
});
