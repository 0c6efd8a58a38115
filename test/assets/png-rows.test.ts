/**
 * Palette PNGs joined from separately deflated runs of rows (preview cards):
 * the checksums agree with zlib's, the stream inflates with its Adler-32
 * checked, every chunk's CRC is right, and decoders see exactly the palette's
 * colours of the indices the rows held.
 */
import { constants, crc32, deflateRawSync, deflateSync, inflateRawSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { combineAdler32, computeAdler32, computeCrc32, createPalettePng, createRowDeflater, deflateRowsSync, updateAdler32 } from '../../src/assets/png-rows.js';

/** zlib's own Adler-32 of `data`: the last four bytes of a zlib stream. */
function zlibAdler32(data: Uint8Array): number {
  const z = deflateSync(data, { level: 0 });
  return z.readUInt32BE(z.length - 4);
}

/** The chunks of a PNG: type, data, and whether the stored CRC is that of type and data. */
function readChunks(png: Uint8Array): { type: string; data: Uint8Array; crcOk: boolean }[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const body = png.subarray(at + 4, at + 8 + length);
    chunks.push({ type: String.fromCharCode(...body.subarray(0, 4)), data: body.subarray(4), crcOk: view.getUint32(at + 8 + length) === crc32(body) });
    at += 12 + length;
  }
  return chunks;
}

describe('PNG from runs of rows', () => {
  it('computes Adler-32 and CRC-32 as zlib does, combines Adler-32 of two parts into that of both and follows it through changed bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20_000 }), fc.uint8Array({ maxLength: 20_000 }), (a, b) => {
        const both = Buffer.concat([a, b]);
        expect(computeAdler32(both)).toBe(zlibAdler32(both));
        expect(combineAdler32(computeAdler32(a), computeAdler32(b), b.length)).toBe(zlibAdler32(both));
        expect(computeCrc32(both)).toBe(crc32(both));
      }),
      { numRuns: 60 },
    );
    // Changing bytes: the checksum follows from the changes alone.
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 50_000 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 300 }), (data, edits) => {
        const changed = Uint8Array.from(data);
        let changes = 0;
        let weighted = 0;
        for (const [at, value] of edits) {
          const i = at % changed.length;
          const d = value - changed[i]!;
          changed[i] = value;
          changes += d;
          weighted += (changed.length - i) * d;
        }
        expect(updateAdler32(computeAdler32(data), changes, weighted)).toBe(zlibAdler32(changed));
      }),
      { numRuns: 60 },
    );
    // Runs of 0xff long enough to need the modulo step inside a run.
    const ff = new Uint8Array(100_000).fill(0xff);
    expect(computeAdler32(ff)).toBe(zlibAdler32(ff));
    expect(computeCrc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });

  it('writes signature, IHDR, PLTE, one IDAT and IEND with valid CRCs, a zlib stream that inflates to the rows, and the palette colours of the rows', async () => {
    const width = 37;
    const height = 23;
    const rowBytes = 1 + width;
    // One deflater for every image, as a card renderer keeps one from card to card.
    const deflater = createRowDeflater();
    const check = async (palette: Uint8Array, indices: Uint8Array, cuts: number[]) => {
      const colours = palette.length / 3;
      const scanlines = new Uint8Array(rowBytes * height);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) scanlines[y * rowBytes + 1 + x] = indices[y * width + x]! % colours;
      // Cut the rows into runs at the given rows (runs of no rows among them), every other one deflated on the thread pool.
      const bounds = [0, ...[...cuts].sort((a, b) => a - b), height];
      const runs = [];
      for (let i = 0; i + 1 < bounds.length; i++) {
        const rows = scanlines.subarray(bounds[i]! * rowBytes, bounds[i + 1]! * rowBytes);
        runs.push(i % 2 ? await deflater.deflate(rows) : deflateRowsSync(rows));
      }
      const png = createPalettePng(width, height, palette, runs);
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const chunks = readChunks(png);
      expect(chunks.map((c) => [c.type, c.crcOk])).toEqual([
        ['IHDR', true],
        ['PLTE', true],
        ['IDAT', true],
        ['IEND', true],
      ]);
      expect([...chunks[0]!.data]).toEqual([0, 0, 0, width, 0, 0, 0, height, 8, 3, 0, 0, 0]);
      expect(Buffer.from(chunks[1]!.data).equals(Buffer.from(palette))).toBe(true);
      // inflateSync checks the stream's Adler-32 and that it ends.
      expect(Buffer.from(inflateSync(chunks[2]!.data)).equals(Buffer.from(scanlines))).toBe(true);
      const decoded = await sharp(png).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      expect([decoded.info.width, decoded.info.height, decoded.info.channels]).toEqual([width, height, 3]);
      const expected = new Uint8Array(width * height * 3);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) expected.set(palette.subarray(scanlines[y * rowBytes + 1 + x]! * 3, scanlines[y * rowBytes + 1 + x]! * 3 + 3), (y * width + x) * 3);
      expect(decoded.data.equals(Buffer.from(expected))).toBe(true);
    };
    // Flat images: runs of the same bytes are what cards are made of.
    const palette = Uint8Array.from({ length: 256 * 3 }, (_, i) => (i * 37) % 256);
    await check(palette, new Uint8Array(width * height).fill(200), [0, 5, 5, height]);
    await check(palette, new Uint8Array(width * height), []);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 256 }).chain((n) => fc.uint8Array({ minLength: n * 3, maxLength: n * 3 })),
        fc.uint8Array({ minLength: width * height, maxLength: width * height }),
        fc.array(fc.integer({ min: 0, max: height }), { maxLength: 4 }),
        check,
      ),
      { numRuns: 20 },
    );
    // A palette holds 1 to 256 colours, each three bytes.
    for (const bad of [0, 4, 257 * 3]) expect(() => createPalettePng(width, height, new Uint8Array(bad), [])).toThrow(RangeError);
  });

  it('deflates each run with a kept deflater to the bytes a fresh zlib stream makes, whatever it deflated before', async () => {
    const deflater = createRowDeflater();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.uint8Array({ maxLength: 70_000 }), fc.integer({ min: 0, max: 200_000 }).map((n) => new Uint8Array(n).fill(7))), { minLength: 1, maxLength: 4 }), async (inputs) => {
        for (const rows of inputs) {
          const run = await deflater.deflate(rows);
          expect(Buffer.from(run.deflated).equals(deflateRawSync(rows, { level: 5, finishFlush: constants.Z_SYNC_FLUSH })), `${rows.length} bytes`).toBe(true);
          expect([run.adler, run.length]).toEqual([computeAdler32(rows), rows.length]);
        }
      }),
      { numRuns: 15 },
    );
    // Runs deflated at once by separate deflaters do not mix.
    const [a, b] = [new Uint8Array(90_000).fill(1), Uint8Array.from({ length: 90_000 }, (_, i) => i % 251)];
    const [ra, rb] = await Promise.all([createRowDeflater().deflate(a), createRowDeflater().deflate(b)]);
    expect(Buffer.from(inflateRawSync(ra.deflated, { finishFlush: constants.Z_SYNC_FLUSH })).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(inflateRawSync(rb.deflated, { finishFlush: constants.Z_SYNC_FLUSH })).equals(Buffer.from(b))).toBe(true);
  });
});
