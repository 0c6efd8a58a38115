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
import { createDiagnostic } from '../errors/catalogue.js';
import { SiteSearchIndexFailed } from '../errors/codes-site.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { hashKey, type Memo } from '../io/memo.js';
import type { OutputFiles } from './output.js';

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
}

/** Bump when the way pages are offered to Pagefind changes: remembered indexes are then made again. */
const SEARCH_INDEX_FORMAT = '1';

/** Pagefind runs one service process per Node process: builds in one process take turns. */
let queue: Promise<unknown> = Promise.resolve();

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
  const run = queue.then(() => indexPages(output, options));
  queue = run.catch(() => undefined);
  return run;
}

const LANG = /<html\b[^>]*?\slang="([^"]{1,35})"/;

async function indexPages(output: OutputFiles, options: SearchIndexOptions): Promise<Diagnostic[]> {
  const decoder = new TextDecoder();
  const byLanguage = new Map<string, { path: string; content: string; bytes: Uint8Array }[]>();
  for (const path of [...options.pages].sort()) {
    const bytes = output.get(path);
    if (!bytes) continue;
    const content = decoder.decode(bytes);
    if (!content.includes(SEARCH_BODY_ATTRIBUTE)) continue;
    const lang = (LANG.exec(content.slice(0, 2048))?.[1] ?? 'unknown').toLowerCase();
    const pages = byLanguage.get(lang) ?? [];
    if (!pages.length) byLanguage.set(lang, pages);
    pages.push({ path, content, bytes });
  }
  const diagnostics: Diagnostic[] = [];
  const indexes: LanguageSearchIndex[] = [];
  let pagefind: typeof import('pagefind') | undefined;
  try {
    for (const lang of [...byLanguage.keys()].sort()) {
      const pages = byLanguage.get(lang)!;
      const key = options.memo ? hashKey('pagefind', SEARCH_INDEX_FORMAT, lang, ...pages.flatMap((p) => [p.path, p.bytes])) : undefined;
      let index = key ? options.memo!.get(key) : undefined;
      if (!index) {
        pagefind ??= await import('pagefind');
        index = await indexLanguage(pagefind, pages);
        if (key && !index.diagnostics.length) options.memo!.set(key, index);
      }
      indexes.push(index);
    }
  } finally {
    await pagefind?.close();
  }
  for (const index of indexes) diagnostics.push(...index.diagnostics);
  if (diagnostics.length) return diagnostics;
  const merged = mergeLanguageIndexes(indexes);
  if (typeof merged === 'string') return [createDiagnostic(SiteSearchIndexFailed, {}, merged)];
  for (const [rel, data] of merged) output.set(`${SEARCH_INDEX_DIR}/${rel}`, data);
  return diagnostics;
}

/** Index one language's pages in a fresh Pagefind index. */
async function indexLanguage(pagefind: typeof import('pagefind'), pages: readonly { path: string; content: string }[]): Promise<LanguageSearchIndex> {
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
    for (const page of pages) {
      const added = await index.addHTMLFile({ url: `/${page.path}`, content: page.content });
      if (added.errors.length) fail(`${page.path}: ${added.errors.join('; ')}`);
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

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
