/**
 * Step 3 of `verifySite`, only for a manifest whose signature is trusted: hash
 * every listed file, then look for additions (every file of a folder; over HTTP,
 * same-origin references from the pages and paths often planted on compromised
 * sites).
 */

import type { FileSystem } from '../io/host.js';
import type { Manifest, ManifestFile } from '../trust/manifest.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../trust/paths.js';
import type { VerifyProblem } from '../trust/problems.js';
import { MAX_DOCUMENT_BYTES } from '../trust/reader.js';
import { isReleaseLogPath } from '../trust/release-log.js';
import { listPresentFiles } from './dir-source.js';
import { type HttpSourceOptions, probeUrl, resolveFileUrl } from './http-source.js';
import { extractCssReferences, extractHtmlReferences, resolveSameOriginReferences } from './references.js';
import { isScannable, type SiteSource } from './site-source.js';

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
  | { kind: 'dir'; dir: string; fs: FileSystem }
  | { kind: 'http'; base: URL; http: HttpSourceOptions }
  /** A zip bundle read in memory: `present` lists its entries. */
  | { kind: 'zip'; present: readonly string[] };

/** Options of {@link checkFiles}. */
export interface CheckFilesOptions {
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}

/** The outcome of step 3. */
export interface FilesCheck {
  /** Files whose hash matched. */
  checkedFiles: number;
  /** Sorted by path, then kind. */
  problems: VerifyProblem[];
}

async function runPool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
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
  const listed = new Map<string, ManifestFile>(manifest.files.map((f) => [f.path, f]));
  const knownHashes = new Set(manifest.files.map((f) => f.sha256));
  const http = target.kind === 'http';
  let checkedFiles = 0;
  let done = 0;
  let total = manifest.files.length;
  const scanned: { path: string; text: string }[] = [];
  const problems: VerifyProblem[] = [];
  await runPool(manifest.files, options.concurrency, async (file) => {
    const result = await site.check(file, http && isScannable(file.path));
    if (result.status === 'match') {
      checkedFiles++;
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
  });

  const ignored = new Set([MANIFEST_PATH, MANIFEST_SIG_PATH]);
  if (target.kind === 'dir' || target.kind === 'zip') {
    let present: readonly string[] = target.kind === 'zip' ? target.present : [];
    if (target.kind === 'dir') {
      try {
        present = await listPresentFiles(target.dir, target.fs);
      } catch (error) {
        problems.push({ kind: 'unreachable', message: `cannot list ${target.dir}: ${(error as Error).message}` });
      }
    }
    for (const path of present) {
      if (!listed.has(path) && !ignored.has(path) && !isReleaseLogPath(path)) {
        problems.push({ kind: 'added', path, message: `${path} is not in the signed manifest` });
      }
    }
  } else {
    const baseUrl = target.base;
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
      return paths.some((p) => listed.has(p) || ignored.has(p) || isReleaseLogPath(p));
    };
    for (const { path, text } of scanned) {
      const page = resolveFileUrl(baseUrl, path);
      const refs = /\.css$/i.test(path) ? extractCssReferences(text) : extractHtmlReferences(text);
      for (const url of resolveSameOriginReferences(refs, page)) {
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
    });
  }
  problems.sort((a, b) => (a.path ?? '').localeCompare(b.path ?? '') || a.kind.localeCompare(b.kind));
  return { checkedFiles, problems };
}
