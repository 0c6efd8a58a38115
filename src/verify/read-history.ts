/**
 * `stele log`: read the whole release log of a copy (folder or URL), check its
 * checkpoint signature with the pinned key or the key the site publishes, and
 * check that the entries hash to the signed checkpoint and chain.
 */
import { createNodeFileSystem, type FileSystem } from '../io/host.js';
import { decodeUtf8 } from '../trust/bytes.js';
import { formatSignatureFile, type MinisignPublicKey, parsePublicKey, verifyMinisign } from '../trust/minisign.js';
import { PUBLIC_KEY_PATH } from '../trust/paths.js';
import { MAX_DOCUMENT_BYTES, MAX_PUBLIC_KEY_BYTES, MAX_SIGNATURE_BYTES } from '../trust/reader.js';
import {
  formatCheckpointTrustedComment,
  formatCheckpointUntrustedComment,
  LOG_BUNDLE_SIZE,
  LOG_CHECKPOINT_PATH,
  LOG_CHECKPOINT_SIG_PATH,
  LOG_TILES_PATH,
  type LogHead,
  parseCheckpoint,
  parseLogEntry,
  type ReleaseLogEntry,
  readReleaseLogFiles,
  resolveLogBundlePath,
} from '../trust/release-log.js';
import { createDirSource } from './dir-source.js';
import { createHttpSource, resolveBaseUrl } from './http-source.js';
import type { SiteSource } from './site-source.js';

/** Options of {@link readSiteHistory}. */
export interface ReadHistoryOptions {
  /** Pinned public key text; default: the key the copy publishes (`stele.pub`). */
  publicKey?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  fs?: FileSystem;
}

/** A copy's whole history, or why it cannot be read. */
export type SiteHistory =
  | { ok: true; siteId: string; head: LogHead; entries: ReleaseLogEntry[]; keyId: string; keyPublishedBySite: boolean }
  | { ok: false; reason: string };

/** Read and check the release log of a folder or URL. */
export async function readSiteHistory(source: string, options: ReadHistoryOptions = {}): Promise<SiteHistory> {
  let site: SiteSource;
  if (/^https?:\/\//i.test(source)) {
    let base: URL;
    try {
      base = resolveBaseUrl(source);
    } catch {
      return { ok: false, reason: `${source} is not a valid address` };
    }
    site = createHttpSource(base, { fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 30_000 });
  } else site = createDirSource(source, options.fs ?? createNodeFileSystem());

  const read = async (path: string, max: number): Promise<string | { error: string }> => {
    const r = await site.read(path, max);
    if (r.status === 'ok') return decodeUtf8(r.data);
    return { error: r.status === 'missing' ? `${path} is missing` : `cannot read ${path}: ${r.message}` };
  };
  const checkpoint = await read(LOG_CHECKPOINT_PATH, 4096);
  if (typeof checkpoint !== 'string') {
    return { ok: false, reason: `${source} publishes no release log (${checkpoint.error}); sites sealed before stele kept logs have none` };
  }
  const cp = parseCheckpoint(checkpoint);
  if (!cp) return { ok: false, reason: 'the release log checkpoint is unreadable' };

  const keyText = options.publicKey ?? (await read(PUBLIC_KEY_PATH, MAX_PUBLIC_KEY_BYTES));
  if (typeof keyText !== 'string') return { ok: false, reason: `no key to check the log with (${keyText.error}); pass --key` };
  const key = parsePublicKey(keyText);
  if (!key.ok) return { ok: false, reason: `the public key is unreadable: ${key.reason}` };
  const sig = await read(LOG_CHECKPOINT_SIG_PATH, MAX_SIGNATURE_BYTES);
  if (typeof sig !== 'string') return { ok: false, reason: `the release log checkpoint is not signed (${sig.error})` };
  const problem = checkCheckpointSignature(checkpoint, sig, key.value, cp.siteId, cp.head);
  if (problem) return { ok: false, reason: problem };

  const tiles = await read(LOG_TILES_PATH, MAX_DOCUMENT_BYTES);
  const bundles = new Map<number, string>();
  for (let b = 0; b * LOG_BUNDLE_SIZE < cp.head.size; b++) {
    const text = await read(resolveLogBundlePath(b), MAX_DOCUMENT_BYTES);
    if (typeof text !== 'string') return { ok: false, reason: text.error };
    bundles.set(b, text);
  }
  const whole = readReleaseLogFiles({ checkpoint, tiles: typeof tiles === 'string' ? tiles : '', bundles });
  if (!whole.ok) return { ok: false, reason: whole.reason };
  const entries = whole.lines.map((l) => parseLogEntry(l) as ReleaseLogEntry);
  return { ok: true, siteId: whole.siteId, head: whole.head, entries, keyId: key.value.keyId, keyPublishedBySite: options.publicKey === undefined };
}

function checkCheckpointSignature(text: string, sigText: string, key: MinisignPublicKey, siteId: string, head: LogHead): string | undefined {
  const verified = verifyMinisign(new TextEncoder().encode(text), sigText, key);
  if (!verified.ok) return `the release log checkpoint signature does not verify (${verified.reason})`;
  if (
    verified.trustedComment !== formatCheckpointTrustedComment(siteId, head) ||
    sigText !== formatSignatureFile(verified.signature) ||
    verified.signature.untrustedComment !== formatCheckpointUntrustedComment(siteId)
  ) {
    return 'the checkpoint signature is not in the form stele writes';
  }
  return undefined;
}
