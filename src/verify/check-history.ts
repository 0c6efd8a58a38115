/**
 * The history step of `verifySite`, for a copy whose manifest signature is
 * trusted: the release log (`.well-known/stele/log/`) must be signed by the key
 * that signed the manifest, hash to its checkpoint, be well formed, end with the
 * verified manifest, and extend every head seen before — the one remembered in
 * the trust store (else **history rewritten**) and the heads other mirrors
 * showed (else **split view**). Every change of signing key between two
 * consecutive entries it reads must be backed by rotation links signed by the
 * earlier key (else **key changed**). Reads the checkpoint, the tiles and only
 * the bundles holding new entries (see `resolveBundlesToFetch`), so the key
 * changes checked are those since the remembered head (on a first visit, those
 * in the last bundle of 256 versions; the signed root vouches for the rest).
 */
import { decodeUtf8 } from '../trust/bytes.js';
import type { Manifest } from '../trust/manifest.js';
import { checkKeyChange } from '../trust/keys.js';
import { formatSignatureFile, type MinisignPublicKey, verifyMinisign } from '../trust/minisign.js';
import type { VerifyProblem, VerifyProblemKind } from '../trust/problems.js';
import { MAX_DOCUMENT_BYTES, MAX_SIGNATURE_BYTES, type TrustReader } from '../trust/reader.js';
import {
  checkReleaseLog,
  formatCheckpointTrustedComment,
  formatCheckpointUntrustedComment,
  formatLogHead,
  LOG_CHECKPOINT_PATH,
  LOG_CHECKPOINT_SIG_PATH,
  LOG_TILES_PATH,
  type LogHead,
  parseCheckpoint,
  type ReleaseLogProblem,
  resolveBundlesToFetch,
  LOG_BUNDLE_SIZE,
  type ReleaseLogEntry,
  resolveLogBundlePath,
} from '../trust/release-log.js';

/** Largest checkpoint file read. */
const MAX_CHECKPOINT_BYTES = 4096;

/** A head seen before, and where. */
export interface KnownLogHead {
  head: LogHead;
  /** For people: `remembered on 2026-12-01` or `shown by mirror "backup"`. */
  label: string;
  /** `remembered`: from the trust store (history rewritten); `mirror`: another copy now (split view). */
  source: 'remembered' | 'mirror';
}

/** What the history step needs. */
export interface HistoryCheckInput {
  reader: TrustReader;
  manifest: Manifest;
  /** The key that signed the manifest (the checkpoint must be signed by it too). */
  signingKey: MinisignPublicKey;
  /** Heads this log must extend (equal or longer). Heads longer than this log are skipped for mirrors. */
  knownHeads?: readonly KnownLogHead[];
  /** Highest manifest version seen before (a shorter log under an older manifest is a rollback, reported elsewhere). */
  highestVersion?: number;
  /** Public keys this verifier holds (pinned, remembered): rotation links they signed are verified with them. */
  knownKeys?: readonly MinisignPublicKey[];
  /** SHA-256 (hex) of the manifest's bytes (`hashManifestSha256`): the log's last entry must record it. */
  manifestSha256: string;
}

/** The outcome of the history step. */
export interface HistoryCheck {
  /** The copy's log head when the log is present and well formed. */
  head?: LogHead;
  /** False when the copy publishes no release log (sites sealed before logs existed). */
  present: boolean;
  problems: VerifyProblem[];
}

function describeHead(head: LogHead): string {
  return `${formatLogHead(head)} (size ${head.size} root ${head.root})`;
}

/** Check the release log of a copy whose manifest signature is trusted. */
export async function checkHistory(input: HistoryCheckInput): Promise<HistoryCheck> {
  const { reader, manifest, signingKey } = input;
  const known = input.knownHeads ?? [];
  const remembered = known.filter((k) => k.source === 'remembered');
  const broken = (message: string, path = LOG_CHECKPOINT_PATH): HistoryCheck => ({
    present: true,
    problems: [{ kind: 'log-broken', path, message }],
  });

  const cpRead = await reader.read(LOG_CHECKPOINT_PATH, MAX_CHECKPOINT_BYTES);
  if (cpRead.status === 'error') {
    return { present: false, problems: [{ kind: 'unreachable', path: LOG_CHECKPOINT_PATH, message: `cannot read the release log: ${cpRead.message}` }] };
  }
  if (cpRead.status === 'missing') {
    // A copy without a log: fine for sites sealed before logs existed, unless one was seen before.
    const problems: VerifyProblem[] = remembered.map((k) => ({
      kind: 'history-rewritten',
      message: `HISTORY REWRITTEN: this copy has no release log, but a log of ${formatLogHead(k.head)} was ${k.label}`,
      expected: describeHead(k.head),
      actual: 'no release log',
    }));
    return { present: false, problems };
  }
  const checkpointText = decodeUtf8(cpRead.data);
  const cp = parseCheckpoint(checkpointText);
  if (!cp) return broken('the release log checkpoint is unreadable');
  const sigRead = await reader.read(LOG_CHECKPOINT_SIG_PATH, MAX_SIGNATURE_BYTES);
  if (sigRead.status !== 'ok') {
    return sigRead.status === 'error'
      ? { present: true, problems: [{ kind: 'unreachable', path: LOG_CHECKPOINT_SIG_PATH, message: `cannot read the checkpoint signature: ${sigRead.message}` }] }
      : broken('the release log checkpoint is not signed', LOG_CHECKPOINT_SIG_PATH);
  }
  const sigText = decodeUtf8(sigRead.data);
  const verified = verifyMinisign(cpRead.data, sigText, signingKey);
  if (!verified.ok) return broken(`the release log checkpoint signature does not verify (${verified.reason})`, LOG_CHECKPOINT_SIG_PATH);
  if (
    verified.trustedComment !== formatCheckpointTrustedComment(manifest.siteId, cp.head) ||
    sigText !== formatSignatureFile(verified.signature) ||
    verified.signature.untrustedComment !== formatCheckpointUntrustedComment(manifest.siteId)
  ) {
    return broken('the checkpoint signature is not in the form stele writes or its comment does not match the checkpoint', LOG_CHECKPOINT_SIG_PATH);
  }

  // Heads this log is compared with: remembered ones always (a shorter log is
  // rewritten history, unless the manifest itself is older: a rollback); other
  // mirrors' heads only when not longer (that mirror's own check compares the other way).
  const compared: KnownLogHead[] = [];
  const problems: VerifyProblem[] = [];
  for (const k of known) {
    if (k.head.size <= cp.head.size) compared.push(k);
    else if (k.source === 'remembered' && !(input.highestVersion !== undefined && manifest.version < input.highestVersion)) {
      problems.push({
        kind: 'history-rewritten',
        message: `HISTORY REWRITTEN: the release log has ${formatLogHead(cp.head)}, fewer than the ${formatLogHead(k.head)} ${k.label}`,
        expected: describeHead(k.head),
        actual: describeHead(cp.head),
      });
    }
  }

  const fromSize = compared.length > 0 ? Math.min(...compared.map((k) => k.head.size)) : undefined;
  const tilesRead = await reader.read(LOG_TILES_PATH, MAX_DOCUMENT_BYTES);
  if (tilesRead.status === 'error') return { present: true, problems: [{ kind: 'unreachable', path: LOG_TILES_PATH, message: tilesRead.message }] };
  const bundles = new Map<number, string>();
  for (const b of resolveBundlesToFetch(cp.head.size, fromSize)) {
    const read = await reader.read(resolveLogBundlePath(b), MAX_DOCUMENT_BYTES);
    if (read.status === 'error') return { present: true, problems: [{ kind: 'unreachable', path: resolveLogBundlePath(b), message: read.message }] };
    if (read.status === 'ok') bundles.set(b, decodeUtf8(read.data));
  }
  const checked = checkReleaseLog({
    siteId: manifest.siteId,
    checkpoint: checkpointText,
    tiles: tilesRead.status === 'ok' ? decodeUtf8(tilesRead.data) : '',
    bundles,
    manifest: {
      version: manifest.version,
      buildTime: manifest.buildTime,
      keyId: manifest.keyId,
      sha256: input.manifestSha256,
    },
    knownHeads: compared.map((k, i) => ({ head: k.head, label: `«${i}»` })),
  });
  for (const p of checked.problems) problems.push(mapLogProblem(p, compared, cp.head));
  const ok = checked.head !== undefined && !checked.problems.some((p) => p.kind === 'log-invalid');
  if (ok) problems.push(...(await checkKeyChanges(reader, checked.entries, [signingKey, ...(input.knownKeys ?? [])])));
  return { present: true, ...(ok ? { head: checked.head } : {}), problems };
}

/**
 * A `key-changed` problem for every change of signing key between consecutive
 * entries read that no rotation signed by the earlier key backs.
 */
async function checkKeyChanges(
  reader: TrustReader,
  entries: readonly { index: number; entry: ReleaseLogEntry }[],
  keys: readonly MinisignPublicKey[],
): Promise<VerifyProblem[]> {
  const known = new Map(keys.map((k) => [k.keyId, k]));
  const problems: VerifyProblem[] = [];
  const seen = new Map<string, string | undefined>();
  for (let i = 1; i < entries.length; i++) {
    const before = entries[i - 1];
    const after = entries[i];
    if (after.index !== before.index + 1 || after.entry.keyId === before.entry.keyId) continue;
    const from = before.entry.keyId;
    const to = after.entry.keyId;
    const pair = `${from}>${to}`;
    if (!seen.has(pair)) {
      const result = await checkKeyChange(reader, from, to, known);
      seen.set(pair, result.ok ? undefined : result.reason);
      if (!result.ok) {
        problems.push({
          kind: 'key-changed',
          path: resolveLogBundlePath(Math.floor(after.index / LOG_BUNDLE_SIZE)),
          message: `KEY CHANGED in the release log: the signing key changed from ${from} to ${to} in version ${after.entry.version} with no rotation signed by ${from} (${result.reason}); whoever signed version ${after.entry.version} may not be the site's owner`,
          expected: from,
          actual: to,
        });
      }
    }
  }
  return problems;
}

/** A release log problem as a verify problem, with the known head named in plain words. */
function mapLogProblem(p: ReleaseLogProblem, compared: readonly KnownLogHead[], head: LogHead): VerifyProblem {
  const kind: VerifyProblemKind = p.kind === 'log-invalid' ? 'log-broken' : p.kind === 'log-mismatch' ? 'not-in-log' : 'history-rewritten';
  if (p.kind !== 'history-rewritten') {
    return { kind, message: p.message, ...(p.path ? { path: p.path } : {}), ...(p.expected ? { expected: p.expected } : {}), ...(p.actual ? { actual: p.actual } : {}) };
  }
  const which = compared.find((_, i) => p.message.includes(`«${i}»`)) ?? compared[0];
  if (which.source === 'mirror') {
    return {
      kind: 'split-view',
      message: `SPLIT VIEW: this copy's release log (${formatLogHead(head)}) and the one ${which.label} (${formatLogHead(which.head)}) are two different histories signed by the same key: your signing key may be in someone else's hands`,
      expected: describeHead(which.head),
      actual: describeHead(head),
    };
  }
  return {
    kind: 'history-rewritten',
    message: `HISTORY REWRITTEN: the release log (${formatLogHead(head)}) does not extend the one ${which.label} (${formatLogHead(which.head)}): a past version was changed or removed`,
    expected: describeHead(which.head),
    actual: describeHead(head),
  };
}
