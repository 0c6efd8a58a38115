/**
 * Where a copy of a site is read from during verification: a folder on disk or a
 * web address. Both hash files as streams, so memory stays flat on huge sites.
 */
import type { ManifestFile } from '../trust/manifest.js';

/** Reading a small file (manifest, signature, key records). */
export type SourceReadResult =
  | { status: 'ok'; data: Uint8Array }
  | { status: 'missing' }
  | { status: 'error'; message: string };

/** The outcome of hashing one listed file. `text` is set for HTML/CSS when requested (for reference scanning). */
export type SourceFileCheck =
  | { status: 'match'; text?: string }
  | { status: 'mismatch'; actualSize?: number; actualSha256?: string; note?: string; text?: string }
  | { status: 'missing' }
  | { status: 'error'; message: string };

/** A copy of a site being verified. */
export interface SiteSource {
  kind: 'dir' | 'http' | 'zip';
  /** Read a small file whole (refuses more than `maxBytes`). */
  read(path: string, maxBytes: number): Promise<SourceReadResult>;
  /** Hash one listed file (streaming) and compare with the manifest entry. */
  check(file: ManifestFile, wantText: boolean): Promise<SourceFileCheck>;
  /**
   * Optional: `check` (without text) over many files, each outcome through `onResult` as it
   * comes, in any order; no new file once `signal` aborts. A folder hashes a large batch on
   * worker threads this way.
   */
  checkAll?(files: readonly ManifestFile[], onResult: (file: ManifestFile, result: SourceFileCheck) => void, signal?: AbortSignal): Promise<void>;
  /**
   * Optional hint, as soon as a manifest parses (before its signature is checked), that about
   * `fileCount` files may be checked: a folder starts its hash threads, and reads nothing.
   */
  prepare?(fileCount: number): void;
}

/** Largest HTML/CSS text kept in memory for reference scanning. */
export const MAX_SCAN_BYTES = 8 * 1024 * 1024;

/** True for files whose references verify scans. */
export function isScannable(path: string): boolean {
  return /\.(?:html?|xhtml|css|svg)$/i.test(path);
}
