/**
 * The render stage on several cores: entries are shared out to worker threads
 * (each renders its share with the same `renderContent`, resolving links
 * against the whole site), and the results are put back in entry order, so the
 * output is byte-identical to a single-threaded render.
 *
 * `renderSite` is the stage's entry: what the memo (`stele dev`, `.stele/cache`)
 * does not hold is rendered on workers when there is enough of it and stele
 * runs compiled (dist/); tests running from TypeScript sources render in process.
 */
import { Worker } from 'node:worker_threads';
import type { ProcessedImage } from '../assets/types.js';
import type { ResolvedConfig } from '../config/resolve-config.js';
import type { ContentEntry, ContentSet } from '../content/load-content.js';
import { entryPath } from '../content/urls.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { Heading } from './markdown.js';
import { type SourceMark, unsafeRawHtml } from './html.js';
import type { Memo } from '../io/memo.js';
import { resolveWorkerThreads } from '../io/threads.js';
import {
  type ImageResolver,
  type RenderedEntry,
  type RenderMemoValue,
  type RenderResult,
  renderContent,
  resolveRenderMemoKey,
  summarize,
} from './render-content.js';

/** Below this many entries, starting workers costs more than it saves. */
export const PARALLEL_RENDER_THRESHOLD = 400;

const WORKER_URL = new URL('./render-worker.js', import.meta.url);
/** Compiled (`dist/`): tsc emits `render-worker.js` next to this module. From TypeScript sources there is no worker script. */
const COMPILED = import.meta.url.endsWith('.js');

/**
 * How many render workers to use: `STELE_WORKERS` when set (0 disables),
 * otherwise one per core for large sites, and none when stele runs from
 * TypeScript sources (no compiled worker script).
 */
export function resolveRenderWorkers(entries: number, env: NodeJS.ProcessEnv = process.env): number {
  return resolveWorkerThreads({ work: entries, threshold: PARALLEL_RENDER_THRESHOLD, forced: env.STELE_WORKERS, forcedMax: 16, coresMax: 8, compiled: COMPILED });
}

/** What a worker is asked to do. */
export interface RenderJob {
  config: ResolvedConfig;
  /** Every entry; bodies only for the ones this worker renders. */
  entries: ContentEntry[];
  files: string[];
  /** Ids of the entries to render. */
  ids: string[];
  /** Processed images without their bytes (markup needs names and sizes only). */
  images: [string, ProcessedImage][];
}

/** What a worker sends back, per entry in job order. */
export interface RenderJobResult {
  results: { id: string; html: string; marks: readonly SourceMark[]; headings: Heading[]; summary: string }[];
  /** Render problems, each naming the source file of its entry. */
  diagnostics: Diagnostic[];
}

/** Options for {@link renderSite}. */
export interface RenderSiteOptions {
  onProgress?: (done: number, total: number) => void;
  /** Results of earlier builds (this process, or `.stele/cache`), valid for one site structure (`context`). */
  memo?: { table: Memo<RenderMemoValue>; context: string; bodyDigests?: Memo<string> };
}

/**
 * The render stage: entries the memo does not hold are rendered, on worker
 * threads when there are enough of them ({@link resolveRenderWorkers}), else in
 * process; the memo learns every new result. Output is the same either way.
 */
export async function renderSite(
  config: ResolvedConfig,
  content: ContentSet,
  images: Map<string, ProcessedImage>,
  resolveImage: ImageResolver,
  options: RenderSiteOptions = {},
): Promise<RenderResult & { workers: number; fresh: number }> {
  const { memo } = options;
  const keys = new Map(memo ? content.entries.map((e) => [e.id, resolveRenderMemoKey(memo.context, e, memo.bodyDigests)]) : []);
  const misses = memo ? content.entries.filter((e) => !memo.table.get(keys.get(e.id)!)) : content.entries;
  const workers = resolveRenderWorkers(misses.length);
  if (!workers) return { ...renderContent(config, content, resolveImage, { ...options, memoKeys: keys }), workers, fresh: misses.length };
  const fresh = await renderContentInWorkers(config, content, images, workers, options.onProgress, misses);
  if (!memo) return { ...fresh, workers, fresh: misses.length };
  const rendered = new Map<string, RenderedEntry>();
  const diagnostics: Diagnostic[] = [];
  const missed = new Set(misses.map((e) => e.id));
  for (const entry of content.entries) {
    const key = keys.get(entry.id)!;
    if (missed.has(entry.id)) {
      const r = fresh.rendered.get(entry.id)!;
      const own = entry.derived ? [] : fresh.diagnostics.filter((d) => d.file === entry.file);
      diagnostics.push(...own);
      memo.table.set(key, { html: r.html, headings: r.headings, diagnostics: own });
      rendered.set(entry.id, r);
    } else {
      const hit = memo.table.get(key)!;
      if (!entry.derived) diagnostics.push(...hit.diagnostics);
      rendered.set(entry.id, { entry, path: entryPath(entry, config.defaultLanguage), html: hit.html, headings: hit.headings, summary: summarize(entry, hit.html.value) });
    }
  }
  return { rendered, diagnostics, workers, fresh: misses.length };
}

/** Render `content` (or only the entries `only`) with `workers` threads. */
export async function renderContentInWorkers(
  config: ResolvedConfig,
  content: ContentSet,
  images: Map<string, ProcessedImage>,
  workers: number,
  onProgress?: (done: number, total: number) => void,
  only: readonly ContentEntry[] = content.entries,
): Promise<RenderResult> {
  const shares: ContentEntry[][] = Array.from({ length: workers }, () => []);
  for (const [i, e] of only.entries()) shares[i % workers]!.push(e);
  const imageList: [string, ProcessedImage][] = [...images].map(([path, r]) => [
    path,
    { ...r, files: r.files.map((f) => ({ ...f, data: new Uint8Array(0) })) },
  ]);
  let done = 0;
  const results = await Promise.all(
    shares.map(async (share) => {
      const ids = new Set(share.map((e) => e.id));
      const job: RenderJob = {
        config,
        entries: content.entries.map((e) => (ids.has(e.id) ? e : { ...e, body: '' })),
        files: content.files,
        ids: [...ids],
        images: imageList,
      };
      const result = await runWorker(job);
      done += share.length;
      onProgress?.(done, only.length);
      return result;
    }),
  );
  const byId = new Map(results.flatMap((r) => r.results.map((x) => [x.id, x] as const)));
  // A single-threaded render reports each source file's problems at its entry's
  // turn; group by file and replay in entry order for the same sequence.
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of results.flatMap((r) => r.diagnostics)) {
    const list = byFile.get(d.file ?? '') ?? [];
    list.push(d);
    byFile.set(d.file ?? '', list);
  }
  const rendered = new Map<string, RenderedEntry>();
  const diagnostics: Diagnostic[] = [];
  for (const entry of only) {
    const r = byId.get(entry.id)!;
    if (!entry.derived) diagnostics.push(...(byFile.get(entry.file) ?? []));
    rendered.set(entry.id, {
      entry,
      path: entryPath(entry, config.defaultLanguage),
      html: unsafeRawHtml(r.html, r.marks),
      headings: r.headings,
      summary: r.summary,
    });
  }
  return { rendered, diagnostics };
}

function runWorker(job: RenderJob): Promise<RenderJobResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: job });
    worker.once('message', (result: RenderJobResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`render worker exited with code ${code}`));
    });
  });
}
