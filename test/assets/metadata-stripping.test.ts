import exifr from 'exifr';
import piexif from 'piexifjs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inspectImageMetadata } from '../../src/assets/metadata.js';
import { processImage } from '../../src/assets/process-image.js';
import {
  addHostileMetadata,
  containsAscii,
  createNoiseJpeg,
  createSplitJpeg,
  decodeRgb,
  SECRET_CREATOR,
  SECRET_IPTC_BYLINE,
  SECRET_MAKE,
  SECRET_MODEL,
  SECRET_SERIAL,
} from './fixtures.js';

const SECRETS = [SECRET_MAKE, SECRET_MODEL, SECRET_SERIAL, SECRET_CREATOR, SECRET_IPTC_BYLINE];

describe('test fixture really carries hostile metadata', () => {
  it('has EXIF, GPS, camera, XMP, IPTC and ICC, seen by sharp, exifr and inspectImageMetadata', async () => {
    const input = await addHostileMetadata(await createNoiseJpeg(96, 64));
    const meta = await sharp(input).metadata();
    expect(meta.orientation).toBe(6);
    expect(meta.exif).toBeDefined();
    expect(meta.xmp).toBeDefined();
    expect(meta.iptc).toBeDefined();
    expect(meta.icc).toBeDefined();
    const gps = await exifr.gps(input);
    expect(gps.latitude).toBeCloseTo(33.87, 1);
    expect(gps.longitude).toBeCloseTo(35.23, 1);
    const parsed = await exifr.parse(input, { xmp: true, iptc: true });
    expect(parsed.Make).toBe(SECRET_MAKE);
    expect(await inspectImageMetadata(input)).toEqual({
      format: 'jpeg',
      hasExif: true,
      hasGps: true,
      hasCamera: true,
      hasXmp: true,
      hasIptc: true,
      hasIcc: true,
    });
    for (const secret of SECRETS) expect(containsAscii(input, secret)).toBe(true);
  });
});

describe('processImage strips all metadata', () => {
  it('every output (avif, webp, jpeg; every width) has no EXIF, GPS, camera, XMP, IPTC or ICC', async () => {
    const input = await addHostileMetadata(await createNoiseJpeg(240, 160));
    const result = await processImage(input, { sourcePath: 'content/rally.jpg', widths: [80, 160] });
    expect(result.diagnostics).toEqual([]);
    expect(result.files.map((f) => `${f.format}@${f.width}`).sort()).toEqual(['avif@80', 'avif@160', 'jpeg@80', 'jpeg@160', 'webp@80', 'webp@160'].sort());
    for (const file of result.files) {
      const report = await inspectImageMetadata(file.data);
      expect(report).toMatchObject({ hasExif: false, hasGps: false, hasCamera: false, hasXmp: false, hasIptc: false, hasIcc: false });
      const meta = await sharp(file.data).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.iptc).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(meta.orientation ?? 1).toBe(1);
      if (file.format === 'jpeg') {
        expect(await exifr.parse(file.data, { xmp: true, iptc: true, icc: true, gps: true })).toBeUndefined();
        await expect(exifr.gps(file.data)).resolves.toBeUndefined();
      }
      for (const secret of SECRETS) expect(containsAscii(file.data, secret)).toBe(false);
    }
  });

  it('applies EXIF orientation 6 before anything else: width and height swap, content rotated 90° clockwise', async () => {
    // Stored 120×80: red left half, blue right half. Rotated 90° CW: red on top, blue below.
    const input = await addHostileMetadata(await createSplitJpeg(120, 80), 6);
    const result = await processImage(input, { sourcePath: 'split.jpg', formats: ['jpeg'], widths: [80] });
    expect(result.diagnostics).toEqual([]);
    const [file] = result.files;
    expect([file!.width, file!.height]).toEqual([80, 120]);
    expect([result.width, result.height]).toEqual([80, 120]);
    const rgb = await decodeRgb(file!.data);
    expect([rgb.width, rgb.height]).toEqual([80, 120]);
    const at = (x: number, y: number) => [...rgb.data.subarray((y * rgb.width + x) * 3, (y * rgb.width + x) * 3 + 3)];
    const top = at(40, 20);
    const bottom = at(40, 100);
    expect(top[0]!).toBeGreaterThan(150);
    expect(top[2]!).toBeLessThan(80);
    expect(bottom[2]!).toBeGreaterThan(150);
    expect(bottom[0]!).toBeLessThan(80);
  });

  it('converts a Display-P3 tagged image to sRGB and embeds no profile', async () => {
    const srgb = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 40, b: 40 } } }).jpeg({ quality: 100 }).toBuffer();
    const p3 = await sharp(srgb).withIccProfile('p3').jpeg({ quality: 100 }).toBuffer();
    // The stored P3 numbers differ from the sRGB ones …
    const stored = (await sharp(p3).metadata()).icc;
    expect(stored).toBeDefined();
    const result = await processImage(p3, { sourcePath: 'p3.jpg', formats: ['jpeg'], widths: [64] });
    const out = result.files[0]!;
    expect((await sharp(out.data).metadata()).icc).toBeUndefined();
    // … and the output pixels are the sRGB colour again (within JPEG error).
    const { data } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    expect(Math.abs(data[0]! - 200)).toBeLessThanOrEqual(6);
    expect(Math.abs(data[1]! - 40)).toBeLessThanOrEqual(6);
    expect(Math.abs(data[2]! - 40)).toBeLessThanOrEqual(6);
  });

  it('strips metadata from PNG input too and keeps PNG (not JPEG) as the fallback when there is real transparency', async () => {
    const png = await sharp({ create: { width: 50, height: 40, channels: 4, background: { r: 0, g: 120, b: 200, alpha: 0.4 } } })
      .png()
      .withExif({ IFD0: { Make: SECRET_MAKE, Model: SECRET_MODEL } })
      .withIccProfile('p3')
      .toBuffer();
    expect((await inspectImageMetadata(png)).hasCamera).toBe(true);
    const result = await processImage(png, { sourcePath: 'logo.png', widths: [50] });
    expect(result.files.map((f) => f.format)).toEqual(['avif', 'webp', 'png']);
    for (const f of result.files) {
      expect(await inspectImageMetadata(f.data)).toMatchObject({ hasExif: false, hasCamera: false, hasIcc: false, hasXmp: false });
      expect((await sharp(f.data).metadata()).hasAlpha).toBe(true);
      for (const secret of SECRETS) expect(containsAscii(f.data, secret)).toBe(false);
    }
  });

  it('an opaque PNG gets a JPEG fallback', async () => {
    const png = await sharp({ create: { width: 30, height: 30, channels: 4, background: { r: 9, g: 9, b: 9, alpha: 1 } } }).png().toBuffer();
    const result = await processImage(png, { sourcePath: 'x.png', widths: [30], formats: ['webp', 'jpeg'] });
    expect(result.files.map((f) => f.format)).toEqual(['webp', 'jpeg']);
  });
});

describe('inspectImageMetadata', () => {
  it('reports EXIF, GPS and camera separately, and nothing for a clean image', async () => {
    const clean = await createNoiseJpeg(20, 20);
    expect(await inspectImageMetadata(clean)).toEqual({
      format: 'jpeg',
      hasExif: false,
      hasGps: false,
      hasCamera: false,
      hasXmp: false,
      hasIptc: false,
      hasIcc: false,
    });
    const gpsOnly = await sharp(clean).withExif({ IFD0: { Copyright: 'x' } }).jpeg().toBuffer();
    const r = await inspectImageMetadata(gpsOnly);
    expect(r.hasExif).toBe(true);
    expect(r.hasCamera).toBe(false);
    expect(r.hasGps).toBe(false);
    const exif = piexif.dump({ GPS: { [piexif.GPSIFD.GPSLatitudeRef]: 'S', [piexif.GPSIFD.GPSLatitude]: [[1, 1], [2, 1], [3, 1]] } });
    const withGps = Buffer.from(piexif.insert(exif, clean.toString('binary')), 'binary');
    expect(await inspectImageMetadata(withGps)).toMatchObject({ hasExif: true, hasGps: true, hasCamera: false, hasXmp: false });
  });

  it('does not throw on bytes that are not an image', async () => {
    expect((await inspectImageMetadata(new TextEncoder().encode('not an image'))).format).toBe('unknown');
    expect((await inspectImageMetadata(new Uint8Array(0))).format).toBe('unknown');
  });
});
