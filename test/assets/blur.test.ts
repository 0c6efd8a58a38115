import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { applyBlurRegions, type RawImage, resolveBlockSize, resolveBlurRect } from '../../src/assets/blur.js';
import { processImage } from '../../src/assets/process-image.js';
import { addHostileMetadata, computeRegionStdDev, createNoiseJpeg, createNoiseRaster, decodeRgb } from './fixtures.js';

function noiseImage(width: number, height: number, seed = 7): RawImage {
  return { data: new Uint8Array(createNoiseRaster(width, height, seed)), width, height, channels: 3 };
}

describe('applyBlurRegions', () => {
  const region = { x: 0.25, y: 0.2, w: 0.5, h: 0.5 };

  it('collapses the variance of the region, leaves the rest untouched, and keeps almost no original pixel', async () => {
    const original = noiseImage(200, 160);
    const image = { ...original, data: original.data.slice() };
    const [rect] = await applyBlurRegions(image, [region]);
    expect(rect).toEqual({ left: 50, top: 32, width: 100, height: 80 });
    const before = computeRegionStdDev(original, rect!);
    const after = computeRegionStdDev(image, rect!);
    expect(before).toBeGreaterThan(60);
    expect(after).toBeLessThan(before * 0.1);
    let same = 0;
    let outsideChanged = 0;
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const i = (y * image.width + x) * 3;
        const inside = x >= rect!.left && x < rect!.left + rect!.width && y >= rect!.top && y < rect!.top + rect!.height;
        const equal = image.data[i] === original.data[i] && image.data[i + 1] === original.data[i + 1] && image.data[i + 2] === original.data[i + 2];
        if (inside && equal) same++;
        if (!inside && !equal) outsideChanged++;
      }
    }
    expect(outsideChanged).toBe(0);
    // Noise pixels are uniform over 16M colours: an unchanged pixel would be a leak.
    expect(same).toBe(0);
  });

  it('is irreversible: rearranging pixels inside each mosaic block gives byte-identical output', async () => {
    const a = noiseImage(200, 160, 11);
    const rect = resolveBlurRect(region, a.width, a.height);
    const block = resolveBlockSize(rect);
    // b = a with the pixels of every block inside the region reversed (same block means, different faces).
    const b = { ...a, data: a.data.slice() };
    for (let by = rect.top; by < rect.top + rect.height; by += block) {
      for (let bx = rect.left; bx < rect.left + rect.width; bx += block) {
        const coords: [number, number][] = [];
        for (let y = by; y < Math.min(by + block, rect.top + rect.height); y++) {
          for (let x = bx; x < Math.min(bx + block, rect.left + rect.width); x++) coords.push([x, y]);
        }
        coords.forEach(([x, y], k) => {
          const [sx, sy] = coords[coords.length - 1 - k]!;
          for (let c = 0; c < 3; c++) b.data[(y * a.width + x) * 3 + c] = a.data[(sy * a.width + sx) * 3 + c]!;
        });
      }
    }
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(false);
    await applyBlurRegions(a, [region]);
    await applyBlurRegions(b, [region]);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });

  it('uses at most 8 blocks along the longer side, blocks of at least 8 px', () => {
    expect(resolveBlockSize({ left: 0, top: 0, width: 400, height: 100 })).toBe(50);
    expect(resolveBlockSize({ left: 0, top: 0, width: 20, height: 20 })).toBe(8);
  });
});

describe('processImage blur', () => {
  it('blurs regions given as fractions of the ORIENTED image, in every output', async () => {
    // Stored 160×120 with orientation 6 → upright 120×160. Blur the upright top-left quadrant.
    const input = await addHostileMetadata(await createNoiseJpeg(160, 120, 5), 6);
    const plain = await processImage(input, { sourcePath: 'p.jpg', widths: [120], formats: ['jpeg', 'webp'] });
    const blurred = await processImage(input, { sourcePath: 'p.jpg', widths: [120], formats: ['jpeg', 'webp'], blur: [{ x: 0, y: 0, w: 0.5, h: 0.5 }] });
    expect(blurred.diagnostics).toEqual([]);
    expect([blurred.width, blurred.height]).toEqual([120, 160]);
    const inner = { left: 4, top: 4, width: 52, height: 72 };
    const other = { left: 64, top: 84, width: 52, height: 72 };
    for (const [i, file] of blurred.files.entries()) {
      const img = await decodeRgb(file.data);
      const ref = await decodeRgb(plain.files[i]!.data);
      expect(computeRegionStdDev(img, inner)).toBeLessThan(computeRegionStdDev(ref, inner) * 0.2);
      // The unblurred quadrant keeps its detail.
      expect(computeRegionStdDev(img, other)).toBeGreaterThan(computeRegionStdDev(ref, other) * 0.8);
    }
  });

  it.each([
    [{ x: 0.6, y: 0, w: 0.5, h: 0.5 }, 'beyond the right edge'],
    [{ x: 0, y: 0.9, w: 0.5, h: 0.2 }, 'beyond the bottom edge'],
    [{ x: -0.1, y: 0, w: 0.5, h: 0.5 }, 'at least 0'],
    [{ x: 0, y: 0, w: 0, h: 0.5 }, 'greater than 0'],
    [{ x: Number.NaN, y: 0, w: 0.5, h: 0.5 }, 'x is not a number'],
    ['face', 'not an object'],
  ])('refuses to publish with invalid region %j', async (region, detail) => {
    const input = await createNoiseJpeg(40, 40);
    const result = await processImage(input, { sourcePath: 'content/p.jpg', blur: [{ x: 0, y: 0, w: 0.1, h: 0.1 }, region as never] });
    expect(result.files).toEqual([]);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'STELE3003', severity: 'error', file: 'content/p.jpg' });
    expect(result.diagnostics[0]!.message).toContain('#2');
    expect(result.diagnostics[0]!.message).toContain(detail);
    expect(result.diagnostics[0]!.hint).toBeTruthy();
  });

  it('blurs transparent images too (alpha kept, PNG fallback)', async () => {
    const raw = createNoiseRaster(64, 64, 3, 4);
    for (let i = 3; i < raw.length; i += 4) raw[i] = 128;
    const png = await sharp(raw, { raw: { width: 64, height: 64, channels: 4 } }).png().toBuffer();
    const result = await processImage(png, { sourcePath: 't.png', widths: [64], formats: ['jpeg'], blur: [{ x: 0, y: 0, w: 1, h: 1 }] });
    expect(result.files.map((f) => f.format)).toEqual(['png']);
    const { data, info } = await sharp(result.files[0]!.data).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(computeRegionStdDev({ data, width: 64 }, { left: 0, top: 0, width: 64, height: 64 }, 4)).toBeLessThan(30);
  });
});
