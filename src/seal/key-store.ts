/**
 * Key files on disk (a key folder holding `stele.pub` and `stele.key`), and the
 * rotation and revocation records kept next to them, read and written through
 * the `FileSystem` port (`options.fs`, the real disk when left out). The secret
 * key is created with mode 0600 and never over an existing file (the port's
 * `writeFile(…, { mode: 0o600, exclusive: true })`), then renamed into place.
 *
 * Layout of a key folder:
 * - `stele.pub`, `stele.key` — the current pair (minisign format).
 * - `stele.pub.<KEYID>.old`, `stele.key.<KEYID>.old` — replaced pairs.
 * - `rotations/<NEWKEYID>.pub` + `.pub.minisig` — each new public key signed by the previous key.
 * - `revoked-keys.json` + `.minisig` — revoked key ids, signed by the current key.
 * - `timestamp.pub`, `timestamp.key` — the online timestamp key (optional; TUF's
 *   timestamp role): delegated by the main key in `channels.json`, it signs only
 *   `timestamp.json`, so a cron job can keep a site fresh with the main key offline.
 */
import { join } from 'node:path';
import { createNodeFileSystem, type FileSystem } from '../io/host.js';
import { encodeUtf8 } from '../trust/bytes.js';
import {
  formatRevokedKeysComment,
  formatRotationComment,
  parseRevokedKeys,
  type RevokedKey,
  type RevokedKeysDocument,
  serializeRevokedKeys,
  verifyRevokedKeys as verifyRevokedKeyBytes,
} from '../trust/keys.js';
import { normalizeKeyId, parsePublicKey } from '../trust/minisign.js';
import { formatSecretKeyFile, type KdfLimits } from './minisign.js';
import { createSignerFromSeed, generateKeyMaterial, loadSigner, type Signer } from './signer.js';

/** File name of the public key in a key folder. */
export const PUBLIC_KEY_FILE = 'stele.pub';
/** File name of the secret key in a key folder. */
export const SECRET_KEY_FILE = 'stele.key';
/** File name of the online timestamp key's public half (`stele keygen --timestamp`). */
export const TIMESTAMP_PUBLIC_KEY_FILE = 'timestamp.pub';
/** File name of the online timestamp key's secret half (signs only `timestamp.json`). */
export const TIMESTAMP_SECRET_KEY_FILE = 'timestamp.key';
/** File name of the signed revocation list in a key folder. */
export const REVOKED_KEYS_FILE = 'revoked-keys.json';
/** Folder (inside a key folder) of rotation links. */
export const ROTATIONS_DIR = 'rotations';

/** Outcome of a key-folder operation; `reason` never contains key material or passphrases. */
export type KeyStoreResult<T> = { ok: true; value: T } | { ok: false; code: 'exists' | 'invalid' | 'io'; reason: string };

async function writeSecretFile(fs: FileSystem, path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await fs.rm(tmp);
  await fs.writeFile(tmp, text, { mode: 0o600, exclusive: true });
  await fs.chmod(tmp, 0o600);
  await fs.rename(tmp, path);
}

async function writePublicFile(fs: FileSystem, path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await fs.writeFile(tmp, text, { mode: 0o644 });
  await fs.rename(tmp, path);
}

/** Options for `createKeyFiles`. */
export interface CreateKeyFilesOptions {
  dir: string;
  /** The file system the key folder is on (default: the real disk). */
  fs?: FileSystem;
  /** Encrypt the secret key with this passphrase. Required unless `unencrypted`. */
  passphrase?: string;
  unencrypted?: boolean;
  /** Overwrite an existing pair. */
  force?: boolean;
  /** scrypt cost (defaults to minisign's 1 GiB / 2^25 ops). */
  limits?: KdfLimits;
  /** `timestamp`: the online timestamp key (`timestamp.pub`, `timestamp.key`) instead of the main pair. */
  role?: 'main' | 'timestamp';
}

/**
 * Create `stele.pub` and `stele.key` in `dir` (or `timestamp.pub` and `timestamp.key`
 * for `role: 'timestamp'`). Refuses to overwrite without `force`.
 */
export async function createKeyFiles(
  options: CreateKeyFilesOptions,
): Promise<KeyStoreResult<{ keyId: string; publicKeyPath: string; secretKeyPath: string }>> {
  const fs = options.fs ?? createNodeFileSystem();
  const timestamp = options.role === 'timestamp';
  const publicKeyPath = join(options.dir, timestamp ? TIMESTAMP_PUBLIC_KEY_FILE : PUBLIC_KEY_FILE);
  const secretKeyPath = join(options.dir, timestamp ? TIMESTAMP_SECRET_KEY_FILE : SECRET_KEY_FILE);
  if (!options.unencrypted && !options.passphrase) {
    return { ok: false, code: 'invalid', reason: 'a passphrase is required for an encrypted key' };
  }
  if (!options.force && ((await fs.exists(publicKeyPath)) || (await fs.exists(secretKeyPath)))) {
    return { ok: false, code: 'exists', reason: `a ${timestamp ? 'timestamp ' : ''}key already exists in ${options.dir}` };
  }
  const { seed, keyNum } = generateKeyMaterial();
  try {
    const signer = createSignerFromSeed(seed, keyNum);
    const secretText = await formatSecretKeyFile({
      seed,
      keyNum,
      passphrase: options.unencrypted ? undefined : options.passphrase,
      limits: options.limits,
      untrustedComment: `stele ${options.unencrypted ? 'UNENCRYPTED' : 'encrypted'} ${timestamp ? 'timestamp' : 'secret'} key`,
    });
    await fs.mkdir(options.dir);
    await writeSecretFile(fs, secretKeyPath, secretText);
    await writePublicFile(fs, publicKeyPath, signer.publicKeyFile);
    return { ok: true, value: { keyId: signer.keyId, publicKeyPath, secretKeyPath } };
  } catch (error) {
    return { ok: false, code: 'io', reason: `cannot write keys in ${options.dir}: ${(error as Error).message}` };
  } finally {
    seed.fill(0);
  }
}

/** Options for `rotateKeyFiles`. */
export interface RotateKeyFilesOptions {
  dir: string;
  /** The file system the key folder is on (default: the real disk). */
  fs?: FileSystem;
  /** Passphrase of the current (old) key. */
  passphrase?: string;
  /** Passphrase for the new key (defaults to the old one). */
  newPassphrase?: string;
  unencrypted?: boolean;
  now: Date;
  limits?: KdfLimits;
}

/**
 * Replace the key pair in `dir` with a new one. The new public key is signed by the
 * old secret key (`rotations/<NEW>.pub.minisig`), so verifiers who pinned the old key
 * can follow; the old pair is kept as `stele.pub.<OLD>.old` / `stele.key.<OLD>.old`.
 */
export async function rotateKeyFiles(
  options: RotateKeyFilesOptions,
): Promise<KeyStoreResult<{ oldKeyId: string; newKeyId: string; rotationPath: string }>> {
  const fs = options.fs ?? createNodeFileSystem();
  const loaded = await loadSigner({ keyFile: join(options.dir, SECRET_KEY_FILE), passphrase: options.passphrase, fs });
  if (!loaded.ok) return { ok: false, code: 'invalid', reason: loaded.reason };
  const old = loaded.signer;
  const newPassphrase = options.newPassphrase ?? options.passphrase;
  if (!options.unencrypted && !newPassphrase) {
    return { ok: false, code: 'invalid', reason: 'a passphrase is required for the new key' };
  }
  const { seed, keyNum } = generateKeyMaterial();
  try {
    const next = createSignerFromSeed(seed, keyNum);
    const secretText = await formatSecretKeyFile({
      seed,
      keyNum,
      passphrase: options.unencrypted ? undefined : newPassphrase,
      limits: options.limits,
      untrustedComment: options.unencrypted ? 'stele UNENCRYPTED secret key' : 'stele encrypted secret key',
    });
    const rotations = join(options.dir, ROTATIONS_DIR);
    await fs.mkdir(rotations);
    const rotationPub = join(rotations, `${next.keyId}.pub`);
    const rotationSig = `${rotationPub}.minisig`;
    await writePublicFile(fs, rotationPub, next.publicKeyFile);
    await writePublicFile(fs, 
      rotationSig,
      old.sign(
        new TextEncoder().encode(next.publicKeyFile),
        formatRotationComment(old.keyId, next.keyId, options.now),
        `stele key rotation ${old.keyId} -> ${next.keyId}`,
      ),
    );
    await fs.rename(join(options.dir, PUBLIC_KEY_FILE), join(options.dir, `${PUBLIC_KEY_FILE}.${old.keyId}.old`));
    await fs.rename(join(options.dir, SECRET_KEY_FILE), join(options.dir, `${SECRET_KEY_FILE}.${old.keyId}.old`));
    await writeSecretFile(fs, join(options.dir, SECRET_KEY_FILE), secretText);
    await writePublicFile(fs, join(options.dir, PUBLIC_KEY_FILE), next.publicKeyFile);
    return { ok: true, value: { oldKeyId: old.keyId, newKeyId: next.keyId, rotationPath: rotationSig } };
  } catch (error) {
    return { ok: false, code: 'io', reason: `cannot rotate keys in ${options.dir}: ${(error as Error).message}` };
  } finally {
    seed.fill(0);
  }
}

/** Sign a revocation list with `signer`; returns the JSON and `.minisig` texts. */
export function signRevokedKeys(signer: Signer, revoked: readonly RevokedKey[], now: Date): { json: string; signature: string } {
  const json = serializeRevokedKeys({ stele: 1, signedBy: signer.keyId, updated: now.toISOString(), revoked: [...revoked] });
  const signature = signer.sign(
    new TextEncoder().encode(json),
    formatRevokedKeysComment(signer.keyId, revoked.length, now),
  );
  return { json, signature };
}

/** Options for `revokeKeyFiles`. */
export interface RevokeKeyFilesOptions {
  dir: string;
  /** The file system the key folder is on (default: the real disk). */
  fs?: FileSystem;
  keyId: string;
  reason: string;
  passphrase?: string;
  now: Date;
}

/**
 * Add `keyId` to the folder's signed `revoked-keys.json` (re-signed with the current key).
 * Revoking the current key is refused: rotate first, then revoke the old id.
 */
export async function revokeKeyFiles(options: RevokeKeyFilesOptions): Promise<KeyStoreResult<{ revoked: RevokedKey[] }>> {
  const fs = options.fs ?? createNodeFileSystem();
  const keyId = normalizeKeyId(options.keyId);
  if (!keyId) return { ok: false, code: 'invalid', reason: `"${options.keyId}" is not a key id (16 hex digits)` };
  const reason = options.reason.trim();
  if (!reason || /[\r\n]/.test(reason)) return { ok: false, code: 'invalid', reason: 'give a one-line --reason' };
  const loaded = await loadSigner({ keyFile: join(options.dir, SECRET_KEY_FILE), passphrase: options.passphrase, fs });
  if (!loaded.ok) return { ok: false, code: 'invalid', reason: loaded.reason };
  const signer = loaded.signer;
  if (keyId === signer.keyId) {
    return {
      ok: false,
      code: 'invalid',
      reason: `${keyId} is the current key; run \`stele key rotate\` first, then revoke the old key id`,
    };
  }
  const path = join(options.dir, REVOKED_KEYS_FILE);
  let revoked: RevokedKey[] = [];
  if (await fs.exists(path)) {
    const doc = parseRevokedKeys(await fs.readText(path));
    if (!doc) return { ok: false, code: 'invalid', reason: `${path} is not a stele revocation list` };
    revoked = doc.revoked;
  }
  if (!revoked.some((r) => r.keyId === keyId)) {
    revoked.push({ keyId, date: options.now.toISOString(), reason });
  }
  const { json, signature } = signRevokedKeys(signer, revoked, options.now);
  try {
    await writePublicFile(fs, path, json);
    await writePublicFile(fs, `${path}.minisig`, signature);
  } catch (error) {
    return { ok: false, code: 'io', reason: `cannot write ${path}: ${(error as Error).message}` };
  }
  return { ok: true, value: { revoked } };
}

/** Rotation links and the revocation list, ready for `sealSite` to publish. */
export interface KeyPublications {
  rotations: { keyId: string; publicKeyFile: string; signature: string }[];
  revokedKeys?: { json: string; signature: string; entries: RevokedKey[] };
}

/**
 * Read what a key folder has to publish (rotation links, revocation list). Invalid
 * or unverifiable entries are skipped: only files that parse are returned.
 */
export async function readKeyPublications(dir: string, fs: FileSystem = createNodeFileSystem()): Promise<KeyPublications> {
  const out: KeyPublications = { rotations: [] };
  const rotationsDir = join(dir, ROTATIONS_DIR);
  const names = (await fs.listEntries(rotationsDir))
    .filter((e) => (e.kind === 'file' || e.kind === 'symlink') && /^[0-9A-F]{16}\.pub$/.test(e.name))
    .map((e) => e.name)
    .sort();
  for (const name of names) {
    const publicKeyFile = await fs.readText(join(rotationsDir, name));
    const signature = await fs.readText(join(rotationsDir, `${name}.minisig`)).catch(() => undefined);
    const parsed = parsePublicKey(publicKeyFile);
    if (signature && parsed.ok && `${parsed.value.keyId}.pub` === name) {
      out.rotations.push({ keyId: parsed.value.keyId, publicKeyFile, signature });
    }
  }
  const revokedPath = join(dir, REVOKED_KEYS_FILE);
  if (await fs.exists(revokedPath)) {
    const json = await fs.readText(revokedPath);
    const signature = await fs.readText(`${revokedPath}.minisig`).catch(() => undefined);
    const doc = parseRevokedKeys(json);
    if (doc && signature) out.revokedKeys = { json, signature, entries: doc.revoked };
  }
  return out;
}

/** Verify a revocation list against the public key file that should have signed it. */
export function verifyRevokedKeys(json: string, signature: string, publicKeyFile: string): RevokedKeysDocument | undefined {
  return verifyRevokedKeyBytes(encodeUtf8(json), signature, publicKeyFile);
}
