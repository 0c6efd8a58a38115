import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { processImage } from '../../src/assets/process-image.js';
import { createSafeBaseName, resolveSafeOutDir } from '../../src/assets/safe-name.js';
import { createNoiseJpeg } from './fixtures.js';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

describe('createSafeBaseName', () => {
  it.each([
    ['content/news/Rally Day.JPG', 'rally-day'],
    ['../../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\System32\\evil.png', 'evil'],
    ['C:\\Users\\ana\\Photo 01.jpeg', 'photo-01'],
    ['a\u0000b.jpg', 'a-b'],
    ['\u202Egpj.exe\u202C.jpg', 'gpj-exe'],
    ['Ünïcödé Ràlly 2024.jpg', 'unicode-rally-2024'],
    ['抗议.jpg', 'image'],
    ['....', 'image'],
    ['', 'image'],
    ['.hidden', 'hidden'],
    ['<script>alert(1)</script>.png', 'script'],
    ['"onerror=alert(1) x=".png', 'onerror-alert-1-x'],
  ])('%j → %j', (input, expected) => {
    expect(createSafeBaseName(input)).toBe(expected);
  });

  it('caps very long names at 48 characters', () => {
    const name = createSafeBaseName(`${'very-long-name-'.repeat(100)}.jpg`);
    expect(name.length).toBeLessThanOrEqual(48);
    expect(name).toMatch(SLUG);
  });

  it('always yields a non-empty [a-z0-9-] slug, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const slug = createSafeBaseName(s);
        expect(slug).toMatch(SLUG);
        expect(slug.length).toBeLessThanOrEqual(48);
      }),
    );
  });
});

describe('resolveSafeOutDir', () => {
  it.each([
    ['assets/img', 'assets/img'],
    ['./assets/img/', 'assets/img'],
    ['media', 'media'],
  ])('accepts %j', (dir, expected) => expect(resolveSafeOutDir(dir)).toBe(expected));

  it.each(['../outside', 'assets/../../x', '/etc', 'assets//img', '', 'Assets', 'a b', 'assets/.', 'assets/\u0000'])('rejects %j', (dir) => {
    expect(resolveSafeOutDir(dir)).toBeUndefined();
  });
});

describe('output names', () => {
  it('are <outDir>/<slug>-<width>.<sha256(bytes)[0..8]>.<ext> even for hostile source names', async () => {
    const input = await createNoiseJpeg(64, 48);
    for (const sourcePath of ['../../../../etc/shadow.jpg', `\u202E${'x'.repeat(400)}\u0000.jpg`, 'content/Photos/Marcha Ñandú.jpg']) {
      const result = await processImage(input, { sourcePath, widths: [32, 64], formats: ['webp', 'jpeg'] });
      expect(result.diagnostics).toEqual([]);
      expect(result.files).toHaveLength(4);
      for (const file of result.files) {
        expect(file.path).toMatch(/^assets\/img\/[a-z0-9]+(-[a-z0-9]+)*-(32|64)\.[0-9a-f]{8}\.(webp|jpg)$/);
        const hash8 = createHash('sha256').update(file.data).digest('hex').slice(0, 8);
        expect(file.path).toContain(`-${file.width}.${hash8}.`);
        expect(file.path.split('/').includes('..')).toBe(false);
      }
    }
  });

  it('honours outDir and baseName (to hide a revealing file name)', async () => {
    const input = await createNoiseJpeg(40, 30);
    const result = await processImage(input, { sourcePath: 'content/ana-lopez-detained.jpg', baseName: 'photo-1', outDir: 'media/photos', widths: [40], formats: ['jpeg'] });
    expect(result.files[0]!.path).toMatch(/^media\/photos\/photo-1-40\.[0-9a-f]{8}\.jpg$/);
  });

  it('refuses an output folder outside the site', async () => {
    const input = await createNoiseJpeg(40, 30);
    const result = await processImage(input, { sourcePath: 'a.jpg', outDir: '../../public_html' });
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['STELE3006']);
  });
});

describe('widths', () => {
  it('never upscales: widths above the image width are clamped to it and deduplicated', async () => {
    const small = await processImage(await createNoiseJpeg(300, 200), { sourcePath: 's.jpg', formats: ['jpeg'] });
    expect(small.files.map((f) => [f.width, f.height])).toEqual([[300, 200]]);
    const medium = await processImage(await createNoiseJpeg(1200, 40), { sourcePath: 'm.jpg', formats: ['jpeg'] });
    expect(medium.files.map((f) => f.width)).toEqual([480, 960, 1200]);
    expect([medium.width, medium.height]).toEqual([1200, 40]);
  });
});
