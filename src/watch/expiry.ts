/**
 * Warnings before a mirror's seal or timestamp expires: when the signed manifest
 * a mirror serves, or the timestamp that keeps it fresh (sites with a timestamp
 * key), expires within a few days (default 3), watch alerts once, in plain
 * words naming the mirror and the date, so the group can build (or run
 * `stele refresh`) and publish again before readers are told the site is NOT
 * GENUINE (expired) or STALE (possible freeze). Once per
 * mirror and expiry: what was warned about is kept in the mirror's state, so a
 * restart does not repeat it, and a new seal with a later expiry re-arms it.
 * Pure: no I/O, no clock of its own.
 */
import { createHash } from 'node:crypto';
import { PROBLEM_KIND_INFO } from '../trust/problems.js';
import type { VerifyReport } from '../verify/types.js';
import { formatDuration } from './interval.js';
import type { AlertChannel, AlertPayload, ExpiryNotice, MirrorState, WatchEvent } from './types.js';

/** How long before an expiry watch warns by default: 3 days. */
export const DEFAULT_EXPIRY_WARNING_MS = 3 * 86_400_000;

/** What {@link applyExpiryWarnings} needs to know. */
export interface ExpiryWarningPolicy {
  /** Warn when an expiry is this close (ms). */
  warnBeforeMs: number;
  /** Channels to queue alerts for (empty: events are logged only). */
  channels: readonly AlertChannel[];
}

/**
 * The expiries a report vouches for: the seal of a manifest whose signature was
 * trusted (a forged or unreadable manifest's dates mean nothing), and the
 * timestamp that vouches for it, when one verified.
 */
export function collectExpiries(report: VerifyReport): ExpiryNotice[] {
  if (!report.manifest) return [];
  if (report.problems.some((p) => PROBLEM_KIND_INFO[p.kind].untrustedManifest)) return [];
  const out: ExpiryNotice[] = [{ what: 'seal', expires: report.manifest.expires }];
  if (report.timestamp) out.push({ what: 'timestamp', expires: report.timestamp.expires });
  return out;
}

/** A stable id for one expiry of one mirror: `seal-expires-20250401T000000Z-1a2b3c4d`. */
export function createExpiryAlertId(mirror: string, notice: ExpiryNotice): string {
  const stamp = new Date(notice.expires).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${notice.what}-expires-${stamp}-${createHash('sha256').update(mirror).digest('hex').slice(0, 8)}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A date people read at once, in UTC: `1 April 2025 at 00:00 UTC`. */
export function formatAlertDate(iso: string): string {
  const d = new Date(iso);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} at ${hh}:${mm} UTC`;
}

/** The plain-language paragraph of an `expiring-soon` alert. */
export function summarizeExpiry(mirror: string, notice: ExpiryNotice, now: Date): string {
  const left = formatDuration(Date.parse(notice.expires) - now.getTime());
  if (notice.what === 'timestamp') {
    return `The timestamp of ${mirror} expires on ${formatAlertDate(notice.expires)} (in ${left}). After that, readers who check this copy will be told it is STALE (possible freeze). Run stele refresh and publish before then; if a cron job should do it, check that it still runs.`;
  }
  return `The seal of ${mirror} expires on ${formatAlertDate(notice.expires)} (in ${left}). After that, readers who check this copy will be told it is NOT GENUINE (expired). Build and publish the site again before then (stele build, then stele publish) so it carries a new seal.`;
}

/**
 * Add the `expiring-soon` alerts a report calls for to a mirror's state: one for
 * each trusted expiry that is in the future, within `warnBeforeMs`, and later
 * than the one last warned about for that mirror. A past expiry is not warned
 * about here: verify reports it as `expired`, which opens an incident.
 */
export function applyExpiryWarnings(
  mirror: string,
  previous: MirrorState,
  report: VerifyReport,
  now: Date,
  policy: ExpiryWarningPolicy,
): { next: MirrorState; events: WatchEvent[] } {
  const events: WatchEvent[] = [];
  let next = previous;
  const at = now.toISOString();
  for (const notice of collectExpiries(report)) {
    const expires = Date.parse(notice.expires);
    if (Number.isNaN(expires) || expires <= now.getTime() || expires - now.getTime() > policy.warnBeforeMs) continue;
    const warned = previous.expiryWarned?.[notice.what];
    if (warned !== undefined && Date.parse(warned) >= expires) continue;
    const payload: AlertPayload = {
      schema: 'stele-watch-alert/1',
      event: 'expiring-soon',
      mirror,
      incidentId: createExpiryAlertId(mirror, notice),
      category: 'expiring',
      at,
      firstSeen: at,
      summary: summarizeExpiry(mirror, notice, now),
      kinds: [],
      files: {},
      problems: [],
      ...(report.manifest ? { manifest: report.manifest } : {}),
      expiring: notice,
    };
    next = {
      ...next,
      expiryWarned: { ...next.expiryWarned, [notice.what]: notice.expires },
      pendingAlerts: policy.channels.length > 0 ? [...next.pendingAlerts, { payload, channels: [...policy.channels], attempts: 0 }] : next.pendingAlerts,
    };
    events.push({ type: 'expiring-soon', at, mirror, incidentId: payload.incidentId, alert: true, payload });
  }
  return { next, events };
}
