/**
 * `stele watch`: verify live mirrors on a schedule and alert once per incident.
 */
export {
  type AlertCommandRunner,
  createAlertEnvironment,
  createShellCommandRunner,
  type DeliveryResult,
  postWebhook,
  runAlertCommand,
  type SleepFunction,
  stripControlCharacters,
  type WebhookOptions,
} from './alert.js';
export {
  applyExpiryWarnings,
  collectExpiries,
  createExpiryAlertId,
  DEFAULT_EXPIRY_WARNING_MS,
  type ExpiryWarningPolicy,
  formatAlertDate,
  summarizeExpiry,
} from './expiry.js';
export { formatWatchEvent, formatWatchEventJson, isNotableWatchEvent } from './format.js';
export {
  applyVerifyReport,
  createIncidentId,
  describeProblems,
  fingerprintProblems,
  getProblemKey,
  groupFilesByKind,
  type IncidentPolicy,
  type MirrorTransition,
  normalizeProblems,
} from './incident.js';
export { formatDuration, MINIMUM_WATCH_INTERVAL_MS, type ParsedInterval, parseWatchInterval } from './interval.js';
export {
  createEmptyMirrorState,
  createEmptyWatchState,
  type LoadedWatchState,
  loadWatchState,
  saveWatchState,
} from './state.js';
export type {
  AlertChannel,
  AlertEventType,
  ExpiringThing,
  ExpiryNotice,
  AlertPayload,
  IncidentCategory,
  IncidentEventType,
  IncidentState,
  IncidentWatchEvent,
  MirrorState,
  PendingAlert,
  UpdateAlertPolicy,
  WatchEvent,
  WatchProblem,
  WatchState,
  WatchVerifyFunction,
  WatchVerifyOptions,
} from './types.js';
export {
  createWatcher,
  DEFAULT_CHECK_DEADLINE_MS,
  normalizeMirrorUrl,
  sleepWithTimer,
  type Watcher,
  type WatcherOptions,
} from './watcher.js';
export { createSiteVerifier, enforceRollbackFloor, type SiteVerifierOptions } from './verify-adapter.js';
