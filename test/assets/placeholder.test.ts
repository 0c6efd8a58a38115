import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inspectImageMetadata } from '../../src/assets/metadata.js';
import { createPlaceholderPortrait, createPlaceholderPortraitSvg } from '../../src/assets/placeholder.js';

describe('createPlaceholderPortrait', () => {
  it('is a deterministic PNG of the requested size without metadata', async () => {
    const a = await createPlaceholderPortrait({ seed: 'person-17' });
    const b = await createPlaceholderPortrait({ seed: 'person-17' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const meta = await sharp(a).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 480, 600]);
    expect(await inspectImageMetadata(a)).toMatchObject({ hasExif: false, hasXmp: false, hasIcc: false });
    const sized = await sharp(await createPlaceholderPortrait({ seed: 'x', width: 200, height: 200 })).metadata();
    expect([sized.width, sized.height]).toEqual([200, 200]);
  });

  it('derives the background colour from the seed', async () => {
    const corner = async (seed: string) => {
      const { data } = await sharp(await createPlaceholderPortrait({ seed, width: 32, height: 40 })).raw().toBuffer({ resolveWithObject: true });
      return [...data.subarray(0, 3)];
    };
    const colours = new Set<string>();
    for (const seed of ['a', 'b', 'c', 'd', 'e']) colours.add((await corner(seed)).join(','));
    expect(colours.size).toBeGreaterThan(1);
    // Soft background: light.
    for (const c of colours) expect(c.split(',').map(Number).every((v) => v > 170)).toBe(true);
  });

  it('never draws the label (names may be sensitive): pixels are identical with or without it', async () => {
    const plain = await createPlaceholderPortrait({ seed: 's1' });
    const labelled = await createPlaceholderPortrait({ seed: 's1', label: 'María José Ñandú' });
    expect(Buffer.from(labelled).equals(Buffer.from(plain))).toBe(true);
    const svg = createPlaceholderPortraitSvg('María', 100, 100);
    expect(svg).not.toContain('<text');
    expect(svg).not.toContain('María');
  });

  it('rejects impossible sizes (a caller bug)', async () => {
    await expect(createPlaceholderPortrait({ seed: 'x', width: 0 })).rejects.toThrow(RangeError);
    await expect(createPlaceholderPortrait({ seed: 'x', height: 1e6 })).rejects.toThrow(RangeError);
  });
});
