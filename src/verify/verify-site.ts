/**
 * Check one copy of a site (folder or URL) against its signed manifest, in three
 * steps: (1) the manifest signature against the pinned key, with rotation,
 * expiry and rollback (`check-signature.ts`); (2) revoked keys and addresses
 * (`check-channels.ts`); (3) every listed file and additions (`check-files.ts`).
 * Steps 2 and 3 run only for a manifest whose signature is trusted. What was
 * learnt from a trusted signature is remembered in the trust store.
 *
 * The whole check has a deadline (`deadlineMs`, and the caller's `signal`), not
 * only each request: when it passes, every request under way is aborted, no
 * further file is read, and the report holds what was found so far plus a
 * `timed-out` problem, so a mirror that never answers cannot hold a verdict back.
 */

import { join } from 'node:path';
import { createNodeFileSystem, type FileSystem } from '../io/host.js';
import { formatPublicKeyFile, type MinisignPublicKey, parsePublicKey } from '../trust/minisign.js';
import { MANIFEST_PATH } from '../trust/paths.js';
import { PROBLEM_KIND_INFO, resolveVerdict, type VerifyProblem } from '../trust/problems.js';
import { type ManifestSummary, summarizeManifest } from '../trust/signed-manifest.js';
import { checkSiteTimestamp } from '../trust/timestamp.js';
import { checkChannels } from './check-channels.js';
import { checkFiles, type FilesCheck, type FilesTarget, listFolder } from './check-files.js';
import { checkHistory, type KnownLogHead } from './check-history.js';
import { checkSignature } from './check-signature.js';
import { createDirSource } from './dir-source.js';
import { createHttpSource, resolveBaseUrl } from './http-source.js';
import type { SiteSource } from './site-source.js';
import { readTrustStore, resolveTrustStoreDir, type TrustStore, writeTrustStore } from './trust-store.js';
import type { VerifyReport } from './types.js';

export { INJECTED_PATH_PROBES } from './check-files.js';

/** Options for `verifySite`. */
export interface VerifyOptions {
  /** Pinned public key (text of a `.pub` file or its base64 line). Strongest pin. */
  publicKey?: string;
  /** Pinned key id (16 hex). Weaker than `publicKey`: the id is not a hash of the key. */
  keyId?: string;
  /** TOFU store folder (default `$XDG_CONFIG_HOME/stele` or `~/.config/stele`); `false` disables it. */
  trustStoreDir?: string | false;
  now: Date;
  fetch?: typeof fetch;
  /** Parallel requests / file reads (default 8, at most {@link MAX_CONCURRENCY}). */
  concurrency?: number;
  /** Per-request timeout over HTTP (default 30 s). */
  timeoutMs?: number;
  /**
   * Deadline of the whole check, in ms (default: none; `stele verify` gives 120 s).
   * When it passes the report has a `timed-out` problem and whatever was found before.
   */
  deadlineMs?: number;
  /** Stops the check like a deadline (watch stops a round with it). */
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Where a folder, a zip bundle and the trust store are read from (default: the real disk). */
  fs?: FileSystem;
  /** Release log heads other mirrors of this site showed (watch): a log that does not extend one is a split view. */
  mirrorLogHeads?: readonly { head: { size: number; root: string }; mirror: string; siteId?: string }[];
}

/**
 * About the most bytes a manifest spends on one listed file with a path of ordinary length
 * (keys, indentation, size, 64-digit hash): its size over this is a low estimate of its files.
 */
const MANIFEST_BYTES_PER_FILE = 256;
/** A manifest file this large (some 500 files, where a folder hashes on threads) starts a folder's hashing threads and listing before it is read. */
const EARLY_START_MANIFEST_BYTES = 128 * 1024;

/** Most requests or file reads a check runs at the same time, whatever `concurrency` asks. */
export const MAX_CONCURRENCY = 64;

/** What a check has found so far (read back when its deadline stops it). */
interface CheckProgress {
  manifest?: ManifestSummary;
  /** Problems of steps 1 and 2. */
  problems: VerifyProblem[];
  /** Step 3, filled as files are checked. */
  files: FilesCheck;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

function createReport(
  source: string,
  problems: VerifyProblem[],
  extra: Pick<VerifyReport, 'manifest' | 'logHead' | 'checkedServerConfig' | 'timestamp'> & { checkedFiles?: number } = {},
): VerifyReport {
  return {
    source,
    status: resolveVerdict(problems),
    ...(extra.manifest ? { manifest: extra.manifest } : {}),
    problems,
    checkedFiles: extra.checkedFiles ?? 0,
    ...(extra.logHead ? { logHead: extra.logHead } : {}),
    ...(extra.checkedServerConfig ? { checkedServerConfig: extra.checkedServerConfig } : {}),
    ...(extra.timestamp ? { timestamp: extra.timestamp } : {}),
  };
}

/** The trust store entry for a site whose signature was trusted. */
function rememberSite(
  store: TrustStore,
  siteId: string,
  signingKey: MinisignPublicKey,
  version: number,
  revokedKeyIds: readonly string[],
  now: Date,
  logHead: { size: number; root: string } | undefined,
  /** False when an explicitly pinned key replaces the remembered one: its remembered head is dropped. */
  sameIdentity = true,
): void {
  const at = now.toISOString();
  const remembered = store.sites[siteId];
  const previous = remembered && !sameIdentity ? { ...remembered, logHead: undefined } : remembered;
  store.sites[siteId] = {
    keyId: signingKey.keyId,
    publicKey: signingKey.untrustedComment
      ? formatPublicKeyFile(signingKey.keyNum, signingKey.publicKey, signingKey.untrustedComment)
      : formatPublicKeyFile(signingKey.keyNum, signingKey.publicKey),
    highestVersion: Math.max(previous?.highestVersion ?? 0, version),
    firstSeen: previous?.firstSeen ?? at,
    lastSeen: at,
    revokedKeys: [...new Set([...(previous?.revokedKeys ?? []), ...revokedKeyIds])].sort(),
    // The longest head verified so far (an older copy's shorter log never replaces it).
    ...(logHead && logHead.size >= (previous?.logHead?.size ?? 0) ? { logHead } : previous?.logHead ? { logHead: previous.logHead } : {}),
  };
}

/** The public keys this verifier holds for a site: the pinned (or remembered) anchor and the remembered key. */
function resolveKnownKeys(anchorKey: MinisignPublicKey | undefined, entry: TrustStore['sites'][string] | undefined): MinisignPublicKey[] {
  const keys = anchorKey ? [anchorKey] : [];
  const remembered = entry ? parsePublicKey(entry.publicKey) : undefined;
  if (remembered?.ok) keys.push(remembered.value);
  return keys;
}

/**
 * Verify a copy of a site. Never throws for problems with the copy: they are in
 * the report (`status` genuine / not-genuine / error). Returns by the deadline
 * (`deadlineMs`) or when `signal` aborts, with a `timed-out` problem.
 */
export async function verifySite(source: string, options: VerifyOptions): Promise<VerifyReport> {
  const controller = new AbortController();
  let why: 'deadline' | 'stopped' | undefined;
  const stop = (reason: 'deadline' | 'stopped'): void => {
    if (controller.signal.aborted) return;
    why = reason;
    controller.abort();
  };
  const onStop = (): void => stop('stopped');
  const stopped = new Promise<undefined>((resolve) => controller.signal.addEventListener('abort', () => resolve(undefined), { once: true }));
  const timer = options.deadlineMs !== undefined ? setTimeout(() => stop('deadline'), options.deadlineMs) : undefined;
  if (options.signal?.aborted) onStop();
  else options.signal?.addEventListener('abort', onStop, { once: true });
  const progress: CheckProgress = { problems: [], files: { checkedFiles: 0, checkedServerConfig: 0, problems: [] } };
  try {
    const report = await Promise.race([runCheck(source, options, controller.signal, progress), stopped]);
    if (report && !controller.signal.aborted) return report;
    // Stopped: report what was found in time; in-flight work is abandoned (its requests are aborted).
    const checked = progress.files.checkedFiles;
    const total = progress.manifest ? ` (${checked} of ${progress.manifest.fileCount} listed files checked)` : '';
    const message =
      why === 'deadline' && options.deadlineMs !== undefined
        ? `the check did not finish within ${formatSeconds(options.deadlineMs)}${total}; a copy that does not answer in time cannot be verified`
        : `the check was stopped before it finished${total}`;
    const problems = [...progress.problems, ...progress.files.problems, { kind: 'timed-out' as const, message }];
    return createReport(source, problems, {
      ...(progress.manifest ? { manifest: progress.manifest } : {}),
      checkedFiles: checked,
      checkedServerConfig: progress.files.checkedServerConfig,
    });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onStop);
  }
}

/** The three steps, recording what they find in `progress` as they go. */
async function runCheck(source: string, options: VerifyOptions, signal: AbortSignal, progress: CheckProgress): Promise<VerifyReport> {
  const concurrency = Math.max(1, Math.min(MAX_CONCURRENCY, options.concurrency ?? 8));
  const fs = options.fs ?? createNodeFileSystem();
  const timeoutMs = options.timeoutMs ?? 30_000;
  let site: SiteSource;
  let target: FilesTarget;
  if (isUrl(source)) {
    let base: URL;
    try {
      base = resolveBaseUrl(source);
    } catch {
      return createReport(source, [{ kind: 'unreachable', message: `${source} is not a valid address` }]);
    }
    const http = { fetch: options.fetch ?? fetch, timeoutMs, signal };
    site = createHttpSource(base, http);
    target = { kind: 'http', base, http };
  } else if (/\.zip$/i.test(source)) {
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(source);
    } catch (error) {
      return createReport(source, [{ kind: 'unreachable', message: `cannot read ${source} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }]);
    }
    // Loaded for a bundle only: its unzipper builds its tables when it loads.
    const { openZipSite } = await import('./zip-source.js');
    const opened = openZipSite(bytes);
    if ('error' in opened) return createReport(source, [{ kind: 'unreachable', message: `${source}: ${opened.error}` }]);
    site = opened.source;
    target = { kind: 'zip', present: opened.present };
  } else {
    // A folder that is not there cannot be judged; one that is there but unsigned can.
    const info = await fs.stat(source).catch(() => undefined);
    if (!info || (info.kind !== 'dir' && info.kind !== 'symlink')) return createReport(source, [{ kind: 'unreachable', message: `${source} is not a folder` }]);
    site = createDirSource(source, fs);
    target = { kind: 'dir', dir: source, fs };
    // A large copy, judged by the size of its manifest file (nothing is read from it yet), gets
    // its hash threads and its listing started now, while the manifest is read and checked.
    const manifestInfo = await fs.stat(join(source, ...MANIFEST_PATH.split('/'))).catch(() => undefined);
    if (manifestInfo?.kind === 'file' && manifestInfo.size >= EARLY_START_MANIFEST_BYTES) {
      site.prepare?.(Math.floor(manifestInfo.size / MANIFEST_BYTES_PER_FILE));
      target.listing = listFolder(target.dir, target.fs);
    }
  }

  const storeDir = options.trustStoreDir === false ? undefined : (options.trustStoreDir ?? resolveTrustStoreDir());
  let store: TrustStore | undefined;
  if (storeDir) {
    store = await readTrustStore(storeDir, fs);
    if (!store) return createReport(source, [{ kind: 'unreachable', message: `trust store in ${storeDir} is unreadable` }]);
  }

  // 1. Manifest, signature, rotation, expiry, rollback.
  const signature = await checkSignature({
    reader: site,
    ...(options.publicKey !== undefined ? { publicKey: options.publicKey } : {}),
    ...(options.keyId !== undefined ? { keyId: options.keyId } : {}),
    ...(store ? { store } : {}),
    ...(target.kind === 'http' ? { origin: target.base.origin } : {}),
    now: options.now,
    // Hash threads start, and a folder is listed (on one of them when it can), while the
    // signature, channels, history and timestamp are checked: neither reads a listed file.
    onManifestParsed: (count: number) => {
      site.prepare?.(count);
      if (target.kind === 'dir') target.listing ??= listFolder(target.dir, target.fs);
    },
  });
  if (signature.status === 'stop') {
    return createReport(source, signature.problems, signature.manifest ? { manifest: summarizeManifest(signature.manifest) } : {});
  }
  const { manifest, signingKey } = signature;
  const summary = summarizeManifest(manifest);
  progress.manifest = summary;
  const problems = progress.problems;
  problems.push(...signature.problems);
  // Nothing named by a manifest whose signature did not verify is ever fetched.
  if (!signature.trusted || !signingKey) return createReport(source, problems, { manifest: summary });

  // 2. Revoked keys and addresses.
  const channels = await checkChannels(site, manifest, signingKey, target.kind === 'http' ? source : undefined);
  problems.push(...channels.problems);
  if (channels.signerRevoked) return createReport(source, problems, { manifest: summary });

  // 2b. History: the release log ends with this manifest and extends every head seen before.
  const known: KnownLogHead[] = [];
  // A remembered head belongs to the key that signed it (and the keys it rotated to). A reader
  // who pins another key outright (`--key`, `--key-id`) has chosen a new identity for this site
  // id: its history starts with what it shows now. Without an explicit pin a different key is
  // `key-changed` (or a verified rotation, whose log continues), and the head is compared.
  // A pinned key that rotated to the signing key (the chain passes the remembered key) is the same identity.
  const explicitPin = options.publicKey !== undefined || options.keyId !== undefined;
  const rememberedKey = signature.entry?.keyId;
  const sameIdentity = !explicitPin || rememberedKey === signingKey.keyId || (rememberedKey !== undefined && (signature.chain ?? []).includes(rememberedKey));
  if (signature.entry?.logHead && sameIdentity) {
    known.push({ head: signature.entry.logHead, label: `remembered on ${signature.entry.lastSeen.slice(0, 10)}`, source: 'remembered' });
  }
  for (const m of (options.mirrorLogHeads ?? []).filter((h) => h.siteId === undefined || h.siteId === manifest.siteId)) known.push({ head: m.head, label: `shown by ${m.mirror}`, source: 'mirror' });
  // The log and a timestamp record the SHA-256 of the manifest's bytes (the signed ones).
  const { manifestSha256 } = signature;
  const history = await checkHistory({
    manifestSha256,
    reader: site,
    manifest,
    signingKey,
    knownHeads: known,
    ...(signature.entry ? { highestVersion: signature.entry.highestVersion } : {}),
    knownKeys: resolveKnownKeys(signature.anchorKey, sameIdentity ? signature.entry : undefined),
  });
  problems.push(...history.problems);

  // 2c. Freshness: when the signed channels delegate a timestamp key, a timestamp signed by
  // exactly that key must vouch for this manifest now (else stale: possible freeze).
  const timestamp = await checkSiteTimestamp({
    reader: site,
    manifest,
    manifestSha256,
    signingKey,
    now: options.now,
  });
  problems.push(...timestamp.problems);
  const timestampSummary = timestamp.timestamp ? { keyId: timestamp.timestamp.keyId, expires: timestamp.timestamp.expires } : undefined;

  // 3. Files.
  const files = await checkFiles(site, target, manifest, {
    concurrency,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    signal,
    into: progress.files,
  });
  if (signal.aborted) return createReport(source, [...problems, ...files.problems], { manifest: summary });
  problems.push(...files.problems);

  // Remember what was learnt from a trusted signature.
  if (store && storeDir && !problems.some((p) => PROBLEM_KIND_INFO[p.kind].untrustedManifest)) {
    rememberSite(store, manifest.siteId, signingKey, manifest.version, channels.revokedKeyIds, options.now, history.head, sameIdentity);
    if (target.kind === 'http') store.origins[target.base.origin] = manifest.siteId;
    try {
      await writeTrustStore(storeDir, store, fs);
    } catch (error) {
      problems.push({ kind: 'unreachable', message: `cannot update trust store: ${(error as Error).message}` });
    }
  }
  return createReport(source, problems, {
    manifest: summary,
    checkedFiles: files.checkedFiles,
    ...(history.head ? { logHead: history.head } : {}),
    checkedServerConfig: files.checkedServerConfig,
    ...(timestampSummary ? { timestamp: timestampSummary } : {}),
  });
}
