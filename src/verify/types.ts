/**
 * The result of checking one copy of a site (a folder or a URL) against its signed manifest.
 * Shared by `verify` (one check) and `watch` (checks over time). Problem kinds and
 * the manifest summary are the trust core's.
 */
import type { VerifyProblem } from '../trust/problems.js';
import type { ManifestSummary } from '../trust/signed-manifest.js';

export type { VerifyProblem, VerifyProblemKind } from '../trust/problems.js';
export type { ManifestSummary } from '../trust/signed-manifest.js';

/** The verdict on one copy, with every problem found. */
export interface VerifyReport {
  /** The folder or URL checked. */
  source: string;
  /** genuine → exit 0, not-genuine → exit 1, error (could not check) → exit 2. */
  status: 'genuine' | 'not-genuine' | 'error';
  manifest?: ManifestSummary;
  problems: VerifyProblem[];
  /** Files a reader can fetch whose hash matched (of `manifest.fileCount`). */
  checkedFiles: number;
  /** The copy's release log head, when it publishes a well-formed log. */
  logHead?: { size: number; root: string };
  /** Server configuration files (`.htaccess`, `_headers`) whose hash matched, when any was checked. */
  checkedServerConfig?: number;
  /** The timestamp that vouches for this manifest (sites with a delegated timestamp key), when it verified. */
  timestamp?: { keyId: string; expires: string };
}
