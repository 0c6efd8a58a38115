/**
 * Step 1 of `verifySite`: read the manifest and its signature from the copy,
 * choose the key it must be signed by (given key, key id, trust store, or the key
 * the site publishes on first use) and verify the signature through the trust
 * core. Nothing named by the manifest is fetched here, and the caller fetches
 * nothing named by it unless `trusted` is true.
 */
import { decodeUtf8 } from '../trust/bytes.js';
import type { Manifest } from '../trust/manifest.js';
import { type MinisignPublicKey, normalizeKeyId, parsePublicKey } from '../trust/minisign.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH, PUBLIC_KEY_PATH } from '../trust/paths.js';
import type { VerifyProblem } from '../trust/problems.js';
import { MAX_DOCUMENT_BYTES, MAX_PUBLIC_KEY_BYTES, MAX_SIGNATURE_BYTES, type TrustReader } from '../trust/reader.js';
import {
  checkManifestFreshness,
  type ManifestAnchor,
  readSignedManifest,
  resolveUnreadManifestProblem,
  verifyManifestSignature,
} from '../trust/signed-manifest.js';
import { hashBlake2b512Native, hashManifestSha256 } from './native-hashes.js';
import type { TrustedSite, TrustStore } from './trust-store.js';

/** What step 1 needs to know besides the copy. */
export interface SignatureCheckInput {
  reader: TrustReader;
  /** Pinned public key text (strongest pin). */
  publicKey?: string;
  /** Pinned key id. */
  keyId?: string;
  /** The trust-on-first-use store, when enabled. */
  store?: TrustStore;
  /** The origin of a copy checked over HTTP (for "this address served another site" warnings). */
  origin?: string;
  now: Date;
  /**
   * Called once the manifest parses, before its signature is checked, with how many files it
   * lists (a folder starts its hash threads then). Nothing the manifest names may be read on it.
   */
  onManifestParsed?: (fileCount: number) => void;
}

/** The outcome of step 1. */
export type SignatureCheck =
  /** The copy cannot be judged at all (`unreachable`) or its manifest is unusable (`fatal`): report only these problems. */
  | { status: 'stop'; problems: VerifyProblem[]; manifest?: Manifest }
  | {
      status: 'checked';
      manifest: Manifest;
      /** SHA-256 (hex) of the manifest's bytes, which its signature covers (the release log and a timestamp record it). */
      manifestSha256: string;
      /** Key id in the signature. */
      sigKeyId: string;
      /** True when the signature verified with a trusted key: only then may listed files be fetched. */
      trusted: boolean;
      signingKey?: MinisignPublicKey;
      /** Key ids from the anchor key to the signing key through rotation links (trusted signatures only). */
      chain?: string[];
      /** The pinned key (`--key`) or the remembered one the signature was checked against, when its public key is known. */
      anchorKey?: MinisignPublicKey;
      /** The store entry for this site before this check. */
      entry?: TrustedSite;
      problems: VerifyProblem[];
    };

/** A pin was given (`--key`/`--key-id`) or the site is in the trust store. */
export function isPinned(input: Pick<SignatureCheckInput, 'publicKey' | 'keyId'>, entry: TrustedSite | undefined): boolean {
  return input.publicKey !== undefined || input.keyId !== undefined || entry !== undefined;
}

async function readPublishedKey(reader: TrustReader): Promise<MinisignPublicKey | undefined> {
  const r = await reader.read(PUBLIC_KEY_PATH, MAX_PUBLIC_KEY_BYTES);
  if (r.status !== 'ok') return undefined;
  const p = parsePublicKey(decodeUtf8(r.data));
  return p.ok ? p.value : undefined;
}

/** Choose the anchor key; a string is why the check cannot run. */
async function resolveAnchor(
  input: SignatureCheckInput,
  siteId: string,
  entry: TrustedSite | undefined,
): Promise<ManifestAnchor | string | undefined> {
  if (input.publicKey !== undefined) {
    const p = parsePublicKey(input.publicKey);
    if (!p.ok) return `the given public key is unreadable: ${p.reason}`;
    return { key: p.value, keyId: p.value.keyId, mismatchKind: 'wrong-key' };
  }
  if (input.keyId !== undefined) {
    const keyId = normalizeKeyId(input.keyId);
    if (!keyId) return `"${input.keyId}" is not a key id`;
    let key: MinisignPublicKey | undefined;
    if (entry?.keyId === keyId) {
      const p = parsePublicKey(entry.publicKey);
      if (p.ok) key = p.value;
    }
    if (!key) {
      const pub = await readPublishedKey(input.reader);
      if (pub?.keyId === keyId) key = pub;
    }
    return { ...(key ? { key } : {}), keyId, mismatchKind: 'wrong-key' };
  }
  if (entry) {
    const p = parsePublicKey(entry.publicKey);
    if (!p.ok) return `trust store entry for ${siteId} is unreadable`;
    return { key: p.value, keyId: p.value.keyId, mismatchKind: 'key-changed' };
  }
  const pub = await readPublishedKey(input.reader);
  return pub ? { key: pub, keyId: pub.keyId, mismatchKind: 'wrong-key' } : undefined;
}

/** Step 1: manifest, signature, key choice, rotation, expiry and rollback. */
export async function checkSignature(input: SignatureCheckInput): Promise<SignatureCheck> {
  // A copy that answers but carries no signed manifest is a stripped signature when the
  // reader pinned a key: NOT GENUINE, not "could not check" (the rule is the trust core's).
  const pinned = input.publicKey !== undefined || input.keyId !== undefined;
  const manifestRead = await input.reader.read(MANIFEST_PATH, MAX_DOCUMENT_BYTES);
  if (manifestRead.status !== 'ok') return { status: 'stop', problems: [resolveUnreadManifestProblem('manifest', manifestRead, pinned)] };
  const sigRead = await input.reader.read(MANIFEST_SIG_PATH, MAX_SIGNATURE_BYTES);
  if (sigRead.status !== 'ok') return { status: 'stop', problems: [resolveUnreadManifestProblem('signature', sigRead, pinned)] };
  const read = readSignedManifest(manifestRead.data, decodeUtf8(sigRead.data));
  if (!read.ok) return { status: 'stop', problems: [read.problem], ...(read.manifest ? { manifest: read.manifest } : {}) };
  const { manifest } = read;
  input.onManifestParsed?.(manifest.files.length + (manifest.serverConfig?.length ?? 0));
  const entry = input.store?.sites[manifest.siteId];
  const anchor = await resolveAnchor(input, manifest.siteId, entry);
  if (typeof anchor === 'string') return { status: 'stop', problems: [{ kind: 'unreachable', message: anchor }] };
  if (!anchor) {
    return {
      status: 'stop',
      manifest,
      problems: [{ kind: 'malformed', path: PUBLIC_KEY_PATH, message: 'no readable public key published and none pinned' }],
    };
  }
  const sigKeyId = read.signature.keyId;
  const problems: VerifyProblem[] = [];
  // An address that served another site before, now serving this one with another key.
  if (input.origin && input.store && input.publicKey === undefined && input.keyId === undefined) {
    const knownSite = input.store.origins[input.origin];
    const known = knownSite ? input.store.sites[knownSite] : undefined;
    if (knownSite && knownSite !== manifest.siteId && known && known.keyId !== sigKeyId) {
      problems.push({
        kind: 'key-changed',
        message: `${input.origin} served site "${knownSite}" (key ${known.keyId}) before; now it serves "${manifest.siteId}" signed by ${sigKeyId}`,
        expected: known.keyId,
        actual: sigKeyId,
      });
    }
  }
  const verified = await verifyManifestSignature({
    reader: input.reader,
    manifestBytes: manifestRead.data,
    read,
    anchor,
    revoked: new Set(entry?.revokedKeys ?? []),
    ...(hashBlake2b512Native ? { blake2b512: hashBlake2b512Native } : {}),
  });
  problems.push(...verified.problems, ...checkManifestFreshness(manifest, input.now, entry?.highestVersion));
  return {
    status: 'checked',
    manifest,
    manifestSha256: hashManifestSha256(manifestRead.data),
    sigKeyId,
    trusted: verified.trusted,
    ...(verified.signingKey ? { signingKey: verified.signingKey } : {}),
    ...(verified.chain ? { chain: verified.chain } : {}),
    ...(anchor.key ? { anchorKey: anchor.key } : {}),
    ...(entry ? { entry } : {}),
    problems,
  };
}
