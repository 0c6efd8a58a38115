/**
 * Catalogue entries for the `assets` stage (images): STELE3000–3999.
 */
import { defineError } from './catalogue.js';

/** The bytes could not be decoded as an image (not an image, truncated, corrupt). */
export const IMAGE_UNREADABLE = defineError<[reason: string]>({
  code: 'STELE3001',
  title: 'Image could not be read',
  severity: 'error',
  message: (reason) => `This file could not be read as an image: ${reason}`,
  hint: 'Open the file in an image viewer; if it is damaged or incomplete, export or download it again as JPEG or PNG.',
});

/** The image is in a format stele does not process. */
export const IMAGE_FORMAT_UNSUPPORTED = defineError<[format: string]>({
  code: 'STELE3002',
  title: 'Unsupported image format',
  severity: 'error',
  message: (format) => `Images in ${format} format are not processed.`,
  hint: 'Export the image as JPEG (photos) or PNG (graphics with transparency). HEIC photos from phones must be converted first.',
});

/** A blur region is not inside the image. */
export const IMAGE_BLUR_REGION_INVALID = defineError<[index: number, detail: string]>({
  code: 'STELE3003',
  title: 'Invalid blur region',
  severity: 'error',
  message: (index, detail) => `Blur region #${index + 1} is invalid: ${detail}. The image was NOT published.`,
  hint: 'Each blur region is { x, y, w, h } as fractions (0 to 1) of the upright image: x + w and y + h must not exceed 1, and w and h must be greater than 0.',
});

/** The requested widths are unusable. */
export const IMAGE_WIDTHS_INVALID = defineError<[detail: string]>({
  code: 'STELE3004',
  title: 'Invalid image widths',
  severity: 'error',
  message: (detail) => `Invalid image widths: ${detail}.`,
  hint: 'Widths are whole numbers of pixels between 1 and 8192, for example [480, 960, 1600].',
});

/** The requested output formats are unusable. */
export const IMAGE_FORMATS_INVALID = defineError<[detail: string]>({
  code: 'STELE3005',
  title: 'Invalid image formats',
  severity: 'error',
  message: (detail) => `Invalid image formats: ${detail}.`,
  hint: "Formats are a non-empty list of 'avif', 'webp' and 'jpeg'.",
});

/** The output folder is not a safe site-relative folder. */
export const IMAGE_OUT_DIR_INVALID = defineError<[outDir: string]>({
  code: 'STELE3006',
  title: 'Invalid image output folder',
  severity: 'error',
  message: (outDir) => `The image output folder ${JSON.stringify(outDir)} is not a safe site-relative folder.`,
  hint: "Use a relative folder of lowercase letters, digits, '-', '_' and '/', such as 'assets/img'.",
});

/** An image has no alt text. */
export const IMAGE_ALT_MISSING = defineError<[]>({
  code: 'STELE3007',
  title: 'Image without alt text',
  severity: 'error',
  message: () => 'This image has no alt text.',
  hint: 'Describe what the image shows for people who cannot see it, e.g. ![Marchers holding a banner outside the courthouse](./march.jpg).',
});

/** Alt text that looks like a file name rather than a description. */
export const IMAGE_ALT_FILENAME = defineError<[alt: string]>({
  code: 'STELE3008',
  title: 'Alt text looks like a file name',
  severity: 'warning',
  message: (alt) => `The alt text ${JSON.stringify(alt)} looks like a file name, not a description.`,
  hint: 'Describe what the image shows instead of naming the file.',
});

/** The image has more pixels than stele will decode. */
export const IMAGE_TOO_LARGE = defineError<[detail: string]>({
  code: 'STELE3009',
  title: 'Image too large',
  severity: 'error',
  message: (detail) => `The image is too large to process: ${detail}.`,
  hint: 'Resize the image to at most 100 megapixels (e.g. 10000 × 10000) before adding it.',
});

/** An encoded output still carried metadata; it was dropped. Indicates a bug in stele or sharp. */
export const IMAGE_METADATA_LEAK = defineError<[path: string, kinds: string]>({
  code: 'STELE3010',
  title: 'Image metadata survived stripping',
  severity: 'error',
  message: (path, kinds) => `The encoded image ${path} still contained ${kinds}; it was not published.`,
  hint: 'This is a bug in stele: please report it. Until fixed, strip the metadata with another tool first.',
});

/** A cache entry was unreadable or failed its integrity check and was re-encoded. */
export const IMAGE_CACHE_CORRUPT = defineError<[key: string]>({
  code: 'STELE3011',
  title: 'Image cache entry corrupt',
  severity: 'warning',
  message: (key) => `The cached image entry ${key.slice(0, 16)}… was corrupt and has been rebuilt.`,
  hint: 'Nothing to do; if this repeats, delete the image cache folder.',
});

/** An animated image: only the first frame is published. */
export const IMAGE_ANIMATION_DROPPED = defineError<[frames: number]>({
  code: 'STELE3012',
  title: 'Animated image flattened',
  severity: 'warning',
  message: (frames) => `The image has ${frames} frames; only the first frame is published.`,
  hint: 'Use a still image, or publish the animation as a video.',
});
