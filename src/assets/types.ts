/**
 * Shared types of the `assets` stage.
 */
import type { Diagnostic } from '../errors/diagnostic.js';

/** Web formats stele encodes. */
export type ImageOutputFormat = 'avif' | 'webp' | 'jpeg';

/** A rectangle to blur, as fractions (0..1) of the upright (EXIF-oriented) image. */
export interface BlurRegion {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Options for one image. */
export interface ProcessImageOptions {
  /** Project-relative path of the source image, used for the output name and in diagnostics. */
  sourcePath: string;
  /** Target widths in pixels; default [480, 960, 1600]. Widths above the image's own width are clamped to it (never upscaled). */
  widths?: number[];
  /** Output formats; default ['avif', 'webp', 'jpeg']. 'jpeg' becomes PNG when the image has real transparency. */
  formats?: ImageOutputFormat[];
  /** Regions to blur irreversibly (faces, badges, number plates). */
  blur?: BlurRegion[];
  /** Site-relative output folder; default 'assets/img'. */
  outDir?: string;
  /** Override for the name part of the output file (it is still slugged). Use to hide a revealing source file name. */
  baseName?: string;
}

/** One encoded output file. */
export interface ProcessedImageFile {
  /** Site-relative posix path: `<outDir>/<slug>-<width>.<hash8>.<ext>`. */
  path: string;
  data: Uint8Array;
  width: number;
  height: number;
  /** 'avif' | 'webp' | 'jpeg' | 'png'. */
  format: string;
}

/** The result of processing one image. `files` is empty when an error diagnostic was produced. */
export interface ProcessedImage {
  files: ProcessedImageFile[];
  /** Width of the largest output (0 on failure). */
  width: number;
  /** Height of the largest output (0 on failure). */
  height: number;
  diagnostics: Diagnostic[];
}
