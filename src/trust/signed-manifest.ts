/**
 * The protocol steps of checking a copy before any of its files is fetched:
 * read the manifest and its signature in the one form stele writes, verify the
 * signature against the pinned key (directly or through rotation links, never
 * with a revoked key), then expiry and rollback. Files named by a manifest are
 * worth fetching only when {@link verifyManifestSignature} says `trusted`.
 */
import { decodeUtf8 } from './bytes.js';
import { followRotation } from './keys.js';
import {
  formatManifestTrustedComment,
  formatManifestUntrustedComment,
  type Manifest,
  type ManifestFile,
  parseManifest,
} from './manifest.js';
import {
  type Blake2b512,
  formatSignatureFile,
  MINISIGN_ALG_HASHED,
  type MinisignPublicKey,
  type MinisignSignature,
  parseSignature,
  verifyMinisign,
} from './minisign.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from './paths.js';
import type { VerifyProblem } from './problems.js';
import type { TrustReader, TrustReadResult } from './reader.js';
import { hashSha256Hex } from './release-log.js';

/** What a report shows of a signed manifest. */
export interface ManifestSummary {
  siteId: string;
  version: number;
  buildTime: string;
  expires: string;
  keyId: string;
  fileCount: number;
}

/** Summarise a manifest for a report. */
export function summarizeManifest(manifest: Manifest): ManifestSummary {
  return {
    siteId: manifest.siteId,
    version: manifest.version,
    buildTime: manifest.buildTime,
    expires: manifest.expires,
    keyId: manifest.keyId,
    fileCount: manifest.files.length,
  };
}

/**
 * The one rule for a copy that does not give its manifest or the manifest's
 * signature. A copy that answers "not found" (404/410, no such file) for either
 * is `unsigned` — NOT GENUINE — when the reader pinned the site it claims to be
 * (a pinned key, or an address or site id tied to a pinned site): its signature
 * was stripped, or it is not the site. Without a pin nothing can be judged, and
 * a read that failed otherwise (server error, timeout, too large) proves
 * nothing either: both are `unreachable` ("could not check").
 */
export function resolveUnreadManifestProblem(
  file: 'manifest' | 'signature',
  read: Exclude<TrustReadResult, { status: 'ok' }>,
  pinned: boolean,
): VerifyProblem {
  const path = file === 'manifest' ? MANIFEST_PATH : MANIFEST_SIG_PATH;
  if (read.status === 'missing' && pinned) {
    const message =
      file === 'manifest'
        ? `this copy of a pinned site serves no signed manifest (${path}): its signature was stripped or it is not the site`
        : `this copy of a pinned site serves its manifest without the signature (${path})`;
    return { kind: 'unsigned', path, message };
  }
  const why = read.status === 'error' ? read.message : file === 'manifest' ? 'no signed manifest found' : 'manifest signature not found';
  return { kind: 'unreachable', path, message: `${why} (${path})` };
}

/** The outcome of {@link readSignedManifest}. */
export type SignedManifestRead =
  | { ok: true; manifest: Manifest; signature: MinisignSignature; sigText: string }
  | { ok: false; problem: VerifyProblem; manifest?: Manifest };

/**
 * Parse a manifest and its `.minisig` text. Refuses (as `malformed`) anything that
 * is not exactly what `sealSite` writes: invalid JSON or schema, a signature file
 * that does not re-serialise to the same bytes, another untrusted comment, or a
 * legacy (not prehashed) signature. Does not check the signature itself.
 */
export function readSignedManifest(manifestBytes: Uint8Array, sigText: string): SignedManifestRead {
  const parsed = parseManifest(decodeUtf8(manifestBytes));
  if (!parsed.ok) return { ok: false, problem: { kind: 'malformed', path: MANIFEST_PATH, message: parsed.reason } };
  const manifest = parsed.manifest;
  const sig = parseSignature(sigText);
  if (!sig.ok) return { ok: false, manifest, problem: { kind: 'malformed', path: MANIFEST_SIG_PATH, message: sig.reason } };
  if (
    sigText !== formatSignatureFile(sig.value) ||
    sig.value.untrustedComment !== formatManifestUntrustedComment(manifest.siteId) ||
    sig.value.algorithm !== MINISIGN_ALG_HASHED
  ) {
    return {
      ok: false,
      manifest,
      problem: { kind: 'malformed', path: MANIFEST_SIG_PATH, message: 'manifest signature file is not in the form stele writes' },
    };
  }
  return { ok: true, manifest, signature: sig.value, sigText };
}

/** The key a copy must be signed by (directly or through rotation links). */
export interface ManifestAnchor {
  /** The pinned public key, when known. */
  key?: MinisignPublicKey;
  /** The pinned key id (`key.keyId` when `key` is set; alone when pinned by id only). */
  keyId?: string;
  /**
   * How a signature by another key is reported: `wrong-key` for an explicit pin,
   * `key-changed` for a key remembered from an earlier visit (trust on first use).
   */
  mismatchKind: 'wrong-key' | 'key-changed';
}

/** Input of {@link verifyManifestSignature}. */
export interface VerifyManifestSignatureInput {
  /** Reads rotation links from the copy. */
  reader: TrustReader;
  manifestBytes: Uint8Array;
  read: Extract<SignedManifestRead, { ok: true }>;
  anchor: ManifestAnchor;
  /** Key ids known to be revoked for this site. */
  revoked: ReadonlySet<string>;
  /** The manifest's prehash function, when the host has a faster one than the portable default. */
  blake2b512?: Blake2b512;
}

/** The outcome of {@link verifyManifestSignature}. */
export interface ManifestSignatureResult {
  /** True when the signature verified with a trusted key and agrees with the manifest. */
  trusted: boolean;
  /** The key that signed the manifest, when it is the anchor or reached from it by rotation. */
  signingKey?: MinisignPublicKey;
  /** Key ids from the anchor to the signing key (one id when the anchor signed), when trusted. */
  chain?: string[];
  problems: VerifyProblem[];
}

/**
 * Verify the manifest signature against the anchor: the signing key must be the
 * pinned key or be reached from it through valid rotation links, must not be
 * revoked, the signature must verify, and its trusted comment must state the
 * manifest's site, version, expiry and key id.
 */
export async function verifyManifestSignature(input: VerifyManifestSignatureInput): Promise<ManifestSignatureResult> {
  const { manifest, signature, sigText } = input.read;
  const { anchor, revoked } = input;
  const sigKeyId = signature.keyId;
  const problems: VerifyProblem[] = [];
  let signingKey: MinisignPublicKey | undefined;
  let chain: string[] = [sigKeyId];
  if (revoked.has(sigKeyId)) {
    problems.push({
      kind: 'wrong-key',
      path: MANIFEST_SIG_PATH,
      message: `signed by key ${sigKeyId}, which this site revoked`,
      actual: sigKeyId,
    });
  } else if (anchor.key && anchor.key.keyId === sigKeyId) {
    signingKey = anchor.key;
  } else if (anchor.key) {
    const followed = await followRotation(input.reader, anchor.key, sigKeyId, revoked);
    if (followed.ok) {
      signingKey = followed.key;
      chain = followed.chain;
    } else {
      problems.push({
        kind: anchor.mismatchKind,
        path: MANIFEST_SIG_PATH,
        message:
          anchor.mismatchKind === 'key-changed'
            ? `KEY CHANGED: site "${manifest.siteId}" was signed by ${anchor.keyId} before, now by ${sigKeyId} (${followed.reason})`
            : `signed by key ${sigKeyId}, expected ${anchor.keyId} (${followed.reason})`,
        expected: anchor.keyId,
        actual: sigKeyId,
      });
    }
  } else {
    problems.push({
      kind: 'wrong-key',
      path: MANIFEST_SIG_PATH,
      message:
        sigKeyId === anchor.keyId
          ? `key ${anchor.keyId} is pinned by id only and its public key is not available; pass --key`
          : `signed by key ${sigKeyId}, expected ${anchor.keyId}`,
      expected: anchor.keyId,
      actual: sigKeyId,
    });
  }
  if (!signingKey) return { trusted: false, problems };
  const result = verifyMinisign(input.manifestBytes, sigText, signingKey, input.blake2b512 ? { blake2b512: input.blake2b512 } : {});
  if (!result.ok) {
    problems.push({
      kind: result.failure === 'malformed' ? 'malformed' : 'bad-signature',
      path: MANIFEST_SIG_PATH,
      message: `manifest signature: ${result.reason}`,
    });
    return { trusted: false, problems };
  }
  if (manifest.keyId !== sigKeyId || result.trustedComment !== formatManifestTrustedComment(manifest)) {
    problems.push({
      kind: 'malformed',
      path: MANIFEST_PATH,
      message: 'manifest and its signed comment disagree (site, version, expiry or key id)',
    });
    return { trusted: false, problems };
  }
  return { trusted: true, signingKey, chain, problems };
}

/**
 * Expiry and rollback: an expired signature, or a version lower than the highest
 * seen for this site (`highestVersion`), makes the copy not genuine.
 */
export function checkManifestFreshness(manifest: Manifest, now: Date, highestVersion?: number): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  if (Date.parse(manifest.expires) <= now.getTime()) {
    problems.push({ kind: 'expired', path: MANIFEST_PATH, message: `signature expired on ${manifest.expires}` });
  }
  if (highestVersion !== undefined && manifest.version < highestVersion) {
    problems.push({
      kind: 'rollback',
      path: MANIFEST_PATH,
      message: `version ${manifest.version} is older than version ${highestVersion} seen before`,
      expected: `>= ${highestVersion}`,
      actual: String(manifest.version),
    });
  }
  return problems;
}

/** True when `data` has exactly the size and SHA-256 the manifest lists for it. */
export function matchesManifestEntry(data: Uint8Array, entry: ManifestFile): boolean {
  return data.length === entry.size && hashSha256Hex(data) === entry.sha256;
}

/**
 * Read a file the trusted manifest lists and return its bytes only when they match
 * the listed size and hash (checked on the very bytes returned, so a server cannot
 * serve one version to the hash check and another to the parser).
 */
export async function readListedFile(reader: TrustReader, manifest: Manifest, path: string): Promise<Uint8Array | undefined> {
  const entry = manifest.files.find((f) => f.path === path);
  if (!entry) return undefined;
  const read = await reader.read(path, entry.size);
  return read.status === 'ok' && matchesManifestEntry(read.data, entry) ? read.data : undefined;
}
