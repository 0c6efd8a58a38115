import { describe, expect, it } from 'vitest';
import { createFileSystemImageCache, createImageCacheKey, encodeImageCacheEntry, type ImageCache } from '../../src/assets/image-cache.js';
import { processImage, resolveImagePlan } from '../../src/assets/process-image.js';
import { type ImageJob, processImages, resolveDefaultImageConcurrency } from '../../src/assets/process-images.js';
import { createMemoryFileSystem } from '../../src/io/memory-fs.js';
import { addHostileMetadata, createNoiseJpeg } from './fixtures.js';

async function makeJobs(): Promise<ImageJob[]> {
  return [
    { input: await createNoiseJpeg(60, 40, 1), sourcePath: 'content/a.jpg' },
    { input: await createNoiseJpeg(60, 40, 2), sourcePath: 'content/b.jpg', blur: [{ x: 0, y: 0, w: 0.5, h: 0.5 }] },
    { input: new TextEncoder().encode('not an image'), sourcePath: 'content/broken.jpg' },
    { input: await createNoiseJpeg(50, 50, 3), sourcePath: 'content/c.jpg' },
  ];
}

const defaults = { widths: [30, 60], formats: ['webp', 'jpeg'] as ('webp' | 'jpeg')[] };

function summarise(results: Awaited<ReturnType<typeof processImages>>['results']) {
  return results.map((r) => ({ files: r.files.map((f) => [f.path, Buffer.from(f.data).toString('base64')]), codes: r.diagnostics.map((d) => d.code) }));
}

describe('processImages', () => {
  it('keeps input order, reports bad images as diagnostics, and gives the same results at any concurrency', async () => {
    const jobs = await makeJobs();
    const one = await processImages(jobs, { ...defaults, concurrency: 1 });
    const three = await processImages(jobs, { ...defaults, concurrency: 3 });
    expect(one.results.map((r) => r.files[0]?.path.split('/').pop()?.split('-')[0])).toEqual(['a', 'b', undefined, 'c']);
    expect(one.results[2]!.diagnostics[0]).toMatchObject({ code: 'STELE3001', file: 'content/broken.jpg' });
    expect(summarise(three.results)).toEqual(summarise(one.results));
    // Same as processing one by one.
    const single = await processImage(jobs[1]!.input, { ...jobs[1]!, ...defaults });
    expect(one.results[1]!.files.map((f) => f.path)).toEqual(single.files.map((f) => f.path));
  });

  it('reuses the cache on a rebuild: nothing re-encoded, identical outputs', async () => {
    const fs = createMemoryFileSystem();
    const cache = createFileSystemImageCache(fs, '/project/.stele/cache/img');
    const jobs = await makeJobs();
    const first = await processImages(jobs, { ...defaults, cache });
    expect(first.stats).toEqual({ encoded: 4, reused: 0 });
    // Only successful images are cached.
    expect((await fs.listFiles('/project/.stele/cache/img')).length).toBe(3);
    const second = await processImages(jobs, { ...defaults, cache });
    expect(second.stats).toEqual({ encoded: 1, reused: 3 });
    expect(summarise(second.results)).toEqual(summarise(first.results));
    // Changing an option (blur) is a different key.
    const changed = await processImages([{ ...jobs[0]!, blur: [{ x: 0, y: 0, w: 1, h: 1 }] }], { ...defaults, cache });
    expect(changed.stats).toEqual({ encoded: 1, reused: 0 });
  });

  it('encodes identical jobs in one batch only once', async () => {
    const input = await createNoiseJpeg(40, 40, 4);
    const cache = createFileSystemImageCache(createMemoryFileSystem(), '/c');
    const jobs = [0, 1, 2].map(() => ({ input, sourcePath: 'content/same.jpg' }));
    const run = await processImages(jobs, { ...defaults, cache, concurrency: 3 });
    expect(run.stats).toEqual({ encoded: 1, reused: 2 });
    expect(new Set(run.results.map((r) => r.files[0]!.path)).size).toBe(1);
  });

  it('ignores a corrupt cache entry with a warning and re-encodes', async () => {
    const fs = createMemoryFileSystem();
    const cache = createFileSystemImageCache(fs, '/c');
    const jobs = [{ input: await createNoiseJpeg(40, 40, 5), sourcePath: 'content/x.jpg' }];
    const first = await processImages(jobs, { ...defaults, cache });
    const [path] = [...fs.files.keys()];
    const bytes = fs.files.get(path!)!.slice();
    bytes[bytes.length - 10]! ^= 0xff;
    fs.files.set(path!, bytes);
    const second = await processImages(jobs, { ...defaults, cache });
    expect(second.stats).toEqual({ encoded: 1, reused: 0 });
    expect(second.results[0]!.diagnostics.map((d) => [d.code, d.severity, d.file])).toEqual([['STELE3011', 'warning', 'content/x.jpg']]);
    expect(summarise(second.results)[0]!.files).toEqual(summarise(first.results)[0]!.files);
  });

  it('rejects a poisoned cache entry whose files carry metadata, even with matching hashes', async () => {
    const input = await createNoiseJpeg(40, 40, 6);
    const options = { sourcePath: 'content/p.jpg', ...defaults };
    const plan = resolveImagePlan(options).plan!;
    const key = createImageCacheKey(input, plan);
    const clean = await processImage(input, options);
    const { createHash } = await import('node:crypto');
    const poisonedFiles = await Promise.all(
      clean.files
        .filter((f) => f.format === 'jpeg')
        .map(async (f) => {
          const data = new Uint8Array(await addHostileMetadata(Buffer.from(f.data), 1));
          const hash8 = createHash('sha256').update(data).digest('hex').slice(0, 8);
          return { ...f, data, path: f.path.replace(/\.[0-9a-f]{8}\.jpg$/, `.${hash8}.jpg`) };
        }),
    );
    const entries = new Map<string, Uint8Array>([[key, encodeImageCacheEntry({ ...clean, files: poisonedFiles })]]);
    const cache: ImageCache = { read: async (k) => entries.get(k), write: async (k, v) => void entries.set(k, v) };
    const run = await processImages([{ input, ...options }], { cache });
    expect(run.stats).toEqual({ encoded: 1, reused: 0 });
    expect(run.results[0]!.files.map((f) => f.path)).toEqual(clean.files.map((f) => f.path));
  });

  it('defaults to at most 2 images at once', () => {
    const n = resolveDefaultImageConcurrency();
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(2);
  });
});
