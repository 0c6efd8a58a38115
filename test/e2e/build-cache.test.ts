/**
 * The persistent build cache (`.stele/cache`) on the whole example site: a
 * build in a new process (a fresh `BuildCache` read from disk) makes output
 * byte-identical to a cold build, with nothing changed and with one post
 * edited; it renders again only the edited entry and indexes again only the
 * search index chunk that holds its page; it never holds a withheld
 * name; and a damaged cache, or one written by other code, is a cold build.
 */
import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_CACHE_DIR } from '../../src/build/build-cache.js';
import { type BuildResult, buildProject } from '../../src/build/build-project.js';
import { createTempDir, createTestHost, FIXED_NOW, removeTempDirs } from '../helpers/temp-site.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/cfcr/', import.meta.url));
const POST = 'content/posts/2026-11-25-our-new-signed-site.en.md';
/** The example's withheld roster member, in every form the cache could hold. */
const WITHHELD = ['Lian Jizi', '廉姬子'];
/** Pages per search index chunk: small, so that each language has several. */
const CHUNK_PAGES = 2;

let root: string;

/** One build in "a new process": nothing is shared with earlier builds but the cache folder. */
function build(options: { cache?: boolean; codeId?: string } = {}): Promise<BuildResult> {
  return buildProject({
    root,
    host: createTestHost({ now: FIXED_NOW }),
    mode: 'production',
    noSeal: true,
    write: false,
    ...(options.cache === false ? {} : { persistentCache: { dir: join(root, BUILD_CACHE_DIR), codeId: options.codeId ?? 'test-code' } }),
  });
}

function expectSameOutput(a: BuildResult, b: BuildResult): void {
  expect(a.ok && b.ok).toBe(true);
  const left = a.output!;
  const right = b.output!;
  expect([...right.keys()].sort()).toEqual([...left.keys()].sort());
  const differing = [...left].filter(([path, bytes]) => Buffer.compare(Buffer.from(bytes), Buffer.from(right.get(path)!)) !== 0).map(([p]) => p);
  expect(differing).toEqual([]);
}

/** The cache's files (its index and segments) by name. */
async function readCache(): Promise<Map<string, Buffer>> {
  const dir = join(root, BUILD_CACHE_DIR);
  const names = (await readdir(dir)).filter((n) => n.startsWith('build-production.') || n.startsWith('production-')).sort();
  return new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n))] as const)));
}

beforeAll(async () => {
  root = await createTempDir('stele-build-cache-');
  await cp(EXAMPLE, root, { recursive: true, filter: (src) => !/[/\\](dist|keys)$/.test(src) && !src.includes(`${BUILD_CACHE_DIR}`) });
  // A search index in several chunks per language, so that a rebuild can index some and remember the others.
  const config = join(root, 'stele.config.ts');
  await writeFile(config, (await readFile(config, 'utf8')).replace('defineConfig({', `defineConfig({\n  search: { chunkPages: ${CHUNK_PAGES} },`));
}, 60_000);
afterAll(removeTempDirs);

describe('the build cache in .stele/cache', () => {
  let cold: BuildResult;

  it('a first build starts cold and leaves a cache', async () => {
    cold = await build();
    expect(cold.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(cold.stats.cache).toBe('cold');
    expect(cold.stats.searchChunks!.chunks).toBeGreaterThan(6);
    expect(cold.stats.searchChunks!.indexed).toBe(cold.stats.searchChunks!.chunks);
    const files = await readCache();
    expect([...files.keys()].filter((n) => n.endsWith('.seg')).length).toBe(1);
    expect((await stat(join(root, BUILD_CACHE_DIR, 'build-production.idx'))).size).toBeGreaterThan(0);
  }, 240_000);

  it('a build in a new process with nothing changed is byte-identical, renders nothing and leaves the cache as it was', async () => {
    const before = await readCache();
    const warm = await build();
    expect(warm.stats.cache).toBe('warm');
    expect(warm.stats.rendered).toBe(0);
    expect(warm.stats.searchChunks).toEqual({ chunks: cold.stats.searchChunks!.chunks, indexed: 0 });
    expectSameOutput(cold, warm);
    expect(await readCache()).toEqual(before);
  }, 240_000);

  it('never holds a withheld name, in any encoding V8 writes strings in', async () => {
    const bytes = Buffer.concat([...(await readCache()).values()]);
    for (const name of WITHHELD) {
      for (const encoding of ['utf8', 'latin1', 'utf16le'] as const) {
        expect(bytes.includes(Buffer.from(name, encoding)), `${encoding} form of a withheld name`).toBe(false);
      }
    }
    // …while the example's published names are in it (the scan above can find what is there).
    expect(bytes.includes(Buffer.from('Du Linze', 'latin1'))).toBe(true);
  });

  it('after one post is edited, renders only that post (and its derived pages) and matches a cold build byte for byte', async () => {
    const path = join(root, POST);
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace(/\n\n([A-Z])/, '\n\nAn edited sentence for the cache test. $1'));
    const before = await readCache();
    const warm = await build();
    expect(warm.stats.cache).toBe('warm');
    expect(warm.stats.rendered).toBe(1);
    // The edited page is in one chunk of its language: only that chunk is indexed again.
    expect(warm.stats.searchChunks).toEqual({ chunks: cold.stats.searchChunks!.chunks, indexed: 1 });
    // Only what the edit made is written: one new, small segment beside the old one, which stays as it was.
    const after = await readCache();
    const segments = (files: Map<string, Buffer>) => [...files].filter(([n]) => n.endsWith('.seg'));
    const [old] = segments(before);
    expect(after.get(old![0])).toEqual(old![1]);
    const added = segments(after).filter(([n]) => !before.has(n));
    expect(added.length).toBe(1);
    expect(added[0]![1].byteLength * 10).toBeLessThan(old![1].byteLength);
    const fresh = await build({ cache: false });
    expect(fresh.stats.cache).toBeUndefined();
    expectSameOutput(fresh, warm);
    expect(new TextDecoder().decode(warm.output!.get('posts/our-new-signed-site/index.html'))).toContain('An edited sentence for the cache test.');
    cold = fresh;
  }, 240_000);

  it('a damaged cache, or one another stele wrote, is a cold build with the same output', async () => {
    // A byte changed in the largest segment.
    const [name, bytes] = [...(await readCache())].sort(([, a], [, b]) => b.byteLength - a.byteLength)[0]!;
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    await writeFile(join(root, BUILD_CACHE_DIR, name), bytes);
    const damaged = await build();
    expect(damaged.stats.cache).toBe('cold');
    expectSameOutput(cold, damaged);
    const other = await build({ codeId: 'other-code' });
    expect(other.stats.cache).toBe('cold');
    expect((await build()).stats.cache).toBe('cold');
  }, 480_000);
});
