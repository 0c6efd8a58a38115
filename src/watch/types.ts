/**
 * Types shared by the watch loop, its state file, its alerts and its CLI.
 */
import type { Diagnostic } from '../errors/diagnostic.js';
import type { ManifestSummary, VerifyProblemKind, VerifyReport } from '../verify/types.js';

/** What the watch loop passes to the verify function on every check. */
export interface WatchVerifyOptions {
  /** The watcher's clock (expiry is judged against it). */
  now: Date;
  /** Highest manifest version ever seen for this mirror; a lower one is a rollback. */
  highestVersion?: number;
  /** Pinned minisign public key (contents of the `.pub` file), when `--key` was given. */
  publicKey?: string;
  /** Aborted when the check's deadline passes or the watcher stops. */
  signal?: AbortSignal;
  /** Deadline of the whole check in ms (the watcher also aborts `signal` when it passes). */
  deadlineMs?: number;
  /** The fetch to use for HTTP(S) sources. */
  fetch?: typeof globalThis.fetch;
  /** Release log heads the other mirrors showed: this mirror's log must extend each one it is not shorter than (else split view). */
  mirrorLogHeads?: readonly { head: { size: number; root: string }; mirror: string; siteId?: string }[];
}

/** The injected verify function (the real one is `verifySite`). */
export type WatchVerifyFunction = (source: string, options: WatchVerifyOptions) => Promise<VerifyReport>;

/** A problem as the watcher stores and reports it. */
export interface WatchProblem {
  kind: VerifyProblemKind;
  path?: string;
  message: string;
}

/** `tampered`: the mirror answered but is not genuine. `unreachable`: it could not be checked N times running. */
export type IncidentCategory = 'tampered' | 'unreachable';

/** When an incident's problem set changes, whether to alert again. */
export type UpdateAlertPolicy =
  /** Alert on every change of the problem set. */
  | 'any-change'
  /** Alert only when a problem appears that was not seen before during this incident. */
  | 'growth'
  /** Never alert for updates (they are still logged). */
  | 'none';

/** The incident events that can trigger an alert. */
export type IncidentEventType = 'incident-opened' | 'incident-updated' | 'incident-healed';

/**
 * Every event that can trigger an alert: the incident events, and `expiring-soon`
 * (a mirror's seal expires within a few days; not an incident, alerted once per
 * mirror and expiry).
 */
export type AlertEventType = IncidentEventType | 'expiring-soon';

/**
 * What is about to expire: the manifest's own seal (the signed manifest's
 * `expires`), or the timestamp that keeps a site with a timestamp key fresh.
 */
export type ExpiringThing = 'seal' | 'timestamp';

/** An expiry an `expiring-soon` alert is about. */
export interface ExpiryNotice {
  what: ExpiringThing;
  /** ISO time it expires. */
  expires: string;
}

/** Where an alert is delivered. */
export type AlertChannel = 'command' | 'webhook';

/** The JSON sent to the alert command (stdin) and the webhook (POST body). */
export interface AlertPayload {
  schema: 'stele-watch-alert/1';
  event: AlertEventType;
  mirror: string;
  /** The incident's id; for `expiring-soon`, an id naming the mirror and the expiry. */
  incidentId: string;
  /** `expiring`: an `expiring-soon` warning (no problem was found). */
  category: IncidentCategory | 'expiring';
  /** ISO time of this event. */
  at: string;
  /** ISO time the incident was first observed. */
  firstSeen: string;
  /** One human-readable paragraph. */
  summary: string;
  /** Distinct problem kinds, sorted (for `incident-healed`: everything seen during the incident). */
  kinds: VerifyProblemKind[];
  /** File paths by problem kind (only kinds that concern files). */
  files: Partial<Record<VerifyProblemKind, string[]>>;
  /** Current problems (for `incident-healed`: every problem seen during the incident). */
  problems: WatchProblem[];
  /** `incident-updated`: problems that appeared since the previous state. */
  appeared?: WatchProblem[];
  /** `incident-updated`: problems that went away since the previous state. */
  resolved?: WatchProblem[];
  /** `incident-healed`: how long the incident lasted, in milliseconds. */
  durationMs?: number;
  /** Manifest the mirror served at this check, when it could be read. */
  manifest?: ManifestSummary;
  /** `expiring-soon`: what expires, and when. */
  expiring?: ExpiryNotice;
}

/** An incident opened, changed or healed, or an expiry about to come. */
export interface IncidentWatchEvent<T extends AlertEventType = AlertEventType> {
  type: T;
  at: string;
  mirror: string;
  incidentId: string;
  /** Whether the configured alert channels are notified for this event. */
  alert: boolean;
  payload: AlertPayload;
}

/** One event of the watch loop; `--json` prints them as JSON lines. */
export type WatchEvent =
  | {
      type: 'check';
      at: string;
      mirror: string;
      status: VerifyReport['status'];
      problems: WatchProblem[];
      manifestVersion?: number;
      checkedFiles: number;
      consecutiveErrors: number;
      /** The open incident after this check, if any. */
      incidentId?: string;
    }
  | IncidentWatchEvent<'incident-opened'>
  | IncidentWatchEvent<'incident-updated'>
  | IncidentWatchEvent<'incident-healed'>
  | IncidentWatchEvent<'expiring-soon'>
  | {
      type: 'alert-delivered';
      at: string;
      mirror: string;
      incidentId: string;
      event: AlertEventType;
      channel: AlertChannel;
    }
  | {
      type: 'alert-failed';
      at: string;
      mirror: string;
      incidentId: string;
      event: AlertEventType;
      channel: AlertChannel;
      /** False when stele gave up on this alert. */
      willRetry: boolean;
      diagnostic: Diagnostic;
    }
  | {
      type: 'state-error';
      at: string;
      /** True when the watcher cannot go on (the state file could not be loaded). */
      fatal: boolean;
      diagnostic: Diagnostic;
    };

/** An open incident, as kept in the state file. */
export interface IncidentState {
  id: string;
  category: IncidentCategory;
  firstSeen: string;
  lastChanged: string;
  /** sha256 over the sorted problem keys (`kind:path`). */
  fingerprint: string;
  problems: WatchProblem[];
  /** Every problem seen during the incident (for `growth` and the healed summary). */
  everProblems: WatchProblem[];
  updates: number;
}

/** An alert not yet delivered to every channel (kept in the state file so a crash does not lose it). */
export interface PendingAlert {
  payload: AlertPayload;
  channels: AlertChannel[];
  attempts: number;
}

/** What the watcher remembers about one mirror. */
export interface MirrorState {
  lastStatus?: VerifyReport['status'];
  lastCheck?: string;
  /** Highest authentic manifest version seen; fed back to verify for rollback detection. */
  highestVersion?: number;
  siteId?: string;
  /** The longest release log head this mirror showed (compared with the other mirrors' logs: split view). */
  logHead?: { size: number; root: string };
  consecutiveErrors: number;
  /** When the current run of errors began. */
  firstErrorAt?: string;
  incident?: IncidentState;
  /** Expiries already warned about (`expiring-soon`), by what expires: a later expiry re-arms the warning. */
  expiryWarned?: Partial<Record<ExpiringThing, string>>;
  pendingAlerts: PendingAlert[];
}

/** The state file's content. */
export interface WatchState {
  format: 'stele-watch-state';
  version: 1;
  /** Keyed by normalised mirror URL. */
  mirrors: Record<string, MirrorState>;
}
