/**
 * A PNG made of separately compressed runs of rows, for images that share most
 * of their rows (preview cards: one background, a title on a few rows). Each
 * run of scanlines (a filter byte, then the pixels) is deflated on its own by
 * node:zlib and ends on a byte boundary (a sync flush), so runs compressed once
 * can be joined with runs compressed for each image into one zlib stream: a
 * header, the runs, an empty final block and the Adler-32 of all the rows
 * (combined from each run's own). The container is written here, an 8-bit
 * palette image: signature, IHDR, PLTE, one IDAT, IEND, and nothing else (no
 * transparency, text, time, size or profile).
 */
import { constants, createDeflateRaw, type DeflateRaw, deflateRawSync } from 'node:zlib';

/** A run of scanlines, deflated: its compressed bytes, the Adler-32 of its rows and their length. */
export interface DeflatedRows {
  deflated: Uint8Array;
  adler: number;
  length: number;
}

/**
 * zlib levels: 7 for runs compressed once and kept (level 9 is three times
 * slower on flat rows for 6% fewer bytes), 5 for runs compressed for each image
 * (on a card's palette title rows a third faster than 6 for 1.6% more bytes;
 * level 3 is twice as fast again, for 14% more).
 */
const KEPT = { level: 7, finishFlush: constants.Z_SYNC_FLUSH };
const EACH = { level: 5 };

const ADLER_BASE = 65521;

/** Adler-32 of `data` (the zlib stream's checksum of the uncompressed bytes). */
export function computeAdler32(data: Uint8Array, adler = 1): number {
  let a = adler & 0xffff;
  let b = adler >>> 16;
  for (let i = 0; i < data.length; ) {
    // 5552 bytes is the most that can be summed before b may overflow 2^32 (zlib's NMAX).
    const end = Math.min(i + 5552, data.length);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= ADLER_BASE;
    b %= ADLER_BASE;
  }
  return ((b << 16) | a) >>> 0;
}

/** Adler-32 of two byte strings one after the other, from the checksum of each and the second's length (zlib's adler32_combine). */
export function combineAdler32(first: number, second: number, secondLength: number): number {
  const rem = secondLength % ADLER_BASE;
  let sum1 = first & 0xffff;
  let sum2 = (rem * sum1) % ADLER_BASE;
  sum1 += (second & 0xffff) + ADLER_BASE - 1;
  sum2 += (first >>> 16) + (second >>> 16) + ADLER_BASE - rem;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum2 >= ADLER_BASE * 2) sum2 -= ADLER_BASE * 2;
  if (sum2 >= ADLER_BASE) sum2 -= ADLER_BASE;
  return ((sum2 << 16) | sum1) >>> 0;
}

/**
 * Adler-32 of bytes some of which changed, from their checksum before, the sum
 * of the changes (new − old) and the sum of each change times the number of
 * bytes from it to the end (length − index): the checksum is linear in each byte.
 */
export function updateAdler32(adler: number, changes: number, weightedChanges: number): number {
  const mod = (n: number) => ((n % ADLER_BASE) + ADLER_BASE) % ADLER_BASE;
  return ((mod((adler >>> 16) + weightedChanges) << 16) | mod((adler & 0xffff) + changes)) >>> 0;
}

/** Deflate a run of scanlines in the calling thread, once, to keep it. */
export function deflateRowsSync(rows: Uint8Array): DeflatedRows {
  return { deflated: deflateRawSync(rows, KEPT), adler: computeAdler32(rows), length: rows.length };
}

/** A deflater of runs of scanlines, one run at a time, kept from image to image. */
export interface RowDeflater {
  /**
   * Deflate `rows` on libuv's thread pool (`rows` must not change until it
   * resolves); `adler`, when the caller knows it, is their Adler-32.
   */
  deflate(rows: Uint8Array, adler?: number): Promise<DeflatedRows>;
}

/**
 * A deflater for the runs compressed for each image, one per image being made
 * at once: its zlib state (about 256 KB) is made once and reset after each run
 * (deflateReset: the same bytes as a fresh stream, whatever it compressed
 * before). A fresh state for each run costs more than the compression in it:
 * the memory is new to the pool thread each time (1.4–2.1 ms against 0.7 ms of
 * CPU for a card's title rows).
 */
export function createRowDeflater(): RowDeflater {
  let stream: DeflateRaw | undefined;
  return {
    deflate(rows, adler = computeAdler32(rows)) {
      if (!stream) stream = createDeflateRaw(EACH);
      const current = stream;
      return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        const onData = (chunk: Buffer) => chunks.push(chunk);
        let settled = false;
        const fail = (error: Error) => {
          if (settled) return;
          settled = true;
          current.off('data', onData);
          // A stream that failed is not used again.
          if (stream === current) stream = undefined;
          current.destroy();
          reject(error);
        };
        current.on('data', onData);
        current.once('error', fail);
        current.write(rows);
        // The flush ends the run on a byte boundary; every chunk of it has come as 'data' when its callback runs.
        current.flush(constants.Z_SYNC_FLUSH, (error?: Error | null) => {
          if (error) return fail(error);
          if (settled) return;
          settled = true;
          current.off('data', onData);
          current.off('error', fail);
          current.reset();
          resolve({ deflated: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), adler, length: rows.length });
        });
      });
    },
  };
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 of a chunk's type and data (the PNG specification's CRC, the same as zlib's crc32). */
export function computeCrc32(data: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * An 8-bit palette PNG (colour type 3, opaque) from the deflated runs of its
 * scanlines, top to bottom (together exactly `height` rows of `1 + width` bytes
 * each: a filter byte 0–4 (0, none, is the PNG specification's advice for
 * palette images), then one palette index a pixel, each below the palette's
 * length); `palette` is 1–256 RGB triples. Runs of no rows are left out.
 */
export function createPalettePng(width: number, height: number, palette: Uint8Array, runs: readonly DeflatedRows[]): Uint8Array {
  if (palette.length === 0 || palette.length > 768 || palette.length % 3 !== 0) throw new RangeError(`a PNG palette is 1 to 256 RGB triples, not ${palette.length} bytes`);
  let length = 0;
  let adler = 1;
  runs = runs.filter((run) => run.length > 0);
  for (const run of runs) {
    length += run.deflated.length;
    adler = combineAdler32(adler, run.adler, run.length);
  }
  // zlib header 78 DA (32 KiB window, maximum compression), runs, an empty final fixed-Huffman block (03 00), Adler-32.
  const idatLength = 2 + length + 2 + 4;
  const png = new Uint8Array(SIGNATURE.length + 25 + 12 + palette.length + 12 + idatLength + 12);
  const view = new DataView(png.buffer);
  png.set(SIGNATURE);
  let at = SIGNATURE.length;
  const chunk = (type: string, dataLength: number, write: (at: number) => void) => {
    view.setUint32(at, dataLength);
    for (let i = 0; i < 4; i++) png[at + 4 + i] = type.charCodeAt(i);
    write(at + 8);
    view.setUint32(at + 8 + dataLength, computeCrc32(png.subarray(at + 4, at + 8 + dataLength)));
    at += 12 + dataLength;
  };
  chunk('IHDR', 13, (p) => {
    view.setUint32(p, width);
    view.setUint32(p + 4, height);
    // Bit depth 8, colour type 3 (palette), deflate, adaptive filtering (per-row filter bytes), no interlace.
    png.set([8, 3, 0, 0, 0], p + 8);
  });
  chunk('PLTE', palette.length, (p) => png.set(palette, p));
  chunk('IDAT', idatLength, (p) => {
    png.set([0x78, 0xda], p);
    let q = p + 2;
    for (const run of runs) {
      png.set(run.deflated, q);
      q += run.deflated.length;
    }
    png.set([0x03, 0x00], q);
    view.setUint32(q + 2, adler);
  });
  chunk('IEND', 0, () => {});
  return png;
}
