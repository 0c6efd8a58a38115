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
}

/** Pagefind runs one service process per Node process: builds in one process take turns. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Index the pages of `output` with Pagefind and add the index under `pagefind/`.
 * Pages are offered in sorted order so the index is deterministic. The
 * Pagefind service process is started for the build and stopped after it.
 */
export function createSearchIndex(output: OutputFiles, options: SearchIndexOptions): Promise<Diagnostic[]> {
  const run = queue.then(() => indexPages(output, options));
  queue = run.catch(() => undefined);
  return run;
}

async function indexPages(output: OutputFiles, options: SearchIndexOptions): Promise<Diagnostic[]> {
  const pagefind = await import('pagefind');
  const decoder = new TextDecoder();
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string) => diagnostics.push(createDiagnostic(SiteSearchIndexFailed, {}, message));
  try {
    const created = await pagefind.createIndex({ keepIndexUrl: true, writePlayground: false });
    if (!created.index) {
      fail(created.errors.join('; ') || 'Pagefind did not start');
      return diagnostics;
    }
    const { index } = created;
    for (const path of [...options.pages].sort()) {
      const bytes = output.get(path);
      if (!bytes) continue;
      const content = decoder.decode(bytes);
      if (!content.includes(SEARCH_BODY_ATTRIBUTE)) continue;
      const added = await index.addHTMLFile({ url: `/${path}`, content });
      if (added.errors.length) fail(`${path}: ${added.errors.join('; ')}`);
    }
    const files = await index.getFiles();
    if (files.errors.length) fail(files.errors.join('; '));
    for (const file of files.files) {
      const rel = file.path.replace(/\\/g, '/');
      if (KEPT.test(rel)) output.set(`${SEARCH_INDEX_DIR}/${rel}`, new Uint8Array(file.content));
    }
    await index.deleteIndex();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  } finally {
    await pagefind.close();
  }
  return diagnostics;
}
