/**
 * The extension's check of one page, built from the trust core's protocol steps
 * (the same ones `stele verify` runs): the signed manifest and its key, rotation
 * and revoked keys, revoked addresses, expiry and rollback, the delegated
 * timestamp (stale: possible freeze), then the hash of the page itself and of
 * every same-origin resource it loaded.
 */
import { decodeUtf8 } from '../../src/trust/bytes.js';
import { normalizeAddress, parseChannelsDocument } from '../../src/trust/channels.js';
import { type Manifest, parseManifest } from '../../src/trust/manifest.js';
import { formatKeyFingerprint, formatPublicKeyFile, type MinisignPublicKey, parsePublicKey } from '../../src/trust/minisign.js';
import { CHANNELS_PATH, MANIFEST_PATH, MANIFEST_SIG_PATH, PUBLIC_KEY_PATH } from '../../src/trust/paths.js';
import { PROBLEM_KIND_INFO, resolveVerdict, type VerifyProblem, type VerifyProblemKind } from '../../src/trust/problems.js';
import { MAX_DOCUMENT_BYTES, MAX_PUBLIC_KEY_BYTES, MAX_SIGNATURE_BYTES, type TrustReader } from '../../src/trust/reader.js';
import { hashSha256Hex } from '../../src/trust/release-log.js';
import { checkRevokedAddress, checkRevokedKeys } from '../../src/trust/revocation.js';
import {
  checkManifestFreshness,
  type ManifestAnchor,
  readListedFile,
  readSignedManifest,
  resolveUnreadManifestProblem,
  verifyManifestSignature,
} from '../../src/trust/signed-manifest.js';
import { checkSiteTimestamp } from '../../src/trust/timestamp.js';
import type { PinCandidate, ResourceDigest, Verdict } from './protocol.js';
import { findOfficialSite, type SitePin, type TrustState } from './store.js';

/** Most folders walked up from a page to find its site root. */
export const MAX_ROOT_DEPTH = 12;

/** A site root found by {@link locateSite}: where the manifest is and its bytes. */
export interface LocatedSite {
  /** Absolute URL of the site root, ending in `/`. */
  root: string;
  reader: TrustReader;
  manifestBytes: Uint8Array;
}

/** How the extension fetches the small files stele publishes. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Read a response body, refusing more than `maxBytes`. */
async function readLimited(res: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  const length = Number(res.headers.get('content-length') ?? '0');
  if (length > maxBytes) return undefined;
  const data = new Uint8Array(await res.arrayBuffer());
  return data.length > maxBytes ? undefined : data;
}

/**
 * A trust reader over HTTP for the site at `root`: no cache, no cookies, no
 * redirects, a timeout. Only files under the root are read.
 */
export function createFetchReader(root: string, fetchFn: FetchLike, timeoutMs = 15_000): TrustReader {
  return {
    async read(path, maxBytes) {
      const url = new URL(path, root).href;
      if (!url.startsWith(root)) return { status: 'error', message: `${path} is outside the site` };
      try {
        const res = await fetchFn(url, {
          cache: 'no-store',
          credentials: 'omit',
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.status === 404 || res.status === 410) return { status: 'missing' };
        if (!res.ok) return { status: 'error', message: `${url} answered ${res.status}` };
        const data = await readLimited(res, maxBytes);
        return data ? { status: 'ok', data } : { status: 'error', message: `${url} is larger than ${maxBytes} bytes` };
      } catch (error) {
        return { status: 'error', message: `${url}: ${(error as Error).message}` };
      }
    },
  };
}

/** Folders from the page's own folder up to the origin root, deepest first. */
export function listCandidateRoots(pageUrl: string): string[] {
  const url = new URL(pageUrl);
  const parts = url.pathname.split('/').slice(1, -1);
  const roots: string[] = [];
  for (let n = Math.min(parts.length, MAX_ROOT_DEPTH); n >= 0; n--) {
    roots.push(`${url.origin}/${parts.slice(0, n).map((p) => `${p}/`).join('')}`);
  }
  return roots;
}

/** Remembers which folders have no manifest, so other pages do not ask again. */
export type RootCache = Map<string, boolean>;

/**
 * Find the root of the stele site a page belongs to: the nearest folder, walking
 * up from the page (a mirror may live in a sub-folder), that serves a manifest.
 * `undefined` when none does; `{ error }` when the nearest one could not be read.
 */
export async function locateSite(
  pageUrl: string,
  fetchFn: FetchLike,
  cache: RootCache,
): Promise<LocatedSite | { error: string } | undefined> {
  for (const root of listCandidateRoots(pageUrl)) {
    if (cache.get(root) === false) continue;
    const reader = createFetchReader(root, fetchFn);
    const read = await reader.read(MANIFEST_PATH, MAX_DOCUMENT_BYTES);
    if (read.status === 'ok') {
      cache.set(root, true);
      return { root, reader, manifestBytes: read.data };
    }
    if (read.status === 'missing') cache.set(root, false);
    else return { error: read.message };
  }
  return undefined;
}

/** Input of {@link checkSite}. */
export interface SiteCheckInput {
  pageUrl: string;
  site: LocatedSite;
  /** The page and its same-origin resources, hashed as loaded; empty for the early (pre-load) check. */
  resources: readonly ResourceDigest[];
  state: TrustState;
  now: Date;
}

/** A verdict and, when signed files taught something, the pin to remember. */
export interface SiteCheckResult {
  verdict: Verdict;
  /** The site's pin after this check (new or updated); absent when nothing may be learnt. */
  pin?: SitePin;
}

/** The manifest path a URL under `root` names, or undefined when the URL is outside the site. */
export function resolveSitePath(url: URL, root: URL, listed: ReadonlySet<string>): string | undefined {
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return undefined;
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname.slice(root.pathname.length));
  } catch {
    rel = url.pathname.slice(root.pathname.length);
  }
  if (rel === '' || rel.endsWith('/')) return `${rel}index.html`;
  return [rel, `${rel}.html`, `${rel}/index.html`].find((p) => listed.has(p)) ?? rel;
}

/** Compare the page and what it loaded with the manifest. */
export function checkResources(manifest: Manifest, root: string, resources: readonly ResourceDigest[]): { problems: VerifyProblem[]; matched: number } {
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  const knownHashes = new Set(manifest.files.map((f) => f.sha256));
  const rootUrl = new URL(root);
  const problems: VerifyProblem[] = [];
  let matched = 0;
  for (const r of resources) {
    const url = new URL(r.url);
    const path = resolveSitePath(url, rootUrl, new Set(listed.keys()));
    const entry = path === undefined ? undefined : listed.get(path);
    if (r.status === 'error') {
      problems.push({ kind: 'unreachable', ...(path ? { path } : {}), message: `could not read ${r.url}: ${r.message ?? 'error'}` });
    } else if (r.status === 'missing') {
      if (entry) problems.push({ kind: 'missing', path: entry.path, message: `${entry.path} is missing` });
    } else if (entry) {
      if (r.sha256 === entry.sha256 && r.size === entry.size) matched++;
      else {
        problems.push({
          kind: 'modified',
          path: entry.path,
          message: `${entry.path} was modified`,
          expected: `${entry.size} bytes sha256 ${entry.sha256}`,
          actual: `${r.size} bytes sha256 ${r.sha256}`,
        });
      }
    } else if (!r.sha256 || !knownHashes.has(r.sha256)) {
      // A body identical to a signed file is a server fallback (e.g. 404.html), not an addition.
      problems.push({
        kind: 'added',
        path: path ?? url.pathname,
        message: `${r.url} was loaded by this page but is not in the signed manifest`,
        actual: `sha256 ${r.sha256}`,
      });
    }
  }
  return { problems, matched };
}

async function readSitePublicKey(reader: TrustReader): Promise<{ key: MinisignPublicKey; text: string } | undefined> {
  const read = await reader.read(PUBLIC_KEY_PATH, MAX_PUBLIC_KEY_BYTES);
  if (read.status !== 'ok') return undefined;
  const text = decodeUtf8(read.data);
  const parsed = parsePublicKey(text);
  return parsed.ok ? { key: parsed.value, text } : undefined;
}

const OFFICIAL_TYPES = new Set(['domain', 'mirror', 'onion']);

/** Official site addresses (normalised) from channels.json bytes that matched the manifest. */
async function readChannels(reader: TrustReader, manifest: Manifest): Promise<Pick<SitePin, 'official' | 'revoked'> | undefined> {
  const bytes = await readListedFile(reader, manifest, CHANNELS_PATH);
  const doc = bytes ? parseChannelsDocument(bytes) : undefined;
  if (!doc) return undefined;
  return {
    official: doc.official
      .filter((c) => OFFICIAL_TYPES.has(c.type))
      .map((c) => normalizeAddress(c.url))
      .filter((u): u is string => u !== undefined),
    revoked: doc.revoked.map((r) => ({ url: r.url, date: r.date, reason: r.reason })),
  };
}

/** Summaries of problems for the title: each kind's title, then paths or the first message. */
export function summarizeProblems(problems: readonly VerifyProblem[]): string {
  const byKind = new Map<VerifyProblemKind, VerifyProblem[]>();
  for (const p of problems) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p]);
  const parts: string[] = [];
  for (const [kind, list] of byKind) {
    const info = PROBLEM_KIND_INFO[kind];
    const paths = list.map((p) => p.path).filter((p): p is string => !!p);
    const detail = info.file && paths.length ? [...new Set(paths)].slice(0, 5).join(', ') + (paths.length > 5 ? ` and ${paths.length - 5} more` : '') : list[0].message;
    parts.push(`${info.title}: ${detail}`);
  }
  return parts.join('; ');
}

function isOfficial(root: string, official: readonly string[]): boolean {
  const n = normalizeAddress(root);
  return n !== undefined && official.some((o) => n === o || n.startsWith(`${o}/`));
}

/**
 * Check one page of a located site. Never throws for problems with the site:
 * they are in the verdict.
 */
export async function checkSite(input: SiteCheckInput): Promise<SiteCheckResult> {
  const { site, state, pageUrl } = input;
  const base = { url: pageUrl, root: site.root };
  const sigRead = await site.reader.read(MANIFEST_SIG_PATH, MAX_SIGNATURE_BYTES);
  if (sigRead.status !== 'ok') {
    // The site is pinned when the site id the (unsigned) manifest claims is pinned, or the
    // address is an official one of a pinned site; then a missing signature is NOT GENUINE
    // (`unsigned`), otherwise "could not check" — the trust core's rule, as `stele verify`.
    // A key imported by file or fingerprint names no site, so it cannot pin this copy.
    const parsed = parseManifest(decodeUtf8(site.manifestBytes));
    const pinned = (parsed.ok ? state.pins[parsed.manifest.siteId] : undefined) ?? findOfficialSite(state, pageUrl);
    const problem = resolveUnreadManifestProblem('signature', sigRead, pinned !== undefined);
    return { verdict: finishVerdict({ ...base, problems: [problem], ...(pinned ? { siteId: pinned.siteId } : {}) }) };
  }
  const read = readSignedManifest(site.manifestBytes, decodeUtf8(sigRead.data));
  if (!read.ok) {
    const pinned = (read.manifest && state.pins[read.manifest.siteId]) || findOfficialSite(state, pageUrl);
    if (!pinned) return { verdict: { ...base, state: 'error', summary: `this site's stele manifest is unreadable: ${read.problem.message}`, problems: [read.problem] } };
    return { verdict: finishVerdict({ ...base, problems: [read.problem], siteId: pinned.siteId }) };
  }
  const manifest = read.manifest;
  const sigKeyId = read.signature.keyId;
  const summary = { siteId: manifest.siteId, version: manifest.version, keyId: sigKeyId, expires: manifest.expires };
  const pin = state.pins[manifest.siteId];

  // The key this copy must be signed by: pinned, imported, or (first visit) none yet.
  let anchor: ManifestAnchor | undefined;
  let pinSource: SitePin['source'] = pin?.source ?? 'imported';
  let candidate: PinCandidate | undefined;
  if (pin) {
    const key = parsePublicKey(pin.publicKey);
    anchor = key.ok
      ? { key: key.value, keyId: key.value.keyId, mismatchKind: pin.source === 'imported' ? 'wrong-key' : 'key-changed' }
      : { keyId: pin.keyId, mismatchKind: 'wrong-key' };
  } else {
    const imported = state.importedKeys.find((k) => k.keyId === sigKeyId);
    const published = await readSitePublicKey(site.reader);
    if (imported?.publicKey) {
      const key = parsePublicKey(imported.publicKey);
      if (key.ok) anchor = { key: key.value, keyId: key.value.keyId, mismatchKind: 'wrong-key' };
    } else if (imported) {
      // Imported by fingerprint: the site's own public key, if it has that id.
      anchor = published?.key.keyId === imported.keyId ? { key: published.key, keyId: imported.keyId, mismatchKind: 'wrong-key' } : { keyId: imported.keyId, mismatchKind: 'wrong-key' };
    } else if (published && published.key.keyId === sigKeyId) {
      candidate = { siteId: manifest.siteId, keyId: sigKeyId, publicKey: published.text };
      pinSource = 'first-visit';
    }
  }

  if (!anchor) {
    // First visit: nothing to trust yet. A copy that declares its own address revoked
    // (in channels signed by the key it publishes) is warned about all the same.
    if (candidate) {
      const key = parsePublicKey(candidate.publicKey);
      if (key.ok) {
        const self = await verifyManifestSignature({
          reader: site.reader,
          manifestBytes: site.manifestBytes,
          read,
          anchor: { key: key.value, keyId: key.value.keyId, mismatchKind: 'wrong-key' },
          revoked: new Set(),
        });
        const revokedAddress = self.trusted ? await checkRevokedAddress(site.reader, manifest, pageUrl) : undefined;
        if (revokedAddress) return { verdict: finishVerdict({ ...base, ...summary, problems: [revokedAddress] }) };
      }
    }
    return {
      verdict: {
        ...base,
        ...summary,
        state: 'unknown',
        problems: [],
        ...(candidate ? { candidate } : {}),
        summary: candidate
          ? `site "${manifest.siteId}" is signed by key ${formatKeyFingerprint(sigKeyId)}, which you have not pinned: compare it with the fingerprint the organisation publishes, then trust it from the stele button`
          : `site "${manifest.siteId}" is signed by key ${formatKeyFingerprint(sigKeyId)}, which you have not pinned and the site does not publish`,
      },
    };
  }

  const revokedKeys = new Set(pin?.revokedKeys ?? []);
  const signature = await verifyManifestSignature({ reader: site.reader, manifestBytes: site.manifestBytes, read, anchor, revoked: revokedKeys });
  const problems: VerifyProblem[] = [...signature.problems];
  let learnt: Pick<SitePin, 'official' | 'revoked'> | undefined;
  let newlyRevokedKeys: string[] = [];
  let matched = 0;
  if (signature.trusted && signature.signingKey) {
    const rk = await checkRevokedKeys(site.reader, manifest, signature.signingKey);
    newlyRevokedKeys = rk.revokedKeyIds;
    problems.push(...rk.problems);
    const revokedAddress = await checkRevokedAddress(site.reader, manifest, pageUrl);
    if (revokedAddress) problems.push(revokedAddress);
    learnt = await readChannels(site.reader, manifest);
    problems.push(...checkManifestFreshness(manifest, input.now, pin?.highestVersion));
    // A site that delegates a timestamp key must carry a fresh timestamp by exactly that key (as `stele verify`).
    const timestamp = await checkSiteTimestamp({
      reader: site.reader,
      manifest,
      manifestSha256: hashSha256Hex(site.manifestBytes),
      signingKey: signature.signingKey,
      now: input.now,
    });
    problems.push(...timestamp.problems);
    const files = checkResources(manifest, site.root, input.resources);
    problems.push(...files.problems);
    matched = files.matched;
  }
  const official = learnt?.official ?? pin?.official ?? [];
  const verdict = finishVerdict({
    ...base,
    ...summary,
    problems,
    checkedFiles: matched,
    address: isOfficial(site.root, official) ? 'official' : 'unlisted',
  });

  // Remember only what a trusted signature covered.
  const untrusted = problems.some((p) => PROBLEM_KIND_INFO[p.kind].untrustedManifest);
  if (!signature.trusted || !signature.signingKey || untrusted) return { verdict };
  const now = input.now.toISOString();
  const key = signature.signingKey;
  const publicKey = formatPublicKeyFile(key.keyNum, key.publicKey, key.untrustedComment || undefined);
  const next: SitePin = {
    siteId: manifest.siteId,
    keyId: key.keyId,
    publicKey,
    source: pinSource,
    highestVersion: Math.max(pin?.highestVersion ?? 0, manifest.version),
    firstSeen: pin?.firstSeen ?? now,
    lastSeen: now,
    official: learnt?.official ?? pin?.official ?? [],
    revoked: learnt?.revoked ?? pin?.revoked ?? [],
    revokedKeys: [...new Set([...(pin?.revokedKeys ?? []), ...newlyRevokedKeys])].sort(),
  };
  return { verdict, pin: next };
}

/**
 * The verdict for a page no folder of which, up to its origin, serves a manifest
 * (each answered "not found"). At an official address of a pinned site (from
 * its signed channels) the copy answered without its signed manifest: NOT
 * GENUINE (`unsigned`), by the trust core's rule. Anywhere else the page stays
 * an unknown site: without a manifest nothing names the site it would be a copy
 * of, and the extension cannot tie an arbitrary address to a pinned site (any
 * site on the web publishes no stele signature, and that proves nothing).
 */
export function checkUnsignedPage(pageUrl: string, state: TrustState): Verdict {
  const official = findOfficialSite(state, pageUrl);
  if (!official) return { state: 'unknown', url: pageUrl, summary: 'this site publishes no stele signature', problems: [] };
  const problem = resolveUnreadManifestProblem('manifest', { status: 'missing' }, true);
  const verdict = finishVerdict({ url: pageUrl, siteId: official.siteId, problems: [problem] });
  return { ...verdict, summary: `${verdict.summary}; ${normalizeAddress(pageUrl) ?? pageUrl} is an official address of site "${official.siteId}"` };
}

/** Turn problems into a verdict: revoked address first, then not genuine, could not check, genuine. */
export function finishVerdict(v: Omit<Verdict, 'state' | 'summary'>): Verdict {
  const revoked = v.problems.find((p) => p.kind === 'revoked-address');
  if (revoked) return { ...v, state: 'revoked', summary: revoked.message };
  const status = resolveVerdict(v.problems);
  if (status === 'not-genuine') return { ...v, state: 'not-genuine', summary: summarizeProblems(v.problems) };
  if (status === 'error') return { ...v, state: 'error', summary: summarizeProblems(v.problems) };
  const where =
    v.address === 'official' ? 'at an address listed in its signed channels' : 'a copy at an address its signed channels do not list';
  return {
    ...v,
    state: 'genuine',
    summary: `site "${v.siteId}" version ${v.version}, signed by key ${formatKeyFingerprint(v.keyId ?? '')}, ${v.checkedFiles ?? 0} files checked, ${where}`,
  };
}
