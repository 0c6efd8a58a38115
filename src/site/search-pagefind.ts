/**
 * Full-text search with Pagefind: every entry page (the pages whose `<main>`
 * carries `data-pagefind-body`) is indexed from the in-memory output, after
 * layout and before harden, so the index is hardened around, checked and
 * sealed like every other file. Pagefind segments Chinese (its extended
 * build), and splits the index by the page's `<html lang>`: en, zh-hans and
 * zh-hant each get their own.
 *
 * Each language's pages are split into chunks of at most about `chunkPages`
 * pages (see {@link resolveSearchChunks}), each indexed by a Pagefind index of
 * its own: a chunk is remembered by a hash of its pages, so an edit to one
 * post indexes one chunk again, not its whole language, and the chunks are
 * spread over the worker threads largest first. The first chunk of every
 * language is the index at `pagefind/` (a language of up to `chunkPages`
 * pages has only that one, laid out as one Pagefind index); each other chunk
 * is a Pagefind bundle of its own under `pagefind/chunks/<lang>/<n>/`, listed
 * in `pagefind/stele-chunks.json`, which the search page merges in the browser
 * (Pagefind's `mergeIndex`).
 *
 * Only the files the search page needs are kept (`pagefind.js`, the WebAssembly
 * for each language, metadata, index and fragment chunks); Pagefind's own UI
 * bundles are dropped: stele's search page has a small script of its own.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { createDiagnostic } from '../errors/catalogue.js';
import { SiteSearchIndexFailed } from '../errors/codes-site.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { digestBytes, hashKey, type Memo } from '../io/memo.js';
import { resolveRenderWorkers } from '../render/render-parallel.js';
import { equalBytes } from '../trust/bytes.js';
import type { OutputFiles } from './output.js';
import { createSearchSegmenter } from './search-segment.js';

/** Folder of the search index in the site. */
export const SEARCH_INDEX_DIR = 'pagefind';

/** The marker on `<main>` of every page that belongs in the index. */
export const SEARCH_BODY_ATTRIBUTE = 'data-pagefind-body';

/** The list of each language's further chunks (folders relative to `pagefind/`), read by the search page. */
export const SEARCH_CHUNKS_FILE = 'stele-chunks.json';

/** Folder (in `pagefind/`) of the chunks after each language's first. */
const CHUNKS_DIR = 'chunks';

/** Pages per chunk at most (about: see {@link resolveSearchChunks}) unless `search.chunkPages` says otherwise. */
export const DEFAULT_SEARCH_CHUNK_PAGES = 1000;

/** Index files the search page loads; everything else Pagefind writes is dropped. */
const KEPT = /^(?:pagefind\.js|pagefind-entry\.json|wasm\.[a-z-]+\.pagefind|pagefind\.[a-z-]+_[0-9a-f]+\.pf_meta|(?:fragment|index|filter)\/[a-z-]+_[0-9a-f]+\.pf_(?:fragment|index|filter))$/;

/** Files every Pagefind index has the same of: the first chunk's are kept, a further chunk's are dropped. */
const SHARED = /^(?:pagefind\.js|wasm\.[a-z-]+\.pagefind)$/;

/** True for the Pagefind files whose bytes are gzip-compressed (the withheld-name scan decompresses them). */
export function isCompressedSearchFile(path: string): boolean {
  return path.startsWith(`${SEARCH_INDEX_DIR}/`) && /\.(?:pf_meta|pf_fragment|pf_index|pf_filter)$/.test(path);
}

/** How many chunks a search build had, and how many of them it indexed (the others were remembered). */
export interface SearchChunkCounts {
  chunks: number;
  indexed: number;
}

/** Options for {@link createSearchIndex}. */
export interface SearchIndexOptions {
  /** Paths of the HTML pages to offer to the indexer (only those marked with `data-pagefind-body` are indexed). */
  pages: readonly string[];
  /** Indexes of earlier builds, by a hash of one chunk's pages (rebuilds, `.stele/cache`). */
  memo?: Memo<SearchChunkIndex>;
  /** Pages per chunk at most, about (`search.chunkPages`; default {@link DEFAULT_SEARCH_CHUNK_PAGES}). */
  chunkPages?: number;
  /** Told how many chunks there were and how many were indexed, once they are known. */
  onChunks?: (counts: SearchChunkCounts) => void;
  /**
   * Stop early (`stele dev`: an edit makes this index moot): the workers stop
   * feeding Pagefind, stop it and end, and the result is one SiteSearchIndexFailed
   * diagnostic; nothing is remembered.
   */
  signal?: AbortSignal;
  /**
   * A way to read a page's bytes again later, or undefined when there is none
   * (asked once per page of every chunk that must wait for its turn). A chunk
   * that waits then does not hold the pages it can read again: each is read
   * when the chunk is indexed, and must have the bytes it had (checked by
   * digest; a page that does not fails its chunk). The build reads laid-out
   * pages back from the layout memo, which keeps them as their differences
   * from the hardened pages (`createLayoutPacker` in `build-cache.ts`).
   */
  rereadPage?: (path: string, bytes: Uint8Array) => (() => Uint8Array | undefined) | undefined;
}

/** What a stopped index says (see `SearchIndexOptions.signal`). */
const STOPPED = 'stopped: a newer build replaces this one';

/** Bump when the way pages are offered to Pagefind changes: remembered indexes are then made again. */
const SEARCH_INDEX_FORMAT = '3';

/** The word boundaries marked for the indexer come from Node's ICU: another ICU may mark them elsewhere. */
const SEGMENTER_VERSION = `icu-${process.versions.icu ?? 'none'}-${process.versions.unicode ?? ''}`;

/** Pagefind runs one service process per Node process: builds in one process take turns. */
let queue: Promise<unknown> = Promise.resolve();
/** Builds of this process whose index is being made or waits its turn. */
let indexing = 0;

/** The index files of one chunk, as Pagefind made them (paths relative to the chunk's folder). */
export interface SearchChunkIndex {
  files: [string, Uint8Array][];
  diagnostics: Diagnostic[];
}

/**
 * Index the pages of `output` with Pagefind and add the index under `pagefind/`.
 *
 * Each chunk of a language (the page's `<html lang>`) is indexed on its own,
 * so that its index depends only on its pages: with `memo`, a chunk whose
 * pages did not change is not indexed again (Pagefind's Chinese segmentation
 * is most of a cold build's time). Pages are offered in sorted order and
 * Pagefind's output is deterministic, so a remembered index is byte-identical
 * to a new one. Pagefind service processes are started only when some chunk
 * must be indexed, and stopped after it.
 */
export function createSearchIndex(output: OutputFiles, options: SearchIndexOptions): Promise<Diagnostic[]> {
  // The pages are read now: the caller may go on changing other files (hardening) while Pagefind works.
  const chunks = groupSearchPages(output, options.pages).flatMap(([lang, pages]) =>
    resolveSearchChunks(
      pages.map((p) => p.path),
      options.chunkPages ?? DEFAULT_SEARCH_CHUNK_PAGES,
    ).map((paths, bucket) => ({ lang, bucket, pages: pages.filter((p) => paths.has(p.path)) })),
  ).filter((c) => c.pages.length);
  // Started at once when no other build of this process is indexing: the workers then index while
  // the caller's thread hardens and checks (a `then` would wait for the caller's first `await`).
  const run = indexing === 0 ? indexPages(output, chunks, options) : queue.then(() => indexPages(output, chunks, options));
  indexing++;
  queue = run.catch(() => undefined).finally(() => indexing--);
  return run;
}

/**
 * The chunks of one language's pages: `paths` spread over a power of two of
 * buckets, the fewest that give at most `chunkPages` pages per bucket on
 * average, by a hash of each path. A page stays in its bucket while the
 * number of buckets does not change (it doubles or halves only when the page
 * count crosses a power of two times `chunkPages`), so an edit changes one
 * chunk and an added or removed page one chunk; a bucket may hold a little
 * more than `chunkPages` (the hash spreads pages evenly only on average), or
 * none. A language of at most `chunkPages` pages is one chunk.
 */
export function resolveSearchChunks(paths: readonly string[], chunkPages: number): Set<string>[] {
  const wanted = Math.ceil(paths.length / Math.max(1, Math.floor(chunkPages)));
  const buckets = wanted <= 1 ? 1 : 2 ** Math.ceil(Math.log2(wanted));
  const chunks = Array.from({ length: buckets }, () => new Set<string>());
  for (const path of paths) {
    const bucket = buckets === 1 ? 0 : createHash('sha256').update(path).digest().readUInt32BE(0) % buckets;
    chunks[bucket]!.add(path);
  }
  return chunks;
}

const LANG = /<html\b[^>]*?\slang="([^"]{1,35})"/;

/** A page to index. */
export type SearchPage = { path: string; bytes: Uint8Array };

const BODY_MARKER = Buffer.from(SEARCH_BODY_ATTRIBUTE);

/**
 * The pages to index (those marked with `data-pagefind-body`), by `<html lang>`
 * (lower-case; `unknown` when missing or not a plain language tag, which
 * names a folder), languages and pages in path order. Bytes are kept, not decoded text.
 */
function groupSearchPages(output: OutputFiles, paths: readonly string[]): [string, SearchPage[]][] {
  const decoder = new TextDecoder();
  const byLanguage = new Map<string, SearchPage[]>();
  for (const path of [...paths].sort()) {
    const bytes = output.get(path);
    if (!bytes) continue;
    if (!Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(BODY_MARKER)) continue;
    const found = (LANG.exec(decoder.decode(bytes.subarray(0, 4096)))?.[1] ?? 'unknown').toLowerCase();
    const lang = /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(found) ? found : 'unknown';
    const pages = byLanguage.get(lang) ?? [];
    if (!pages.length) byLanguage.set(lang, pages);
    pages.push({ path, bytes });
  }
  return [...byLanguage].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const NO_BYTES = new Uint8Array(0);

/** One chunk of a language's pages, in path order. */
interface SearchChunk {
  lang: string;
  /** Its bucket (see {@link resolveSearchChunks}): names its folder. */
  bucket: number;
  pages: SearchPage[];
  /** While the chunk waits for its turn: its pages, those that can be read again held only as a way to read them (`rereadPage`). */
  waiting?: WaitingPage[];
}

/** A page of a chunk that waits: its bytes, or how to read them again and their digest. */
type WaitingPage = SearchPage | { path: string; digest: string; read: () => Uint8Array | undefined };

/**
 * Let go of the pages of a chunk that waits, where they can be read again
 * (`SearchIndexOptions.rereadPage`); {@link takeWaitingPages} reads them back.
 */
function holdWaitingPages(chunk: SearchChunk, reread: NonNullable<SearchIndexOptions['rereadPage']>): void {
  chunk.waiting = chunk.pages.map((page) => {
    const read = reread(page.path, page.bytes);
    return read ? { path: page.path, digest: digestBytes(page.bytes), read } : page;
  });
  chunk.pages = [];
}

/** The pages of a chunk, read back where they were let go of; a message when one does not come back as it was. */
function takeWaitingPages(chunk: SearchChunk): string | undefined {
  if (!chunk.waiting) return undefined;
  const pages: SearchPage[] = [];
  for (const page of chunk.waiting) {
    if ('bytes' in page) {
      pages.push(page);
      continue;
    }
    const bytes = page.read();
    if (!bytes || digestBytes(bytes) !== page.digest) return `${page.path} could not be read again as it was when indexing started`;
    pages.push({ path: page.path, bytes });
  }
  chunk.waiting = undefined;
  chunk.pages = pages;
  return undefined;
}

async function indexPages(output: OutputFiles, chunks: SearchChunk[], options: SearchIndexOptions): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const keys = chunks.map((c) => (options.memo ? hashKey('pagefind', SEARCH_INDEX_FORMAT, SEGMENTER_VERSION, c.lang, ...c.pages.flatMap((p) => [p.path, p.bytes])) : undefined));
  const remembered = keys.map((key) => (key ? options.memo!.get(key) : undefined));
  // Largest first: the last chunk to finish is then a small one, and the threads end together.
  const size = (c: SearchChunk) => c.pages.reduce((n, p) => n + p.bytes.byteLength, 0);
  const missing = chunks.filter((_, i) => !remembered[i]).sort((a, b) => size(b) - size(a) || (a.lang < b.lang ? -1 : a.lang > b.lang ? 1 : a.bucket - b.bucket));
  options.onChunks?.({ chunks: chunks.length, indexed: missing.length });
  // Pagefind indexes on one core per service process: chunks go to worker
  // threads (each with its own service, indexing one chunk after another) when there are cores for them.
  const workers = resolveSearchWorkers(missing.length);
  const made = new Map<SearchChunk, SearchChunkIndex>();
  // The chunks that wait for a thread let go of the pages the build can give back (most of a large site's pages).
  if (options.rereadPage) for (const chunk of missing.slice(Math.max(1, workers))) holdWaitingPages(chunk, options.rereadPage);
  if (workers > 1) {
    const queue = [...missing];
    // A worker has its own copy of a chunk's pages once sent: this thread then lets go of the ones it read.
    const take = (): { chunk: SearchChunk; job: SearchJob } | undefined => {
      const chunk = queue.shift();
      if (!chunk) return undefined;
      const failure = takeWaitingPages(chunk);
      if (failure) {
        made.set(chunk, failedIndex(failure));
        return take();
      }
      const job: SearchJob = { lang: chunk.lang, pages: chunk.pages };
      chunk.pages = [];
      return { chunk, job };
    };
    await Promise.all(Array.from({ length: workers }, () => indexInWorker(take, (chunk, index) => made.set(chunk, index), options.signal)));
  } else if (missing.length) {
    const pagefind = await import('pagefind');
    try {
      for (const chunk of missing) {
        const failure = takeWaitingPages(chunk);
        const pages = chunk.pages;
        chunk.pages = [];
        made.set(chunk, failure ? failedIndex(failure) : await indexChunk(pagefind, chunk.lang, pages, options.signal));
      }
    } finally {
      await pagefind.close();
    }
  }
  const indexes = chunks.map((chunk, i) => {
    const index = remembered[i] ?? made.get(chunk) ?? failedIndex(options.signal?.aborted ? STOPPED : 'no search worker indexed this chunk');
    if (keys[i] && !remembered[i] && !index.diagnostics.length) options.memo!.set(keys[i]!, index);
    return index;
  });
  for (const index of indexes) diagnostics.push(...index.diagnostics);
  if (diagnostics.length) return diagnostics;
  const placed = placeChunkIndexes(chunks.map((c, i) => ({ lang: c.lang, bucket: c.bucket, index: indexes[i]! })));
  if (typeof placed === 'string') return [createDiagnostic(SiteSearchIndexFailed, {}, placed)];
  for (const [rel, data] of placed) output.set(`${SEARCH_INDEX_DIR}/${rel}`, data);
  return diagnostics;
}

function failedIndex(message: string): SearchChunkIndex {
  return { files: [], diagnostics: [createDiagnostic(SiteSearchIndexFailed, {}, message)] };
}

/** What a search worker is asked to index: one chunk's pages, in order. */
export interface SearchJob {
  /** The pages' `<html lang>`, lower-case. */
  lang: string;
  pages: SearchPage[];
}

const WORKER_URL = new URL('./search-worker.js', import.meta.url);

/**
 * How many chunks to index at once: as many threads as the render stage
 * would use for a large site (`STELE_WORKERS`, or one per core; none from
 * TypeScript sources), at most `chunks`; fewer than two: one at a time in process.
 */
export function resolveSearchWorkers(chunks: number, env: NodeJS.ProcessEnv = process.env): number {
  const threads = resolveRenderWorkers(Number.POSITIVE_INFINITY, env);
  return chunks > 1 && threads > 1 ? Math.min(chunks, threads) : 0;
}

/**
 * One worker thread indexing the chunks `take` gives it, one after another,
 * with one Pagefind service process; each index goes to `done` as it comes.
 * Resolves once the worker has exited (its Pagefind process collected). A
 * chunk the worker took and did not index gets a failure.
 */
function indexInWorker(take: () => { chunk: SearchChunk; job: SearchJob } | undefined, done: (chunk: SearchChunk, index: SearchChunkIndex) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const worker = new Worker(WORKER_URL);
    let current: SearchChunk | undefined;
    let failure = 'the search worker stopped';
    const next = () => {
      const got = signal?.aborted ? undefined : take();
      current = got?.chunk;
      worker.postMessage(got ? got.job : 'end');
    };
    // The worker stops between two pages, then stops its Pagefind process and reports.
    const stop = () => worker.postMessage('stop');
    signal?.addEventListener('abort', stop, { once: true });
    worker.on('message', (result: SearchChunkIndex) => {
      if (!current) return;
      done(current, result);
      next();
    });
    worker.once('error', (error: unknown) => {
      failure = error instanceof Error ? error.message : String(error);
    });
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', stop);
      if (current) done(current, failedIndex(`${failure} (exit ${code})`));
      resolve();
    });
    next();
  });
}

/**
 * Index one chunk's pages (`lang`, their `<html lang>`) in a fresh Pagefind
 * index. In a language whose queries are split into words by the browser
 * (Chinese), the copy of each page given to Pagefind has its word boundaries
 * marked by the same segmenter (see `search-segment.ts`); the next page is
 * prepared while Pagefind indexes the last one, and Pagefind still receives
 * the pages one at a time, in order. After `signal` aborts, no page is added
 * and the result is a failure. The caller gives `pages` up: each entry's bytes
 * are let go of (the entry emptied) once Pagefind has the page.
 */
export async function indexChunk(pagefind: typeof import('pagefind'), lang: string, pages: SearchPage[], signal?: AbortSignal): Promise<SearchChunkIndex> {
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
      const { path } = pages[i]!;
      const adding = index.addHTMLFile({ url: `/${path}`, content: next });
      // Pagefind has the page now: its bytes are let go of (a worker's copy of a whole chunk is tens of MB).
      pages[i] = { path, bytes: NO_BYTES };
      if (i + 1 < pages.length) next = prepare(pages[i + 1]!);
      const added = await adding;
      if (added.errors.length) fail(`${path}: ${added.errors.join('; ')}`);
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

/** One chunk's index and where it belongs. */
export interface PlacedChunk {
  lang: string;
  bucket: number;
  index: SearchChunkIndex;
}

/**
 * The files of the whole index (paths relative to `pagefind/`): each
 * language's first chunk (lowest bucket) in the index at the top, merged as
 * {@link mergeLanguageIndexes} does; every other chunk in
 * `chunks/<lang>/<bucket>/`, without the files every index shares
 * (`pagefind.js`, the WebAssembly: the search page loads the top index's, and
 * a chunk's must be the same bytes); and {@link SEARCH_CHUNKS_FILE}, those
 * folders by language (every language, each list possibly empty).
 */
export function placeChunkIndexes(chunks: readonly PlacedChunk[]): Map<string, Uint8Array> | string {
  const sorted = [...chunks].sort((a, b) => (a.lang < b.lang ? -1 : a.lang > b.lang ? 1 : a.bucket - b.bucket));
  const first = new Map<string, PlacedChunk>();
  for (const chunk of sorted) if (!first.has(chunk.lang)) first.set(chunk.lang, chunk);
  const merged = mergeLanguageIndexes([...first.values()].map((c) => c.index));
  if (typeof merged === 'string') return merged;
  const folders: Record<string, string[]> = Object.fromEntries([...first.keys()].map((lang) => [lang, []]));
  for (const chunk of sorted) {
    if (first.get(chunk.lang) === chunk) continue;
    const folder = `${CHUNKS_DIR}/${chunk.lang}/${chunk.bucket}/`;
    folders[chunk.lang]!.push(folder);
    for (const [rel, data] of chunk.index.files) {
      if (!SHARED.test(rel)) merged.set(`${folder}${rel}`, data);
      else if (!merged.has(rel) || !equalBytes(merged.get(rel)!, data)) return `Pagefind wrote a different ${rel} for two chunks`;
    }
  }
  if (sorted.length) merged.set(SEARCH_CHUNKS_FILE, new TextEncoder().encode(`${JSON.stringify(folders)}\n`));
  return new Map([...merged].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/**
 * One index from per-language ones: the entry files' `languages` are joined (in
 * sorted order); every other file is either a language's own (its name carries
 * the language and a hash) or shared and identical (`pagefind.js`, the
 * WebAssembly). A shared file that differs is reported, never silently chosen.
 */
export function mergeLanguageIndexes(indexes: readonly SearchChunkIndex[]): Map<string, Uint8Array> | string {
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
