/**
 * The Merkle tree of RFC 9162 (Certificate Transparency v2, section 2.1) over
 * SHA-256: leaf and node hashes, tree heads, and inclusion and consistency
 * proofs (generation and verification, the algorithms of sections 2.1.3 and
 * 2.1.4). Pure and browser-safe: hashing is @noble/hashes, no Node imports.
 *
 * Hashes of sub-ranges come from a {@link RangeHasher} so a verifier can build
 * proofs from partial data (a few tiles and entry bundles) instead of the whole log.
 */
import { sha256 } from '@noble/hashes/sha2.js';

/** SHA-256 output length. */
export const HASH_BYTES = 32;

const LEAF_PREFIX = new Uint8Array([0]);
const NODE_PREFIX = new Uint8Array([1]);

/** The Merkle tree hash of `D[start:end]` (RFC 9162 `MTH`), for `0 <= start < end`. */
export type RangeHasher = (start: number, end: number) => Uint8Array;

/** Thrown by a {@link RangeHasher} that lacks the data for a range. */
export class MissingLogDataError extends Error {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    super(`log data for entries ${start}..${end - 1} is not available`);
    this.name = 'MissingLogDataError';
  }
}

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** `SHA-256(0x00 || data)`: the hash of one log entry. */
export function hashLeaf(data: Uint8Array): Uint8Array {
  return sha256(concat(LEAF_PREFIX, data));
}

/** `SHA-256(0x01 || left || right)`: the hash of an interior node. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concat(NODE_PREFIX, left, right));
}

/** The largest power of two strictly smaller than `n` (`n >= 2`). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** True for 1, 2, 4, 8, … */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/**
 * The Merkle tree hash over already-hashed nodes (`nodes[i]` is the hash of the
 * i-th subtree). With leaf hashes it is RFC 9162's `MTH`; with the hashes of
 * equal, aligned, power-of-two subtrees it is the hash of their union.
 * The empty tree hashes to `SHA-256("")`.
 */
export function hashNodes(nodes: readonly Uint8Array[], start = 0, end = nodes.length): Uint8Array {
  const n = end - start;
  if (n === 0) return sha256(new Uint8Array(0));
  if (n === 1) return nodes[start];
  const k = splitPoint(n);
  return hashChildren(hashNodes(nodes, start, start + k), hashNodes(nodes, start + k, end));
}

/** A {@link RangeHasher} over every leaf hash of the tree held in memory. */
export function createLeafRangeHasher(leaves: readonly Uint8Array[]): RangeHasher {
  return (start, end) => {
    if (start < 0 || end > leaves.length || start >= end) throw new MissingLogDataError(start, end);
    return hashNodes(leaves, start, end);
  };
}

function checkSizes(index: number, size: number): void {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`index ${index} is not inside a tree of size ${size}`);
  }
}

/**
 * The inclusion proof of leaf `index` in the tree of `size` leaves
 * (RFC 9162 2.1.3.1, `PATH(m, D[n])`), nearest sibling first.
 */
export function createInclusionProof(index: number, size: number, hashRange: RangeHasher): Uint8Array[] {
  checkSizes(index, size);
  const proof: Uint8Array[] = [];
  const walk = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, start + k);
      proof.push(hashRange(start + k, end));
    } else {
      walk(m - k, start + k, end);
      proof.push(hashRange(start, start + k));
    }
  };
  walk(index, 0, size);
  return proof;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Verify an inclusion proof (RFC 9162 2.1.3.2). */
export function verifyInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

/**
 * The consistency proof between the tree of `first` leaves and the tree of
 * `second` leaves (RFC 9162 2.1.4.1, `PROOF(m, D[n])`), for `0 < first < second`.
 */
export function createConsistencyProof(first: number, second: number, hashRange: RangeHasher): Uint8Array[] {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first <= 0 || first >= second) {
    throw new RangeError(`no consistency proof from size ${first} to size ${second}`);
  }
  const proof: Uint8Array[] = [];
  const sub = (m: number, start: number, end: number, complete: boolean): void => {
    const n = end - start;
    if (m === n) {
      if (!complete) proof.push(hashRange(start, end));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      sub(m, start, start + k, complete);
      proof.push(hashRange(start + k, end));
    } else {
      sub(m - k, start + k, end, false);
      proof.push(hashRange(start, start + k));
    }
  };
  sub(first, 0, second, true);
  return proof;
}

/**
 * Verify that the tree of `second` leaves with root `secondRoot` extends the tree
 * of `first` leaves with root `firstRoot` (RFC 9162 2.1.4.2). Equal sizes need
 * equal roots and an empty proof; size 0 is extended by every tree.
 */
export function verifyConsistencyProof(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (first === 0) return proof.length === 0;
  if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return equal(fr, firstRoot) && equal(sr, secondRoot) && sn === 0;
}

/**
 * A {@link RangeHasher} from partial data, as a verifier holds it: `tiles[i]` is
 * the hash of the i-th full bundle of `bundleSize` leaves (the "level 1 tile" of
 * C2SP tlog-tiles), and `bundles` maps a bundle index to the leaf hashes of that
 * bundle. A range inside a held bundle is hashed from its leaves; an aligned
 * power-of-two range of whole bundles from the tiles; anything else is split as
 * RFC 9162 splits it. Throws {@link MissingLogDataError} when neither covers a range.
 */
export function createTiledRangeHasher(options: {
  bundleSize: number;
  tiles: readonly Uint8Array[];
  bundles: ReadonlyMap<number, readonly Uint8Array[]>;
}): RangeHasher {
  const { bundleSize, tiles, bundles } = options;
  if (!isPowerOfTwo(bundleSize)) throw new RangeError('bundle size must be a power of two');
  const hashRange: RangeHasher = (start, end) => {
    if (start < 0 || start >= end) throw new MissingLogDataError(start, end);
    const n = end - start;
    const bundle = Math.floor(start / bundleSize);
    if (Math.floor((end - 1) / bundleSize) === bundle) {
      const leaves = bundles.get(bundle);
      const from = start - bundle * bundleSize;
      const to = end - bundle * bundleSize;
      if (leaves && leaves.length >= to) return hashNodes(leaves, from, to);
      if (n === bundleSize && bundle < tiles.length) return tiles[bundle];
      throw new MissingLogDataError(start, end);
    }
    if (isPowerOfTwo(n) && start % n === 0 && end / bundleSize <= tiles.length) {
      return hashNodes(tiles, start / bundleSize, end / bundleSize);
    }
    const k = splitPoint(n);
    return hashChildren(hashRange(start, start + k), hashRange(start + k, end));
  };
  return hashRange;
}
