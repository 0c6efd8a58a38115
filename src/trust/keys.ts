/**
 * Rotation and revocation rules. A new key is accepted only through a chain of
 * rotation links (`rotation/<NEW>.pub`, signed by the previous key, with a
 * trusted comment naming both keys) starting at the pinned key; a key named in
 * the signed revocation list (or remembered as revoked) signs nothing, not even
 * a rotation link.
 */
import { decodeUtf8 } from './bytes.js';
import { type MinisignPublicKey, type MinisignSignature, parsePublicKey, parseSignature, verifyMinisign } from './minisign.js';
import { resolveRotationKeyPath, resolveRotationSigPath } from './paths.js';
import { MAX_PUBLIC_KEY_BYTES, MAX_SIGNATURE_BYTES, type TrustReader } from './reader.js';

/** Longest rotation chain followed from a pinned key. */
export const MAX_ROTATION_HOPS = 16;

/** A revoked signing key, as recorded by `stele key revoke`. */
export interface RevokedKey {
  keyId: string;
  date: string;
  reason: string;
}

/** The signed revocation list document (`revoked-keys.json`). */
export interface RevokedKeysDocument {
  stele: 1;
  signedBy: string;
  updated: string;
  revoked: RevokedKey[];
}

/** The trusted comment of a rotation link. */
export function formatRotationComment(fromKeyId: string, toKeyId: string, date: Date): string {
  return `stele rotation from=${fromKeyId} to=${toKeyId} date=${date.toISOString()}`;
}

/** Read `from` and `to` out of a rotation link's trusted comment. */
export function parseRotationComment(comment: string): { from: string; to: string } | undefined {
  const m = /^stele rotation from=([0-9A-F]{16}) to=([0-9A-F]{16})(?: |$)/.exec(comment);
  return m ? { from: m[1], to: m[2] } : undefined;
}

/** Parse a revocation list (content check only; verify its signature first). */
export function parseRevokedKeys(text: string): RevokedKeysDocument | undefined {
  try {
    const data = JSON.parse(text) as RevokedKeysDocument;
    if (data?.stele !== 1 || !Array.isArray(data.revoked)) return undefined;
    const ok = data.revoked.every(
      (r) => typeof r?.keyId === 'string' && /^[0-9A-F]{16}$/.test(r.keyId) && typeof r.reason === 'string',
    );
    return ok ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Serialise a revocation list deterministically (the bytes that are signed). */
export function serializeRevokedKeys(doc: RevokedKeysDocument): string {
  return `${JSON.stringify(
    {
      stele: 1,
      signedBy: doc.signedBy,
      updated: doc.updated,
      revoked: doc.revoked.map((r) => ({ keyId: r.keyId, date: r.date, reason: r.reason })),
    },
    null,
    2,
  )}\n`;
}

/** The trusted comment of a revocation list signature. */
export function formatRevokedKeysComment(signerKeyId: string, count: number, updated: Date): string {
  return `stele revoked-keys signer=${signerKeyId} count=${count} updated=${updated.toISOString()}`;
}

/** Verify a revocation list against the key that should have signed it; undefined when it does not verify or parse. */
export function verifyRevokedKeys(
  json: Uint8Array,
  signature: string,
  signingKey: MinisignPublicKey | string,
): RevokedKeysDocument | undefined {
  const result = verifyMinisign(json, signature, signingKey);
  return result.ok ? parseRevokedKeys(decodeUtf8(json)) : undefined;
}

/** The outcome of {@link followRotation}. */
export type RotationResult = { ok: true; key: MinisignPublicKey; chain: string[] } | { ok: false; reason: string };

/**
 * Follow rotation links published by a site from `anchor` (the pinned key) to
 * `targetKeyId` (the key that signed the manifest). Every link must parse, name
 * its two keys in its signed comment, be signed by the previous key of the chain,
 * and no signer may be in `revoked`. Returns the target's public key and the
 * chain of key ids from the anchor, or why the chain does not hold.
 */
export async function followRotation(
  reader: TrustReader,
  anchor: MinisignPublicKey,
  targetKeyId: string,
  revoked: ReadonlySet<string>,
): Promise<RotationResult> {
  let wanted = targetKeyId;
  let targetKey: MinisignPublicKey | undefined;
  const chain: string[] = [targetKeyId];
  for (let hop = 0; hop < MAX_ROTATION_HOPS; hop++) {
    const pubRead = await reader.read(resolveRotationKeyPath(wanted), MAX_PUBLIC_KEY_BYTES);
    const sigRead = await reader.read(resolveRotationSigPath(wanted), MAX_SIGNATURE_BYTES);
    if (pubRead.status !== 'ok' || sigRead.status !== 'ok') {
      return { ok: false, reason: `no rotation link published for key ${wanted}` };
    }
    const pub = parsePublicKey(decodeUtf8(pubRead.data));
    if (!pub.ok || pub.value.keyId !== wanted) return { ok: false, reason: `rotation link for ${wanted} is malformed` };
    targetKey ??= pub.value;
    const sigText = decodeUtf8(sigRead.data);
    const sig = parseSignature(sigText);
    if (!sig.ok) return { ok: false, reason: `rotation signature for ${wanted} is malformed` };
    const signerId = sig.value.keyId;
    if (revoked.has(signerId)) return { ok: false, reason: `rotation to ${wanted} was signed by revoked key ${signerId}` };
    const comment = parseRotationComment(sig.value.trustedComment);
    if (!comment || comment.from !== signerId || comment.to !== wanted) {
      return { ok: false, reason: `rotation link for ${wanted} does not name its keys` };
    }
    let signerKey: MinisignPublicKey | undefined;
    if (signerId === anchor.keyId) signerKey = anchor;
    else {
      const prev = await reader.read(resolveRotationKeyPath(signerId), MAX_PUBLIC_KEY_BYTES);
      const parsed = prev.status === 'ok' ? parsePublicKey(decodeUtf8(prev.data)) : undefined;
      if (!parsed?.ok || parsed.value.keyId !== signerId) {
        return { ok: false, reason: `rotation chain breaks at key ${signerId}` };
      }
      signerKey = parsed.value;
    }
    const verified = verifyMinisign(pubRead.data, sigText, signerKey);
    if (!verified.ok) return { ok: false, reason: `rotation link for ${wanted}: ${verified.reason}` };
    chain.unshift(signerId);
    if (signerId === anchor.keyId) return { ok: true, key: targetKey, chain };
    wanted = signerId;
  }
  return { ok: false, reason: 'rotation chain is too long' };
}

/** The outcome of {@link checkKeyChange}. */
export type KeyChangeCheck =
  /** `verified`: false when the first link's signer is a key this verifier never saw (see below). */
  | { ok: true; chain: string[]; verified: boolean }
  | { ok: false; reason: string };

/**
 * Whether a change of signing key recorded in the release log, from `fromKeyId`
 * to `toKeyId`, is backed by rotation links published in the site: a chain of
 * `rotation/<KEY>.pub` links from `toKeyId` back to a link signed by `fromKeyId`,
 * each naming its two keys in its signed comment. Each link's signature is
 * verified with its signer's public key, taken from `knownKeys` (the pinned,
 * remembered and signing keys) or from the signer's own rotation link. Only the
 * first key of a site never has a rotation link: when the verifier does not know
 * it either (a first visit without a pin), the link it signed is checked for its
 * form and names only (`verified: false`), since nothing this verifier holds
 * could tell a genuine first key from one made up along with the copy.
 *
 * Unlike {@link followRotation}, a revoked signer does not break the chain: a
 * key is revoked after it rotated to its successor, and the history it signed
 * stays history (the signature step refuses anything a revoked key signs now).
 */
export async function checkKeyChange(
  reader: TrustReader,
  fromKeyId: string,
  toKeyId: string,
  knownKeys: ReadonlyMap<string, MinisignPublicKey>,
): Promise<KeyChangeCheck> {
  let wanted = toKeyId;
  const chain: string[] = [toKeyId];
  for (let hop = 0; hop < MAX_ROTATION_HOPS; hop++) {
    const link = await readRotationLink(reader, wanted);
    if (typeof link === 'string') return { ok: false, reason: link };
    const signerId = link.signature.keyId;
    const comment = parseRotationComment(link.signature.trustedComment);
    if (!comment || comment.from !== signerId || comment.to !== wanted) {
      return { ok: false, reason: `the rotation link for ${wanted} does not name its keys` };
    }
    let signerKey = knownKeys.get(signerId);
    if (!signerKey) {
      const previous = await readRotationLink(reader, signerId);
      if (typeof previous !== 'string') signerKey = previous.key;
    }
    chain.unshift(signerId);
    if (!signerKey) {
      if (signerId !== fromKeyId) return { ok: false, reason: `the rotation chain breaks at key ${signerId}` };
      return { ok: true, chain, verified: false };
    }
    const verified = verifyMinisign(link.publicKeyBytes, link.signatureText, signerKey);
    if (!verified.ok) return { ok: false, reason: `the rotation link for ${wanted} does not verify with key ${signerId} (${verified.reason})` };
    if (signerId === fromKeyId) return { ok: true, chain, verified: true };
    wanted = signerId;
  }
  return { ok: false, reason: 'the rotation chain is too long' };
}

/** One published rotation link, parsed; a string is why it is not usable. */
async function readRotationLink(
  reader: TrustReader,
  keyId: string,
): Promise<
  { key: MinisignPublicKey; publicKeyBytes: Uint8Array; signatureText: string; signature: MinisignSignature } | string
> {
  const pubRead = await reader.read(resolveRotationKeyPath(keyId), MAX_PUBLIC_KEY_BYTES);
  const sigRead = await reader.read(resolveRotationSigPath(keyId), MAX_SIGNATURE_BYTES);
  if (pubRead.status !== 'ok' || sigRead.status !== 'ok') return `no rotation link is published for key ${keyId}`;
  const pub = parsePublicKey(decodeUtf8(pubRead.data));
  if (!pub.ok || pub.value.keyId !== keyId) return `the rotation link for ${keyId} is malformed`;
  const signatureText = decodeUtf8(sigRead.data);
  const sig = parseSignature(signatureText);
  if (!sig.ok) return `the rotation signature for ${keyId} is malformed`;
  return { key: pub.value, publicKeyBytes: pubRead.data, signatureText, signature: sig.value };
}
