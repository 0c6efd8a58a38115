/**
 * minisign-compatible key and signature formats, implemented with node:crypto.
 *
 * Formats (from jedisct1/minisign `minisign.h`, checked against minisign 0.11):
 * - public key: `untrusted comment: …\n` + base64("Ed" ‖ keynum[8] ‖ pk[32]).
 * - secret key: `untrusted comment: …\n` + base64("Ed" ‖ kdf "Sc"|"\0\0" ‖ "B2" ‖
 *   salt[32] ‖ opslimit u64le ‖ memlimit u64le ‖ (keynum[8] ‖ seed[32] ‖ pk[32] ‖
 *   chk[32]) XOR scrypt(passphrase, salt)[104]); chk = BLAKE2b-256("Ed" ‖ keynum ‖ sk).
 * - signature: `untrusted comment: …\n` + base64("ED" ‖ keynum ‖ ed25519(BLAKE2b-512(file)))
 *   + `\ntrusted comment: …\n` + base64(ed25519(sig ‖ trusted comment)) + `\n`.
 * Key ids are shown as minisign shows them: the keynum read as a little-endian
 * u64, in uppercase hex (here always zero-padded to 16 digits).
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomBytes,
  scrypt,
  sign as signEd25519,
  timingSafeEqual,
  verify as verifyEd25519,
} from 'node:crypto';
import { computeBlake2b } from './blake2b.js';

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

/** Secret key material after decryption. Never log or serialise it. */
export interface MinisignSecretKey {
  keyId: string;
  keyNum: Uint8Array;
  seed: Uint8Array;
  publicKey: Uint8Array;
  /** True when the key file was encrypted with a passphrase. */
  encrypted: boolean;
}

/** scrypt cost, in libsodium's `crypto_pwhash_scryptsalsa208sha256` terms. */
export interface KdfLimits {
  opslimit: number;
  memlimit: number;
}

/** minisign's defaults (libsodium `…_OPSLIMIT_SENSITIVE` / `…_MEMLIMIT_SENSITIVE`). */
export const DEFAULT_KDF_LIMITS: KdfLimits = { opslimit: 33554432, memlimit: 1073741824 };

const ALG_PLAIN = 'Ed';
const ALG_HASHED = 'ED';
const KDF_SCRYPT = 'Sc';
const CHK_B2 = 'B2';
const UNTRUSTED_PREFIX = 'untrusted comment: ';
const TRUSTED_PREFIX = 'trusted comment: ';
const TRUSTED_COMMENT_MAX_BYTES = 8191;
const COMMENT_MAX_BYTES = 1023;
const KEYNUM_SK_BYTES = 104;
const SECRET_KEY_BYTES = 2 + 2 + 2 + 32 + 8 + 8 + KEYNUM_SK_BYTES;

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const encoder = new TextEncoder();

/** Show an 8-byte key number as minisign does: little-endian u64, uppercase hex, 16 digits. */
export function formatKeyId(keyNum: Uint8Array): string {
  return Buffer.from(keyNum).reverse().toString('hex').toUpperCase();
}

/** Turn a printed key id (up to 16 hex digits) back into its 8 key-number bytes. */
export function parseKeyId(keyId: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F]{1,16}$/.test(keyId)) return undefined;
  return new Uint8Array(Buffer.from(keyId.padStart(16, '0'), 'hex').reverse());
}

/** Normalise a user-typed key id (any case, optional leading zeros dropped) to 16 uppercase hex. */
export function normalizeKeyId(keyId: string): string | undefined {
  const cleaned = keyId.replace(/[\s:-]/g, '');
  return /^[0-9a-fA-F]{1,16}$/.test(cleaned) ? cleaned.padStart(16, '0').toUpperCase() : undefined;
}

/** Create the Ed25519 private KeyObject for a 32-byte seed. */
export function createEd25519PrivateKey(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new RangeError('Ed25519 seed must be 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** Create the Ed25519 public KeyObject for a raw 32-byte public key. */
export function createEd25519PublicKey(publicKey: Uint8Array): KeyObject {
  if (publicKey.length !== 32) throw new RangeError('Ed25519 public key must be 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** The raw 32-byte public key for a private KeyObject. */
export function derivePublicKey(privateKey: KeyObject): Uint8Array {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** BLAKE2b-512 of a message (minisign's prehash). */
export function hashBlake2b512(message: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('blake2b512').update(message).digest());
}

function splitLines(text: string): string[] {
  return text.replace(/\r\n/g, '\n').split('\n');
}

function decodeBase64Strict(line: string): Uint8Array | undefined {
  const trimmed = line.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || trimmed.length % 4 !== 0) return undefined;
  return new Uint8Array(Buffer.from(trimmed, 'base64'));
}

function readComment(line: string | undefined, prefix: string): string | undefined {
  if (line === undefined || !line.startsWith(prefix)) return undefined;
  return line.slice(prefix.length);
}

function checkComment(comment: string, maxBytes: number, what: string): void {
  if (/[\r\n]/.test(comment)) throw new RangeError(`${what} must be a single line`);
  if (encoder.encode(comment).length > maxBytes) throw new RangeError(`${what} is too long`);
}

/** Render a public key file (`stele.pub`), minisign format. */
export function formatPublicKeyFile(keyNum: Uint8Array, publicKey: Uint8Array, untrustedComment?: string): string {
  const comment = untrustedComment ?? `minisign public key ${formatKeyId(keyNum)}`;
  checkComment(comment, COMMENT_MAX_BYTES, 'untrusted comment');
  const body = Buffer.concat([Buffer.from(ALG_PLAIN, 'latin1'), keyNum, publicKey]).toString('base64');
  return `${UNTRUSTED_PREFIX}${comment}\n${body}\n`;
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
    const c = readComment(lines[0], UNTRUSTED_PREFIX);
    if (c === undefined) return { ok: false, reason: 'public key file must start with "untrusted comment:"' };
    comment = c;
    body = lines[1];
  }
  const bytes = body === undefined ? undefined : decodeBase64Strict(body);
  if (bytes?.length !== 42) return { ok: false, reason: 'public key is not 42 bytes of base64' };
  if (Buffer.from(bytes.subarray(0, 2)).toString('latin1') !== ALG_PLAIN) {
    return { ok: false, reason: 'unsupported public key algorithm' };
  }
  const keyNum = bytes.slice(2, 10);
  return {
    ok: true,
    value: { keyId: formatKeyId(keyNum), keyNum, publicKey: bytes.slice(10, 42), untrustedComment: comment },
  };
}

/** Parse a `.minisig` signature file. */
export function parseSignature(text: string): MinisignResult<MinisignSignature> {
  const lines = splitLines(text);
  const untrusted = readComment(lines[0], UNTRUSTED_PREFIX);
  if (untrusted === undefined) return { ok: false, reason: 'signature must start with "untrusted comment:"' };
  const sigBytes = lines[1] === undefined ? undefined : decodeBase64Strict(lines[1]);
  if (sigBytes?.length !== 74) return { ok: false, reason: 'signature line is not 74 bytes of base64' };
  const alg = Buffer.from(sigBytes.subarray(0, 2)).toString('latin1');
  if (alg !== ALG_HASHED && alg !== ALG_PLAIN) return { ok: false, reason: 'unsupported signature algorithm' };
  const trusted = readComment(lines[2], TRUSTED_PREFIX);
  if (trusted === undefined) return { ok: false, reason: 'signature has no trusted comment' };
  const global = lines[3] === undefined ? undefined : decodeBase64Strict(lines[3]);
  if (global?.length !== 64) return { ok: false, reason: 'global signature is not 64 bytes of base64' };
  if (lines.slice(4).some((l) => l.trim() !== '')) return { ok: false, reason: 'trailing data after the signature' };
  const keyNum = sigBytes.slice(2, 10);
  return {
    ok: true,
    value: {
      untrustedComment: untrusted,
      algorithm: alg as 'ED' | 'Ed',
      keyId: formatKeyId(keyNum),
      keyNum,
      signature: sigBytes.slice(10, 74),
      trustedComment: trusted,
      globalSignature: global,
    },
  };
}

/** Render a parsed signature back to its canonical `.minisig` text (to detect any change to the file). */
export function formatSignatureFile(sig: MinisignSignature): string {
  const sigLine = Buffer.concat([Buffer.from(sig.algorithm, 'latin1'), sig.keyNum, sig.signature]).toString('base64');
  return `${UNTRUSTED_PREFIX}${sig.untrustedComment}\n${sigLine}\n${TRUSTED_PREFIX}${sig.trustedComment}\n${Buffer.from(sig.globalSignature).toString('base64')}\n`;
}

/** Why a signature was not accepted. */
export type MinisignFailure = 'malformed' | 'wrong-key' | 'bad-signature';

/** The outcome of `verifyMinisign`. */
export type MinisignVerification =
  | { ok: true; keyId: string; trustedComment: string; signature: MinisignSignature }
  | { ok: false; failure: MinisignFailure; reason: string; keyId?: string };

/**
 * Verify a minisign signature (`.minisig` text) over `message` with a public key
 * (parsed, or the text of a `.pub` file). Checks the key id, the signature (prehashed
 * "ED" or legacy "Ed") and the global signature over the trusted comment, as `minisign -V` does.
 */
export function verifyMinisign(
  message: Uint8Array,
  sigText: string,
  publicKey: MinisignPublicKey | string,
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
  if (!timingSafeEqual(sig.keyNum, pk.keyNum)) {
    return {
      ok: false,
      failure: 'wrong-key',
      keyId: sig.keyId,
      reason: `signed with key ${sig.keyId}, expected key ${pk.keyId}`,
    };
  }
  const key = createEd25519PublicKey(pk.publicKey);
  const signed = sig.algorithm === ALG_HASHED ? hashBlake2b512(message) : message;
  if (!verifyEd25519(null, signed, key, sig.signature)) {
    return { ok: false, failure: 'bad-signature', keyId: sig.keyId, reason: 'signature does not match the file' };
  }
  const globalMessage = Buffer.concat([sig.signature, encoder.encode(sig.trustedComment)]);
  if (!verifyEd25519(null, globalMessage, key, sig.globalSignature)) {
    return { ok: false, failure: 'bad-signature', keyId: sig.keyId, reason: 'trusted comment signature does not match' };
  }
  return { ok: true, keyId: sig.keyId, trustedComment: sig.trustedComment, signature: sig };
}

/** Make a prehashed ("ED") minisign signature file. */
export function createMinisignSignature(
  privateKey: KeyObject,
  keyNum: Uint8Array,
  message: Uint8Array,
  trustedComment: string,
  untrustedComment = 'signature from minisign secret key',
): string {
  checkComment(trustedComment, TRUSTED_COMMENT_MAX_BYTES, 'trusted comment');
  checkComment(untrustedComment, COMMENT_MAX_BYTES, 'untrusted comment');
  const signature = signEd25519(null, hashBlake2b512(message), privateKey);
  const global = signEd25519(null, Buffer.concat([signature, encoder.encode(trustedComment)]), privateKey);
  const sigLine = Buffer.concat([Buffer.from(ALG_HASHED, 'latin1'), keyNum, signature]).toString('base64');
  return `${UNTRUSTED_PREFIX}${untrustedComment}\n${sigLine}\n${TRUSTED_PREFIX}${trustedComment}\n${global.toString('base64')}\n`;
}

/**
 * libsodium's `pickparams` for `crypto_pwhash_scryptsalsa208sha256`: turns
 * opslimit/memlimit into scrypt's N (as log2), r and p.
 */
export function pickScryptParams(limits: KdfLimits): { logN: number; r: number; p: number } {
  let opslimit = limits.opslimit;
  const memlimit = limits.memlimit;
  if (opslimit < 32768) opslimit = 32768;
  const r = 8;
  let logN = 1;
  let p: number;
  if (opslimit < memlimit / 32) {
    p = 1;
    const maxN = Math.floor(opslimit / (r * 4));
    for (logN = 1; logN < 63; logN++) if (2 ** logN > maxN / 2) break;
  } else {
    const maxN = Math.floor(memlimit / (r * 128));
    for (logN = 1; logN < 63; logN++) if (2 ** logN > maxN / 2) break;
    let maxrp = Math.floor(opslimit / 4 / 2 ** logN);
    if (maxrp > 0x3fffffff) maxrp = 0x3fffffff;
    p = Math.floor(maxrp / r);
  }
  return { logN, r, p };
}

function deriveKeyStream(passphrase: string, salt: Uint8Array, limits: KdfLimits, length: number): Promise<Buffer> {
  const { logN, r, p } = pickScryptParams(limits);
  const N = 2 ** logN;
  const maxmem = 128 * N * r + 128 * r * p + 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(passphrase, 'utf8'), salt, length, { N, r, p, maxmem }, (error, key) => {
      if (error) reject(new Error(`scrypt failed (N=2^${logN}, r=${r}, p=${p}): ${error.message}`));
      else resolve(key);
    });
  });
}

function computeChecksum(keyNum: Uint8Array, secret64: Uint8Array): Uint8Array {
  return computeBlake2b(Buffer.concat([Buffer.from(ALG_PLAIN, 'latin1'), keyNum, secret64]), 32);
}

function writeU64(view: DataView, offset: number, value: number): void {
  view.setBigUint64(offset, BigInt(value), true);
}

/** Options for `formatSecretKeyFile`. */
export interface SecretKeyFileOptions {
  keyNum: Uint8Array;
  seed: Uint8Array;
  /** Encrypt with this passphrase; omit for an unencrypted key (like `minisign -W`). */
  passphrase?: string;
  /** scrypt cost; defaults to minisign's. */
  limits?: KdfLimits;
  untrustedComment?: string;
}

/** Render a minisign secret key file, encrypted when a passphrase is given. */
export async function formatSecretKeyFile(options: SecretKeyFileOptions): Promise<string> {
  const { keyNum, seed } = options;
  const publicKey = derivePublicKey(createEd25519PrivateKey(seed));
  const encrypted = options.passphrase !== undefined;
  const limits = options.limits ?? DEFAULT_KDF_LIMITS;
  const out = new Uint8Array(SECRET_KEY_BYTES);
  const view = new DataView(out.buffer);
  out.set(encoder.encode(ALG_PLAIN), 0);
  if (encrypted) out.set(encoder.encode(KDF_SCRYPT), 2);
  out.set(encoder.encode(CHK_B2), 4);
  const secret64 = Buffer.concat([seed, publicKey]);
  const keynumSk = new Uint8Array(KEYNUM_SK_BYTES);
  keynumSk.set(keyNum, 0);
  keynumSk.set(secret64, 8);
  keynumSk.set(computeChecksum(keyNum, secret64), 72);
  if (encrypted) {
    const salt = randomBytes(32);
    out.set(salt, 6);
    writeU64(view, 38, limits.opslimit);
    writeU64(view, 46, limits.memlimit);
    const stream = await deriveKeyStream(options.passphrase as string, salt, limits, KEYNUM_SK_BYTES);
    for (let i = 0; i < KEYNUM_SK_BYTES; i++) keynumSk[i] ^= stream[i];
    stream.fill(0);
  }
  out.set(keynumSk, 54);
  keynumSk.fill(0);
  secret64.fill(0);
  const comment =
    options.untrustedComment ?? (encrypted ? 'minisign encrypted secret key' : 'minisign unencrypted secret key');
  checkComment(comment, COMMENT_MAX_BYTES, 'untrusted comment');
  const text = `${UNTRUSTED_PREFIX}${comment}\n${Buffer.from(out).toString('base64')}\n`;
  out.fill(0);
  return text;
}

/** True when a secret key file is encrypted (needs a passphrase). Undefined when unreadable. */
export function isSecretKeyEncrypted(text: string): boolean | undefined {
  const lines = splitLines(text);
  const bytes = lines[1] === undefined ? undefined : decodeBase64Strict(lines[1]);
  if (!bytes || bytes.length !== SECRET_KEY_BYTES) return undefined;
  return Buffer.from(bytes.subarray(2, 4)).toString('latin1') === KDF_SCRYPT;
}

/**
 * Read (and decrypt) a minisign secret key file. Fails with a reason (never
 * containing key material or the passphrase) when the file is unreadable or the
 * passphrase is wrong.
 */
export async function parseSecretKeyFile(text: string, passphrase?: string): Promise<MinisignResult<MinisignSecretKey>> {
  const lines = splitLines(text);
  if (readComment(lines[0], UNTRUSTED_PREFIX) === undefined) {
    return { ok: false, reason: 'secret key file must start with "untrusted comment:"' };
  }
  const bytes = lines[1] === undefined ? undefined : decodeBase64Strict(lines[1]);
  if (!bytes || bytes.length !== SECRET_KEY_BYTES) return { ok: false, reason: 'secret key is not in minisign format' };
  try {
    const header = Buffer.from(bytes.subarray(0, 6)).toString('latin1');
    const sigAlg = header.slice(0, 2);
    const kdfAlg = header.slice(2, 4);
    const chkAlg = header.slice(4, 6);
    if (sigAlg !== ALG_PLAIN) return { ok: false, reason: 'unsupported secret key algorithm' };
    if (chkAlg !== CHK_B2) return { ok: false, reason: 'unsupported secret key checksum algorithm' };
    const encrypted = kdfAlg === KDF_SCRYPT;
    if (!encrypted && kdfAlg !== '\0\0') return { ok: false, reason: 'unsupported key derivation algorithm' };
    const keynumSk = bytes.slice(54, 54 + KEYNUM_SK_BYTES);
    if (encrypted) {
      if (passphrase === undefined) return { ok: false, reason: 'the secret key is encrypted; a passphrase is needed' };
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      const opslimit = Number(view.getBigUint64(38, true));
      const memlimit = Number(view.getBigUint64(46, true));
      if (memlimit > 16 * 1024 ** 3) return { ok: false, reason: 'secret key asks for more than 16 GiB of scrypt memory' };
      const stream = await deriveKeyStream(passphrase, bytes.subarray(6, 38), { opslimit, memlimit }, KEYNUM_SK_BYTES);
      for (let i = 0; i < KEYNUM_SK_BYTES; i++) keynumSk[i] ^= stream[i];
      stream.fill(0);
    }
    const keyNum = keynumSk.slice(0, 8);
    const secret64 = keynumSk.subarray(8, 72);
    const checksum = keynumSk.subarray(72, 104);
    const unset = checksum.every((b) => b === 0);
    // minisign 0.11 leaves the checksum zeroed in unencrypted (-W) keys.
    if (encrypted || !unset) {
      if (!timingSafeEqual(computeChecksum(keyNum, secret64), checksum)) {
        keynumSk.fill(0);
        return {
          ok: false,
          reason: encrypted ? 'wrong passphrase for this secret key' : 'secret key checksum does not match',
        };
      }
    }
    const seed = keynumSk.slice(8, 40);
    const storedPublic = keynumSk.slice(40, 72);
    keynumSk.fill(0);
    const publicKey = derivePublicKey(createEd25519PrivateKey(seed));
    if (!timingSafeEqual(publicKey, storedPublic)) {
      seed.fill(0);
      return { ok: false, reason: 'secret key is corrupt (public half does not match)' };
    }
    return { ok: true, value: { keyId: formatKeyId(keyNum), keyNum, seed, publicKey, encrypted } };
  } finally {
    bytes.fill(0);
  }
}
