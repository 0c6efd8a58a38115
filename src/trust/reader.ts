/**
 * How the trust core reads a site's small published files (manifest, signatures,
 * keys): through a reader the caller supplies (a folder, `fetch`, a browser tab).
 */

/** The outcome of reading one small file. */
export type TrustReadResult = { status: 'ok'; data: Uint8Array } | { status: 'missing' } | { status: 'error'; message: string };

/** Reads a whole small file of a site by its site-relative path, refusing more than `maxBytes`. */
export interface TrustReader {
  read(path: string, maxBytes: number): Promise<TrustReadResult>;
}

/** Largest public key file read from a site. */
export const MAX_PUBLIC_KEY_BYTES = 4096;
/** Largest signature file read from a site. */
export const MAX_SIGNATURE_BYTES = 65536;
/** Largest JSON document (manifest, channels, revoked keys) read from a site. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;
