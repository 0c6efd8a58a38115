/**
 * The `assets` stage: images in, metadata-free responsive web images out.
 */
export { applyBlurRegions, resolveBlockSize, resolveBlurRect } from './blur.js';
export type { PixelRect, RawImage } from './blur.js';
export { createFileSystemImageCache, createImageCacheKey, decodeImageCacheEntry, encodeImageCacheEntry } from './image-cache.js';
export type { ImageCache } from './image-cache.js';
export { inspectImageMetadata, scanExifBlock } from './metadata.js';
export type { ImageMetadataReport } from './metadata.js';
export { createPlaceholderPortrait, createPlaceholderPortraitSvg } from './placeholder.js';
export type { PlaceholderPortraitOptions } from './placeholder.js';
export {
  DEFAULT_IMAGE_FORMATS,
  DEFAULT_IMAGE_OUT_DIR,
  DEFAULT_IMAGE_WIDTHS,
  ENCODER_SETTINGS,
  MAX_INPUT_PIXELS,
  processImage,
  resolveImagePlan,
} from './process-image.js';
export type { ResolvedImagePlan } from './process-image.js';
export { processImages, resolveDefaultImageConcurrency } from './process-images.js';
export type { ImageJob, ProcessImagesOptions, ProcessImagesResult } from './process-images.js';
export { createSafeBaseName, resolveSafeOutDir } from './safe-name.js';
export type { BlurRegion, ImageOutputFormat, ProcessedImage, ProcessedImageFile, ProcessImageOptions } from './types.js';
export { createSocialCardLayers, createSocialCardRenderer, renderSocialCard, SOCIAL_CARD_HEIGHT, SOCIAL_CARD_VERSION, SOCIAL_CARD_WIDTH, type SocialCardLayers, wrapCardText } from './social-card.js';
export type { SocialCardOptions } from './social-card.js';
export { sanitizeSvg } from './sanitize-svg.js';
export type { SanitizedSvg } from './sanitize-svg.js';
