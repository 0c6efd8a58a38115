/**
 * The digests verify computes over whole documents (a 10,000-file manifest is megabytes),
 * through node:crypto (OpenSSL) rather than the trust core's portable `@noble/hashes`:
 * the same digests, many times faster. Files themselves are hashed by `FileSystem.hashFile`.
 */
import { createHash, getHashes } from 'node:crypto';
import type { Blake2b512 } from '../trust/minisign.js';

/** BLAKE2b-512 through OpenSSL (minisign's prehash), or undefined when this Node lacks it (the trust core's is used). */
export const hashBlake2b512Native: Blake2b512 | undefined = getHashes().includes('blake2b512')
  ? (message) => createHash('blake2b512').update(message).digest()
  : undefined;

/**
 * SHA-256 (hex) of the manifest's bytes as read: the bytes its signature covers, which the
 * release log and a timestamp record (as the browser extension and `stele refresh` take it).
 */
export function hashManifestSha256(manifestBytes: Uint8Array): string {
  return createHash('sha256').update(manifestBytes).digest('hex');
}
