/**
 * The public half of minisign: key and signature file formats and signature
 * verification (Ed25519 from @noble/curves, BLAKE2b-512 prehash from @noble/hashes).
 * Runs unchanged in Node and in a browser. Signing and secret keys live in `seal`.
 *
 * Formats (from jedisct1/minisign `minisign.h`, checked against minisign 0.11):
 * - public key: `untrusted comment: …\n` + base64("Ed" ‖ keynum[8] ‖ pk[32]).
 * - signature: `untrusted comment: …\n` + base64("ED" ‖ keynum ‖ ed25519(BLAKE2b-512(file)))
 *   + `\ntrusted comment: …\n` + base64(ed25519(sig ‖ trusted comment)) + `\n`.
 * Key ids are shown as minisign shows them: the keynum read as a little-endian
 * u64, in uppercase hex (here always zero-padded to 16 digits).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { concatBytes, decodeBase64Strict, encodeBase64, encodeHex, encodeUtf8, equalBytes } from './bytes.js';

// Each signature check multiplies the base point once, and a check of a copy verifies a
// handful of signatures (manifest, channels, release-log checkpoint, timestamp): a 4-bit
// window table (520 points) is built in a third of the time of @noble's default 6-bit one
// (1,408 points), which was most of a check's signature cost; each multiplication takes 65
// additions instead of 43. The same checks, strict as before; signing stays constant-time.
ed25519.Point.BASE.precompute(4);

/** Either a value or the reason it could not be produced (user input problems are data). */
export type MinisignResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A parsed minisign public key. */
export interface MinisignPublicKey {
  /** 16 uppercase hex digits, as minisign prints it. */
  keyId: string;
  /** The 8 raw key-number bytes. */
  keyNum: Uint8Array;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  untrustedComment: string;
}

/** A parsed minisign signature file. */
export interface MinisignSignature {
  untrustedComment: string;
  /** "ED" (prehashed, default since minisign 0.8) or "Ed" (legacy). */
  algorithm: 'ED' | 'Ed';
  keyId: string;
  keyNum: Uint8Array;
  signature: Uint8Array;
  trustedComment: string;
  globalSignature: Uint8Array;
}

/** Key algorithm tag of public and secret keys, and of legacy (not prehashed) signatures. */
export const MINISIGN_ALG_PLAIN = 'Ed';
/** Signature algorithm tag of prehashed signatures (BLAKE2b-512, minisign's default). */
export const MINISIGN_ALG_HASHED = 'ED';
/** Prefix of the first line of every minisign file. */
export const UNTRUSTED_COMMENT_PREFIX = 'untrusted comment: ';
/** Prefix of the third line of a signature file. */
export const TRUSTED_COMMENT_PREFIX = 'trusted comment: ';
/** Longest trusted comment minisign accepts, in bytes. */
export const TRUSTED_COMMENT_MAX_BYTES = 8191;
/** Longest untrusted comment minisign accepts, in bytes. */
export const UNTRUSTED_COMMENT_MAX_BYTES = 1023;

const ALG_PLAIN_BYTES = encodeUtf8(MINISIGN_ALG_PLAIN);

/** Show an 8-byte key number as minisign does: little-endian u64, uppercase hex, 16 digits. */
export function formatKeyId(keyNum: Uint8Array): string {
  return encodeHex(Uint8Array.from(keyNum).reverse()).toUpperCase();
}

/** Turn a printed key id (up to 16 hex digits) back into its 8 key-number bytes. */
export function parseKeyId(keyId: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F]{1,16}$/.test(keyId)) return undefined;
  const hex = keyId.padStart(16, '0');
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[7 - i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Normalise a user-typed key id (any case, optional leading zeros dropped) to 16 uppercase hex. */
export function normalizeKeyId(keyId: string): string | undefined {
  const cleaned = keyId.replace(/[\s:-]/g, '');
  return /^[0-9a-fA-F]{1,16}$/.test(cleaned) ? cleaned.padStart(16, '0').toUpperCase() : undefined;
}

/** Show a key id for people: groups of four hex digits, e.g. `8E69 A5A6 C64D 0D0F`. */
export function formatKeyFingerprint(keyId: string): string {
  return keyId.toUpperCase().replace(/[^0-9A-F]/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/** BLAKE2b-512 of a message (minisign's prehash). */
export function hashBlake2b512(message: Uint8Array): Uint8Array {
  return blake2b(message, { dkLen: 64 });
}

/**
 * A BLAKE2b-512 implementation a host may give in place of {@link hashBlake2b512} (node:crypto's
 * is some fifty times faster on a megabyte manifest). It must return exactly the same 64 bytes.
 */
export type Blake2b512 = (message: Uint8Array) => Uint8Array;

/** Options of {@link verifyMinisign}. */
export interface VerifyMinisignOptions {
  /** The prehash function (default {@link hashBlake2b512}). */
  blake2b512?: Blake2b512;
}

function splitLines(text: string): string[] {
  return text.replace(/\r\n/g, '\n').split('\n');
}

function readComment(line: string | undefined, prefix: string): string | undefined {
  if (line === undefined || !line.startsWith(prefix)) return undefined;
  return line.slice(prefix.length);
}

/** Throw (a bug, not user input) when a comment stele is about to write is not one short line. */
export function assertComment(comment: string, maxBytes: number, what: string): void {
  if (/[\r\n]/.test(comment)) throw new RangeError(`${what} must be a single line`);
  if (encodeUtf8(comment).length > maxBytes) throw new RangeError(`${what} is too long`);
}

/** Render a public key file (`stele.pub`), minisign format. */
export function formatPublicKeyFile(keyNum: Uint8Array, publicKey: Uint8Array, untrustedComment?: string): string {
  const comment = untrustedComment ?? `minisign public key ${formatKeyId(keyNum)}`;
  assertComment(comment, UNTRUSTED_COMMENT_MAX_BYTES, 'untrusted comment');
  return `${UNTRUSTED_COMMENT_PREFIX}${comment}\n${encodeBase64(concatBytes(ALG_PLAIN_BYTES, keyNum, publicKey))}\n`;
}

/**
 * Parse a minisign public key: a whole `.pub` file, or just its base64 line
 * (as given to `minisign -P`).
 */
export function parsePublicKey(text: string): MinisignResult<MinisignPublicKey> {
  const lines = splitLines(text.trim());
  let comment = '';
  let body: string | undefined;
  if (lines.length === 1) body = lines[0];
  else {
    const c = readComment(lines[0], UNTRUSTED_COMMENT_PREFIX);
    if (c === undefined) return { ok: false, reason: 'public key file must start with "untrusted comment:"' };
    comment = c;
    body = lines[1];
  }
  const bytes = body === undefined ? undefined : decodeBase64Strict(body);
  if (bytes?.length !== 42) return { ok: false, reason: 'public key is not 42 bytes of base64' };
  if (!equalBytes(bytes.subarray(0, 2), ALG_PLAIN_BYTES)) return { ok: false, reason: 'unsupported public key algorithm' };
  const keyNum = bytes.slice(2, 10);
  return {
    ok: true,
    value: { keyId: formatKeyId(keyNum), keyNum, publicKey: bytes.slice(10, 42), untrustedComment: comment },
  };
}

/** Parse a `.minisig` signature file. */
export function parseSignature(text: string): MinisignResult<MinisignSignature> {
  const lines = splitLines(text);
  const untrusted = readComment(lines[0], UNTRUSTED_COMMENT_PREFIX);
  if (untrusted === undefined) return { ok: false, reason: 'signature must start with "untrusted comment:"' };
  const sigBytes = lines[1] === undefined ? undefined : decodeBase64Strict(lines[1]);
  if (sigBytes?.length !== 74) return { ok: false, reason: 'signature line is not 74 bytes of base64' };
  const alg = String.fromCharCode(sigBytes[0], sigBytes[1]);
  if (alg !== MINISIGN_ALG_HASHED && alg !== MINISIGN_ALG_PLAIN) return { ok: false, reason: 'unsupported signature algorithm' };
  const trusted = readComment(lines[2], TRUSTED_COMMENT_PREFIX);
  if (trusted === undefined) return { ok: false, reason: 'signature has no trusted comment' };
  const global = lines[3] === undefined ? undefined : decodeBase64Strict(lines[3]);
  if (global?.length !== 64) return { ok: false, reason: 'global signature is not 64 bytes of base64' };
  if (lines.slice(4).some((l) => l.trim() !== '')) return { ok: false, reason: 'trailing data after the signature' };
  const keyNum = sigBytes.slice(2, 10);
  return {
    ok: true,
    value: {
      untrustedComment: untrusted,
      algorithm: alg,
      keyId: formatKeyId(keyNum),
      keyNum,
      signature: sigBytes.slice(10, 74),
      trustedComment: trusted,
      globalSignature: global,
    },
  };
}

/** Render a signature back to its canonical `.minisig` text (to detect any change to the file). */
export function formatSignatureFile(sig: MinisignSignature): string {
  const sigLine = encodeBase64(concatBytes(encodeUtf8(sig.algorithm), sig.keyNum, sig.signature));
  return `${UNTRUSTED_COMMENT_PREFIX}${sig.untrustedComment}\n${sigLine}\n${TRUSTED_COMMENT_PREFIX}${sig.trustedComment}\n${encodeBase64(sig.globalSignature)}\n`;
}

/** Why a signature was not accepted. */
export type MinisignFailure = 'malformed' | 'wrong-key' | 'bad-signature';

/** The outcome of `verifyMinisign`. */
export type MinisignVerification =
  | { ok: true; keyId: string; trustedComment: string; signature: MinisignSignature }
  | { ok: false; failure: MinisignFailure; reason: string; keyId?: string };

function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    // Strict RFC 8032 checks (no ZIP-215 leniency), as libsodium and minisign do.
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/**
 * Verify a minisign signature (`.minisig` text) over `message` with a public key
 * (parsed, or the text of a `.pub` file). Checks the key id, the signature (prehashed
 * "ED" or legacy "Ed") and the global signature over the trusted comment, as `minisign -V` does.
 */
export function verifyMinisign(
  message: Uint8Array,
  sigText: string,
  publicKey: MinisignPublicKey | string,
  options: VerifyMinisignOptions = {},
): MinisignVerification {
  let pk: MinisignPublicKey;
  if (typeof publicKey === 'string') {
    const parsed = parsePublicKey(publicKey);
    if (!parsed.ok) return { ok: false, failure: 'malformed', reason: parsed.reason };
    pk = parsed.value;
  } else pk = publicKey;
  const parsed = parseSignature(sigText);
  if (!parsed.ok) return { ok: false, failure: 'malformed', reason: parsed.reason };
  const sig = parsed.value;
  if (!equalBytes(sig.keyNum, pk.keyNum)) {
    return {
      ok: false,
      failure: 'wrong-key',
      keyId: sig.keyId,
      reason: `signed with key ${sig.keyId}, expected key ${pk.keyId}`,
    };
  }
  const signed = sig.algorithm === MINISIGN_ALG_HASHED ? (options.blake2b512 ?? hashBlake2b512)(message) : message;
  if (!verifyEd25519(sig.signature, signed, pk.publicKey)) {
    return { ok: false, failure: 'bad-signature', keyId: sig.keyId, reason: 'signature does not match the file' };
  }
  if (!verifyEd25519(sig.globalSignature, concatBytes(sig.signature, encodeUtf8(sig.trustedComment)), pk.publicKey)) {
    return { ok: false, failure: 'bad-signature', keyId: sig.keyId, reason: 'trusted comment signature does not match' };
  }
  return { ok: true, keyId: sig.keyId, trustedComment: sig.trustedComment, signature: sig };
}
