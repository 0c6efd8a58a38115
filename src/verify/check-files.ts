/**
 * Step 3 of `verifySite`, only for a manifest whose signature is trusted: hash
 * every listed file, then look for additions (every file of a folder; over HTTP,
 * same-origin references from the pages and paths often planted on compromised
 * sites).
 *
 * Server configuration (the manifest's `serverConfig` section: `.htaccess`,
 * `_headers`, `_redirects`) is checked like every other file in a folder or a
 * bundle. Over HTTP it is not required, since servers read it and most refuse
 * to serve it: when a server does serve one, its bytes must be the signed ones
 * (or a signed page it falls back to, such as `404.html`).
 */

import type { FileSystem } from '../io/host.js';
import type { Manifest, ManifestFile } from '../trust/manifest.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../trust/paths.js';
import type { VerifyProblem } from '../trust/problems.js';
import { MAX_DOCUMENT_BYTES } from '../trust/reader.js';
import { isReleaseLogPath } from '../trust/release-log.js';
import { isTimestampPath } from '../trust/timestamp.js';
import { listPresentFiles } from './dir-source.js';
import { type HttpSourceOptions, probeUrl, resolveFileUrl } from './http-source.js';
import { extractCssReferences, extractHtmlReferences, resolveSameOriginReferences } from './references.js';
import { isScannable, type SiteSource, type SourceFileCheck } from './site-source.js';

/** Paths often planted on compromised sites; probed over HTTP when not in the manifest. */
export const INJECTED_PATH_PROBES: readonly string[] = [
  '.htaccess',
  '.env',
  '.git/config',
  'index.php',
  'wp-login.php',
  'xmlrpc.php',
  'admin.php',
  'shell.php',
  'cmd.php',
  'c99.php',
  'r57.php',
  'wso.php',
  'up.php',
  'upload.php',
  'config.php',
  'cgi-bin/',
];

/** Where the copy being checked lives. */
export type FilesTarget =
  /** A folder; `listing`: its listing (`listPresentFiles`), when started ahead. */
  | { kind: 'dir'; dir: string; fs: FileSystem; listing?: Promise<FolderListing> }
  | { kind: 'http'; base: URL; http: HttpSourceOptions }
  /** A zip bundle read in memory: `present` lists its entries. */
  | { kind: 'zip'; present: readonly string[] };

/** A folder's listing for additions, or why it could not be listed. */
export type FolderListing = { paths: string[] } | { error: Error; dir: string };

/** List the folder of a copy (`listPresentFiles`) as a {@link FolderListing}: never rejects. */
export function listFolder(dir: string, fs: FileSystem): Promise<FolderListing> {
  return listPresentFiles(dir, fs).then(
    (paths) => ({ paths }),
    (error: unknown) => ({ error: error as Error, dir }),
  );
}

/** Options of {@link checkFiles}. */
export interface CheckFilesOptions {
  /** Files read or fetched at the same time. */
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
  /** The whole check's signal: once aborted no further file is read and nothing under way is reported. */
  signal?: AbortSignal;
  /** Filled as results come in, so a check stopped by its deadline still reports what it found. */
  into?: FilesCheck;
}

/** The outcome of step 3. */
export interface FilesCheck {
  /** Files a reader can fetch whose hash matched. */
  checkedFiles: number;
  /** Server configuration files whose hash matched (in a folder or bundle, or served over HTTP). */
  checkedServerConfig: number;
  /** Sorted by path, then kind. */
  problems: VerifyProblem[];
}

/** Run `fn` over `items`, at most `concurrency` at a time, taking no new item once `signal` aborts. */
async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}

/** Step 3: every listed file, then additions. */
export async function checkFiles(
  site: SiteSource,
  target: FilesTarget,
  manifest: Manifest,
  options: CheckFilesOptions,
): Promise<FilesCheck> {
  const http = target.kind === 'http';
  const serverConfig = manifest.serverConfig ?? [];
  // Every signed file once (a path is never both a reader file and server configuration); the
  // order only decides which is read first, and a manifest lists its files by path already.
  const signed = serverConfig.length ? [...manifest.files, ...serverConfig] : manifest.files;
  const listed = new Map<string, ManifestFile>(signed.map((f) => [f.path, f]));
  const serverConfigPaths = new Set(serverConfig.map((f) => f.path));
  // Over HTTP only the files a reader can fetch must be served; a folder or bundle holds everything signed.
  const required = http ? manifest.files : signed;
  const found: FilesCheck = options.into ?? { checkedFiles: 0, checkedServerConfig: 0, problems: [] };
  const { problems } = found;
  const signal = options.signal;
  let done = 0;
  let total = required.length;
  const scanned: { path: string; text: string }[] = [];
  const record = (file: ManifestFile, result: SourceFileCheck): void => {
    // A request cut short by the deadline says nothing about the file.
    if (signal?.aborted && result.status === 'error') return;
    if (result.status === 'match') {
      if (serverConfigPaths.has(file.path)) found.checkedServerConfig++;
      else found.checkedFiles++;
      if (result.text !== undefined) scanned.push({ path: file.path, text: result.text });
    } else if (result.status === 'missing') {
      problems.push({ kind: 'missing', path: file.path, message: `${file.path} is missing` });
    } else if (result.status === 'error') {
      problems.push({ kind: 'unreachable', path: file.path, message: result.message });
    } else {
      if (result.text !== undefined) scanned.push({ path: file.path, text: result.text });
      problems.push({
        kind: 'modified',
        path: file.path,
        message: `${file.path} was modified${result.note ? ` (${result.note})` : ''}`,
        expected: `${file.size} bytes sha256 ${file.sha256}`,
        ...(result.actualSize !== undefined
          ? { actual: `${result.actualSize} bytes${result.actualSha256 ? ` sha256 ${result.actualSha256}` : ''}` }
          : {}),
      });
    }
    done++;
    options.onProgress?.(done, total);
  };
  // A folder is listed (for additions) while its files are hashed; the listing reads no listed file.
  const listing = target.kind === 'dir' ? (target.listing ?? listFolder(target.dir, target.fs)) : undefined;
  if (!http && site.checkAll) await site.checkAll(required, record, signal);
  else await runPool(required, options.concurrency, async (file) => record(file, await site.check(file, http && isScannable(file.path))), signal);
  const sortProblems = (): void => {
    problems.sort((a, b) => (a.path ?? '').localeCompare(b.path ?? '') || a.kind.localeCompare(b.kind));
  };
  if (signal?.aborted) {
    sortProblems();
    return found;
  }

  const ignored = new Set([MANIFEST_PATH, MANIFEST_SIG_PATH]);
  if (target.kind === 'dir' || target.kind === 'zip') {
    let present: readonly string[] = target.kind === 'zip' ? target.present : [];
    if (listing) {
      const walked = await listing;
      if ('paths' in walked) present = walked.paths;
      else problems.push({ kind: 'unreachable', message: `cannot list ${walked.dir}: ${walked.error.message}` });
    }
    for (const path of present) {
      if (!listed.has(path) && !ignored.has(path) && !isReleaseLogPath(path) && !isTimestampPath(path)) {
        problems.push({ kind: 'added', path, message: `${path} is not in the signed manifest` });
      }
    }
  } else {
    const baseUrl = target.base;
    // A body identical to a signed file is a server's fallback (e.g. 404.html), not an addition.
    const knownHashes = new Set(manifest.files.map((f) => f.sha256));
    // Server configuration a server chooses to serve must be the signed bytes.
    total += serverConfig.length;
    await runPool(serverConfig, options.concurrency, async (file) => {
      const result = await probeUrl(resolveFileUrl(baseUrl, file.path), target.http, MAX_DOCUMENT_BYTES);
      if (result.status === 'served' && result.sha256 === file.sha256) found.checkedServerConfig++;
      else if (result.status === 'served' && !knownHashes.has(result.sha256)) {
        problems.push({
          kind: 'modified',
          path: file.path,
          message: `${file.path} (server configuration) is served with other bytes than the signed ones`,
          expected: `${file.size} bytes sha256 ${file.sha256}`,
          actual: `sha256 ${result.sha256}`,
        });
      }
      done++;
      options.onProgress?.(done, total);
    }, signal);
    const candidates = new Map<string, { url: URL; from?: string }>();
    const isListedUrl = (url: URL): boolean => {
      if (!url.pathname.startsWith(baseUrl.pathname)) return false;
      let rel: string;
      try {
        rel = decodeURIComponent(url.pathname.slice(baseUrl.pathname.length));
      } catch {
        return false;
      }
      const paths = rel === '' || rel.endsWith('/') ? [`${rel}index.html`] : [rel, `${rel}.html`, `${rel}/index.html`];
      return paths.some((p) => listed.has(p) || ignored.has(p) || isReleaseLogPath(p) || isTimestampPath(p));
    };
    for (const { path, text } of scanned) {
      const page = resolveFileUrl(baseUrl, path);
      const refs = /\.css$/i.test(path) ? extractCssReferences(text) : extractHtmlReferences(text);
      for (const url of resolveSameOriginReferences(refs, page)) {
        // Only this copy's folder can hold an added file: a URL outside it (a 404 page's links
        // under the path the site was built for, on a mirror in another folder) is another site's.
        if (!url.pathname.startsWith(baseUrl.pathname)) continue;
        if (!isListedUrl(url) && !candidates.has(url.href)) candidates.set(url.href, { url, from: path });
      }
    }
    for (const probe of INJECTED_PATH_PROBES) {
      const url = resolveFileUrl(baseUrl, probe.replace(/\/$/, ''));
      if (probe.endsWith('/')) url.pathname += '/';
      if (!isListedUrl(url) && !candidates.has(url.href)) candidates.set(url.href, { url });
    }
    total += candidates.size;
    await runPool([...candidates.values()], options.concurrency, async ({ url, from }) => {
      const result = await probeUrl(url, target.http, MAX_DOCUMENT_BYTES);
      // A body identical to a signed file is a server fallback (e.g. 404.html), not an addition.
      if (result.status === 'served' && !knownHashes.has(result.sha256)) {
        const rel = url.pathname.startsWith(baseUrl.pathname) ? url.pathname.slice(baseUrl.pathname.length) : url.pathname;
        let path = rel;
        try {
          path = decodeURIComponent(rel);
        } catch {
          path = rel;
        }
        problems.push({
          kind: 'added',
          path,
          message: `${url.href} is served but not in the signed manifest${from ? ` (referenced from ${from})` : ''}`,
          actual: `sha256 ${result.sha256}`,
        });
      }
      done++;
      options.onProgress?.(done, total);
    }, signal);
  }
  sortProblems();
  return found;
}
