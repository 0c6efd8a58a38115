/**
 * `processImages`: many images with bounded parallelism and a
 * content-addressed cache.
 */
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { createDiagnostic } from '../errors/catalogue.js';
import { IMAGE_CACHE_CORRUPT } from '../errors/codes-assets.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { createImageCacheKey, decodeImageCacheEntry, encodeImageCacheEntry, type ImageCache } from './image-cache.js';
import { processImage, resolveImagePlan } from './process-image.js';
import type { ProcessedImage, ProcessImageOptions } from './types.js';

/** One image to process: its bytes plus its options. */
export interface ImageJob extends ProcessImageOptions {
  input: Uint8Array;
}

/** Options for a batch. */
export interface ProcessImagesOptions {
  /** Images processed at once; default: 2, lowered when each sharp call already uses every core. */
  concurrency?: number;
  /** Cache of encoded results; without one every image is encoded. */
  cache?: ImageCache;
  /** Defaults for jobs that do not set them. */
  widths?: ProcessImageOptions['widths'];
  formats?: ProcessImageOptions['formats'];
  outDir?: ProcessImageOptions['outDir'];
}

/** A batch's results, in input order, and what the cache saved. */
export interface ProcessImagesResult {
  results: ProcessedImage[];
  stats: {
    /** Images encoded in this run (cache misses, counted once per distinct key). */
    encoded: number;
    /** Images served from the cache (or from an identical job in the same batch). */
    reused: number;
  };
}

/**
 * The default number of images processed at once: 2, but never more than
 * cores ÷ threads per sharp call (sharp.concurrency()), and at least 1.
 */
export function resolveDefaultImageConcurrency(): number {
  const perImage = Math.max(1, sharp.concurrency());
  return Math.max(1, Math.min(2, Math.floor(availableParallelism() / perImage)));
}

/**
 * Process a batch of images. Identical jobs (same bytes and options) are
 * encoded once; results with no error diagnostics are stored in the cache and
 * reused on later runs. Never throws for bad user input; a failing cache read
 * or corrupt entry only costs a re-encode (with a STELE3011 warning for corrupt entries).
 */
export async function processImages(jobs: readonly ImageJob[], options: ProcessImagesOptions = {}): Promise<ProcessImagesResult> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? resolveDefaultImageConcurrency()));
  const results: ProcessedImage[] = new Array(jobs.length);
  const inFlight = new Map<string, Promise<ProcessedImage>>();
  const stats = { encoded: 0, reused: 0 };

  const runOne = async (job: ImageJob): Promise<ProcessedImage> => {
    const { input, ...rest } = job;
    const imageOptions: ProcessImageOptions = {
      ...rest,
      widths: rest.widths ?? options.widths,
      formats: rest.formats ?? options.formats,
      outDir: rest.outDir ?? options.outDir,
    };
    const { plan } = resolveImagePlan(imageOptions);
    if (!plan || !options.cache) {
      stats.encoded++;
      return processImage(input, imageOptions);
    }
    const key = createImageCacheKey(input, plan);
    const pending = inFlight.get(key);
    if (pending) {
      stats.reused++;
      return pending;
    }
    const cache = options.cache;
    const work = (async () => {
      const warnings: Diagnostic[] = [];
      let stored: Uint8Array | undefined;
      try {
        stored = await cache.read(key);
      } catch {
        stored = undefined;
      }
      if (stored) {
        const hit = await decodeImageCacheEntry(stored, plan);
        if (hit) {
          stats.reused++;
          return hit;
        }
        warnings.push(createDiagnostic(IMAGE_CACHE_CORRUPT, { file: job.sourcePath }, key));
      }
      stats.encoded++;
      const fresh = await processImage(input, imageOptions);
      if (fresh.files.length > 0 && !fresh.diagnostics.some((d) => d.severity === 'error')) {
        try {
          await cache.write(key, encodeImageCacheEntry(fresh));
        } catch {
          // An unwritable cache only costs time on the next build.
        }
      }
      return warnings.length > 0 ? { ...fresh, diagnostics: [...warnings, ...fresh.diagnostics] } : fresh;
    })();
    inFlight.set(key, work);
    return work;
  };

  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index]!;
      const result = await runOne(job);
      // Shared or cached results may carry another job's path: point diagnostics at this job's file.
      results[index] = { ...result, diagnostics: result.diagnostics.map((d) => ({ ...d, file: job.sourcePath })) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return { results, stats };
}
