/**
 * Adapt `verifySite` to the watch loop's verify port, and enforce the watcher's
 * own rollback floor (the highest version this watcher has seen for the mirror)
 * on top of whatever the verifier's trust store knows.
 */
import { MANIFEST_PATH } from '../trust/paths.js';
import type { VerifyReport } from '../verify/types.js';
import { type VerifyOptions, verifySite } from '../verify/verify-site.js';
import type { WatchVerifyFunction, WatchVerifyOptions } from './types.js';

/** Options of {@link createSiteVerifier}. */
export interface SiteVerifierOptions {
  /** The verifier (default `verifySite`). */
  verify?: (source: string, options: VerifyOptions) => Promise<VerifyReport>;
  /** Trust-on-first-use store folder; `false` disables it (then pin a key). Default: verify's default. */
  trustStoreDir?: string | false;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
  /** Parallel requests per mirror. */
  concurrency?: number;
}

/**
 * Add a `rollback` problem when the served manifest is older than `highestVersion`
 * and the verifier did not already say so. The report becomes `not-genuine`.
 */
export function enforceRollbackFloor(report: VerifyReport, highestVersion: number | undefined): VerifyReport {
  if (highestVersion === undefined || !report.manifest) return report;
  if (report.manifest.version >= highestVersion) return report;
  if (report.problems.some((p) => p.kind === 'rollback')) return report;
  return {
    ...report,
    status: 'not-genuine',
    problems: [
      ...report.problems,
      {
        kind: 'rollback',
        path: MANIFEST_PATH,
        message: `version ${report.manifest.version} is older than version ${highestVersion} this watcher saw before`,
        expected: `>= ${highestVersion}`,
        actual: String(report.manifest.version),
      },
    ],
  };
}

/** The watch loop's verify function backed by `verifySite`. */
export function createSiteVerifier(options: SiteVerifierOptions = {}): WatchVerifyFunction {
  const verify = options.verify ?? verifySite;
  return async (source: string, watch: WatchVerifyOptions): Promise<VerifyReport> => {
    const report = await verify(source, {
      now: watch.now,
      ...(watch.publicKey !== undefined ? { publicKey: watch.publicKey } : {}),
      ...(watch.fetch ? { fetch: watch.fetch } : {}),
      ...(watch.signal ? { signal: watch.signal } : {}),
      ...(watch.deadlineMs !== undefined ? { deadlineMs: watch.deadlineMs } : {}),
      ...(options.trustStoreDir !== undefined ? { trustStoreDir: options.trustStoreDir } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(watch.mirrorLogHeads?.length ? { mirrorLogHeads: watch.mirrorLogHeads } : {}),
    });
    return enforceRollbackFloor(report, watch.highestVersion);
  };
}
