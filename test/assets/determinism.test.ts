import { describe, expect, it } from 'vitest';
import { processImage } from '../../src/assets/process-image.js';
import { addHostileMetadata, createNoiseJpeg } from './fixtures.js';

describe('determinism', () => {
  it('the same input and options give the same names and bytes, every format', async () => {
    const input = await addHostileMetadata(await createNoiseJpeg(200, 140, 9));
    const options = { sourcePath: 'content/a.jpg', widths: [64, 140], blur: [{ x: 0.1, y: 0.1, w: 0.3, h: 0.3 }] };
    const first = await processImage(input, options);
    const second = await processImage(Uint8Array.from(input), { ...options });
    expect(first.files.length).toBe(6);
    expect(second.files.map((f) => f.path)).toEqual(first.files.map((f) => f.path));
    for (const [i, f] of first.files.entries()) expect(Buffer.from(second.files[i]!.data).equals(Buffer.from(f.data))).toBe(true);
  });

  it('different pixels give different hashes', async () => {
    const a = await processImage(await createNoiseJpeg(50, 50, 1), { sourcePath: 'x.jpg', widths: [50], formats: ['jpeg'] });
    const b = await processImage(await createNoiseJpeg(50, 50, 2), { sourcePath: 'x.jpg', widths: [50], formats: ['jpeg'] });
    expect(a.files[0]!.path).not.toBe(b.files[0]!.path);
  });
});
