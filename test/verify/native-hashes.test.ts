/** verify's node:crypto digests are the trust core's portable ones, byte for byte. */
import { describe, expect, it } from 'vitest';
import { parseManifest, serializeManifest } from '../../src/trust/manifest.js';
import { hashBlake2b512, verifyMinisign } from '../../src/trust/minisign.js';
import { hashSha256Hex } from '../../src/trust/release-log.js';
import { hashBlake2b512Native, hashManifestSha256 } from '../../src/verify/native-hashes.js';
import { SIGNER, sealFixture } from './fixture.js';

describe('native digests', () => {
  it('BLAKE2b-512 through node:crypto equals the trust core’s for empty, short, block-sized and long inputs', () => {
    expect(hashBlake2b512Native).toBeDefined();
    for (const size of [0, 1, 127, 128, 129, 1000, 300_001]) {
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 31 + size) & 0xff);
      expect(Buffer.from(hashBlake2b512Native!(bytes)).toString('hex')).toBe(Buffer.from(hashBlake2b512(bytes)).toString('hex'));
    }
  });

  it('a manifest signature verifies with the native prehash, and a changed manifest does not', () => {
    const out = sealFixture();
    const manifest = out.get('.well-known/stele/manifest.json')!;
    const sig = new TextDecoder().decode(out.get('.well-known/stele/manifest.json.minisig')!);
    expect(verifyMinisign(manifest, sig, SIGNER.publicKeyFile, { blake2b512: hashBlake2b512Native })).toMatchObject({ ok: true });
    const changed = Uint8Array.from(manifest);
    changed[changed.length - 2] ^= 1;
    expect(verifyMinisign(changed, sig, SIGNER.publicKeyFile, { blake2b512: hashBlake2b512Native })).toMatchObject({ ok: false, failure: 'bad-signature' });
  });

  it('the manifest SHA-256 is the trust core’s SHA-256 of its bytes, which stele writes in canonical form', () => {
    const out = sealFixture();
    const bytes = out.get('.well-known/stele/manifest.json')!;
    const parsed = parseManifest(new TextDecoder().decode(bytes));
    if (!parsed.ok) throw new Error('fixture manifest does not parse');
    expect(hashManifestSha256(bytes)).toBe(hashSha256Hex(bytes));
    expect(hashManifestSha256(bytes)).toBe(hashSha256Hex(new TextEncoder().encode(serializeManifest(parsed.manifest))));
    for (const size of [0, 1, 63, 64, 65, 300_001]) {
      const other = Uint8Array.from({ length: size }, (_, i) => (i * 17 + size) & 0xff);
      expect(hashManifestSha256(other)).toBe(hashSha256Hex(other));
    }
  });
});
