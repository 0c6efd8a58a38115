/**
 * The kinds of problem a check of a copy can find: the one definition used by
 * verify's report, its formatter, watch's incidents and watch's state file.
 */

/** What each problem kind means for the verdict and how it is shown. */
export interface ProblemKindInfo {
  /** Heading in a report. */
  title: string;
  /** `not-genuine`: the copy is proven wrong (exit 1); `could-not-check`: no verdict (exit 2). */
  verdict: 'not-genuine' | 'could-not-check';
  /** True when the manifest itself cannot be trusted (its version must not be remembered). */
  untrustedManifest: boolean;
  /** True for problems with individual files of the site. */
  file: boolean;
  /**
   * True when watch opens an incident the first time a check finds it, although
   * it gives no verdict (other could-not-check kinds wait for several failed checks in a row).
   */
  incidentAtOnce: boolean;
}

/**
 * Every problem kind, in report order (most serious first). Watch lists file
 * problems first (see {@link sortProblemKindsFilesFirst}).
 */
export const VERIFY_PROBLEM_KINDS = [
  'key-changed', // the trust store holds a different key for this site and no rotation leads to the new one, or the release log changes key without one
  'split-view', // two mirrors show release logs that do not extend one another (the same key signed two histories)
  'history-rewritten', // the release log does not extend the head remembered before (truncated or rewritten)
  'wrong-key', // signed by a key other than the pinned one, or by a revoked key
  'bad-signature', // the signature does not verify
  'malformed', // manifest or signature unreadable or not in the form stele writes
  'unsigned', // a reachable address of a pinned site serves no readable signed manifest
  'revoked-address', // the checked address is listed as revoked in the signed channels.json
  'rollback', // version lower than the highest seen for this site
  'log-broken', // the release log is unreadable, badly signed, or does not hash to its signed checkpoint
  'not-in-log', // the verified manifest is not the last entry of the release log
  'expired', // the manifest's expiry is in the past
  'stale', // the timestamp that keeps the site fresh expired or vouches for another version (possible freeze)
  'modified', // a listed file's bytes differ
  'missing', // a listed file is absent
  'added', // a file the manifest does not list
  'timed-out', // the whole check did not finish within its deadline (a mirror that never answers)
  'unreachable', // could not fetch or read
] as const;

/** Why a copy is not genuine, or could not be checked. */
export type VerifyProblemKind = (typeof VERIFY_PROBLEM_KINDS)[number];

/** Verdict, title and grouping of every problem kind. */
export const PROBLEM_KIND_INFO: Readonly<Record<VerifyProblemKind, ProblemKindInfo>> = {
  'key-changed': { title: 'KEY CHANGED', verdict: 'not-genuine', untrustedManifest: true, file: false, incidentAtOnce: false },
  'split-view': { title: 'SPLIT VIEW', verdict: 'not-genuine', untrustedManifest: true, file: false, incidentAtOnce: false },
  'history-rewritten': { title: 'HISTORY REWRITTEN', verdict: 'not-genuine', untrustedManifest: true, file: false, incidentAtOnce: false },
  'wrong-key': { title: 'signed by the wrong key', verdict: 'not-genuine', untrustedManifest: true, file: false, incidentAtOnce: false },
  'bad-signature': { title: 'bad signature', verdict: 'not-genuine', untrustedManifest: true, file: false, incidentAtOnce: false },
  malformed: { title: 'unreadable manifest or signature', verdict: 'not-genuine', untrustedManifest: true, file: false, incidentAtOnce: false },
  unsigned: { title: 'no signed manifest', verdict: 'not-genuine', untrustedManifest: true, file: false, incidentAtOnce: true },
  'revoked-address': { title: 'revoked address', verdict: 'not-genuine', untrustedManifest: false, file: false, incidentAtOnce: false },
  rollback: { title: 'rollback to an older version', verdict: 'not-genuine', untrustedManifest: false, file: false, incidentAtOnce: false },
  'log-broken': { title: 'broken release log', verdict: 'not-genuine', untrustedManifest: true, file: false, incidentAtOnce: false },
  'not-in-log': { title: 'version not at the end of the release log', verdict: 'not-genuine', untrustedManifest: true, file: false, incidentAtOnce: false },
  expired: { title: 'expired signature', verdict: 'not-genuine', untrustedManifest: false, file: false, incidentAtOnce: false },
  stale: { title: 'stale (possible freeze)', verdict: 'not-genuine', untrustedManifest: false, file: false, incidentAtOnce: false },
  modified: { title: 'modified files', verdict: 'not-genuine', untrustedManifest: false, file: true, incidentAtOnce: false },
  missing: { title: 'missing files', verdict: 'not-genuine', untrustedManifest: false, file: true, incidentAtOnce: false },
  added: { title: 'files not in the signed manifest', verdict: 'not-genuine', untrustedManifest: false, file: true, incidentAtOnce: false },
  'timed-out': { title: 'check did not finish in time', verdict: 'could-not-check', untrustedManifest: false, file: false, incidentAtOnce: true },
  unreachable: { title: 'could not check', verdict: 'could-not-check', untrustedManifest: false, file: false, incidentAtOnce: false },
};

/** One problem found in a copy. */
export interface VerifyProblem {
  kind: VerifyProblemKind;
  /** Site-relative posix path, when the problem is about one file. */
  path?: string;
  message: string;
  expected?: string;
  actual?: string;
}

/** True when `value` names a problem kind. */
export function isVerifyProblemKind(value: string): value is VerifyProblemKind {
  return (VERIFY_PROBLEM_KINDS as readonly string[]).includes(value);
}

/** All kinds with file problems first, then the others in report order (watch's summaries). */
export function sortProblemKindsFilesFirst(): VerifyProblemKind[] {
  return [
    ...VERIFY_PROBLEM_KINDS.filter((k) => PROBLEM_KIND_INFO[k].file),
    ...VERIFY_PROBLEM_KINDS.filter((k) => !PROBLEM_KIND_INFO[k].file),
  ];
}

/**
 * The verdict for a set of problems: genuine when there are none, not genuine when
 * any proves the copy wrong, otherwise could not check.
 */
export function resolveVerdict(problems: readonly Pick<VerifyProblem, 'kind'>[]): 'genuine' | 'not-genuine' | 'error' {
  if (problems.some((p) => PROBLEM_KIND_INFO[p.kind].verdict === 'not-genuine')) return 'not-genuine';
  return problems.length > 0 ? 'error' : 'genuine';
}
