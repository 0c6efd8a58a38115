/**
 * The signing port. Stages that sign (seal, key rotation, revocation) receive a
 * `Signer`; the secret key lives only inside it (a non-enumerable KeyObject) and
 * never reaches output, logs or error messages.
 */
import { createHash, type KeyObject, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { formatKeyId, formatPublicKeyFile } from '../trust/minisign.js';
import { createEd25519PrivateKey, createMinisignSignature, derivePublicKey, parseSecretKeyFile } from './minisign.js';

/** Signs messages with one minisign key. */
export interface Signer {
  /** 16 uppercase hex digits, as minisign prints it. */
  keyId: string;
  /** The matching public key file text (`stele.pub`). */
  publicKeyFile: string;
  /** Sign `message`; returns the `.minisig` file text (prehashed "ED" signature). */
  sign(message: Uint8Array, trustedComment: string, untrustedComment?: string): string;
}

/** The outcome of `loadSigner`: a signer, or why the key could not be used (no secrets in `reason`). */
export type LoadSignerResult = { ok: true; signer: Signer } | { ok: false; reason: string };

function makeSigner(privateKey: KeyObject, keyNum: Uint8Array): Signer {
  const publicKey = derivePublicKey(privateKey);
  const keyId = formatKeyId(keyNum);
  const publicKeyFile = formatPublicKeyFile(keyNum, publicKey, `minisign public key ${keyId}`);
  const signer: Signer = {
    keyId,
    publicKeyFile,
    sign: (message, trustedComment, untrustedComment) =>
      createMinisignSignature(
        privateKey,
        keyNum,
        message,
        trustedComment,
        untrustedComment ?? `signature from stele key ${keyId}`,
      ),
  };
  return Object.freeze(signer);
}

/**
 * A signer for a 32-byte Ed25519 seed (tests, fixtures). The key number defaults to
 * the first 8 bytes of SHA-256 of the public key, so the same seed gives the same key id.
 */
export function createSignerFromSeed(seed: Uint8Array, keyNum?: Uint8Array): Signer {
  const privateKey = createEd25519PrivateKey(seed);
  const num = keyNum ?? new Uint8Array(createHash('sha256').update(derivePublicKey(privateKey)).digest().subarray(0, 8));
  if (num.length !== 8) throw new RangeError('key number must be 8 bytes');
  return makeSigner(privateKey, num);
}

/** A fresh random key: seed and key number (caller must not log them). */
export function generateKeyMaterial(): { seed: Uint8Array; keyNum: Uint8Array } {
  return { seed: new Uint8Array(randomBytes(32)), keyNum: new Uint8Array(randomBytes(8)) };
}

/** Load a signer from secret key text (minisign format), decrypting with `passphrase` when encrypted. */
export async function loadSignerFromText(text: string, passphrase?: string): Promise<LoadSignerResult> {
  const parsed = await parseSecretKeyFile(text, passphrase);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const { seed, keyNum } = parsed.value;
  const privateKey = createEd25519PrivateKey(seed);
  seed.fill(0);
  return { ok: true, signer: makeSigner(privateKey, keyNum) };
}

/** Load a signer from a minisign secret key file (`stele.key`, or one made by `minisign -G`). */
export async function loadSigner(options: { keyFile: string; passphrase?: string }): Promise<LoadSignerResult> {
  let text: string;
  try {
    text = await readFile(options.keyFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: code === 'ENOENT' ? `no secret key at ${options.keyFile}` : `cannot read ${options.keyFile} (${code})`,
    };
  }
  return loadSignerFromText(text, options.passphrase);
}
