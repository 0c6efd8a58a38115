/**
 * `stele refresh [dir]`: re-sign the site's timestamp with the online timestamp
 * key only (the main secret key is never read), so a cron job keeps the site
 * fresh while the main key stays offline. `dir` is a project folder (its output
 * folder is refreshed; `--publish` then sends it to the publish targets) or a
 * sealed folder a web server serves. Exit 0 refreshed, 1 the copy does not
 * verify with the main key (refused) or a publish target failed, 2 could not run.
 */
import { dirname, join, resolve } from 'node:path';
import { recoverOutputFolder } from '../../build/write-output.js';
import { CONFIG_FILES, resolveConfig } from '../../config/resolve-config.js';
import { createDiagnostic } from '../../errors/catalogue.js';
import type { Diagnostic } from '../../errors/diagnostic.js';
import {
  REFRESH_KEY_UNUSABLE,
  REFRESH_MANIFEST_EXPIRES_SOON,
  REFRESH_NOT_DELEGATED,
  REFRESH_NOT_GENUINE,
  REFRESH_TARGET_INVALID,
  VERIFY_KEY_UNREADABLE,
  VERIFY_OPTION_INVALID,
} from '../../errors/codes-seal.js';
import { refreshSiteTimestamp } from '../../publish/refresh-timestamp.js';
import { PUBLIC_KEY_FILE, TIMESTAMP_SECRET_KEY_FILE } from '../../seal/key-store.js';
import { isSecretKeyEncrypted } from '../../seal/minisign.js';
import { loadSignerFromText, readSecretKeyFile } from '../../seal/signer.js';
import { formatKeyFingerprint } from '../../trust/minisign.js';
import { MANIFEST_PATH } from '../../trust/paths.js';
import { DEFAULT_TIMESTAMP_DAYS } from '../../trust/timestamp.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { printDiagnostics } from '../output.js';
import { readTimestampPassphrase } from '../passphrase.js';
import { runPublishCommand } from './publish.js';

/** Parsed `stele refresh` flags. */
export interface RefreshCommandFlags {
  /** The main public key (default: the config's `seal.publicKey`, else keys/stele.pub). */
  key?: string;
  /** The timestamp secret key (default: timestamp.key next to the main key). */
  timestampKey?: string;
  /** Life of the new timestamp in days (default: the config's `seal.timestampDays`, else 7). */
  days?: string | number;
  /** After refreshing a project's output folder, publish it to its targets. */
  publish?: boolean;
  target?: string | string[];
  json?: boolean;
  quiet?: boolean;
}

/** Warn when the manifest expires within this many days of now (or before the new timestamp does). */
const MANIFEST_WARN_DAYS = 7;

/** Run `stele refresh` (sets `ctx.exitCode`). */
export async function runRefreshCommand(ctx: CliContext, dirArg: string | undefined, flags: RefreshCommandFlags): Promise<void> {
  const fail = async (d: Diagnostic, code: 1 | 2 = 2) => {
    await printDiagnostics(ctx, [d], ctx.cwd, { json: flags.json });
    ctx.exitCode = code;
  };
  const given = dirArg ?? '.';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(given)) {
    return fail(createDiagnostic(REFRESH_TARGET_INVALID, {}, given, 'an address cannot be written; refresh the folder it is served from, or the project with --publish'));
  }
  const root = resolve(ctx.cwd, given);
  let isProject = false;
  for (const name of CONFIG_FILES) if (await ctx.host.fs.exists(join(root, name))) isProject = true;
  let siteDir = root;
  let publicKeyPath = resolve(ctx.cwd, 'keys', PUBLIC_KEY_FILE);
  let timestampKeyPath = resolve(ctx.cwd, 'keys', TIMESTAMP_SECRET_KEY_FILE);
  let days = DEFAULT_TIMESTAMP_DAYS;
  if (isProject) {
    const { config, diagnostics } = await resolveConfig(root, ctx.host);
    if (!config) {
      await printDiagnostics(ctx, diagnostics, root, { json: flags.json });
      ctx.exitCode = 2;
      return;
    }
    siteDir = config.outDirAbs;
    publicKeyPath = resolve(root, config.seal.publicKey);
    timestampKeyPath = join(dirname(resolve(root, config.seal.secretKey)), TIMESTAMP_SECRET_KEY_FILE);
    days = config.seal.timestampDays;
  } else if (flags.publish) {
    return fail(createDiagnostic(REFRESH_TARGET_INVALID, {}, root, '--publish needs a project folder (with stele.config.ts) that names the targets'));
  }
  if (flags.key !== undefined) publicKeyPath = resolve(ctx.cwd, String(flags.key));
  if (flags.timestampKey !== undefined) timestampKeyPath = resolve(ctx.cwd, String(flags.timestampKey));
  if (flags.days !== undefined) {
    const n = Number(flags.days);
    if (!Number.isInteger(n) || n < 1 || n > 366) return fail(createDiagnostic(VERIFY_OPTION_INVALID, {}, '--days', String(flags.days)));
    days = n;
  }
  await recoverOutputFolder(siteDir, ctx.host);
  if (!(await ctx.host.fs.exists(join(siteDir, ...MANIFEST_PATH.split('/'))))) {
    return fail(createDiagnostic(REFRESH_TARGET_INVALID, {}, siteDir, 'it holds no sealed site (no signed manifest); run `stele build` with the main key first'));
  }
  let publicKey: string;
  try {
    publicKey = await ctx.host.fs.readText(publicKeyPath);
  } catch {
    return fail(createDiagnostic(VERIFY_KEY_UNREADABLE, {}, publicKeyPath, 'cannot read the file (refresh checks the build against the main public key; pass --key)'));
  }
  const key = await readSecretKeyFile(timestampKeyPath, ctx.host.fs);
  if (!key.ok) {
    return fail(key.missing ? createDiagnostic(REFRESH_KEY_UNUSABLE, {}, `no timestamp key at ${timestampKeyPath}`) : key.diagnostic);
  }
  const passphrase = isSecretKeyEncrypted(key.text) ? await readTimestampPassphrase(ctx) : undefined;
  const loaded = await loadSignerFromText(key.text, passphrase);
  if (!loaded.ok) return fail(createDiagnostic(REFRESH_KEY_UNUSABLE, {}, loaded.reason));
  const now = ctx.host.now();
  const result = await refreshSiteTimestamp({ dir: siteDir, fs: ctx.host.fs, publicKey, signer: loaded.signer, now, days });
  if (!result.ok) {
    return fail(
      result.code === 'not-delegated'
        ? createDiagnostic(REFRESH_NOT_DELEGATED, {}, result.reason)
        : createDiagnostic(REFRESH_NOT_GENUINE, {}, result.reason),
      result.code === 'not-genuine' ? 1 : 2,
    );
  }
  const manifestDaysLeft = Math.floor((Date.parse(result.manifestExpires) - now.getTime()) / 86_400_000);
  if (manifestDaysLeft <= MANIFEST_WARN_DAYS || Date.parse(result.manifestExpires) < Date.parse(result.timestamp.expires)) {
    await printDiagnostics(ctx, [createDiagnostic(REFRESH_MANIFEST_EXPIRES_SOON, {}, result.manifestExpires, Math.max(0, manifestDaysLeft))], ctx.cwd, { json: flags.json });
  }
  if (flags.json && !flags.publish) {
    ctx.stdout(`${JSON.stringify({ ok: true, dir: siteDir, siteId: result.siteId, version: result.version, timestamp: result.timestamp }, null, 2)}\n`);
  } else if (!flags.quiet) {
    ctx.stdout(
      `refreshed ${siteDir}: version ${result.version} of ${result.siteId} vouched for by timestamp key ${formatKeyFingerprint(result.timestamp.keyId)} until ${result.timestamp.expires}\n`,
    );
  }
  ctx.exitCode = 0;
  if (flags.publish) await runPublishCommand(ctx, root, { ...(flags.target !== undefined ? { target: flags.target } : {}), ...(flags.json ? { json: true } : {}), ...(flags.quiet ? { quiet: true } : {}) });
}

/** Register `stele refresh`. */
export const registerRefreshCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('refresh [dir]', 'Re-sign the timestamp of a sealed site with the timestamp key only (for cron; the main key stays offline)')
    .option('--key <file>', 'Main public key the build must verify with (default: seal.publicKey, or keys/stele.pub)')
    .option('--timestamp-key <file>', 'Timestamp secret key (default: timestamp.key next to the main key; passphrase from STELE_TIMESTAMP_PASSPHRASE)')
    .option('--days <n>', 'Days the new timestamp stays valid (default: seal.timestampDays, 7)')
    .option('--publish', "Then send the project's output folder to its publish targets (`stele publish`)")
    .option('--target <name>', 'With --publish: only this target (repeat or comma-separate)')
    .option('--json', 'Print the result as JSON')
    .example('STELE_TIMESTAMP_PASSPHRASE=… stele refresh ~/site --publish')
    .example('stele refresh /var/www/site --key keys/stele.pub --timestamp-key keys/timestamp.key')
    .action((dir: string | undefined, flags: RefreshCommandFlags) => runRefreshCommand(ctx, dir, flags));
};
