/**
 * Full-text search with Pagefind: every entry page (the pages whose `<main>`
 * carries `data-pagefind-body`) is indexed from the in-memory output, after
 * layout and before harden, so the index is hardened around, checked and
 * sealed like every other file. Pagefind segments Chinese (its extended
 * build), and splits the index by the page's `<html lang>`: en, zh-hans and
 * zh-hant each get their own.
 *
 * Only the files the search page needs are kept (`pagefind.js`, the WebAssembly
 * for each language, metadata, index and fragment chunks); Pagefind's own UI
 * bundles are dropped: stele's search page has a small script of its own.
 */
import { Worker } from 'node:worker_threads';
import { createDiagnostic } from '../errors/catalogue.js';
import { SiteSearchIndexFailed } from '../errors/codes-site.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { hashKey, type Memo } from '../io/memo.js';
import { resolveRenderWorkers } from '../render/render-parallel.js';
import { equalBytes } from '../trust/bytes.js';
import type { OutputFiles } from './output.js';
import { createSearchSegmenter } from './search-segment.js';

/** Folder of the search index in the site. */
export const SEARCH_INDEX_DIR = 'pagefind';

/** The marker on `<main>` of every page that belongs in the index. */
export const SEARCH_BODY_ATTRIBUTE = 'data-pagefind-body';

/** Index files the search page loads; everything else Pagefind writes is dropped. */
const KEPT = /^(?:pagefind\.js|pagefind-entry\.json|wasm\.[a-z-]+\.pagefind|pagefind\.[a-z-]+_[0-9a-f]+\.pf_meta|(?:fragment|index|filter)\/[a-z-]+_[0-9a-f]+\.pf_(?:fragment|index|filter))$/;

/** True for the Pagefind files whose bytes are gzip-compressed (the withheld-name scan decompresses them). */
export function isCompressedSearchFile(path: string): boolean {
  return path.startsWith(`${SEARCH_INDEX_DIR}/`) && /\.(?:pf_meta|pf_fragment|pf_index|pf_filter)$/.test(path);
}

/** Options for {@link createSearchIndex}. */
export interface SearchIndexOptions {
  /** Paths of the HTML pages to offer to the indexer (only those marked with `data-pagefind-body` are indexed). */
  pages: readonly string[];
  /** Indexes of earlier builds, by a hash of one language's pages (rebuilds, `.stele/cache`). */
  memo?: Memo<LanguageSearchIndex>;
  /**
   * Stop early (`stele dev`: an edit makes this index moot): the workers stop
   * feeding Pagefind, stop it and end, and the result is one SiteSearchIndexFailed
   * diagnostic; nothing is remembered.
   */
  signal?: AbortSignal;
}

/** What a stopped index says (see `SearchIndexOptions.signal`). */
const STOPPED = 'stopped: a newer build replaces this one';

/** Bump when the way pages are offered to Pagefind changes: remembered indexes are then made again. */
const SEARCH_INDEX_FORMAT = '2';

/** The word boundaries marked for the indexer come from Node's ICU: another ICU may mark them elsewhere. */
const SEGMENTER_VERSION = `icu-${process.versions.icu ?? 'none'}-${process.versions.unicode ?? ''}`;

/** Pagefind runs one service process per Node process: builds in one process take turns. */
let queue: Promise<unknown> = Promise.resolve();
/** Builds of this process whose index is being made or waits its turn. */
let indexing = 0;

/** The index files of one language, as Pagefind made them (paths relative to `pagefind/`). */
export interface LanguageSearchIndex {
  files: [string, Uint8Array][];
  diagnostics: Diagnostic[];
}

/**
 * Index the pages of `output` with Pagefind and add the index under `pagefind/`.
 *
 * Each language (the page's `<html lang>`) is indexed on its own, and the
 * entry files are merged, so that a language's index depends only on that
 * language's pages: with `memo`, a language whose pages did not change is not
 * indexed again (Pagefind's Chinese segmentation is most of a cold build's
 * time). Pages are offered in sorted order and Pagefind's output is
 * deterministic, so a remembered index is byte-identical to a new one. The
 * Pagefind service process is started only when some language must be indexed,
 * and stopped after it.
 */
export function createSearchIndex(output: OutputFiles, options: SearchIndexOptions): Promise<Diagnostic[]> {
  // The pages are read now: the caller may go on changing other files (hardening) while Pagefind works.
  const byLanguage = groupSearchPages(output, options.pages);
  // Started at once when no other build of this process is indexing: the workers then index while
  // the caller's thread hardens and checks (a `then` would wait for the caller's first `await`).
  const run = indexing === 0 ? indexPages(output, byLanguage, options) : queue.then(() => indexPages(output, byLanguage, options));
  indexing++;
  queue = run.catch(() => undefined).finally(() => indexing--);
  return run;
}

const LANG = /<html\b[^>]*?\slang="([^"]{1,35})"/;

/** A page to index. */
export type SearchPage = { path: string; bytes: Uint8Array };

const BODY_MARKER = Buffer.from(SEARCH_BODY_ATTRIBUTE);

/** The pages to index (those marked with `data-pagefind-body`), by `<html lang>`, in path order. Bytes are kept, not decoded text. */
function groupSearchPages(output: OutputFiles, paths: readonly string[]): Map<string, SearchPage[]> {
  const decoder = new TextDecoder();
  const byLanguage = new Map<string, SearchPage[]>();
  for (const path of [...paths].sort()) {
    const bytes = output.get(path);
    if (!bytes) continue;
    if (!Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(BODY_MARKER)) continue;
    const lang = (LANG.exec(decoder.decode(bytes.subarray(0, 4096)))?.[1] ?? 'unknown').toLowerCase();
    const pages = byLanguage.get(lang) ?? [];
    if (!pages.length) byLanguage.set(lang, pages);
    pages.push({ path, bytes });
  }
  return byLanguage;
}

async function indexPages(output: OutputFiles, byLanguage: Map<string, SearchPage[]>, options: SearchIndexOptions): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const languages = [...byLanguage.keys()].sort();
  const keys = languages.map((lang) =>
    options.memo ? hashKey('pagefind', SEARCH_INDEX_FORMAT, SEGMENTER_VERSION, lang, ...byLanguage.get(lang)!.flatMap((p) => [p.path, p.bytes])) : undefined,
  );
  const remembered = keys.map((key) => (key ? options.memo!.get(key) : undefined));
  // Largest first: with fewer threads than languages, the last one to finish is then a small one.
  const size = (lang: string) => byLanguage.get(lang)!.reduce((n, p) => n + p.bytes.byteLength, 0);
  const missing = languages.filter((_, i) => !remembered[i]).sort((a, b) => size(b) - size(a) || (a < b ? -1 : 1));
  // Pagefind indexes on one core per service process: languages go to worker
  // threads (each with its own service) when there are cores for them.
  const workers = resolveSearchWorkers(missing.length);
  const made = new Map<string, LanguageSearchIndex>();
  // A worker has its own copy of the pages once started: this thread then lets go of the ones it read.
  const takePages = (lang: string) => {
    const pages = byLanguage.get(lang)!;
    byLanguage.delete(lang);
    return pages;
  };
  if (workers > 1) {
    const queue = [...missing];
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let lang = queue.shift(); lang !== undefined; lang = queue.shift()) made.set(lang, await indexInWorker({ lang, pages: takePages(lang) }, options.signal));
      }),
    );
  } else if (missing.length) {
    const pagefind = await import('pagefind');
    try {
      for (const lang of missing) made.set(lang, await indexLanguage(pagefind, lang, byLanguage.get(lang)!, options.signal));
    } finally {
      await pagefind.close();
    }
  }
  const indexes = languages.map((lang, i) => {
    const index = remembered[i] ?? made.get(lang)!;
    if (keys[i] && !remembered[i] && !index.diagnostics.length) options.memo!.set(keys[i]!, index);
    return index;
  });
  for (const index of indexes) diagnostics.push(...index.diagnostics);
  if (diagnostics.length) return diagnostics;
  const merged = mergeLanguageIndexes(indexes);
  if (typeof merged === 'string') return [createDiagnostic(SiteSearchIndexFailed, {}, merged)];
  for (const [rel, data] of merged) output.set(`${SEARCH_INDEX_DIR}/${rel}`, data);
  return diagnostics;
}

/** What a search worker is asked to index: one language's pages, in order. */
export interface SearchJob {
  /** The pages' `<html lang>`, lower-case. */
  lang: string;
  pages: SearchPage[];
}

const WORKER_URL = new URL('./search-worker.js', import.meta.url);

/**
 * How many languages to index at once: as many threads as the render stage
 * would use for a large site (`STELE_WORKERS`, or one per core; none from
 * TypeScript sources), at most `languages`; fewer than two: one at a time in process.
 */
export function resolveSearchWorkers(languages: number, env: NodeJS.ProcessEnv = process.env): number {
  const threads = resolveRenderWorkers(Number.POSITIVE_INFINITY, env);
  return languages > 1 && threads > 1 ? Math.min(languages, threads) : 0;
}

/**
 * Index `job` in a new worker thread. The worker gets its own copy of the pages
 * when it starts; `job.pages` is then emptied, so this thread does not hold a
 * second copy of them (the pages as they were before hardening, which nothing
 * else keeps) while the worker indexes.
 */
function indexInWorker(job: SearchJob, signal?: AbortSignal): Promise<LanguageSearchIndex> {
  return new Promise((resolve) => {
    const fail = (message: string) => resolve({ files: [], diagnostics: [createDiagnostic(SiteSearchIndexFailed, {}, message)] });
    if (signal?.aborted) return fail(STOPPED);
    const worker = new Worker(WORKER_URL, { workerData: job });
    job.pages = [];
    // The worker stops between two pages, then stops its Pagefind process and reports.
    const stop = () => worker.postMessage('stop');
    signal?.addEventListener('abort', stop, { once: true });
    worker.once('exit', () => signal?.removeEventListener('abort', stop));
    worker.once('message', (result: LanguageSearchIndex) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', (error: unknown) => fail(error instanceof Error ? error.message : String(error)));
    worker.once('exit', (code) => fail(`the search worker stopped (exit ${code})`));
  });
}

/**
 * Index one language's pages (`lang`, their `<html lang>`) in a fresh Pagefind
 * index. In a language whose queries are split into words by the browser
 * (Chinese), the copy of each page given to Pagefind has its word boundaries
 * marked by the same segmenter (see `search-segment.ts`); the next page is
 * prepared while Pagefind indexes the last one, and Pagefind still receives
 * the pages one at a time, in order. After `signal` aborts, no page is added
 * and the result is a failure.
 */
export async function indexLanguage(pagefind: typeof import('pagefind'), lang: string, pages: readonly SearchPage[], signal?: AbortSignal): Promise<LanguageSearchIndex> {
  const decoder = new TextDecoder();
  const segment = createSearchSegmenter(lang, SEARCH_BODY_ATTRIBUTE);
  const prepare = (page: SearchPage) => {
    const text = decoder.decode(page.bytes);
    return segment ? segment(text) : text;
  };
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string) => diagnostics.push(createDiagnostic(SiteSearchIndexFailed, {}, message));
  const files: [string, Uint8Array][] = [];
  try {
    const created = await pagefind.createIndex({ keepIndexUrl: true, writePlayground: false });
    if (!created.index) {
      fail(created.errors.join('; ') || 'Pagefind did not start');
      return { files, diagnostics };
    }
    const { index } = created;
    let next = pages.length ? prepare(pages[0]!) : '';
    for (let i = 0; i < pages.length && !signal?.aborted; i++) {
      const adding = index.addHTMLFile({ url: `/${pages[i]!.path}`, content: next });
      if (i + 1 < pages.length) next = prepare(pages[i + 1]!);
      const added = await adding;
      if (added.errors.length) fail(`${pages[i]!.path}: ${added.errors.join('; ')}`);
    }
    // Stopped, whenever the abort came (even after the last page): a failure, so never remembered.
    if (signal?.aborted) {
      fail(STOPPED);
      await index.deleteIndex();
      return { files: [], diagnostics };
    }
    const got = await index.getFiles();
    if (got.errors.length) fail(got.errors.join('; '));
    for (const file of got.files) {
      const rel = file.path.replace(/\\/g, '/');
      if (KEPT.test(rel)) files.push([rel, new Uint8Array(file.content)]);
    }
    await index.deleteIndex();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { files, diagnostics };
}

/**
 * One index from per-language ones: the entry files' `languages` are joined (in
 * sorted order); every other file is either a language's own (its name carries
 * the language and a hash) or shared and identical (`pagefind.js`, the
 * WebAssembly). A shared file that differs is reported, never silently chosen.
 */
export function mergeLanguageIndexes(indexes: readonly LanguageSearchIndex[]): Map<string, Uint8Array> | string {
  const files = new Map<string, Uint8Array>();
  const entries: { version?: unknown; languages?: Record<string, unknown> }[] = [];
  for (const index of indexes) {
    for (const [rel, data] of index.files) {
      if (rel === ENTRY) {
        entries.push(JSON.parse(new TextDecoder().decode(data)));
        continue;
      }
      const seen = files.get(rel);
      if (seen && !equalBytes(seen, data)) return `Pagefind wrote two different ${rel} for two languages`;
      files.set(rel, data);
    }
  }
  if (!entries.length) return files;
  const languages: Record<string, unknown> = {};
  for (const entry of entries) {
    if (entry.version !== entries[0].version) return 'Pagefind indexes of two versions cannot be merged';
    Object.assign(languages, entry.languages ?? {});
  }
  const sorted = Object.fromEntries(Object.keys(languages).sort().map((k) => [k, languages[k]]));
  files.set(ENTRY, new TextEncoder().encode(JSON.stringify({ ...entries[0], languages: sorted })));
  return new Map([...files].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

const ENTRY = 'pagefind-entry.json';
