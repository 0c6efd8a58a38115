/**
 * The secret half of minisign: secret key files (scrypt-encrypted) and signing.
 * Public keys, signature parsing and verification are the trust core's
 * (`src/trust/minisign.ts`); BLAKE2b comes from @noble/hashes.
 *
 * Format (from jedisct1/minisign `minisign.h`, checked against minisign 0.11):
 * - secret key: `untrusted comment: …\n` + base64("Ed" ‖ kdf "Sc"|"\0\0" ‖ "B2" ‖
 *   salt[32] ‖ opslimit u64le ‖ memlimit u64le ‖ (keynum[8] ‖ seed[32] ‖ pk[32] ‖
 *   chk[32]) XOR scrypt(passphrase, salt)[104]); chk = BLAKE2b-256("Ed" ‖ keynum ‖ sk).
 */
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, scrypt, sign as signEd25519, timingSafeEqual } from 'node:crypto';
import { blake2b } from '@noble/hashes/blake2.js';
import {
  assertComment,
  formatKeyId,
  hashBlake2b512,
  MINISIGN_ALG_HASHED,
  MINISIGN_ALG_PLAIN,
  type MinisignResult,
  TRUSTED_COMMENT_MAX_BYTES,
  TRUSTED_COMMENT_PREFIX,
  UNTRUSTED_COMMENT_MAX_BYTES,
  UNTRUSTED_COMMENT_PREFIX,
} from '../trust/minisign.js';
import { decodeBase64Strict } from '../trust/bytes.js';

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

const ALG_PLAIN = MINISIGN_ALG_PLAIN;
const ALG_HASHED = MINISIGN_ALG_HASHED;
const UNTRUSTED_PREFIX = UNTRUSTED_COMMENT_PREFIX;
const TRUSTED_PREFIX = TRUSTED_COMMENT_PREFIX;
const COMMENT_MAX_BYTES = UNTRUSTED_COMMENT_MAX_BYTES;
const KDF_SCRYPT = 'Sc';
const CHK_B2 = 'B2';
const KEYNUM_SK_BYTES = 104;
const SECRET_KEY_BYTES = 2 + 2 + 2 + 32 + 8 + 8 + KEYNUM_SK_BYTES;

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const encoder = new TextEncoder();

/** Create the Ed25519 private KeyObject for a 32-byte seed. */
export function createEd25519PrivateKey(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new RangeError('Ed25519 seed must be 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The raw 32-byte public key for a private KeyObject. */
export function derivePublicKey(privateKey: KeyObject): Uint8Array {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

function splitLines(text: string): string[] {
  return text.replace(/\r\n/g, '\n').split('\n');
}

function readComment(line: string | undefined, prefix: string): string | undefined {
  if (line === undefined || !line.startsWith(prefix)) return undefined;
  return line.slice(prefix.length);
}

/** Make a prehashed ("ED") minisign signature file. */
export function createMinisignSignature(
  privateKey: KeyObject,
  keyNum: Uint8Array,
  message: Uint8Array,
  trustedComment: string,
  untrustedComment = 'signature from minisign secret key',
): string {
  assertComment(trustedComment, TRUSTED_COMMENT_MAX_BYTES, 'trusted comment');
  assertComment(untrustedComment, COMMENT_MAX_BYTES, 'untrusted comment');
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
  return blake2b(Buffer.concat([Buffer.from(ALG_PLAIN, 'latin1'), keyNum, secret64]), { dkLen: 32 });
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
  assertComment(comment, COMMENT_MAX_BYTES, 'untrusted comment');
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
