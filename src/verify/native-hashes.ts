/**
 * The digests verify computes over whole documents (a 10,000-file manifest is megabytes),
 * through node:crypto (OpenSSL) rather than the trust core's portable `@noble/hashes`:
 * the same digests, many times faster. Files themselves are hashed by `FileSystem.hashFile`.
 */
import { createHash, getHashes } from 'node:crypto';
import type { Manifest } from '../trust/manifest.js';
import { serializeManifest } from '../trust/manifest.js';
import type { Blake2b512 } from '../trust/minisign.js';

/** BLAKE2b-512 through OpenSSL (minisign's prehash), or undefined when this Node lacks it (the trust core's is used). */
export const hashBlake2b512Native: Blake2b512 | undefined = getHashes().includes('blake2b512')
  ? (message) => createHash('blake2b512').update(message).digest()
  : undefined;

/** SHA-256 (hex) of a manifest in the canonical form stele writes, signs and records in the release log. */
export function hashManifestSha256(manifest: Manifest): string {
  return createHash('sha256').update(serializeManifest(manifest), 'utf8').digest('hex');
}
