/**
 * `stele watch <URL…>`: verify live mirrors every interval and alert once per
 * incident (command and/or webhook); `--once` runs a single round (for cron).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDiagnostic } from '../../errors/catalogue.js';
import {
  WATCH_KEY_UNREADABLE,
  WATCH_NO_MIRRORS,
  WATCH_OPTION_INVALID,
  WATCH_URL_INVALID,
} from '../../errors/codes-watch.js';
import type { Diagnostic } from '../../errors/diagnostic.js';
import {
  createSiteVerifier,
  createWatcher,
  formatWatchEvent,
  formatWatchEventJson,
  DEFAULT_CHECK_DEADLINE_MS,
  isNotableWatchEvent,
  loadWatchState,
  parseWatchInterval,
  type UpdateAlertPolicy,
  type WatchEvent,
} from '../../watch/index.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { printDiagnostics } from '../output.js';

/** Parsed `stele watch` flags (as cac hands them over). */
export interface WatchCommandFlags {
  every?: string;
  state?: string;
  alertCommand?: string;
  webhook?: string;
  once?: boolean;
  key?: string;
  json?: boolean;
  quiet?: boolean;
  concurrency?: string | number;
  errorThreshold?: string | number;
  updateAlerts?: string;
  /** A folder, or `off` to neither read nor update the trust-on-first-use store. */
  trustStore?: string;
  /** Deadline of each mirror's check, in seconds. */
  deadline?: string | number;
}

/** Default state file: `$XDG_STATE_HOME/stele/watch-state.json` (or `~/.local/state/stele/…`). */
export function resolveDefaultWatchStatePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'stele', 'watch-state.json');
}

function parsePositiveInteger(
  name: string,
  value: string | number | undefined,
  fallback: number,
  problems: Diagnostic[],
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    problems.push(createDiagnostic(WATCH_OPTION_INVALID, {}, name, String(value), 'a whole number of 1 or more'));
    return fallback;
  }
  return n;
}

/**
 * Run `stele watch` with parsed arguments. Exit codes: `--once`: 0 all genuine,
 * 1 a mirror is not genuine, 2 a mirror could not be checked or the watch could
 * not run; continuous: 0 when stopped by `signal`/SIGINT/SIGTERM, 2 when it could not run.
 */
export async function runWatchCommand(
  ctx: CliContext,
  urls: readonly string[],
  flags: WatchCommandFlags,
  signal?: AbortSignal,
): Promise<void> {
  const problems: Diagnostic[] = [];
  if (urls.length === 0) problems.push(createDiagnostic(WATCH_NO_MIRRORS, {}));
  for (const url of urls) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(url).protocol);
    } catch {
      ok = false;
    }
    if (!ok) problems.push(createDiagnostic(WATCH_URL_INVALID, {}, url));
  }
  let intervalMs = 300_000;
  if (flags.every !== undefined) {
    const parsed = parseWatchInterval(String(flags.every));
    if (parsed.ok) intervalMs = parsed.ms;
    else problems.push(parsed.diagnostic);
  }
  if (flags.webhook !== undefined) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(flags.webhook).protocol);
    } catch {
      ok = false;
    }
    if (!ok) problems.push(createDiagnostic(WATCH_OPTION_INVALID, {}, 'webhook', flags.webhook, 'an http(s) URL'));
  }
  const updatePolicy = (flags.updateAlerts ?? 'any-change') as UpdateAlertPolicy;
  if (!['any-change', 'growth', 'none'].includes(updatePolicy)) {
    problems.push(
      createDiagnostic(WATCH_OPTION_INVALID, {}, 'update-alerts', String(flags.updateAlerts), 'any-change, growth or none'),
    );
  }
  const concurrency = parsePositiveInteger('concurrency', flags.concurrency, 4, problems);
  const errorThreshold = parsePositiveInteger('error-threshold', flags.errorThreshold, 2, problems);
  let checkTimeoutMs = DEFAULT_CHECK_DEADLINE_MS;
  if (flags.deadline !== undefined) {
    const seconds = Number(flags.deadline);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      problems.push(createDiagnostic(WATCH_OPTION_INVALID, {}, 'deadline', String(flags.deadline), 'a number of seconds above 0'));
    } else checkTimeoutMs = Math.round(seconds * 1000);
  }
  let publicKey: string | undefined;
  if (flags.key !== undefined) {
    const keyFile = resolve(ctx.cwd, flags.key);
    try {
      publicKey = await ctx.host.fs.readText(keyFile);
    } catch (error) {
      problems.push(createDiagnostic(WATCH_KEY_UNREADABLE, { file: flags.key }, flags.key, (error as Error).message));
    }
  }
  const statePath = flags.state !== undefined ? resolve(ctx.cwd, flags.state) : resolveDefaultWatchStatePath();
  if (problems.length === 0) {
    const loaded = await loadWatchState(ctx.host.fs, statePath);
    if (!loaded.ok) problems.push(loaded.diagnostic);
  }
  if (problems.length > 0) {
    if (flags.json) for (const d of problems) ctx.stdout(`${JSON.stringify({ type: 'diagnostic', ...d })}\n`);
    await printDiagnostics(ctx, problems, ctx.cwd, { json: flags.json });
    ctx.exitCode = 2;
    return;
  }

  const print = (event: WatchEvent): void => {
    if (flags.json) {
      ctx.stdout(`${formatWatchEventJson(event)}\n`);
      return;
    }
    if (flags.quiet && !isNotableWatchEvent(event)) return;
    const line = `${formatWatchEvent(event)}\n`;
    if (event.type === 'alert-failed' || event.type === 'state-error') ctx.stderr(line);
    else ctx.stdout(line);
  };

  const watcher = createWatcher({
    mirrors: urls,
    verify: createSiteVerifier(
      flags.trustStore === undefined
        ? {}
        : { trustStoreDir: flags.trustStore === 'off' ? false : resolve(ctx.cwd, String(flags.trustStore)) },
    ),
    intervalMs,
    concurrency,
    errorThreshold,
    updatePolicy,
    checkTimeoutMs,
    ...(flags.alertCommand ? { alertCommand: flags.alertCommand } : {}),
    ...(flags.webhook ? { webhookUrl: flags.webhook } : {}),
    ...(publicKey !== undefined ? { publicKey } : {}),
    statePath,
    fs: ctx.host.fs,
    now: () => ctx.host.now(),
    onEvent: print,
  });

  if (flags.once) {
    const events = await watcher.checkOnce();
    const checks = events.filter((e) => e.type === 'check');
    if (events.some((e) => e.type === 'state-error' && e.fatal)) ctx.exitCode = 2;
    else if (checks.some((e) => e.status === 'not-genuine')) ctx.exitCode = 1;
    else if (checks.some((e) => e.status === 'error')) ctx.exitCode = 2;
    else ctx.exitCode = 0;
    return;
  }

  const controller = new AbortController();
  const stop = (): void => controller.abort();
  signal?.addEventListener('abort', stop, { once: true });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let fatal = false;
  try {
    await watcher.run(controller.signal);
    fatal = !controller.signal.aborted;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    signal?.removeEventListener('abort', stop);
  }
  ctx.exitCode = fatal ? 2 : 0;
}

/** Register `stele watch` on the CLI. */
export const registerWatchCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('watch [...urls]', 'Verify live mirrors on a schedule and alert once per incident')
    .option('--every <interval>', 'Time between checks: 30s, 5m, 1h (minimum 10s)', { default: '5m' })
    .option('--state <file>', 'State file (default $XDG_STATE_HOME/stele/watch-state.json)')
    .option('--alert-command <cmd>', 'Run on each alert: payload JSON on stdin, STELE_* variables')
    .option('--webhook <url>', 'POST the alert payload (JSON) to this URL')
    .option('--once', 'Check every mirror once and exit (0 genuine, 1 not genuine, 2 could not check)')
    .option('--key <file>', 'Pin the minisign public key (.pub) the site is signed with')
    .option('--json', 'Print events as JSON lines')
    .option('--concurrency <n>', 'Mirrors checked at the same time', { default: 4 })
    .option('--deadline <seconds>', `Deadline of each mirror's check; a check that cannot finish in time is a "timed-out" incident, alerted at once (default ${DEFAULT_CHECK_DEADLINE_MS / 1000})`)
    .option('--error-threshold <n>', 'Failed checks in a row before a mirror is reported unreachable', { default: 2 })
    .option('--update-alerts <policy>', 'Alert again when an incident changes: any-change, growth, none', {
      default: 'any-change',
    })
    .option('--trust-store <dir>', 'Trust-on-first-use store folder (default ~/.config/stele); "off" to not use one')
    .example('stele watch https://example.org/ https://mirror.example.net/ --every 5m --webhook https://hooks.example/stele')
    .action((urls: string[], flags: WatchCommandFlags) => runWatchCommand(ctx, urls ?? [], flags));
};
