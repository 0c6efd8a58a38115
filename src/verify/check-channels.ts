/**
 * Step 2 of `verifySite`, for a copy whose manifest signature is trusted: the
 * site's signed revoked-keys list (a revoked signing key makes the copy not
 * genuine) and, over HTTP, whether the checked address is a revoked one in the
 * signed channels.json. Both read bytes checked against the manifest.
 */
import type { Manifest } from '../trust/manifest.js';
import type { MinisignPublicKey } from '../trust/minisign.js';
import type { VerifyProblem } from '../trust/problems.js';
import type { TrustReader } from '../trust/reader.js';
import { checkRevokedAddress, checkRevokedKeys } from '../trust/revocation.js';

/** The outcome of step 2. */
export interface ChannelsCheck {
  /** Key ids the site revokes (remembered in the trust store). */
  revokedKeyIds: string[];
  /** True when the signing key is itself revoked. */
  signerRevoked: boolean;
  problems: VerifyProblem[];
}

/** Step 2: revoked keys, and the revoked addresses when `address` is a web address. */
export async function checkChannels(
  reader: TrustReader,
  manifest: Manifest,
  signingKey: MinisignPublicKey,
  address: string | undefined,
): Promise<ChannelsCheck> {
  const keys = await checkRevokedKeys(reader, manifest, signingKey);
  const problems = [...keys.problems];
  if (address !== undefined) {
    const revoked = await checkRevokedAddress(reader, manifest, address);
    if (revoked) problems.push(revoked);
  }
  return { revokedKeyIds: keys.revokedKeyIds, signerRevoked: keys.problems.length > 0, problems };
}
