/**
 * `stele log [dir|URL]`: print a site's release log, one line per sealed version
 * (oldest first), after checking it is signed and hashes to its checkpoint.
 * Exit 0 when the log reads and checks, 2 otherwise.
 */
import { resolve } from 'node:path';
import { recoverOutputFolder } from '../../build/write-output.js';
import { formatKeyFingerprint } from '../../trust/minisign.js';
import { formatLogHead } from '../../trust/release-log.js';
import { readSiteHistory } from '../../verify/read-history.js';
import type { CliContext, RegisterCommand } from '../context.js';

/** Parsed `stele log` flags. */
export interface LogCommandFlags {
  key?: string;
  json?: boolean;
}

/** Run `stele log` (sets `ctx.exitCode`). */
export async function runLogCommand(ctx: CliContext, source: string | undefined, flags: LogCommandFlags, extra: { fetch?: typeof fetch } = {}): Promise<void> {
  const isUrl = source !== undefined && /^https?:\/\//i.test(source);
  const target = isUrl ? (source as string) : resolve(ctx.cwd, source ?? 'dist');
  if (!isUrl) await recoverOutputFolder(target, ctx.host);
  let publicKey: string | undefined;
  if (flags.key !== undefined) {
    try {
      publicKey = await ctx.host.fs.readText(resolve(ctx.cwd, String(flags.key)));
    } catch {
      ctx.stderr(`error: cannot read the key file ${flags.key}\n`);
      ctx.exitCode = 2;
      return;
    }
  }
  const history = await readSiteHistory(target, {
    ...(publicKey !== undefined ? { publicKey } : {}),
    ...(extra.fetch ? { fetch: extra.fetch } : {}),
    fs: ctx.host.fs,
  });
  if (!history.ok) {
    ctx.stderr(`error: ${history.reason}\n`);
    ctx.exitCode = 2;
    return;
  }
  if (flags.json) {
    ctx.stdout(`${JSON.stringify({ siteId: history.siteId, head: history.head, entries: history.entries }, null, 2)}\n`);
    ctx.exitCode = 0;
    return;
  }
  const lines = [
    `Release log of ${history.siteId}: ${formatLogHead(history.head)}, signed by key ${formatKeyFingerprint(history.keyId)}` +
      (history.keyPublishedBySite ? ' (the key the site publishes; pin yours with --key)' : ''),
    ...history.entries.map(
      (e) => `version ${e.version}  sealed ${e.buildTime.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z')}  key ${e.keyId}  manifest sha256 ${e.manifestSha256}`,
    ),
  ];
  ctx.stdout(`${lines.join('\n')}\n`);
  ctx.exitCode = 0;
}

/** Register `stele log`. */
export const registerLogCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('log [source]', "Print a site's release log, one line per sealed version (folder or URL; default ./dist)")
    .option('--key <file>', 'Check the log with this public key (stele.pub) instead of the one the site publishes')
    .option('--json', 'Print the log as JSON')
    .example('stele log https://rights.example.org/ --key stele.pub')
    .action((source: string | undefined, flags: LogCommandFlags) => runLogCommand(ctx, source, flags));
};
