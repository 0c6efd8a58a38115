import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSecretKeyFile, pickScryptParams } from '../../src/seal/minisign.js';
import { hashBlake2b512, parsePublicKey, verifyMinisign } from '../../src/trust/minisign.js';
import { createSignerFromSeed, generateKeyMaterial, loadSigner } from '../../src/seal/signer.js';

const MINISIGN = '/usr/bin/minisign';
const FAST_KDF = { opslimit: 1 << 16, memlimit: 1 << 22 };
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'stele-minisign-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function minisign(args: string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync(MINISIGN, args, { input: input ?? '', encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const enc = new TextEncoder();

describe('BLAKE2b-512 prehash (trust core, @noble/hashes)', () => {
  it('matches node blake2b512 across block boundaries', () => {
    for (const n of [0, 1, 127, 128, 129, 256, 1000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 255);
      expect(Buffer.from(hashBlake2b512(data)).toString('hex')).toBe(createHash('blake2b512').update(data).digest('hex'));
    }
  });
});

describe('scrypt parameters', () => {
  it("picks libsodium's N, r, p for minisign's defaults", () => {
    expect(pickScryptParams({ opslimit: 33554432, memlimit: 1073741824 })).toEqual({ logN: 20, r: 8, p: 1 });
  });
  it('uses the opslimit branch when memory is plentiful', () => {
    expect(pickScryptParams({ opslimit: 1 << 16, memlimit: 1 << 30 })).toEqual({ logN: 11, r: 8, p: 1 });
  });
});

describe('interoperability with minisign 0.11', () => {
  it('minisign verifies a file signed by a stele key', () => {
    const dir = tempDir();
    const { seed, keyNum } = generateKeyMaterial();
    const signer = createSignerFromSeed(seed, keyNum);
    const file = join(dir, 'page.html');
    const data = enc.encode('<!doctype html><p>genuine</p>\n');
    writeFileSync(file, data);
    writeFileSync(join(dir, 'stele.pub'), signer.publicKeyFile);
    writeFileSync(`${file}.minisig`, signer.sign(data, 'stele test comment'));
    const ok = minisign(['-Vm', file, '-p', join(dir, 'stele.pub')]);
    expect(ok.status, ok.out).toBe(0);
    expect(ok.out).toContain('stele test comment');
    writeFileSync(file, '<!doctype html><p>defaced</p>\n');
    expect(minisign(['-Vm', file, '-p', join(dir, 'stele.pub')]).status).not.toBe(0);
  });

  it('a sealed manifest and channels.json verify with stock minisign', async () => {
    const { sealFixture, writeOutput, SIGNER } = await import('../verify/fixture.js');
    const dir = tempDir();
    writeOutput(sealFixture(), dir);
    writeFileSync(join(dir, 'stele.pub'), SIGNER.publicKeyFile);
    for (const f of ['manifest.json', 'channels.json']) {
      const r = minisign(['-Vm', join(dir, '.well-known/stele', f), '-p', join(dir, 'stele.pub')]);
      expect(r.status, r.out).toBe(0);
    }
    const r = minisign(['-Vm', join(dir, '.well-known/stele/manifest.json'), '-p', join(dir, '.well-known/stele/stele.pub')]);
    expect(r.out).toContain('stele site=rights-watch version=3');
  });

  it('stele verifies a signature made by minisign -G -W / -S, and signs with that key', async () => {
    const dir = tempDir();
    const pub = join(dir, 'm.pub');
    const key = join(dir, 'm.key');
    expect(minisign(['-G', '-W', '-p', pub, '-s', key]).status).toBe(0);
    const file = join(dir, 'doc.txt');
    writeFileSync(file, 'signed by real minisign\n');
    const signed = minisign(['-S', '-s', key, '-m', file, '-t', 'made by minisign']);
    expect(signed.status, signed.out).toBe(0);
    const result = verifyMinisign(readFileSync(file), readFileSync(`${file}.minisig`, 'utf8'), readFileSync(pub, 'utf8'));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.trustedComment).toBe('made by minisign');
    const tampered = verifyMinisign(enc.encode('signed by real minisigN\n'), readFileSync(`${file}.minisig`, 'utf8'), readFileSync(pub, 'utf8'));
    expect(tampered).toMatchObject({ ok: false, failure: 'bad-signature' });

    const loaded = await loadSigner({ keyFile: key });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const pk = parsePublicKey(readFileSync(pub, 'utf8'));
    expect(pk.ok && pk.value.keyId).toBe(loaded.signer.keyId);
    const other = join(dir, 'other.txt');
    writeFileSync(other, 'signed by stele with a minisign key\n');
    writeFileSync(`${other}.minisig`, loaded.signer.sign(readFileSync(other), 'stele with minisign key'));
    const check = minisign(['-Vm', other, '-p', pub]);
    expect(check.status, check.out).toBe(0);
  });

  it('minisign signs with secret keys written by stele (encrypted and unencrypted)', async () => {
    const dir = tempDir();
    for (const passphrase of [undefined, 'correct horse battery staple']) {
      const { seed, keyNum } = generateKeyMaterial();
      const signer = createSignerFromSeed(seed, keyNum);
      const keyFile = join(dir, `k-${passphrase ? 'enc' : 'plain'}.key`);
      writeFileSync(keyFile, await formatSecretKeyFile({ seed, keyNum, passphrase, limits: FAST_KDF }));
      const pubFile = join(dir, `k-${passphrase ? 'enc' : 'plain'}.pub`);
      writeFileSync(pubFile, signer.publicKeyFile);
      const file = join(dir, `f-${passphrase ? 'enc' : 'plain'}.txt`);
      writeFileSync(file, 'hello');
      const args = ['-S', '-s', keyFile, '-m', file, '-t', 'by minisign with a stele key'];
      const signed = minisign(passphrase ? args : [...args, '-W'], passphrase ? `${passphrase}\n` : undefined);
      expect(signed.status, signed.out).toBe(0);
      const result = verifyMinisign(enc.encode('hello'), readFileSync(`${file}.minisig`, 'utf8'), signer.publicKeyFile);
      expect(result.ok).toBe(true);
    }
  });

  it('decrypts a password-protected key made by minisign -G (default 1 GiB scrypt)', async () => {
    const dir = tempDir();
    const pub = join(dir, 'e.pub');
    const key = join(dir, 'e.key');
    const password = 'minisign-pw-Zq81';
    const gen = minisign(['-G', '-p', pub, '-s', key], `${password}\n${password}\n`);
    expect(gen.status, gen.out).toBe(0);
    // One decryption at minisign's real cost (a wrong passphrase is tested at low cost in key-store.test.ts).
    const loaded = await loadSigner({ keyFile: key, passphrase: password });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const pk = parsePublicKey(readFileSync(pub, 'utf8'));
    expect(pk.ok && pk.value.keyId).toBe(loaded.signer.keyId);
    const file = join(dir, 'x.bin');
    writeFileSync(file, new Uint8Array([0, 1, 2, 255]));
    writeFileSync(`${file}.minisig`, loaded.signer.sign(readFileSync(file), 'decrypted by stele'));
    const check = minisign(['-Vm', file, '-p', pub]);
    expect(check.status, check.out).toBe(0);
    // Real 1 GiB scrypt twice (minisign's and ours): generous, as a loaded CI machine needs.
  }, 600_000);
});
