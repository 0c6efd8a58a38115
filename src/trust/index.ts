/**
 * The trust core: stele's verification protocol in one small module that has
 * no Node and no builder imports and runs unchanged in a browser. `seal` writes
 * what it defines; `verify`, `watch` and the browser extension read through it.
 */

/** Byte helpers that work without `Buffer` (UTF-8, strict base64, hex, byte order). */
export {
  compareBytes,
  concatBytes,
  decodeBase64Strict,
  decodeUtf8,
  encodeBase64,
  encodeHex,
  encodeUtf8,
  equalBytes,
} from './bytes.js';
/** Official and revoked addresses (`channels.json`): schemas, document, revoked-address lookup. */
export {
  type ChannelsDocument,
  channelsDocumentSchema,
  findRevokedAddress,
  normalizeAddress,
  parseChannelsDocument,
} from './channels.js';
/** The site config section `seal.channels` (schemas embedded in the site config) and the document built from it. */
export {
  type Channel,
  type ChannelsConfig,
  channelSchema,
  channelsConfigSchema,
  createChannelsDocument,
  type RevokedAddress,
  revokedAddressSchema,
} from './channels-config.js';
/** Rotation and revocation rules: rotation links, revoked-keys list, chain following. */
export {
  checkKeyChange,
  followRotation,
  formatRevokedKeysComment,
  type KeyChangeCheck,
  formatRotationComment,
  MAX_ROTATION_HOPS,
  parseRevokedKeys,
  parseRotationComment,
  type RevokedKey,
  type RevokedKeysDocument,
  type RotationResult,
  serializeRevokedKeys,
  verifyRevokedKeys,
} from './keys.js';
/** The signed manifest: schema, parser, canonical serialisation, signature comments. */
export {
  formatManifestTrustedComment,
  formatManifestUntrustedComment,
  isSafeSitePath,
  isServerConfigPath,
  listSignedFiles,
  type Manifest,
  type ManifestFile,
  manifestSchema,
  parseManifest,
  SERVER_CONFIG_NAMES,
  serializeManifest,
} from './manifest.js';
/** minisign public keys and signatures: parsing, formatting, Ed25519 + BLAKE2b-512 verification. */
export {
  assertComment,
  formatKeyFingerprint,
  formatKeyId,
  formatPublicKeyFile,
  formatSignatureFile,
  hashBlake2b512,
  MINISIGN_ALG_HASHED,
  MINISIGN_ALG_PLAIN,
  type MinisignFailure,
  type MinisignPublicKey,
  type MinisignResult,
  type MinisignSignature,
  type MinisignVerification,
  normalizeKeyId,
  parseKeyId,
  parsePublicKey,
  parseSignature,
  TRUSTED_COMMENT_MAX_BYTES,
  TRUSTED_COMMENT_PREFIX,
  UNTRUSTED_COMMENT_MAX_BYTES,
  UNTRUSTED_COMMENT_PREFIX,
  verifyMinisign,
} from './minisign.js';
/** Where stele's files live in a site (`.well-known/stele/…`): the one definition. */
export {
  CHANNELS_PATH,
  CHANNELS_SIG_PATH,
  MANIFEST_PATH,
  MANIFEST_SIG_PATH,
  PUBLIC_KEY_PATH,
  REVOKED_KEYS_PATH,
  REVOKED_KEYS_SIG_PATH,
  ROTATION_DIR,
  resolveRotationKeyPath,
  resolveRotationSigPath,
  SHA256SUMS_PATH,
  SHA256SUMS_SIG_PATH,
  STELE_DIR,
} from './paths.js';
/** Problem kinds found by a check: the one list, with verdict and title of each. */
export {
  isVerifyProblemKind,
  PROBLEM_KIND_INFO,
  type ProblemKindInfo,
  resolveVerdict,
  sortProblemKindsFilesFirst,
  VERIFY_PROBLEM_KINDS,
  type VerifyProblem,
  type VerifyProblemKind,
} from './problems.js';
/** The reader port through which the core reads a copy's small files, and its size limits. */
export {
  MAX_DOCUMENT_BYTES,
  MAX_PUBLIC_KEY_BYTES,
  MAX_SIGNATURE_BYTES,
  type TrustReader,
  type TrustReadResult,
} from './reader.js';
/** Revocation checks on a trusted copy: revoked signing key, revoked address. */
export { checkRevokedAddress, checkRevokedKeys, type RevokedKeysCheck } from './revocation.js';
/** The protocol steps before any listed file is fetched: read, verify signature, freshness. */
export {
  checkManifestFreshness,
  type ManifestAnchor,
  type ManifestSignatureResult,
  type ManifestSummary,
  matchesManifestEntry,
  readListedFile,
  readSignedManifest,
  resolveUnreadManifestProblem,
  type SignedManifestRead,
  summarizeManifest,
  type VerifyManifestSignatureInput,
  verifyManifestSignature,
} from './signed-manifest.js';
/** RFC 9162 Merkle tree hashing and inclusion/consistency proofs (the release log's tree). */
export * from './merkle.js';
/** The release log: entries, bundles, tiles, checkpoints and their checks. */
export * from './release-log.js';
/** The timestamp document (freshness signed by a delegated online key). */
export * from './timestamp.js';
