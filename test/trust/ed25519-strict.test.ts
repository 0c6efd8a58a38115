/**
 * Signature checks stay strict (RFC 8032 without ZIP-215 leniency) with the trust core's
 * smaller base-point table (`ed25519.Point.BASE.precompute(4)` in `minisign.ts`): a genuine
 * signature verifies, a malleated S (S + L) and a small-order public key that "verifies"
 * any message are refused.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../src/trust/bytes.js';
import { formatPublicKeyFile, formatSignatureFile, hashBlake2b512, parseSignature, verifyMinisign } from '../../src/trust/minisign.js';
import { SIGNER } from '../verify/fixture.js';

/** The order of the base point. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function encodeScalar(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

function decodeScalar(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

describe('strict Ed25519 in verifyMinisign', () => {
  const message = encodeUtf8('{"files":[]}\n');

  it('verifies a genuine signature and refuses the same one with S + L', () => {
    const text = SIGNER.sign(message, 'stele test');
    expect(verifyMinisign(message, text, SIGNER.publicKeyFile)).toMatchObject({ ok: true });
    const parsed = parseSignature(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    const sig = parsed.value;
    const malleated = Uint8Array.from(sig.signature);
    malleated.set(encodeScalar(decodeScalar(sig.signature.subarray(32)) + L), 32);
    expect(verifyMinisign(message, formatSignatureFile({ ...sig, signature: malleated }), SIGNER.publicKeyFile)).toMatchObject({
      ok: false,
      failure: 'bad-signature',
    });
  });

  it('refuses a small-order public key, whose made-up signature satisfies the equation for any message', () => {
    // The identity point as a public key: R = [s]B, S = s satisfies [S]B = R + [k]A for every k.
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const s = 1234567891011121314n;
    const forged = new Uint8Array(64);
    forged.set(ed25519.Point.BASE.multiply(s).toBytes(), 0);
    forged.set(encodeScalar(s), 32);
    // Lenient (ZIP-215) rules accept it: the check below is what refuses it.
    expect(ed25519.verify(forged, hashBlake2b512(message), identity, { zip215: true })).toBe(true);
    const keyNum = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const publicKeyFile = formatPublicKeyFile(keyNum, identity);
    const parsed = parseSignature(SIGNER.sign(message, 'stele test'));
    if (!parsed.ok) throw new Error(parsed.reason);
    const text = formatSignatureFile({ ...parsed.value, keyNum, keyId: '0807060504030201', signature: forged, globalSignature: forged });
    expect(verifyMinisign(message, text, publicKeyFile)).toMatchObject({ ok: false, failure: 'bad-signature' });
  });
});
