import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  createConsistencyProof,
  createInclusionProof,
  createLeafRangeHasher,
  createTiledRangeHasher,
  hashChildren,
  hashLeaf,
  hashNodes,
  MissingLogDataError,
  verifyConsistencyProof,
  verifyInclusionProof,
} from '../../src/trust/merkle.js';

const leavesOf = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => hashLeaf(utf8ToBytes(`entry ${i}`)));

/** The RFC 9162 definition of MTH, written as directly as possible (the reference). */
function referenceMth(data: Uint8Array[]): Uint8Array {
  if (data.length === 0) return sha256(new Uint8Array(0));
  if (data.length === 1) return hashLeaf(data[0]);
  let k = 1;
  while (k * 2 < data.length) k *= 2;
  return hashChildren(referenceMth(data.slice(0, k)), referenceMth(data.slice(k)));
}

describe('RFC 9162 Merkle tree', () => {
  it('hashes leaves and nodes with the 0x00 / 0x01 domain prefixes', () => {
    // Known answers: SHA-256(0x00) and SHA-256(0x01 || h || h).
    expect(bytesToHex(hashLeaf(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    const h = hashLeaf(new Uint8Array(0));
    const expected = sha256(new Uint8Array([1, ...h, ...h]));
    expect(bytesToHex(hashChildren(h, h))).toBe(bytesToHex(expected));
    expect(bytesToHex(hashNodes([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('matches the RFC definition of MTH for every size up to 40', () => {
    for (let n = 0; n <= 40; n++) {
      const data = Array.from({ length: n }, (_, i) => utf8ToBytes(`d${i}`));
      expect(bytesToHex(hashNodes(data.map(hashLeaf)))).toBe(bytesToHex(referenceMth(data)));
    }
  });

  it('RFC 6962 test vector: the root of the 8 standard leaves', () => {
    // The leaves used by the Certificate Transparency reference tests (certificate-transparency-go merkle tests).
    const inputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
    const leaves = inputs.map((h) => hashLeaf(hexToBytes(h)));
    expect(bytesToHex(hashNodes(leaves))).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
    expect(bytesToHex(hashNodes(leaves.slice(0, 1)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(bytesToHex(hashNodes(leaves.slice(0, 3)))).toBe('aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77');
    expect(bytesToHex(hashNodes(leaves.slice(0, 5)))).toBe('4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4');
  });

  it('inclusion proofs verify for every leaf of small trees and fail for the wrong leaf, index or root', () => {
    for (let n = 1; n <= 33; n++) {
      const leaves = leavesOf(n);
      const root = hashNodes(leaves);
      const hasher = createLeafRangeHasher(leaves);
      for (let i = 0; i < n; i++) {
        const proof = createInclusionProof(i, n, hasher);
        expect(verifyInclusionProof(i, n, leaves[i], proof, root)).toBe(true);
        if (n > 1) {
          expect(verifyInclusionProof(i, n, leaves[(i + 1) % n], proof, root)).toBe(false);
          expect(verifyInclusionProof((i + 1) % n, n, leaves[i], proof, root)).toBe(false);
        }
        expect(verifyInclusionProof(i, n, leaves[i], proof, hashNodes(leaves, 0, Math.max(1, n - 1)))).toBe(n === 1);
      }
    }
  });

  it('consistency proofs verify between every pair of sizes up to 33', () => {
    const leaves = leavesOf(33);
    const hasher = createLeafRangeHasher(leaves);
    for (let n = 2; n <= 33; n++) {
      const rootN = hashNodes(leaves, 0, n);
      for (let m = 1; m < n; m++) {
        const rootM = hashNodes(leaves, 0, m);
        const proof = createConsistencyProof(m, n, hasher);
        expect(verifyConsistencyProof(m, n, rootM, rootN, proof)).toBe(true);
        // A different old tree (a rewritten past entry) does not verify.
        const forged = hashNodes([hashLeaf(utf8ToBytes('forged')), ...leaves.slice(1, m)]);
        expect(verifyConsistencyProof(m, n, forged, rootN, proof)).toBe(false);
      }
    }
  });

  it('edge cases: equal sizes need equal roots, size 0 is extended by anything, bad arguments fail', () => {
    const leaves = leavesOf(5);
    const r5 = hashNodes(leaves);
    expect(verifyConsistencyProof(5, 5, r5, r5, [])).toBe(true);
    expect(verifyConsistencyProof(5, 5, r5, hashNodes(leaves, 0, 4), [])).toBe(false);
    expect(verifyConsistencyProof(0, 5, new Uint8Array(32), r5, [])).toBe(true);
    expect(verifyConsistencyProof(6, 5, r5, r5, [])).toBe(false);
    expect(verifyConsistencyProof(3, 5, hashNodes(leaves, 0, 3), r5, [])).toBe(false);
    expect(() => createConsistencyProof(0, 5, createLeafRangeHasher(leaves))).toThrow(RangeError);
    expect(() => createInclusionProof(5, 5, createLeafRangeHasher(leaves))).toThrow(RangeError);
  });
});

describe('tiled range hasher', () => {
  const BUNDLE = 4;
  function tiledFor(leaves: Uint8Array[], held: number[]) {
    const tiles: Uint8Array[] = [];
    for (let b = 0; (b + 1) * BUNDLE <= leaves.length; b++) tiles.push(hashNodes(leaves, b * BUNDLE, (b + 1) * BUNDLE));
    const bundles = new Map<number, Uint8Array[]>();
    for (const b of held) bundles.set(b, leaves.slice(b * BUNDLE, (b + 1) * BUNDLE));
    return createTiledRangeHasher({ bundleSize: BUNDLE, tiles, bundles });
  }

  it('gives the root from tiles and the last bundle only', () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = leavesOf(n);
      const last = Math.floor((n - 1) / BUNDLE);
      expect(bytesToHex(tiledFor(leaves, [last])(0, n))).toBe(bytesToHex(hashNodes(leaves)));
    }
  });

  it('throws MissingLogDataError when the data is not held', () => {
    const leaves = leavesOf(10);
    expect(() => tiledFor(leaves, [])(0, 10)).toThrow(MissingLogDataError);
    expect(() => tiledFor(leaves, [2])(1, 3)).toThrow(MissingLogDataError);
  });

  it('property: proofs built from tiles plus the bundles a verifier fetches equal proofs from every leaf', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 140 }), fc.integer({ min: 1, max: 139 }), (n, mRaw) => {
        const m = 1 + (mRaw % (n - 1));
        const leaves = leavesOf(n);
        const last = Math.floor((n - 1) / BUNDLE);
        const first = Math.floor((m - 1) / BUNDLE);
        const held = Array.from({ length: last - first + 1 }, (_, i) => first + i);
        const tiled = tiledFor(leaves, held);
        const full = createLeafRangeHasher(leaves);
        const a = createConsistencyProof(m, n, tiled).map(bytesToHex);
        const b = createConsistencyProof(m, n, full).map(bytesToHex);
        expect(a).toEqual(b);
        expect(
          verifyConsistencyProof(m, n, hashNodes(leaves, 0, m), hashNodes(leaves), a.map((h) => hexToBytes(h))),
        ).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('properties', () => {
  it('any tampered proof hash fails consistency verification', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 1, max: 199 }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (n, mRaw, which, bit) => {
          const m = 1 + (mRaw % (n - 1));
          const leaves = leavesOf(n);
          const proof = createConsistencyProof(m, n, createLeafRangeHasher(leaves));
          const i = which % proof.length;
          const bad = proof.map((p) => p.slice());
          bad[i][bit % 32] ^= 1 << (bit % 8);
          expect(verifyConsistencyProof(m, n, hashNodes(leaves, 0, m), hashNodes(leaves), bad)).toBe(false);
          expect(verifyConsistencyProof(m, n, hashNodes(leaves, 0, m), hashNodes(leaves), proof.slice(0, -1))).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a tree with any changed past leaf is not consistent with the original', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 120 }), fc.nat(), fc.nat(), (n, mRaw, changedRaw) => {
        const m = 1 + (mRaw % (n - 1));
        const changed = changedRaw % m;
        const leaves = leavesOf(n);
        const forged = leaves.slice();
        forged[changed] = hashLeaf(utf8ToBytes('rewritten'));
        const proof = createConsistencyProof(m, n, createLeafRangeHasher(forged));
        expect(verifyConsistencyProof(m, n, hashNodes(leaves, 0, m), hashNodes(forged), proof)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('inclusion proofs have at most ceil(log2 n) hashes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.nat(), (n, iRaw) => {
        const i = iRaw % n;
        const leaves = leavesOf(Math.min(n, 1));
        const hasher = (s: number, e: number) => hashLeaf(utf8ToBytes(`${s}-${e}-${leaves.length}`));
        const proof = createInclusionProof(i, n, hasher);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
      }),
      { numRuns: 200 },
    );
  });
});
