/**
 * Revocation checks that read signed files of a copy whose manifest is trusted:
 * the revoked-keys list (a revoked key signs nothing) and the revoked addresses
 * of channels.json (a copy at a revoked address is not the site, however genuine
 * its files). Both read the bytes once and check them against the manifest.
 */
import { findRevokedAddress, parseChannelsDocument } from './channels.js';
import { verifyRevokedKeys } from './keys.js';
import type { Manifest } from './manifest.js';
import { decodeUtf8 } from './bytes.js';
import type { MinisignPublicKey } from './minisign.js';
import { CHANNELS_PATH, REVOKED_KEYS_PATH, REVOKED_KEYS_SIG_PATH } from './paths.js';
import type { VerifyProblem } from './problems.js';
import { MAX_SIGNATURE_BYTES, type TrustReader } from './reader.js';
import { readListedFile } from './signed-manifest.js';

/** The outcome of {@link checkRevokedKeys}. */
export interface RevokedKeysCheck {
  /** Key ids the site's signed list revokes (to remember for later checks). */
  revokedKeyIds: string[];
  /** A `wrong-key` problem when the key that signed the manifest is itself revoked. */
  problems: VerifyProblem[];
}

/**
 * Read the site's revoked-keys list (bytes matching the trusted manifest, signature
 * by `signingKey`) and report the signing key if the list revokes it.
 */
export async function checkRevokedKeys(
  reader: TrustReader,
  manifest: Manifest,
  signingKey: MinisignPublicKey,
): Promise<RevokedKeysCheck> {
  const out: RevokedKeysCheck = { revokedKeyIds: [], problems: [] };
  const json = await readListedFile(reader, manifest, REVOKED_KEYS_PATH);
  if (!json) return out;
  const sig = await reader.read(REVOKED_KEYS_SIG_PATH, MAX_SIGNATURE_BYTES);
  if (sig.status !== 'ok') return out;
  const doc = verifyRevokedKeys(json, decodeUtf8(sig.data), signingKey);
  for (const r of doc?.revoked ?? []) {
    out.revokedKeyIds.push(r.keyId);
    if (r.keyId === signingKey.keyId) {
      out.problems.push({ kind: 'wrong-key', message: `key ${r.keyId} is revoked: ${r.reason}`, actual: r.keyId });
    }
  }
  return out;
}

/**
 * A `revoked-address` problem when `address` is listed as revoked in the copy's
 * channels.json (bytes matching the trusted manifest); undefined otherwise.
 */
export async function checkRevokedAddress(
  reader: TrustReader,
  manifest: Manifest,
  address: string,
): Promise<VerifyProblem | undefined> {
  const bytes = await readListedFile(reader, manifest, CHANNELS_PATH);
  const doc = bytes ? parseChannelsDocument(bytes) : undefined;
  const hit = doc ? findRevokedAddress(address, doc.revoked) : undefined;
  if (!hit) return undefined;
  return {
    kind: 'revoked-address',
    message: `${address} is no longer an official address of this site (since ${hit.date}: ${hit.reason})`,
    actual: hit.url,
  };
}
