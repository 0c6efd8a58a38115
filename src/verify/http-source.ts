/**
 * Verify a copy served over HTTP(S): fetch each listed file with a timeout,
 * follow redirects only within the same origin (never to another host), and hash
 * the response body as it streams in.
 */

import { createHash } from 'node:crypto';
import type { ManifestFile } from '../trust/manifest.js';
import { createBrowserHeaders } from './browser-headers.js';
import { MAX_SCAN_BYTES, type SiteSource, type SourceFileCheck, type SourceReadResult } from './site-source.js';

/** Options for `createHttpSource`. */
export interface HttpSourceOptions {
  /** The network port every request goes through. */
  fetch: typeof fetch;
  /** Per-request timeout. */
  timeoutMs: number;
  /** The whole check's signal (its deadline): aborts every request still under way. */
  signal?: AbortSignal;
}

/** The result of `fetchSameOrigin`. */
export type SameOriginFetch =
  | { status: 'ok'; response: Response; url: URL }
  | { status: 'offsite'; location: string }
  | { status: 'error'; message: string };

const MAX_REDIRECTS = 5;

/** The folder URL a site is served from (trailing slash; a file name like `index.html` is dropped). */
export function resolveBaseUrl(source: string): URL {
  const url = new URL(source);
  url.hash = '';
  url.search = '';
  if (!url.pathname.endsWith('/')) {
    const last = url.pathname.split('/').pop() ?? '';
    url.pathname = last.includes('.') ? url.pathname.slice(0, url.pathname.length - last.length) : `${url.pathname}/`;
  }
  return url;
}

/** The URL of a site-relative path under `base`. */
export function resolveFileUrl(base: URL, path: string): URL {
  return new URL(path.split('/').map(encodeURIComponent).join('/'), base);
}

/**
 * GET `url` with `redirect: 'manual'`, following redirects only while they stay
 * on the same origin. A redirect to another host (or from https to http) is refused.
 */
export async function fetchSameOrigin(url: URL, options: HttpSourceOptions): Promise<SameOriginFetch> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response;
    try {
      if (options.signal?.aborted) return { status: 'error', message: `cannot fetch ${current.href}: the check was stopped` };
      const timeout = AbortSignal.timeout(options.timeoutMs);
      response = await options.fetch(current, {
        redirect: 'manual',
        signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
        headers: createBrowserHeaders(current.pathname),
      });
    } catch (error) {
      const e = error as Error;
      const why = options.signal?.aborted ? 'the check was stopped' : e.name === 'TimeoutError' ? `timed out after ${options.timeoutMs} ms` : e.message;
      return { status: 'error', message: `cannot fetch ${current.href}: ${why}` };
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel().catch(() => undefined);
      let next: URL;
      try {
        next = new URL(response.headers.get('location') ?? '', current);
      } catch {
        return { status: 'error', message: `bad redirect from ${current.href}` };
      }
      if (next.origin !== url.origin) return { status: 'offsite', location: next.href };
      current = next;
      continue;
    }
    return { status: 'ok', response, url: current };
  }
  return { status: 'error', message: `too many redirects from ${url.href}` };
}

async function readBody(
  response: Response,
  limit: number,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<{ size: number; over: boolean }> {
  let size = 0;
  if (!response.body) return { size, over: false };
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { size, over: false };
    size += value.length;
    onChunk?.(value);
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return { size, over: true };
    }
  }
}

/** A `SiteSource` for a site served at `base`. */
export function createHttpSource(base: URL, options: HttpSourceOptions): SiteSource {
  return {
    kind: 'http',
    async read(path, maxBytes): Promise<SourceReadResult> {
      const fetched = await fetchSameOrigin(resolveFileUrl(base, path), options);
      if (fetched.status === 'offsite') {
        return { status: 'error', message: `${path} redirects to another host (${fetched.location}); refused` };
      }
      if (fetched.status === 'error') return { status: 'error', message: fetched.message };
      const { response } = fetched;
      if (response.status === 404 || response.status === 410) {
        await response.body?.cancel().catch(() => undefined);
        return { status: 'missing' };
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return { status: 'error', message: `${path}: HTTP ${response.status}` };
      }
      const chunks: Uint8Array[] = [];
      try {
        const { over } = await readBody(response, maxBytes, (c) => chunks.push(c));
        if (over) return { status: 'error', message: `${path} is larger than ${maxBytes} bytes` };
      } catch (error) {
        return { status: 'error', message: `${path}: ${(error as Error).message}` };
      }
      return { status: 'ok', data: new Uint8Array(Buffer.concat(chunks)) };
    },
    async check(file: ManifestFile, wantText: boolean): Promise<SourceFileCheck> {
      const fetched = await fetchSameOrigin(resolveFileUrl(base, file.path), options);
      if (fetched.status === 'offsite') {
        return { status: 'mismatch', note: `redirects to another host (${fetched.location}); refused` };
      }
      if (fetched.status === 'error') return { status: 'error', message: fetched.message };
      const { response } = fetched;
      if (response.status === 404 || response.status === 410) {
        await response.body?.cancel().catch(() => undefined);
        return { status: 'missing' };
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return { status: 'error', message: `${file.path}: HTTP ${response.status}` };
      }
      const hash = createHash('sha256');
      const chunks: Uint8Array[] = [];
      let kept = 0;
      let result: { size: number; over: boolean };
      try {
        // Stop reading once the body is longer than the signed size (unless we want its text).
        result = await readBody(response, wantText ? Math.max(file.size, MAX_SCAN_BYTES) : file.size, (c) => {
          hash.update(c);
          if (wantText && kept < MAX_SCAN_BYTES) {
            chunks.push(c);
            kept += c.length;
          }
        });
      } catch (error) {
        return { status: 'error', message: `${file.path}: ${(error as Error).message}` };
      }
      const text = wantText ? Buffer.concat(chunks).toString('utf8') : undefined;
      if (result.over) return { status: 'mismatch', actualSize: result.size, note: 'longer than the signed file' };
      const sha = hash.digest('hex');
      if (result.size === file.size && sha === file.sha256) return { status: 'match', text };
      return { status: 'mismatch', actualSize: result.size, actualSha256: sha, text };
    },
  };
}

/** Fetch `url` (same origin only) and hash the body; used to probe URLs that are not in the manifest. */
export async function probeUrl(
  url: URL,
  options: HttpSourceOptions,
  maxBytes: number,
): Promise<{ status: 'served'; sha256: string; httpStatus: number } | { status: 'absent' }> {
  const fetched = await fetchSameOrigin(url, options);
  if (fetched.status !== 'ok') return { status: 'absent' };
  const { response } = fetched;
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return { status: 'absent' };
  }
  const hash = createHash('sha256');
  try {
    await readBody(response, maxBytes, (c) => hash.update(c));
  } catch {
    return { status: 'absent' };
  }
  return { status: 'served', sha256: hash.digest('hex'), httpStatus: response.status };
}
