/**
 * `runChecks`: every check on the final output. Any error-severity diagnostic
 * must stop the build from sealing.
 */
import { type Diagnostic, sortDiagnostics } from '../errors/diagnostic.js';
import { crc32, hashKey, joinKey, type Memo } from '../io/memo.js';
import type { OutputFiles } from '../site/output.js';
import { isCompressedSearchFile } from '../site/search-pagefind.js';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { checkExcludedEmails } from './excluded-emails.js';
import { checkRemoteImages } from './remote-images.js';
import { checkImageAlt } from './image-alt.js';
import { checkImageMetadata } from './image-metadata.js';
import { checkPageLinks, collectPageLinks, type PageLinks } from './links.js';
import { checkScriptsAndCsp } from './scripts-and-csp.js';
import { createPageLocator, createSitePage, createSourceLocator, listPagePaths, type SourceMarks } from './site-pages.js';
import { checkThirdParty } from './third-party.js';
import { checkWithheldNames, type WithheldName } from './withheld-names.js';

/** Options for {@link runChecks}. */
export interface CheckOptions {
  /** Names that must not appear anywhere (all spellings expanded by the caller). */
  withheldNames?: readonly WithheldName[];
  /** Origins pages may contact (e.g. a form target). Default none. */
  allowedOrigins?: readonly string[];
  /** Allow executable scripts covered by the CSP (`stele dev` only; production pages run no JavaScript). */
  allowScripts?: boolean;
  /** Search pages and the bootstrap script they may carry (see `checkScriptsAndCsp`). */
  searchPages?: { paths: ReadonlySet<string>; script: string };
  /** Skip the image metadata check (e.g. when only HTML changed in watch mode). */
  skipImageMetadata?: boolean;
  /** Results of earlier builds in this process, by page bytes (`stele dev`). */
  memo?: Memo<PageCheckMemo>;
  /** Withheld-name results of earlier builds, by file bytes and name list (`stele dev`). */
  namesMemo?: Memo<Diagnostic[]>;
  /** Hashes of commenters' e-mail addresses that must not appear (`stele import`'s exclusion list). */
  excludedEmailHashes?: ReadonlySet<string>;
  /** Images `stele import` left on the old host (linked, not shown): each link to one is a warning. */
  remoteImages?: readonly string[];
  /** Source marks of author content per page: problems in those elements are reported at the Markdown line. */
  sourceMarks?: SourceMarks;
  /** Called every 200 pages and after the last: pages checked, total pages. */
  onProgress?: (done: number, total: number) => void;
}

/** Pages checked between two progress reports. */
const PROGRESS_EVERY = 200;

/** What the check memo keeps per page: its own diagnostics and its link data. */
export interface PageCheckMemo {
  diagnostics: Diagnostic[];
  ids: Set<string>;
  /** The page's URLs, with their targets once classified (kept across builds with the memo). */
  urls: PageLinks['urls'];
}

/** One page's own checks: the bytes checked (the same object as in the output), its diagnostics and link data. */
type CheckedPage = { bytes: Uint8Array; diagnostics: Diagnostic[]; links: PageLinks };

/** The per-page checks of some pages, made before the rest of the site was final (see {@link checkPages}). */
export interface CheckedPages {
  pages: Map<string, CheckedPage>;
  /**
   * Without a memo (a production build): a checksum of each page's bytes when
   * it was checked (CRC-32, or SHA-256 on a Node without `zlib.crc32`), so that a
   * result is reused only for the same content even if some later step of this
   * build changed a page's bytes in place (a bug to catch, not an attacker: no
   * other code runs in the build). (With a memo, `stele dev`,
   * reuse is by bytes object; the memo itself is keyed by content.)
   */
  digests?: Map<string, string>;
  /** The options the pages were checked with: results made with others are not used. */
  context: string;
  sourceMarks: SourceMarks | undefined;
}

/** The options a page's own checks depend on. */
function resolvePageContext(options: CheckOptions): string {
  return JSON.stringify([options.allowedOrigins ?? [], Boolean(options.allowScripts), [...(options.searchPages?.paths ?? [])].sort(), options.searchPages?.script ?? '']);
}

/**
 * Run the per-page checks (image alt, third-party URLs, scripts and CSP, and
 * the link data the site-wide link check needs) on the pages the output holds
 * now. The build calls it while the search index is still being made; pass the
 * result to {@link runChecks}, which uses a page's result only when the output
 * still holds the very same bytes, and checks every other page itself.
 */
export function checkPages(output: OutputFiles, options: CheckOptions = {}): CheckedPages {
  const pages = new Map<string, CheckedPage>();
  checkPageList(output, listPagePaths(output), options, pages);
  const digests = options.memo ? undefined : new Map([...pages].map(([path, r]) => [path, digestBytes(r.bytes)]));
  return { pages, context: resolvePageContext(options), sourceMarks: options.sourceMarks, ...(digests ? { digests } : {}) };
}

/** Digests of source-mark lists, by the list (never changed in place: harden makes new ones, the same one for the same input). */
const MARK_DIGESTS = new WeakMap<readonly unknown[], string>();

function digestMarks(marks: readonly unknown[]): string {
  let digest = MARK_DIGESTS.get(marks);
  if (digest === undefined) {
    digest = hashKey(JSON.stringify(marks));
    MARK_DIGESTS.set(marks, digest);
  }
  return digest;
}

function checkPageList(
  output: OutputFiles,
  paths: readonly string[],
  options: CheckOptions,
  into: Map<string, CheckedPage>,
): void {
  const allowedOrigins = options.allowedOrigins ?? [];
  const memoContext = hashKey(resolvePageContext(options));
  // The URLs and ids of the pages, each text kept once (kept until the site-wide link check).
  const strings = new Map<string, string>();
  // One page at a time, parsed, checked and dropped before the next: a parse tree then dies
  // young (a cheap scavenge) instead of outliving collections with a batch of others and
  // growing the old generation (at 200 pages a batch, ~130 MB more peak RSS on a bench site
  // of 1000 post pairs, and twice the time).
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    const bytes = output.get(path)!;
    // The same bytes with other source marks (a front matter grew a line) are checked again.
    const marks = options.sourceMarks?.get(path);
    const key = options.memo ? joinKey(memoContext, path, marks?.length ? digestMarks(marks) : '', bytes) : '';
    const hit = options.memo?.get(key);
    if (hit) {
      const source = createSourceLocator(options.sourceMarks, path);
      into.set(path, { bytes, diagnostics: hit.diagnostics, links: { path, ids: hit.ids, urls: hit.urls, locate: createPageLocator(output, path), ...(source ? { source } : {}) } });
    } else {
      const page = createSitePage(output, path, options.sourceMarks);
      const own = [...checkImageAlt([page]), ...checkThirdParty(output, [page], { allowedOrigins, skipCssFiles: true }), ...checkScriptsAndCsp([page], { allowScripts: options.allowScripts, searchPages: options.searchPages })];
      const pageLinks = collectPageLinks(page, strings);
      into.set(path, { bytes, diagnostics: own, links: pageLinks });
      options.memo?.set(key, { diagnostics: own, ids: pageLinks.ids, urls: pageLinks.urls });
    }
    if ((i + 1) % PROGRESS_EVERY === 0 || i + 1 === paths.length) options.onProgress?.(i + 1, paths.length);
  }
}

/**
 * Run every check on the built output; diagnostics sorted by file, line,
 * column, code. Pages are parsed one at a time and only their link data is kept,
 * so memory stays flat on sites with thousands of pages. With `memo`, a page
 * whose bytes were checked before in this process is not parsed again. With
 * `checked` ({@link checkPages}), a page whose bytes are still the ones checked
 * there is not parsed again either; a changed or new page is.
 */
export async function runChecks(output: OutputFiles, options: CheckOptions & { checked?: CheckedPages } = {}): Promise<Diagnostic[]> {
  const paths = listPagePaths(output);
  const results = new Map<string, CheckedPage>();
  const checked = options.checked;
  const earlier = checked && checked.context === resolvePageContext(options) && checked.sourceMarks === options.sourceMarks ? checked.pages : undefined;
  const todo = paths.filter((path) => {
    const done = earlier?.get(path);
    const bytes = output.get(path)!;
    if (done && done.bytes === bytes && (!checked?.digests || checked.digests.get(path) === digestBytes(bytes))) {
      results.set(path, done);
      return false;
    }
    return true;
  });
  checkPageList(output, todo, options, results);
  const diagnostics: Diagnostic[] = [];
  const links: PageLinks[] = [];
  for (const path of paths) {
    const r = results.get(path)!;
    diagnostics.push(...r.diagnostics);
    links.push(r.links);
  }
  const allowedOrigins = options.allowedOrigins ?? [];
  diagnostics.push(
    // The site's .css files.
    ...checkThirdParty(output, [], { allowedOrigins }),
    ...checkPageLinks(output, links),
    // Text scans see the search index decompressed: what is in the index is published.
    ...scanTexts(output, options),
    ...checkRemoteImages(output, options.remoteImages ?? []),
    ...(options.skipImageMetadata ? [] : await checkImageMetadata(output)),
  );
  return sortDiagnostics(diagnostics);
}

/** Search-index chunks inflated at a time for the text scans. */
const INFLATE_BATCH = 256;

/**
 * The text scans (withheld names, excluded e-mail addresses) over every file,
 * the search index decompressed: the other files as they are, then the index's
 * chunks a batch at a time, so the inflated index (several times its
 * compressed size) is never in memory whole.
 */
function scanTexts(output: OutputFiles, options: CheckOptions): Diagnostic[] {
  const scan = (files: OutputFiles) => [
    ...checkWithheldNames(files, options.withheldNames ?? [], options.namesMemo),
    ...checkExcludedEmails(files, options.excludedEmailHashes ?? new Set()),
  ];
  const compressed = [...output.keys()].filter(isCompressedSearchFile).sort();
  if (!compressed.length) return scan(output);
  const found = scan(new Map([...output].filter(([path]) => !isCompressedSearchFile(path))));
  // Remembered inflated only beside a names memo (`stele dev`): a build that ends after this
  // would otherwise hold the decompressed index to its end.
  const remember = options.namesMemo !== undefined;
  for (let i = 0; i < compressed.length; i += INFLATE_BATCH) {
    const batch: OutputFiles = new Map(compressed.slice(i, i + INFLATE_BATCH).map((path) => [path, output.get(path)!]));
    for (const d of scan(decodeSearchIndex(batch, { remember }))) found.push(d);
  }
  return found;
}

/** Pagefind's index chunks are gzip-compressed after a `pagefind_dcd` signature. */
const PAGEFIND_SIGNATURE = new TextEncoder().encode('pagefind_dcd');

/**
 * The output as the withheld-name scan must see it: the search index's
 * compressed chunks decompressed (a name in the index is a name published).
 * A chunk that does not decompress is scanned as it is. With `remember`, each
 * chunk's inflated bytes are kept for as long as its compressed bytes live, so
 * a later check of the same index (a `stele dev` rebuild) does not inflate it again.
 */
export function decodeSearchIndex(output: OutputFiles, options: { remember?: boolean } = {}): OutputFiles {
  let view: OutputFiles | undefined;
  for (const [path, bytes] of output) {
    if (!isCompressedSearchFile(path)) continue;
    let data = decoded.get(bytes);
    if (data === undefined) {
      try {
        const plain = gunzipSync(bytes);
        data = PAGEFIND_SIGNATURE.every((b, i) => plain[i] === b) ? plain.subarray(PAGEFIND_SIGNATURE.length) : plain;
      } catch {
        data = bytes;
      }
      if (options.remember) decoded.set(bytes, data);
    }
    if (data === bytes) continue;
    view ??= new Map(output);
    view.set(path, data);
  }
  return view ?? output;
}

/**
 * Decompressed chunks by the compressed bytes they came from (the same object):
 * a search index reused by `stele dev` or the build cache is not inflated again.
 */
const decoded = new WeakMap<Uint8Array, Uint8Array>();


/** A checksum of a page's bytes: CRC-32 (several times faster than SHA-256), or SHA-256 without it. */
function digestBytes(bytes: Uint8Array): string {
  return crc32 ? `${crc32(bytes)}:${bytes.byteLength}` : createHash('sha256').update(bytes).digest('hex');
}
