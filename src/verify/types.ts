/**
 * The result of checking one copy of a site (a folder or a URL) against its signed manifest.
 * Shared by `verify` (one check) and `watch` (checks over time).
 */

/** Why a copy is not genuine, or could not be checked. */
export type VerifyProblemKind =
  | 'modified' // a listed file's bytes differ
  | 'missing' // a listed file is absent
  | 'added' // a file the manifest does not list
  | 'expired' // the manifest's expiry is in the past
  | 'rollback' // version lower than the highest seen for this site
  | 'wrong-key' // signed by a key other than the pinned one
  | 'bad-signature' // signature does not verify
  | 'key-changed' // trust-on-first-use store holds a different key for this site
  | 'revoked-address' // the checked address is listed as revoked in channels.json
  | 'malformed' // manifest or signature unreadable
  | 'unreachable'; // could not fetch/read (exit 2)

export interface VerifyProblem {
  kind: VerifyProblemKind;
  /** Site-relative posix path, when the problem is about one file. */
  path?: string;
  message: string;
  expected?: string;
  actual?: string;
}

/** Signed manifest summary. */
export interface ManifestSummary {
  siteId: string;
  version: number;
  buildTime: string;
  expires: string;
  keyId: string;
  fileCount: number;
}

export interface VerifyReport {
  /** The folder or URL checked. */
  source: string;
  /** genuine → exit 0, not-genuine → exit 1, error (could not check) → exit 2. */
  status: 'genuine' | 'not-genuine' | 'error';
  manifest?: ManifestSummary;
  problems: VerifyProblem[];
  /** Files whose hash matched. */
  checkedFiles: number;
}
