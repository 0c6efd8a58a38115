/**
 * Irreversible region blurring on a decoded, upright RGB(A) raster.
 *
 * Each region is first pixelated into a coarse mosaic (at most 8 blocks along
 * its longer side, blocks at least 8 px): every pixel of a block is replaced by
 * the block's mean. Only the mosaic then goes through a Gaussian blur, so no
 * original pixel value of the region reaches the output, and the information
 * left is at most 8 × 8 colour averages, which cannot identify a face.
 */
import sharp from 'sharp';
import type { BlurRegion } from './types.js';

/** An 8-bit interleaved raster. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** A region in whole pixels. */
export interface PixelRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Convert a fractional region to a pixel rectangle that covers it fully (rounded outwards, clamped, ≥ 1 px). */
export function resolveBlurRect(region: BlurRegion, imageWidth: number, imageHeight: number): PixelRect {
  const left = Math.min(imageWidth - 1, Math.max(0, Math.floor(region.x * imageWidth)));
  const top = Math.min(imageHeight - 1, Math.max(0, Math.floor(region.y * imageHeight)));
  const right = Math.max(left + 1, Math.min(imageWidth, Math.ceil((region.x + region.w) * imageWidth)));
  const bottom = Math.max(top + 1, Math.min(imageHeight, Math.ceil((region.y + region.h) * imageHeight)));
  return { left, top, width: right - left, height: bottom - top };
}

/** Block edge in pixels used to pixelate a rect: at most 8 blocks along the longer side, at least 8 px. */
export function resolveBlockSize(rect: PixelRect): number {
  return Math.max(8, Math.ceil(Math.max(rect.width, rect.height) / 8));
}

/** Replace every block of the rect (in place) by its per-channel mean. */
function pixelate(image: RawImage, rect: PixelRect, block: number): void {
  const { data, width, channels } = image;
  const sums = new Float64Array(channels);
  for (let by = rect.top; by < rect.top + rect.height; by += block) {
    const bh = Math.min(block, rect.top + rect.height - by);
    for (let bx = rect.left; bx < rect.left + rect.width; bx += block) {
      const bw = Math.min(block, rect.left + rect.width - bx);
      sums.fill(0);
      for (let y = by; y < by + bh; y++) {
        for (let x = bx; x < bx + bw; x++) {
          const i = (y * width + x) * channels;
          for (let c = 0; c < channels; c++) sums[c]! += data[i + c]!;
        }
      }
      const n = bw * bh;
      for (let y = by; y < by + bh; y++) {
        for (let x = bx; x < bx + bw; x++) {
          const i = (y * width + x) * channels;
          for (let c = 0; c < channels; c++) data[i + c] = Math.round(sums[c]! / n);
        }
      }
    }
  }
}

/**
 * Blur the given regions of `image` in place (pixelate, then Gaussian-blur the
 * mosaic). Regions must already be validated. Returns the pixel rects used.
 */
export async function applyBlurRegions(image: RawImage, regions: readonly BlurRegion[]): Promise<PixelRect[]> {
  const rects: PixelRect[] = [];
  for (const region of regions) {
    const rect = resolveBlurRect(region, image.width, image.height);
    const block = resolveBlockSize(rect);
    pixelate(image, rect, block);
    // Extract the (now pixelated) rect, blur it, copy it back.
    const { channels, width } = image;
    const rowBytes = rect.width * channels;
    const patch = new Uint8Array(rowBytes * rect.height);
    for (let y = 0; y < rect.height; y++) {
      const from = ((rect.top + y) * width + rect.left) * channels;
      patch.set(image.data.subarray(from, from + rowBytes), y * rowBytes);
    }
    const blurred = await sharp(patch, { raw: { width: rect.width, height: rect.height, channels: channels as 1 | 2 | 3 | 4 } })
      .blur(Math.max(0.3, block / 2))
      .raw()
      .toBuffer();
    for (let y = 0; y < rect.height; y++) {
      const to = ((rect.top + y) * width + rect.left) * channels;
      image.data.set(blurred.subarray(y * rowBytes, (y + 1) * rowBytes), to);
    }
    rects.push(rect);
  }
  return rects;
}
