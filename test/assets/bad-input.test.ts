import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { processImage } from '../../src/assets/process-image.js';
import { createNoiseJpeg } from './fixtures.js';

async function expectDiagnostic(input: Uint8Array, code: string, options: Partial<Parameters<typeof processImage>[1]> = {}) {
  const result = await processImage(input, { sourcePath: 'content/bad/photo.jpg', ...options });
  expect(result.files).toEqual([]);
  expect([result.width, result.height]).toEqual([0, 0]);
  const diagnostic = result.diagnostics.find((d) => d.code === code);
  expect(diagnostic, JSON.stringify(result.diagnostics)).toBeDefined();
  expect(diagnostic!.file).toBe('content/bad/photo.jpg');
  expect(diagnostic!.hint).toBeTruthy();
  expect(diagnostic!.message).not.toContain('\n');
  return diagnostic!;
}

describe('bad input gives diagnostics, never throws', () => {
  it('text that is not an image', async () => {
    await expectDiagnostic(new TextEncoder().encode('<html>not an image</html>'), 'STELE3001');
  });

  it('an empty file', async () => {
    const d = await expectDiagnostic(new Uint8Array(0), 'STELE3001');
    expect(d.message).toContain('empty');
  });

  it('a truncated JPEG', async () => {
    const jpeg = await createNoiseJpeg(300, 300);
    await expectDiagnostic(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'STELE3001');
  });

  it('random bytes after a JPEG header', async () => {
    const jpeg = await createNoiseJpeg(50, 50);
    const broken = Buffer.concat([jpeg.subarray(0, 4), Buffer.alloc(500, 0x41)]);
    await expectDiagnostic(broken, 'STELE3001');
  });

  it('an SVG (not rasterised from user input)', async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    const d = await expectDiagnostic(svg, 'STELE3002');
    expect(d.message).toContain('SVG');
  });

  it('a PDF-like or otherwise unsupported container', async () => {
    await expectDiagnostic(new TextEncoder().encode('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), 'STELE3001');
  });

  it('invalid widths and formats', async () => {
    const jpeg = await createNoiseJpeg(20, 20);
    await expectDiagnostic(jpeg, 'STELE3004', { widths: [0, 480] });
    await expectDiagnostic(jpeg, 'STELE3004', { widths: [] });
    await expectDiagnostic(jpeg, 'STELE3004', { widths: [1.5] });
    await expectDiagnostic(jpeg, 'STELE3005', { formats: ['gif' as never] });
    await expectDiagnostic(jpeg, 'STELE3005', { formats: [] });
  });

  it('an animated GIF is published as its first frame with a warning', async () => {
    const raw = Buffer.alloc(16 * 48 * 3);
    for (let i = 0; i < 16 * 16 * 3; i += 3) raw[i] = 255; // frame 1 red, frame 2 black, frame 3 green
    for (let i = 2 * 16 * 16 * 3 + 1; i < raw.length; i += 3) raw[i] = 255;
    const gif = await sharp(raw, { raw: { width: 16, height: 48, channels: 3, pageHeight: 16 } }).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(3);
    const result = await processImage(gif, { sourcePath: 'anim.gif', formats: ['jpeg'] });
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([['STELE3012', 'warning']]);
    expect(result.files.map((f) => [f.width, f.height])).toEqual([[16, 16]]);
    const { data } = await sharp(result.files[0]!.data).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]!).toBeGreaterThan(200);
  });
});
