/**
 * Rotation and revocation rules. A new key is accepted only through a chain of
 * rotation links (`rotation/<NEW>.pub`, signed by the previous key, with a
 * trusted comment naming both keys) starting at the pinned key; a key named in
 * the signed revocation list (or remembered as revoked) signs nothing, not even
 * a rotation link.
 */
import { decodeUtf8 } from './bytes.js';
import { type MinisignPublicKey, parsePublicKey, parseSignature, verifyMinisign } from './minisign.js';
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
