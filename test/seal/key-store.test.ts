import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createKeyFiles,
  readKeyPublications,
  revokeKeyFiles,
  rotateKeyFiles,
  verifyRevokedKeys,
} from '../../src/seal/key-store.js';
import { loadSigner, type Signer } from '../../src/seal/signer.js';
import { parsePublicKey } from '../../src/trust/minisign.js';
import { readTrustStore } from '../../src/verify/trust-store.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { cleanupTempDirs, makeTempDir, NOW, OTHER_SIGNER, readLogLines, writeSealedFixture } from '../verify/fixture.js';

afterAll(cleanupTempDirs);
const FAST_KDF = { opslimit: 1 << 16, memlimit: 1 << 22 };
const PASS = 'quiet river 42';
const later = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

async function signerFrom(dir: string, passphrase = PASS): Promise<Signer> {
  const loaded = await loadSigner({ keyFile: join(dir, 'stele.key'), passphrase });
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.signer;
}

describe('key files', () => {
  it('creates an encrypted pair, mode 0600, and never overwrites without force', async () => {
    const dir = makeTempDir('stele-keys-');
    const made = await createKeyFiles({ dir, passphrase: PASS, limits: FAST_KDF });
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    expect(made.value.keyId).toMatch(/^[0-9A-F]{16}$/);
    expect(statSync(join(dir, 'stele.key')).mode & 0o777).toBe(0o600);
    const pub = parsePublicKey(readFileSync(join(dir, 'stele.pub'), 'utf8'));
    expect(pub.ok && pub.value.keyId).toBe(made.value.keyId);
    expect((await signerFrom(dir)).keyId).toBe(made.value.keyId);
    const wrong = await loadSigner({ keyFile: join(dir, 'stele.key'), passphrase: 'nope' });
    expect(wrong).toEqual({ ok: false, reason: 'wrong passphrase for this secret key' });
    const before = readFileSync(join(dir, 'stele.key'), 'utf8');
    const again = await createKeyFiles({ dir, passphrase: PASS, limits: FAST_KDF });
    expect(again).toMatchObject({ ok: false, code: 'exists' });
    expect(readFileSync(join(dir, 'stele.key'), 'utf8')).toBe(before);
    const forced = await createKeyFiles({ dir, passphrase: PASS, limits: FAST_KDF, force: true });
    expect(forced.ok && forced.value.keyId).not.toBe(made.value.keyId);
  });

  it('refuses an encrypted key without a passphrase; unencrypted keys load without one', async () => {
    const dir = makeTempDir('stele-keys-');
    expect(await createKeyFiles({ dir })).toMatchObject({ ok: false, code: 'invalid' });
    const made = await createKeyFiles({ dir, unencrypted: true });
    expect(made.ok).toBe(true);
    expect((await loadSigner({ keyFile: join(dir, 'stele.key') })).ok).toBe(true);
  });
});

describe('rotation and revocation', () => {
  it('verifiers who pinned the old key follow a published rotation chain', async () => {
    const dir = makeTempDir('stele-keys-');
    await createKeyFiles({ dir, passphrase: PASS, limits: FAST_KDF });
    const first = await signerFrom(dir);
    const store = makeTempDir('stele-trust-');
    const v1 = writeSealedFixture({ signer: first, version: 1 });
    expect((await verifySite(v1, { trustStoreDir: store, now: NOW })).status).toBe('genuine');

    const r1 = await rotateKeyFiles({ dir, passphrase: PASS, now: later(1), limits: FAST_KDF });
    expect(r1.ok).toBe(true);
    const r2 = await rotateKeyFiles({ dir, passphrase: PASS, now: later(2), limits: FAST_KDF });
    expect(r2.ok).toBe(true);
    if (!r1.ok || !r2.ok) return;
    expect(r1.value.oldKeyId).toBe(first.keyId);
    expect(existsSync(join(dir, `stele.pub.${first.keyId}.old`))).toBe(true);
    const current = await signerFrom(dir);
    expect(current.keyId).toBe(r2.value.newKeyId);
    const sig = readFileSync(r2.value.rotationPath, 'utf8');
    expect(sig).toContain(`trusted comment: stele rotation from=${r1.value.newKeyId} to=${r2.value.newKeyId}`);

    const keys = await readKeyPublications(dir);
    expect(keys.rotations.map((r) => r.keyId).sort()).toEqual([r1.value.newKeyId, r2.value.newKeyId].sort());
    // The release log goes on across the rotation: the new key appends to the old key's history.
    const site = writeSealedFixture({ signer: current, version: 2, keys, now: later(2), log: readLogLines(v1) });
    // Pinned by flag to the first key: two hops.
    const pinned = await verifySite(site, { publicKey: first.publicKeyFile, trustStoreDir: false, now: later(2) });
    expect(pinned.problems).toEqual([]);
    // TOFU store pinned the first key: accepted, and the store moves to the new key.
    const tofu = await verifySite(site, { trustStoreDir: store, now: later(2) });
    expect(tofu.status).toBe('genuine');
    expect((await readTrustStore(store))?.sites['rights-watch'].keyId).toBe(current.keyId);
    // Without the rotation links the change is loud.
    const bare = writeSealedFixture({ signer: current, version: 2, now: later(2) });
    const loud = await verifySite(bare, { publicKey: first.publicKeyFile, trustStoreDir: false, now: later(2) });
    expect(loud.problems).toContainEqual(expect.objectContaining({ kind: 'wrong-key' }));
  });

  it('a rotation link signed by a stranger is not followed', async () => {
    const dir = makeTempDir('stele-keys-');
    await createKeyFiles({ dir, passphrase: PASS, limits: FAST_KDF });
    const pinnedSigner = await signerFrom(dir);
    const store = makeTempDir('stele-trust-');
    await verifySite(writeSealedFixture({ signer: pinnedSigner, version: 1 }), { trustStoreDir: store, now: NOW });
    // Attacker publishes their own key with a "rotation" signed by their own key.
    const forged = {
      rotations: [
        {
          keyId: OTHER_SIGNER.keyId,
          publicKeyFile: OTHER_SIGNER.publicKeyFile,
          signature: OTHER_SIGNER.sign(
            new TextEncoder().encode(OTHER_SIGNER.publicKeyFile),
            `stele rotation from=${pinnedSigner.keyId} to=${OTHER_SIGNER.keyId} date=${NOW.toISOString()}`,
          ),
        },
      ],
    };
    const site = writeSealedFixture({ signer: OTHER_SIGNER, version: 2, keys: forged });
    const report = await verifySite(site, { trustStoreDir: store, now: NOW });
    expect(report.status).toBe('not-genuine');
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'key-changed', actual: OTHER_SIGNER.keyId }));
  });

  it('revoked keys are published, remembered, and rejected afterwards', async () => {
    const dir = makeTempDir('stele-keys-');
    await createKeyFiles({ dir, passphrase: PASS, limits: FAST_KDF });
    const old = await signerFrom(dir);
    const store = makeTempDir('stele-trust-');
    const v1 = writeSealedFixture({ signer: old, version: 1 });
    await verifySite(v1, { trustStoreDir: store, now: NOW });
    await rotateKeyFiles({ dir, passphrase: PASS, now: later(1), limits: FAST_KDF });
    const current = await signerFrom(dir);
    expect(await revokeKeyFiles({ dir, keyId: current.keyId, reason: 'x', passphrase: PASS, now: later(1) })).toMatchObject({ ok: false });
    const revoked = await revokeKeyFiles({ dir, keyId: old.keyId.toLowerCase(), reason: 'laptop seized', passphrase: PASS, now: later(1) });
    expect(revoked.ok).toBe(true);
    const json = readFileSync(join(dir, 'revoked-keys.json'), 'utf8');
    expect(verifyRevokedKeys(json, readFileSync(join(dir, 'revoked-keys.json.minisig'), 'utf8'), current.publicKeyFile)?.revoked).toEqual([
      { keyId: old.keyId, date: later(1).toISOString(), reason: 'laptop seized' },
    ]);
    const keys = await readKeyPublications(dir);
    const genuine = await verifySite(writeSealedFixture({ signer: current, version: 2, keys, now: later(1), log: readLogLines(v1) }), {
      trustStoreDir: store,
      now: later(1),
    });
    expect(genuine.status).toBe('genuine');
    expect((await readTrustStore(store))?.sites['rights-watch'].revokedKeys).toEqual([old.keyId]);
    // The thief signs a new version with the old key.
    const stolen = await verifySite(writeSealedFixture({ signer: old, version: 3, now: later(3) }), {
      trustStoreDir: store,
      now: later(3),
    });
    expect(stolen.status).toBe('not-genuine');
    expect(stolen.problems).toContainEqual(expect.objectContaining({ kind: 'wrong-key', actual: old.keyId }));
    // Even with the old key given explicitly, the remembered revocation holds.
    const explicit = await verifySite(writeSealedFixture({ signer: old, version: 3, now: later(3) }), {
      publicKey: old.publicKeyFile,
      trustStoreDir: store,
      now: later(3),
    });
    expect(explicit.problems).toContainEqual(expect.objectContaining({ kind: 'wrong-key', message: expect.stringMatching(/revoked/) }));
  });

  it('a damaged revocation list is not published', async () => {
    const dir = makeTempDir('stele-keys-');
    writeFileSync(join(dir, 'revoked-keys.json'), 'garbage');
    writeFileSync(join(dir, 'revoked-keys.json.minisig'), 'garbage');
    expect((await readKeyPublications(dir)).revokedKeys).toBeUndefined();
  });
});
