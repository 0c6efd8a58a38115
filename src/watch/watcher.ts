/**
 * The watch loop: verify every mirror, apply the incident state machine, persist
 * state, deliver alerts. Every effect (clock, sleep, verify, command runner,
 * fetch, file system) is injected so the loop runs in tests without real time.
 */
import { createDiagnostic } from '../errors/catalogue.js';
import { WATCH_ALERT_COMMAND_FAILED, WATCH_WEBHOOK_FAILED } from '../errors/codes-watch.js';
import { createNodeFileSystem, type FileSystem } from '../io/host.js';
import { resolveVerdict } from '../trust/problems.js';
import { formatLogHead } from '../trust/release-log.js';
import type { VerifyReport } from '../verify/types.js';
import {
  type AlertCommandRunner,
  createShellCommandRunner,
  type DeliveryResult,
  postWebhook,
  runAlertCommand,
  type SleepFunction,
} from './alert.js';
import { applyExpiryWarnings, DEFAULT_EXPIRY_WARNING_MS } from './expiry.js';
import { applyVerifyReport } from './incident.js';
import { createEmptyMirrorState, createEmptyWatchState, loadWatchState, saveWatchState } from './state.js';
import type {
  AlertChannel,
  MirrorState,
  PendingAlert,
  UpdateAlertPolicy,
  WatchEvent,
  WatchState,
  WatchVerifyFunction,
  WatchVerifyOptions,
} from './types.js';

/** Options of {@link createWatcher}. */
export interface WatcherOptions {
  /** Live mirror addresses (normalised with `new URL().href`; duplicates dropped). */
  mirrors: readonly string[];
  /** Checks one mirror; the real one is `verifySite`. */
  verify: WatchVerifyFunction;
  /** Time between the starts of two rounds of checks (default 5 min). */
  intervalMs?: number;
  /** Mirrors checked at the same time (default 4). */
  concurrency?: number;
  /** Consecutive errors before an `unreachable` incident opens (default 2). */
  errorThreshold?: number;
  /** Whether a changed problem set alerts again (default `any-change`). */
  updatePolicy?: UpdateAlertPolicy;
  /**
   * Deadline of each mirror's check in a round (default 120 s): past it the check is
   * stopped and reported `timed-out`, which opens an incident at once.
   */
  checkTimeoutMs?: number;
  /**
   * Warn (`expiring-soon`, once per mirror and expiry) when a mirror's seal
   * expires within this many ms (default 3 days).
   */
  expiryWarningMs?: number;
  /** Rounds after which an undeliverable alert is dropped (default 10). */
  maxDeliveryAttempts?: number;
  /** Shell command run for each alert (payload JSON on stdin, `STELE_*` variables). */
  alertCommand?: string;
  /** URL the payload is POSTed to for each alert. */
  webhookUrl?: string;
  /** Webhook tuning (per-attempt timeout, retries, first backoff delay). */
  webhook?: { timeoutMs?: number; retries?: number; backoffMs?: number };
  /** Pinned public key, passed to verify. */
  publicKey?: string;
  /** Where state is kept; without it nothing is persisted. */
  statePath?: string;
  /** Already loaded state (skips loading `statePath`; it is still saved there). */
  state?: WatchState;
  /** File system for the state file (default: real disk). */
  fs?: FileSystem;
  /** Clock (default: real time). */
  now?: () => Date;
  /** Sleep (default: `setTimeout`); used between rounds, for check timeouts and webhook backoff. */
  sleep?: SleepFunction;
  /** Runs the alert command (default: `/bin/sh -c`). */
  runCommand?: AlertCommandRunner;
  /** Fetch for the webhook, also passed to verify (default: global fetch). */
  fetch?: typeof globalThis.fetch;
  /** Called with every event as it happens (logging). */
  onEvent?: (event: WatchEvent) => void;
}

/** A running watch. */
export interface Watcher {
  /** One round: check every mirror once, alert, save state. Returns the round's events. */
  checkOnce(): Promise<WatchEvent[]>;
  /** Check rounds every interval until `signal` aborts (or the state cannot be loaded). */
  run(signal: AbortSignal): Promise<void>;
  /** A copy of the current state (undefined before the first round when loading from disk). */
  getState(): WatchState | undefined;
}

/** A sleep on the real clock. */
export const sleepWithTimer: SleepFunction = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * The release log heads the other mirrors showed in earlier rounds: verify
 * proves this mirror's log extends each it is not shorter than (else split view).
 */
export function collectOtherLogHeads(
  mirrors: readonly string[],
  states: Readonly<Record<string, MirrorState>>,
  index: number,
): NonNullable<WatchVerifyOptions['mirrorLogHeads']> {
  const out: { head: { size: number; root: string }; mirror: string; siteId?: string }[] = [];
  mirrors.forEach((m, j) => {
    const state = states[m];
    if (j !== index && state?.logHead) out.push({ head: state.logHead, mirror: m, ...(state.siteId ? { siteId: state.siteId } : {}) });
  });
  return out;
}

/**
 * Two mirrors of one site that show logs of the same size with different roots
 * in the same round are a split view at once (the consistency of logs of
 * different sizes is proven by verify against the heads of earlier rounds).
 */
export function addSplitViews(mirrors: readonly string[], reports: (VerifyReport | undefined)[]): void {
  for (let i = 0; i < reports.length; i++) {
    const a = reports[i];
    if (!a?.logHead || !a.manifest) continue;
    for (let j = 0; j < reports.length; j++) {
      const b = reports[j];
      if (i === j || !b?.logHead || !b.manifest || b.manifest.siteId !== a.manifest.siteId) continue;
      if (a.logHead.size !== b.logHead.size || a.logHead.root === b.logHead.root) continue;
      if (a.problems.some((p) => p.kind === 'split-view' && p.message.includes(mirrors[j]))) continue;
      a.problems.push({
        kind: 'split-view',
        message: `SPLIT VIEW: ${mirrors[i]} and ${mirrors[j]} show two different histories of ${a.manifest.siteId}, both signed with the site's key (${formatLogHead(a.logHead)} here, ${formatLogHead(b.logHead)} there): your signing key may be in someone else's hands`,
        expected: `${mirrors[j]}: size ${b.logHead.size} root ${b.logHead.root}`,
        actual: `${mirrors[i]}: size ${a.logHead.size} root ${a.logHead.root}`,
      });
      reports[i] = { ...a, status: resolveVerdict(a.problems) };
    }
  }
}

/** Normalise a mirror address the way the state file keys it. */
export function normalizeMirrorUrl(url: string): string {
  return new URL(url).href;
}

/** Create a watcher. Nothing happens until `checkOnce` or `run` is called. */
export function createWatcher(options: WatcherOptions): Watcher {
  const mirrors = [...new Set(options.mirrors.map(normalizeMirrorUrl))];
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? sleepWithTimer;
  const fs = options.fs ?? createNodeFileSystem();
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const runCommand = options.runCommand ?? createShellCommandRunner();
  const intervalMs = options.intervalMs ?? 300_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const checkTimeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_DEADLINE_MS;
  const maxDeliveryAttempts = Math.max(1, options.maxDeliveryAttempts ?? 10);
  const channels: AlertChannel[] = [];
  if (options.alertCommand) channels.push('command');
  if (options.webhookUrl) channels.push('webhook');
  const policy = {
    errorThreshold: Math.max(1, options.errorThreshold ?? 2),
    updatePolicy: options.updatePolicy ?? 'any-change',
    channels,
  } as const;

  let state: WatchState | undefined = options.state ? structuredClone(options.state) : undefined;
  let running: Promise<WatchEvent[]> | undefined;
  let stopSignal: AbortSignal | undefined;

  async function ensureState(events: WatchEvent[]): Promise<WatchState | undefined> {
    if (state) return state;
    if (!options.statePath) {
      state = createEmptyWatchState();
      return state;
    }
    const loaded = await loadWatchState(fs, options.statePath);
    if (!loaded.ok) {
      record(events, { type: 'state-error', at: now().toISOString(), fatal: true, diagnostic: loaded.diagnostic });
      return undefined;
    }
    state = loaded.state;
    return state;
  }

  function record(events: WatchEvent[], event: WatchEvent): void {
    events.push(event);
    options.onEvent?.(event);
  }

  async function persist(events: WatchEvent[]): Promise<void> {
    if (!options.statePath || !state) return;
    const problem = await saveWatchState(fs, options.statePath, state);
    if (problem) record(events, { type: 'state-error', at: now().toISOString(), fatal: false, diagnostic: problem });
  }

  /**
   * Check one mirror within the deadline. Undefined when the watcher was stopped
   * during the check (its partial report is not applied).
   */
  async function verifyWithDeadline(
    mirror: string,
    mirrorState: MirrorState,
    mirrorLogHeads: NonNullable<WatchVerifyOptions['mirrorLogHeads']>,
  ): Promise<VerifyReport | undefined> {
    const controller = new AbortController();
    let stopped = false;
    const onStop = () => {
      stopped = true;
      controller.abort();
    };
    if (stopSignal?.aborted) return undefined;
    stopSignal?.addEventListener('abort', onStop, { once: true });
    const check = options
      .verify(mirror, {
        now: now(),
        ...(mirrorState.highestVersion !== undefined ? { highestVersion: mirrorState.highestVersion } : {}),
        ...(options.publicKey !== undefined ? { publicKey: options.publicKey } : {}),
        ...(mirrorLogHeads.length > 0 ? { mirrorLogHeads } : {}),
        signal: controller.signal,
        deadlineMs: checkTimeoutMs,
        fetch: fetchImpl,
      })
      .catch((error: unknown) => unreachableReport(mirror, error instanceof Error ? error.message : String(error)));
    try {
      const first = await Promise.race([check, sleep(checkTimeoutMs, controller.signal).then(() => undefined)]);
      if (stopped) {
        await check;
        return undefined;
      }
      if (first) return first;
      // The deadline passed: stop the check. A verifier that honours the signal
      // reports at once what it found in time; one that does not is not waited for.
      controller.abort();
      const waited = new AbortController();
      const late = await Promise.race([check, sleep(LATE_REPORT_MS, waited.signal).then(() => undefined)]);
      waited.abort();
      return addTimedOut(late, mirror, checkTimeoutMs);
    } finally {
      controller.abort();
      stopSignal?.removeEventListener('abort', onStop);
    }
  }

  async function deliver(alert: PendingAlert): Promise<Map<AlertChannel, DeliveryResult>> {
    const results = new Map<AlertChannel, DeliveryResult>();
    for (const channel of alert.channels) {
      if (channel === 'command' && options.alertCommand) {
        results.set(channel, await runAlertCommand(runCommand, options.alertCommand, alert.payload));
      } else if (channel === 'webhook' && options.webhookUrl) {
        results.set(
          channel,
          await postWebhook(options.webhookUrl, alert.payload, {
            fetch: fetchImpl,
            sleep: (ms) => sleep(ms, stopSignal),
            ...options.webhook,
          }),
        );
      } else {
        // The channel is no longer configured (state from an earlier run): drop it.
        results.set(channel, { ok: true });
      }
    }
    return results;
  }

  async function deliverPending(events: WatchEvent[]): Promise<boolean> {
    if (!state) return false;
    let changed = false;
    for (const mirror of Object.keys(state.mirrors)) {
      const mirrorState = state.mirrors[mirror];
      if (mirrorState.pendingAlerts.length === 0) continue;
      const remaining: PendingAlert[] = [];
      for (const alert of mirrorState.pendingAlerts) {
        changed = true;
        const results = await deliver(alert);
        const attempts = alert.attempts + 1;
        const failed: AlertChannel[] = [];
        for (const [channel, result] of results) {
          const base = {
            at: now().toISOString(),
            mirror,
            incidentId: alert.payload.incidentId,
            event: alert.payload.event,
            channel,
          };
          if (result.ok) {
            if (options[channel === 'command' ? 'alertCommand' : 'webhookUrl']) {
              record(events, { type: 'alert-delivered', ...base });
            }
            continue;
          }
          const willRetry = attempts < maxDeliveryAttempts;
          if (willRetry) failed.push(channel);
          const def = channel === 'command' ? WATCH_ALERT_COMMAND_FAILED : WATCH_WEBHOOK_FAILED;
          record(events, {
            type: 'alert-failed',
            ...base,
            willRetry,
            diagnostic: createDiagnostic(def, {}, result.message),
          });
        }
        if (failed.length > 0) remaining.push({ payload: alert.payload, channels: failed, attempts });
      }
      state.mirrors[mirror] = { ...state.mirrors[mirror], pendingAlerts: remaining };
    }
    return changed;
  }

  async function round(): Promise<WatchEvent[]> {
    const events: WatchEvent[] = [];
    const current = await ensureState(events);
    if (!current) return events;
    for (const m of mirrors) current.mirrors[m] ??= createEmptyMirrorState();

    // Verify with bounded concurrency; apply results in mirror order so output is deterministic.
    const reports = new Array<VerifyReport | undefined>(mirrors.length);
    let nextIndex = 0;
    const workers = Array.from({ length: Math.min(concurrency, mirrors.length) }, async () => {
      while (nextIndex < mirrors.length) {
        const i = nextIndex++;
        reports[i] = await verifyWithDeadline(mirrors[i], current.mirrors[mirrors[i]], collectOtherLogHeads(mirrors, current.mirrors, i));
      }
    });
    await Promise.all(workers);
    addSplitViews(mirrors, reports);

    for (let i = 0; i < mirrors.length; i++) {
      const report = reports[i];
      // A check cut short by stopping the watcher tells nothing: it is not applied.
      if (!report) continue;
      const at = now();
      const applied = applyVerifyReport(mirrors[i], current.mirrors[mirrors[i]], report, at, policy);
      const warned = applyExpiryWarnings(mirrors[i], applied.next, report, at, {
        warnBeforeMs: options.expiryWarningMs ?? DEFAULT_EXPIRY_WARNING_MS,
        channels,
      });
      current.mirrors[mirrors[i]] = warned.next;
      for (const e of [...applied.events, ...warned.events]) record(events, e);
    }
    // Save before alerting (a crash mid-delivery re-sends rather than loses), and after.
    await persist(events);
    if (await deliverPending(events)) await persist(events);
    return events;
  }

  function checkOnce(): Promise<WatchEvent[]> {
    // Rounds never overlap: a call during a round waits for it, then runs its own.
    const previous = running ?? Promise.resolve([]);
    const next = previous.catch(() => []).then(round);
    running = next;
    return next;
  }

  return {
    checkOnce,
    async run(signal) {
      stopSignal = signal;
      try {
        while (!signal.aborted) {
          const started = now().getTime();
          const events = await checkOnce();
          if (events.some((e) => e.type === 'state-error' && e.fatal)) return;
          if (signal.aborted) return;
          const wait = Math.max(0, started + intervalMs - now().getTime());
          await sleep(wait, signal);
        }
      } finally {
        stopSignal = undefined;
      }
    },
    getState() {
      return state ? structuredClone(state) : undefined;
    },
  };
}

/** Default deadline of one mirror's check in a watch round. */
export const DEFAULT_CHECK_DEADLINE_MS = 120_000;

/** How long a stopped check may take to report what it found before the deadline. */
const LATE_REPORT_MS = 5_000;

/** `report` (or nothing) as a check that hit its deadline: it carries a `timed-out` problem. */
function addTimedOut(report: VerifyReport | undefined, source: string, deadlineMs: number): VerifyReport {
  if (report?.problems.some((p) => p.kind === 'timed-out')) return report;
  const timedOut = { kind: 'timed-out' as const, message: `no verdict within ${deadlineMs / 1000}s (the check's deadline)` };
  // Errors from requests the deadline aborted say nothing about the mirror.
  const problems = [...(report?.problems.filter((p) => p.kind !== 'unreachable') ?? []), timedOut];
  return { ...(report ?? { source, checkedFiles: 0 }), problems, status: resolveVerdict(problems) };
}

function unreachableReport(source: string, message: string): VerifyReport {
  return { source, status: 'error', problems: [{ kind: 'unreachable', message }], checkedFiles: 0 };
}
