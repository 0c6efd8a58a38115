/**
 * The incident state machine for one mirror: given its previous state and a new
 * verify report, decide what happened (nothing, incident opened, updated, healed)
 * and what to alert. Pure: no I/O, no clock of its own.
 */
import { createHash } from 'node:crypto';
import { PROBLEM_KIND_INFO, sortProblemKindsFilesFirst, type VerifyProblemKind } from '../trust/problems.js';
import type { VerifyReport } from '../verify/types.js';
import { formatDuration } from './interval.js';
import type {
  AlertChannel,
  AlertPayload,
  IncidentCategory,
  IncidentEventType,
  IncidentState,
  MirrorState,
  UpdateAlertPolicy,
  WatchEvent,
  WatchProblem,
} from './types.js';

/** Order in which kinds are listed in summaries: file changes first. */
const KIND_ORDER: readonly VerifyProblemKind[] = sortProblemKindsFilesFirst();

/** How the state machine behaves. */
export interface IncidentPolicy {
  /** Consecutive `error` checks before an `unreachable` incident opens. */
  errorThreshold: number;
  /** Whether a changed problem set during an incident alerts again. */
  updatePolicy: UpdateAlertPolicy;
  /** Channels to queue alerts for (empty: events are logged only). */
  channels: readonly AlertChannel[];
}

/** Result of {@link applyVerifyReport}. */
export interface MirrorTransition {
  next: MirrorState;
  events: WatchEvent[];
}

/** The stable identity of a problem within an incident: `kind:path`. */
export function getProblemKey(problem: WatchProblem): string {
  return `${problem.kind}:${problem.path ?? ''}`;
}

/** Deduplicate and sort problems by kind order then path. */
export function normalizeProblems(problems: readonly WatchProblem[]): WatchProblem[] {
  const byKey = new Map<string, WatchProblem>();
  for (const p of problems) {
    const key = getProblemKey(p);
    if (!byKey.has(key)) byKey.set(key, { kind: p.kind, ...(p.path !== undefined ? { path: p.path } : {}), message: p.message });
  }
  return [...byKey.values()].sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.path ?? '').localeCompare(b.path ?? ''),
  );
}

/** sha256 over the sorted problem keys; equal sets give equal fingerprints whatever the messages say. */
export function fingerprintProblems(problems: readonly WatchProblem[]): string {
  const keys = [...new Set(problems.map(getProblemKey))].sort();
  return createHash('sha256').update(keys.join('\n')).digest('hex');
}

/** Group file paths by problem kind. */
export function groupFilesByKind(problems: readonly WatchProblem[]): Partial<Record<VerifyProblemKind, string[]>> {
  const files: Partial<Record<VerifyProblemKind, string[]>> = {};
  for (const p of normalizeProblems(problems)) {
    if (p.path === undefined) continue;
    const list = files[p.kind] ?? [];
    list.push(p.path);
    files[p.kind] = list;
  }
  return files;
}

/** Distinct kinds in display order. */
export function listProblemKinds(problems: readonly WatchProblem[]): VerifyProblemKind[] {
  const kinds = new Set(problems.map((p) => p.kind));
  return KIND_ORDER.filter((k) => kinds.has(k));
}

/**
 * Describe a problem set in one line, e.g.
 * `modified: index.html; added: evil.js; missing: about.html; expired`.
 * At most `maxFilesPerKind` paths are named per kind.
 */
export function describeProblems(problems: readonly WatchProblem[], maxFilesPerKind = 10): string {
  const normal = normalizeProblems(problems);
  const parts: string[] = [];
  for (const kind of listProblemKinds(normal)) {
    const ofKind = normal.filter((p) => p.kind === kind);
    const paths = ofKind.filter((p) => p.path !== undefined).map((p) => p.path as string);
    if (paths.length === 0) {
      const message = ofKind[0]?.message;
      parts.push(message ? `${kind} (${message})` : kind);
      continue;
    }
    const shown = paths.slice(0, maxFilesPerKind).join(', ');
    const more = paths.length > maxFilesPerKind ? ` and ${paths.length - maxFilesPerKind} more` : '';
    parts.push(`${kind}: ${shown}${more}`);
  }
  return parts.join('; ');
}

/** Incident ids are derived from the first-seen time and the mirror: `inc-20250101T120000Z-1a2b3c4d`. */
export function createIncidentId(mirror: string, firstSeen: Date): string {
  const stamp = firstSeen.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `inc-${stamp}-${createHash('sha256').update(mirror).digest('hex').slice(0, 8)}`;
}

/**
 * Apply one verify report to a mirror's state. Rules:
 * - `not-genuine` opens a `tampered` incident at once;
 * - `error` opens an `unreachable` incident after `errorThreshold` consecutive errors
 *   (fewer errors change nothing, not even an open incident), or at once when a
 *   problem kind says so (`timed-out`: a check that could not finish in time);
 * - during an open incident, a different problem set is an update (alerted per `updatePolicy`);
 * - `genuine` heals an open incident (always alerted, with what was wrong and for how long);
 * - the manifest version is recorded as the highest seen unless the manifest is untrusted.
 */
export function applyVerifyReport(
  mirror: string,
  previous: MirrorState,
  report: VerifyReport,
  now: Date,
  policy: IncidentPolicy,
): MirrorTransition {
  const at = now.toISOString();
  const problems = normalizeProblems(report.problems);
  const next: MirrorState = {
    ...previous,
    lastStatus: report.status,
    lastCheck: at,
    pendingAlerts: [...previous.pendingAlerts],
  };
  if (report.manifest && !problems.some((p) => PROBLEM_KIND_INFO[p.kind].untrustedManifest)) {
    if (next.highestVersion === undefined || report.manifest.version > next.highestVersion) {
      next.highestVersion = report.manifest.version;
    }
    next.siteId = report.manifest.siteId;
    if (report.logHead && report.logHead.size >= (next.logHead?.size ?? 0)) next.logHead = report.logHead;
  }
  if (report.status === 'error') {
    next.consecutiveErrors = previous.consecutiveErrors + 1;
    next.firstErrorAt = previous.consecutiveErrors > 0 && previous.firstErrorAt ? previous.firstErrorAt : at;
  } else {
    next.consecutiveErrors = 0;
    delete next.firstErrorAt;
  }

  const events: WatchEvent[] = [];
  const emit = (type: IncidentEventType, payload: AlertPayload, alert: boolean): void => {
    events.push({ type, at, mirror, incidentId: payload.incidentId, alert, payload });
    if (alert && policy.channels.length > 0) {
      next.pendingAlerts.push({ payload, channels: [...policy.channels], attempts: 0 });
    }
  };

  // What this check tells us: a problem set, "all good", or nothing yet (errors below threshold).
  let observed: { category: IncidentCategory; problems: WatchProblem[] } | 'genuine' | undefined;
  if (report.status === 'genuine') observed = 'genuine';
  else if (report.status === 'not-genuine') {
    observed = {
      category: 'tampered',
      problems: problems.length > 0 ? problems : [{ kind: 'malformed', message: 'reported not genuine without details' }],
    };
  } else if (next.consecutiveErrors >= policy.errorThreshold || problems.some((p) => PROBLEM_KIND_INFO[p.kind].incidentAtOnce)) {
    observed = {
      category: 'unreachable',
      problems: problems.length > 0 ? problems : [{ kind: 'unreachable', message: 'could not be checked' }],
    };
  }

  const incident = previous.incident;
  if (observed === 'genuine') {
    if (incident) {
      const healed: AlertPayload = {
        ...createPayloadBase('incident-healed', mirror, incident, at, incident.everProblems, report),
        durationMs: now.getTime() - Date.parse(incident.firstSeen),
      };
      healed.summary = summarize(healed);
      emit('incident-healed', healed, true);
      delete next.incident;
    }
  } else if (observed) {
    const fingerprint = fingerprintProblems(observed.problems);
    if (!incident) {
      const firstSeen = observed.category === 'unreachable' && next.firstErrorAt ? next.firstErrorAt : at;
      const opened: IncidentState = {
        id: createIncidentId(mirror, new Date(firstSeen)),
        category: observed.category,
        firstSeen,
        lastChanged: at,
        fingerprint,
        problems: observed.problems,
        everProblems: observed.problems,
        updates: 0,
      };
      next.incident = opened;
      const payload = createPayloadBase('incident-opened', mirror, opened, at, observed.problems, report);
      payload.summary = summarize(payload);
      emit('incident-opened', payload, true);
    } else if (incident.fingerprint !== fingerprint || incident.category !== observed.category) {
      const oldKeys = new Set(incident.problems.map(getProblemKey));
      const newKeys = new Set(observed.problems.map(getProblemKey));
      const everKeys = new Set(incident.everProblems.map(getProblemKey));
      const appeared = observed.problems.filter((p) => !oldKeys.has(getProblemKey(p)));
      const resolved = incident.problems.filter((p) => !newKeys.has(getProblemKey(p)));
      const grew = observed.problems.some((p) => !everKeys.has(getProblemKey(p)));
      const updated: IncidentState = {
        ...incident,
        category: observed.category,
        lastChanged: at,
        fingerprint,
        problems: observed.problems,
        everProblems: normalizeProblems([...incident.everProblems, ...observed.problems]),
        updates: incident.updates + 1,
      };
      next.incident = updated;
      const payload: AlertPayload = {
        ...createPayloadBase('incident-updated', mirror, updated, at, observed.problems, report),
        appeared,
        resolved,
      };
      payload.summary = summarize(payload);
      const alert =
        policy.updatePolicy === 'any-change' ? true : policy.updatePolicy === 'growth' ? grew : false;
      emit('incident-updated', payload, alert);
    }
  }

  events.unshift({
    type: 'check',
    at,
    mirror,
    status: report.status,
    problems,
    ...(report.manifest ? { manifestVersion: report.manifest.version } : {}),
    checkedFiles: report.checkedFiles,
    consecutiveErrors: next.consecutiveErrors,
    ...(next.incident ? { incidentId: next.incident.id } : {}),
  });
  return { next, events };
}

function createPayloadBase(
  event: IncidentEventType,
  mirror: string,
  incident: IncidentState,
  at: string,
  problems: WatchProblem[],
  report: VerifyReport,
): AlertPayload {
  return {
    schema: 'stele-watch-alert/1',
    event,
    mirror,
    incidentId: incident.id,
    category: incident.category,
    at,
    firstSeen: incident.firstSeen,
    summary: '',
    kinds: listProblemKinds(problems),
    files: groupFilesByKind(problems),
    problems,
    ...(report.manifest ? { manifest: report.manifest } : {}),
  };
}

/** The human paragraph of an alert payload. */
export function summarize(payload: AlertPayload): string {
  const what = describeProblems(payload.problems);
  switch (payload.event) {
    case 'incident-opened':
      return payload.category === 'unreachable'
        ? `${payload.mirror} cannot be checked (since ${payload.firstSeen}): ${what}.`
        : `${payload.mirror} is NOT GENUINE: ${what}.`;
    case 'incident-updated': {
      const parts = [`${payload.mirror} is still ${payload.category === 'unreachable' ? 'not checkable' : 'NOT GENUINE'}: ${what}.`];
      if (payload.appeared?.length) parts.push(`New: ${describeProblems(payload.appeared)}.`);
      if (payload.resolved?.length) parts.push(`No longer: ${describeProblems(payload.resolved)}.`);
      return parts.join(' ');
    }
    case 'incident-healed':
      return `${payload.mirror} is genuine again after ${formatDuration(payload.durationMs ?? 0)} (incident ${payload.incidentId}, from ${payload.firstSeen}). What was wrong: ${what}.`;
    case 'expiring-soon':
      // Written by the expiry warning itself (expiry.ts).
      return payload.summary;
  }
}
