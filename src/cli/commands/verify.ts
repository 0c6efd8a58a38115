/**
 * `stele verify <dir|URL>`: check a copy of a site against its signed manifest.
 * Exit 0 genuine, 1 not genuine, 2 could not check.
 */
import { resolve } from 'node:path';
import { recoverOutputFolder } from '../../build/write-output.js';
import { createDiagnostic } from '../../errors/catalogue.js';
import { VERIFY_KEY_UNREADABLE, VERIFY_OPTION_INVALID } from '../../errors/codes-seal.js';
import { formatKeyFingerprint, normalizeKeyId, parsePublicKey } from '../../trust/minisign.js';
import { formatVerifyReport, resolveVerifyExitCode } from '../../verify/format-report.js';
import { readTrustStore, resolveTrustStoreDir } from '../../verify/trust-store.js';
import { type VerifyOptions, verifySite } from '../../verify/verify-site.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { createProgress, printDiagnostics } from '../output.js';

/** Parsed `stele verify` flags. */
export interface VerifyCommandFlags {
  key?: string;
  keyId?: string | number;
  json?: boolean;
  quiet?: boolean;
  /** A folder, or `off` to neither read nor update the trust-on-first-use store. */
  trustStore?: string;
  concurrency?: string | number;
  timeout?: string | number;
  /** Deadline of the whole check in seconds (0: none). */
  deadline?: string | number;
}

/** Default deadline of a whole `stele verify` check, in seconds. */
export const DEFAULT_VERIFY_DEADLINE_SECONDS = 120;

/** Run `stele verify` with parsed arguments (sets `ctx.exitCode`). */
export async function runVerifyCommand(
  ctx: CliContext,
  source: string,
  flags: VerifyCommandFlags,
  extra: { fetch?: typeof fetch } = {},
): Promise<void> {
  const fail = async (d: ReturnType<typeof createDiagnostic>) => {
    await printDiagnostics(ctx, [d], ctx.cwd);
    ctx.exitCode = 2;
  };
  const options: VerifyOptions = { now: ctx.host.now(), ...(extra.fetch ? { fetch: extra.fetch } : {}) };
  /** The key id the reader pinned (`--key`, `--key-id`). */
  let pinnedKeyId: string | undefined;
  if (flags.key !== undefined) {
    const path = resolve(ctx.cwd, String(flags.key));
    let text: string;
    try {
      text = await ctx.host.fs.readText(path);
    } catch {
      return fail(createDiagnostic(VERIFY_KEY_UNREADABLE, { file: String(flags.key) }, String(flags.key), 'cannot read the file'));
    }
    const parsed = parsePublicKey(text);
    if (!parsed.ok) return fail(createDiagnostic(VERIFY_KEY_UNREADABLE, { file: String(flags.key) }, String(flags.key), parsed.reason));
    options.publicKey = text;
    pinnedKeyId = parsed.value.keyId;
  }
  if (flags.keyId !== undefined) {
    // cac turns all-digit ids into numbers; keep them as written.
    const raw = String(flags.keyId);
    if (!normalizeKeyId(raw)) return fail(createDiagnostic(VERIFY_OPTION_INVALID, {}, '--key-id', raw));
    options.keyId = raw;
    pinnedKeyId ??= normalizeKeyId(raw);
  }
  if (flags.trustStore !== undefined) {
    options.trustStoreDir = flags.trustStore === 'off' ? false : resolve(ctx.cwd, String(flags.trustStore));
  }
  for (const [name, value, key] of [
    ['--concurrency', flags.concurrency, 'concurrency'],
    ['--timeout', flags.timeout, 'timeoutMs'],
  ] as const) {
    if (value === undefined) continue;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) return fail(createDiagnostic(VERIFY_OPTION_INVALID, {}, name, String(value)));
    options[key] = n;
  }
  const deadline = flags.deadline === undefined ? DEFAULT_VERIFY_DEADLINE_SECONDS : Number(flags.deadline);
  if (!Number.isFinite(deadline) || deadline < 0) return fail(createDiagnostic(VERIFY_OPTION_INVALID, {}, '--deadline', String(flags.deadline)));
  if (deadline > 0) options.deadlineMs = Math.round(deadline * 1000);
  const target = /^https?:\/\//i.test(source) ? source : resolve(ctx.cwd, source);
  // A build killed while switching its output left the previous one aside: put it back first.
  if (!/^https?:\/\//i.test(source)) await recoverOutputFolder(target, ctx.host);
  const progress = createProgress(ctx, !flags.json && !flags.quiet);
  options.onProgress = (done, total) => progress.update('verifying', done, total);
  // Trust on first use: say so, so the reader can confirm the key another way.
  const storeDir =
    options.publicKey === undefined && options.keyId === undefined && options.trustStoreDir !== false
      ? (options.trustStoreDir ?? resolveTrustStoreDir())
      : undefined;
  const usedStoreDir = options.trustStoreDir === false ? undefined : (options.trustStoreDir ?? resolveTrustStoreDir());
  const before = usedStoreDir ? await readTrustStore(usedStoreDir) : undefined;
  const report = await verifySite(target, options);
  progress.clear();
  if (storeDir && before && report.manifest && report.status === 'genuine' && !before.sites[report.manifest.siteId]) {
    ctx.stderr(
      `First check of site "${report.manifest.siteId}": now trusting key ${formatKeyFingerprint(report.manifest.keyId)}. ` +
        'Confirm this fingerprint through a channel you trust (it is printed in the site footer).\n',
    );
  }
  // A rotation was followed: the copy is genuine, signed by a key the reader had not pinned.
  const expectedKeyId = pinnedKeyId ?? (report.manifest ? before?.sites[report.manifest.siteId]?.keyId : undefined);
  if (report.manifest && report.status === 'genuine' && expectedKeyId && expectedKeyId !== report.manifest.keyId) {
    ctx.stderr(
      `Key rotation followed: site "${report.manifest.siteId}" was signed by key ${expectedKeyId}; this copy is signed by key ${report.manifest.keyId}, ` +
        `which the site publishes with a rotation signed by the earlier key.${usedStoreDir ? ` The trust store now holds key ${report.manifest.keyId}.` : ''}` +
        `${pinnedKeyId ? ` Pin the new key from now on (its stele.pub, or --key-id ${report.manifest.keyId}).` : ''}\n`,
    );
  }
  if (flags.json) ctx.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const text = formatVerifyReport(report, { quiet: flags.quiet });
    if (text) ctx.stdout(text);
  }
  ctx.exitCode = resolveVerifyExitCode(report);
}

/** Register `stele verify`. */
export const registerVerifyCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('verify <source>', 'Check that a folder, URL or .zip bundle is a genuine, untampered copy of a sealed site')
    .option('--key <file>', 'Pin this public key (stele.pub) instead of trust-on-first-use')
    .option('--key-id <id>', 'Require this key id (weaker than --key)')
    .option('--json', 'Print the report as JSON')
    .option('--trust-store <dir>', 'Trust-on-first-use store folder, or "off" (default ~/.config/stele)')
    .option('--concurrency <n>', 'Parallel requests (default 8)')
    .option('--timeout <ms>', 'Per-request timeout in ms (default 30000)')
    .option('--deadline <seconds>', `Deadline of the whole check; past it the verdict is "timed out" (default ${DEFAULT_VERIFY_DEADLINE_SECONDS}, 0 for none)`)
    .example('stele verify https://rights.example.org/ --key stele.pub')
    .example('stele verify ./dist --json')
    .action((source: string, flags: VerifyCommandFlags) => runVerifyCommand(ctx, source, flags));
};
