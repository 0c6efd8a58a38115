/**
 * Where stele publishes its own files inside a site, relative to the site root.
 * The one definition: seal writes these, verify, watch and the extension read them.
 */

/** Folder of stele's published files (the release log and timestamp paths in `release-log.ts` and `timestamp.ts` build on it). */
export const STELE_DIR = '.well-known/stele';
/** The signed manifest: every file of the site with its size and SHA-256. */
export const MANIFEST_PATH = `${STELE_DIR}/manifest.json`;
/** minisign signature of the manifest. */
export const MANIFEST_SIG_PATH = `${MANIFEST_PATH}.minisig`;
/** Official and revoked addresses, current and revoked keys. */
export const CHANNELS_PATH = `${STELE_DIR}/channels.json`;
/** minisign signature of the channels document. */
export const CHANNELS_SIG_PATH = `${CHANNELS_PATH}.minisig`;
/** The site's current public key (minisign `.pub` format). */
export const PUBLIC_KEY_PATH = `${STELE_DIR}/stele.pub`;
/** Signed list of revoked keys. */
export const REVOKED_KEYS_PATH = `${STELE_DIR}/revoked-keys.json`;
/** minisign signature of the revoked-keys list. */
export const REVOKED_KEYS_SIG_PATH = `${REVOKED_KEYS_PATH}.minisig`;
/** Folder of rotation links: `<NEWKEYID>.pub`, signed by the previous key in `<NEWKEYID>.pub.minisig`. */
export const ROTATION_DIR = `${STELE_DIR}/rotation`;
/** coreutils `sha256sum` list of the files a reader can fetch, for `sha256sum -c`. */
export const SHA256SUMS_PATH = `${STELE_DIR}/SHA256SUMS`;
/** minisign signature of `SHA256SUMS`, for `minisign -Vm SHA256SUMS`. */
export const SHA256SUMS_SIG_PATH = `${SHA256SUMS_PATH}.minisig`;

/** The path of the rotation link publishing `keyId`'s public key. */
export function resolveRotationKeyPath(keyId: string): string {
  return `${ROTATION_DIR}/${keyId}.pub`;
}

/** The path of the signature over `keyId`'s rotation link. */
export function resolveRotationSigPath(keyId: string): string {
  return `${ROTATION_DIR}/${keyId}.pub.minisig`;
}
