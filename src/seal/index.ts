/**
 * Public API of the seal area: secret keys and signing, the signer port, key
 * folders (rotation, revocation) and `sealSite`. The formats it writes (paths,
 * manifest, channels, public keys, signatures) are the trust core's (`src/trust`).
 */
export { type ChannelsDocument, findRevokedAddress } from '../trust/channels.js';
export {
  type Channel,
  type ChannelsConfig,
  channelSchema,
  channelsConfigSchema,
  createChannelsDocument,
  type RevokedAddress,
  revokedAddressSchema,
} from '../trust/channels-config.js';
export type { RevokedKey } from '../trust/keys.js';
export { type Manifest, type ManifestFile, parseManifest } from '../trust/manifest.js';
export {
  formatKeyFingerprint,
  formatKeyId,
  type MinisignPublicKey,
  type MinisignVerification,
  parsePublicKey,
  verifyMinisign,
} from '../trust/minisign.js';
export {
  CHANNELS_PATH,
  MANIFEST_PATH,
  MANIFEST_SIG_PATH,
  PUBLIC_KEY_PATH,
  REVOKED_KEYS_PATH,
  ROTATION_DIR,
} from '../trust/paths.js';
export {
  createKeyFiles,
  type KeyPublications,
  readKeyPublications,
  revokeKeyFiles,
  rotateKeyFiles,
  verifyRevokedKeys,
} from './key-store.js';
export { DEFAULT_KDF_LIMITS, isSecretKeyEncrypted } from './minisign.js';
export {
  PROJECT_LOG_DIR,
  type PreviousLog,
  readSiteLog,
  readStoredLog,
  resolvePreviousLog,
  type StoredLogRead,
  writeStoredLog,
} from './release-log-store.js';
export { readManifestVersion, resolveNextVersion, type SealOptions, type SealResult, sealSite } from './seal-site.js';
export { createSignerFromSeed, type LoadSignerResult, loadSigner, loadSignerFromText, type Signer } from './signer.js';
