/**
 * Signing the timestamp file (`.well-known/stele/timestamp.json`) with the online
 * timestamp key: used by `sealSite` for a build's first timestamp and by
 * `stele refresh` afterwards. The document and its rules are the trust core's
 * (`src/trust/timestamp.ts`); this file only signs.
 */
import {
  createTimestampDocument,
  formatTimestampTrustedComment,
  serializeTimestamp,
  TIMESTAMP_UNTRUSTED_COMMENT,
  type TimestampDelegation,
  type TimestampDocument,
} from '../trust/timestamp.js';
import type { Signer } from './signer.js';

/** The delegation record the main key publishes for `signer` (its id and public key line). */
export function createTimestampDelegation(signer: Pick<Signer, 'keyId' | 'publicKeyFile'>): TimestampDelegation {
  const line = signer.publicKeyFile.trim().split('\n').at(-1) ?? '';
  return { keyId: signer.keyId, publicKey: line };
}

/**
 * A signed timestamp for a manifest: the canonical JSON text and its `.minisig`
 * text, signed by the timestamp key `signer`, valid `days` (default 7) from `now`.
 */
export function signTimestamp(
  signer: Signer,
  options: { siteId: string; version: number; manifestSha256: string; now: Date; days?: number },
): { document: TimestampDocument; json: string; signature: string } {
  const document = createTimestampDocument({ ...options, keyId: signer.keyId });
  const json = serializeTimestamp(document);
  const signature = signer.sign(new TextEncoder().encode(json), formatTimestampTrustedComment(document), TIMESTAMP_UNTRUSTED_COMMENT);
  return { document, json, signature };
}
