/**
 * The signing port. Stages that sign (seal, key rotation, revocation) receive a
 * `Signer`; the secret key lives only inside it (a non-enumerable KeyObject) and
 * never reaches output, logs or error messages.
 */
import { createHash, type KeyObject, randomBytes } from 'node:crypto';
import { createDiagnostic } from '../errors/catalogue.js';
import { SEAL_KEY_NOT_A_FILE, SEAL_KEY_PERMISSIONS } from '../errors/codes-seal.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { createNodeFileSystem, type FileSystem } from '../io/host.js';
import { formatKeyId, formatPublicKeyFile } from '../trust/minisign.js';
import { createEd25519PrivateKey, createMinisignSignature, derivePublicKey, isSecretKeyEncrypted, parseSecretKeyFile } from './minisign.js';

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
export async function loadSigner(options: { keyFile: string; passphrase?: string; fs?: FileSystem }): Promise<LoadSignerResult> {
  const read = await readSecretKeyFile(options.keyFile, options.fs);
  if (!read.ok) return { ok: false, reason: read.missing ? `no secret key at ${options.keyFile}` : `${read.diagnostic.message} ${read.diagnostic.hint ?? ''}`.trim() };
  return loadSignerFromText(read.text, options.passphrase);
}

/** The outcome of `readSecretKeyFile`. */
export type ReadSecretKeyResult = { ok: true; text: string } | { ok: false; missing: true } | { ok: false; missing?: false; diagnostic: Diagnostic };

/**
 * Read a secret key file, refusing what ssh refuses: a path that is not a file
 * (a folder: STELE5014) and an unencrypted key that other users can read or
 * change (`mode & 0o077`: STELE5013, with the `chmod 600` to run). `path` is
 * followed through symbolic links. Diagnostics name the path, never the key.
 */
export async function readSecretKeyFile(path: string, fs: FileSystem = createNodeFileSystem(), displayPath = path): Promise<ReadSecretKeyResult> {
  let real: string;
  try {
    real = await fs.realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, missing: true };
    return { ok: false, diagnostic: createDiagnostic(SEAL_KEY_NOT_A_FILE, { file: displayPath }, path, `path that cannot be read (${code})`) };
  }
  const info = await fs.stat(real);
  if (!info) return { ok: false, missing: true };
  if (info.kind !== 'file') {
    return { ok: false, diagnostic: createDiagnostic(SEAL_KEY_NOT_A_FILE, { file: displayPath }, path, info.kind === 'dir' ? 'folder' : 'special file') };
  }
  let text: string;
  try {
    text = await fs.readText(real);
  } catch (error) {
    return { ok: false, diagnostic: createDiagnostic(SEAL_KEY_NOT_A_FILE, { file: displayPath }, path, `file that cannot be read (${(error as NodeJS.ErrnoException).code})`) };
  }
  if ((info.mode & 0o077) !== 0 && isSecretKeyEncrypted(text) === false) {
    return { ok: false, diagnostic: createDiagnostic(SEAL_KEY_PERMISSIONS, { file: displayPath }, path, `0${(info.mode & 0o777).toString(8)}`) };
  }
  return { ok: true, text };
}
