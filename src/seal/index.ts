/**
 * Public API of the seal area: minisign-compatible keys and signatures, the
 * signer port, key folders (rotation, revocation), channels and `sealSite`.
 */
export {
  type Channel,
  type ChannelsConfig,
  type ChannelsDocument,
  channelSchema,
  channelsConfigSchema,
  createChannelsDocument,
  findRevokedAddress,
  type RevokedAddress,
  type RevokedKey,
  revokedAddressSchema,
} from './channels.js';
export {
  createKeyFiles,
  type KeyPublications,
  readKeyPublications,
  revokeKeyFiles,
  rotateKeyFiles,
  verifyRevokedKeys,
} from './key-store.js';
export {
  CHANNELS_PATH,
  MANIFEST_PATH,
  MANIFEST_SIG_PATH,
  type Manifest,
  type ManifestFile,
  PUBLIC_KEY_PATH,
  parseManifest,
  REVOKED_KEYS_PATH,
  ROTATION_DIR,
} from './manifest.js';
export {
  DEFAULT_KDF_LIMITS,
  formatKeyId,
  isSecretKeyEncrypted,
  type MinisignPublicKey,
  type MinisignVerification,
  parsePublicKey,
  verifyMinisign,
} from './minisign.js';
export {
  formatKeyFingerprint,
  readManifestVersion,
  resolveNextVersion,
  type SealOptions,
  sealSite,
} from './seal-site.js';
export { createSignerFromSeed, type LoadSignerResult, loadSigner, loadSignerFromText, type Signer } from './signer.js';
