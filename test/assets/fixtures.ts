/**
 * Test images built in the test run: JPEGs carrying real EXIF (GPS, camera,
 * orientation) written with piexifjs, XMP and an ICC profile written by sharp,
 * and an IPTC (Photoshop APP13) segment spliced in by hand.
 */
import piexif from 'piexifjs';
import sharp from 'sharp';

/** Noise image (high pixel variance), deterministic for a given seed. */
export function createNoiseRaster(width: number, height: number, seed = 1, channels = 3): Buffer {
  const data = Buffer.alloc(width * height * channels);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    data[i] = s & 0xff;
  }
  return data;
}

/** A JPEG of noise. */
export async function createNoiseJpeg(width: number, height: number, seed = 1): Promise<Buffer> {
  return sharp(createNoiseRaster(width, height, seed), { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

/** A JPEG whose left half is red and right half blue (stored orientation), to check rotation. */
export async function createSplitJpeg(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (x < width / 2) data[i] = 230;
      else data[i + 2] = 230;
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

export const SECRET_MAKE = 'SecretCamMaker';
export const SECRET_MODEL = 'SpyModel-9000';
export const SECRET_SERIAL = 'SERIAL-77-ABC';
export const SECRET_CREATOR = 'Hidden Photographer Name';
export const SECRET_IPTC_BYLINE = 'IptcBylineSecret';

const XMP = `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>${SECRET_CREATOR}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

/** Splice a Photoshop APP13 segment with an IPTC By-line record right after SOI. */
export function insertIptc(jpeg: Buffer, byline: string): Buffer {
  const value = Buffer.from(byline, 'latin1');
  const record = Buffer.concat([Buffer.from([0x1c, 0x02, 0x50, value.length >> 8, value.length & 0xff]), value]);
  const padded = record.length % 2 === 1 ? Buffer.concat([record, Buffer.from([0])]) : record;
  const size = Buffer.alloc(4);
  size.writeUInt32BE(record.length);
  const resource = Buffer.concat([Buffer.from('8BIM', 'latin1'), Buffer.from([0x04, 0x04, 0x00, 0x00]), size, padded]);
  const payload = Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), resource]);
  const header = Buffer.from([0xff, 0xed, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

/**
 * Add EXIF (Make, Model, body serial, GPS lat/long, orientation), XMP
 * (dc:creator), a Display-P3 ICC profile and IPTC to a JPEG.
 */
export async function addHostileMetadata(jpeg: Buffer, orientation = 6): Promise<Buffer> {
  // XMP + ICC through sharp (converts pixels to P3 and tags them).
  const withXmp = await sharp(jpeg).withXmp(XMP).withIccProfile('p3').jpeg({ quality: 95 }).toBuffer();
  const exif = piexif.dump({
    '0th': {
      [piexif.ImageIFD.Make]: SECRET_MAKE,
      [piexif.ImageIFD.Model]: SECRET_MODEL,
      [piexif.ImageIFD.Orientation]: orientation,
    },
    Exif: { [piexif.ExifIFD.BodySerialNumber]: SECRET_SERIAL },
    GPS: {
      [piexif.GPSIFD.GPSLatitudeRef]: 'N',
      [piexif.GPSIFD.GPSLatitude]: [
        [33, 1],
        [52, 1],
        [1234, 100],
      ],
      [piexif.GPSIFD.GPSLongitudeRef]: 'E',
      [piexif.GPSIFD.GPSLongitude]: [
        [35, 1],
        [13, 1],
        [5678, 100],
      ],
    },
  });
  const withExif = Buffer.from(piexif.insert(exif, withXmp.toString('binary')), 'binary');
  return insertIptc(withExif, SECRET_IPTC_BYLINE);
}

/** Decode any image to upright 8-bit RGB. */
export async function decodeRgb(bytes: Uint8Array): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(bytes).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Per-channel-pooled standard deviation of the pixels in a rect of an RGB raster. */
export function computeRegionStdDev(
  img: { data: Uint8Array; width: number },
  rect: { left: number; top: number; width: number; height: number },
  channels = 3,
): number {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = rect.top; y < rect.top + rect.height; y++) {
    for (let x = rect.left; x < rect.left + rect.width; x++) {
      for (let c = 0; c < channels; c++) {
        const v = img.data[(y * img.width + x) * channels + c]!;
        sum += v;
        sumSq += v * v;
        n++;
      }
    }
  }
  const mean = sum / n;
  return Math.sqrt(sumSq / n - mean * mean);
}

/** True when `haystack` contains the ASCII string `needle`. */
export function containsAscii(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle, 'latin1'));
}
