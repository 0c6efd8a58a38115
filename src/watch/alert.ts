/**
 * Alert delivery: run a command (payload JSON on stdin, `STELE_*` environment
 * variables) and/or POST the payload to a webhook (timeout, retries with
 * backoff, redirects refused).
 */
import { createNodeProcessRunner, type ProcessRunner } from '../io/process.js';
import type { AlertPayload } from './types.js';

/** Outcome of one delivery: ok, or why not. */
export type DeliveryResult = { ok: true } | { ok: false; message: string };

/** Runs the operator's alert command. Injected so tests need not spawn processes. */
export type AlertCommandRunner = (
  command: string,
  input: { stdin: string; env: Record<string, string> },
) => Promise<{ exitCode: number | null; stderr: string; error?: string }>;

/** Sleeps `ms` (resolves early, never rejects, when `signal` aborts). */
export type SleepFunction = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Largest value put in one environment variable (Linux refuses single strings over 128 KiB). */
const MAX_ENV_VALUE = 64 * 1024;

/** Replace control characters (file names come from the mirror, i.e. possibly from an attacker). */
export function stripControlCharacters(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}

function clampEnv(text: string): string {
  if (text.length <= MAX_ENV_VALUE) return text;
  const cut = text.lastIndexOf('\n', MAX_ENV_VALUE);
  return `${text.slice(0, cut > 0 ? cut : MAX_ENV_VALUE)}\n…(truncated; full list in the JSON on stdin)`;
}

/**
 * The `STELE_*` environment for the alert command:
 * `STELE_EVENT`, `STELE_MIRROR`, `STELE_INCIDENT_ID`, `STELE_CATEGORY`, `STELE_AT`,
 * `STELE_FIRST_SEEN`, `STELE_KINDS` (comma-separated), `STELE_FILES` (one
 * `kind<TAB>path` per line), `STELE_FILES_<KIND>` (one path per line, e.g.
 * `STELE_FILES_MODIFIED`), `STELE_PROBLEM_COUNT`, `STELE_SUMMARY`, when healed
 * `STELE_DURATION_MS`, and for `expiring-soon` `STELE_EXPIRING` (`seal` or `timestamp`) and
 * `STELE_EXPIRES` (ISO time). Control characters in paths are replaced by `?`.
 */
export function createAlertEnvironment(payload: AlertPayload): Record<string, string> {
  const env: Record<string, string> = {
    STELE_EVENT: payload.event,
    STELE_MIRROR: payload.mirror,
    STELE_INCIDENT_ID: payload.incidentId,
    STELE_CATEGORY: payload.category,
    STELE_AT: payload.at,
    STELE_FIRST_SEEN: payload.firstSeen,
    STELE_KINDS: payload.kinds.join(','),
    STELE_PROBLEM_COUNT: String(payload.problems.length),
    STELE_SUMMARY: clampEnv(stripControlCharacters(payload.summary)),
  };
  const lines: string[] = [];
  for (const [kind, paths] of Object.entries(payload.files)) {
    const clean = (paths ?? []).map(stripControlCharacters);
    for (const p of clean) lines.push(`${kind}\t${p}`);
    env[`STELE_FILES_${kind.toUpperCase().replace(/-/g, '_')}`] = clampEnv(clean.join('\n'));
  }
  env.STELE_FILES = clampEnv(lines.join('\n'));
  if (payload.durationMs !== undefined) env.STELE_DURATION_MS = String(payload.durationMs);
  if (payload.expiring) {
    env.STELE_EXPIRING = payload.expiring.what;
    env.STELE_EXPIRES = payload.expiring.expires;
  }
  return env;
}

/** Options of {@link createShellCommandRunner}. */
export interface ShellCommandRunnerOptions {
  /** Kill the command after this long (default 60 s). */
  timeoutMs?: number;
  /** Base environment (default `process.env`). */
  baseEnv?: NodeJS.ProcessEnv;
  /** The process port (default: the real one). */
  runner?: ProcessRunner;
}

/** The real runner: `/bin/sh -c <command>` with the payload on stdin, through the process port. */
export function createShellCommandRunner(options: ShellCommandRunnerOptions = {}): AlertCommandRunner {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const runner = options.runner ?? createNodeProcessRunner();
  return async (command, input) => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const result = await runner.run('/bin/sh', ['-c', command], {
        env: { ...(options.baseEnv ?? process.env), ...input.env },
        input: input.stdin,
        signal,
        killSignal: 'SIGKILL',
      });
      return { exitCode: result.code, stderr: result.stderr.slice(0, 4096), ...(signal.aborted && result.code === null ? { error: `timed out after ${timeoutMs} ms` } : {}) };
    } catch (error) {
      return { exitCode: null, stderr: '', error: (error as Error).message };
    }
  };
}

/** Run the alert command for a payload. */
export async function runAlertCommand(
  runner: AlertCommandRunner,
  command: string,
  payload: AlertPayload,
): Promise<DeliveryResult> {
  const result = await runner(command, { stdin: `${JSON.stringify(payload)}\n`, env: createAlertEnvironment(payload) });
  if (result.error) return { ok: false, message: result.error };
  if (result.exitCode !== 0) {
    const tail = stripControlCharacters(result.stderr.trim()).slice(-300);
    return { ok: false, message: `exit code ${result.exitCode}${tail ? `: ${tail}` : ''}` };
  }
  return { ok: true };
}

/** Options of {@link postWebhook}. */
export interface WebhookOptions {
  fetch: typeof globalThis.fetch;
  sleep: SleepFunction;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff delay; doubles each retry (default 2 s). */
  backoffMs?: number;
}

/**
 * POST the payload as JSON. Retries network errors, timeouts, 408, 429 and 5xx with
 * exponential backoff; any other non-2xx (including redirects, which are never
 * followed) fails at once.
 */
export async function postWebhook(url: string, payload: AlertPayload, options: WebhookOptions): Promise<DeliveryResult> {
  const retries = options.retries ?? 3;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let delay = options.backoffMs ?? 2000;
  const body = JSON.stringify(payload);
  let last = 'not attempted';
  let attempts = 0;
  for (let attempt = 0; attempt <= retries; attempt++) {
    attempts++;
    if (attempt > 0) {
      await options.sleep(delay);
      delay *= 2;
    }
    let retryable = true;
    try {
      const response = await options.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'stele-watch',
          'x-stele-event': payload.event,
          'x-stele-incident': payload.incidentId,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true };
      if (response.status >= 300 && response.status < 400) {
        return { ok: false, message: `HTTP ${response.status} redirect refused (redirects are not followed)` };
      }
      if (response.type === 'opaqueredirect') return { ok: false, message: 'redirect refused (redirects are not followed)' };
      last = `HTTP ${response.status}`;
      retryable = response.status === 408 || response.status === 429 || response.status >= 500;
    } catch (error) {
      const e = error as Error & { cause?: { code?: string; message?: string } };
      last =
        e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    }
    if (!retryable) break;
  }
  return { ok: false, message: `${last} (${attempts} attempt${attempts === 1 ? '' : 's'})` };
}
