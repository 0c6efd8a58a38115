/**
 * `stele publish [dir]`: send the sealed build to every target in the config,
 * verify each copy, print a summary. `--rollback NAME` switches a directory
 * target back to its previous version. Exit 0 all published and verified,
 * 1 a target failed or did not verify, 2 could not run.
 */
import { resolve } from 'node:path';
import { resolveConfig } from '../../config/resolve-config.js';
import { createNodeLinkPort } from '../../io/links.js';
import { createNodeFetch } from '../../io/network.js';
import { createNodeProcessRunner } from '../../io/process.js';
import { createDiagnostic } from '../../errors/catalogue.js';
import { VERIFY_OPTION_INVALID } from '../../errors/codes-seal.js';
import { formatPublishReport } from '../../publish/format-report.js';
import { rollbackDirectoryTarget } from '../../publish/target-directory.js';
import { DEFAULT_PUBLISH_VERIFY_DEADLINE_MS, PublishError } from '../../publish/types.js';
import { verifySite } from '../../verify/verify-site.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { printDiagnostics } from '../output.js';

/** Parsed `stele publish` flags. */
export interface PublishCommandFlags {
  target?: string | string[];
  rollback?: string;
  deadline?: string | number;
  json?: boolean;
  quiet?: boolean;
}

/** One status line per target, rewritten in place on a terminal; start and end lines otherwise. */
function createTargetProgress(ctx: CliContext, enabled: boolean) {
  const names: string[] = [];
  const lines = new Map<string, string>();
  let drawn = 0;
  const draw = () => {
    if (!ctx.isTTY) return;
    let text = drawn ? `\u001b[${drawn}A` : '';
    for (const n of names) text += `\r\u001b[2K${lines.get(n)}\n`;
    drawn = names.length;
    ctx.stderr(text);
  };
  return {
    start(name: string, description: string) {
      if (!enabled) return;
      names.push(name);
      lines.set(name, `${name}: starting (${description})`);
      if (ctx.isTTY) draw();
      else ctx.stderr(`${name}: sending the site to ${description}\n`);
    },
    update(name: string, phase: string, done: number, total: number) {
      if (!enabled || !ctx.isTTY) return;
      const line = `${name}: ${phase} ${done}/${total}`;
      if (lines.get(name) === line) return;
      lines.set(name, line);
      draw();
    },
    done(name: string, line: string) {
      if (!enabled) return;
      lines.set(name, `${name}: ${line}`);
      if (ctx.isTTY) draw();
      else ctx.stderr(`${name}: ${line}\n`);
    },
  };
}

/** Run `stele publish` (sets `ctx.exitCode`). */
export async function runPublishCommand(ctx: CliContext, dir: string | undefined, flags: PublishCommandFlags): Promise<void> {
  const root = resolve(ctx.cwd, dir ?? '.');
  const { config, diagnostics } = await resolveConfig(root, ctx.host);
  if (!config) {
    await printDiagnostics(ctx, diagnostics, root, { json: flags.json });
    ctx.exitCode = 2;
    return;
  }
  const fail = (message: string, code = 2) => {
    if (flags.json) ctx.stdout(`${JSON.stringify({ ok: false, error: message }, null, 2)}\n`);
    else ctx.stderr(`error: ${message}\n`);
    ctx.exitCode = code;
  };
  const keyFile = resolve(root, config.seal.publicKey);
  let publicKey: string;
  try {
    publicKey = await ctx.host.fs.readText(keyFile);
  } catch {
    return fail(`cannot read the public key ${keyFile} (seal.publicKey); publish needs it to check every copy`);
  }

  if (flags.rollback !== undefined) {
    const name = String(flags.rollback);
    const target = config.publish.targets.find((t) => t.name === name);
    if (!target) return fail(`no publish target named ${name} in the config`);
    if (target.type !== 'directory') {
      return fail(`rollback switches directory targets only; ${name} is a ${target.type} target (publish an older build to it instead)`);
    }
    try {
      const done = await rollbackDirectoryTarget(target, root, { fs: ctx.host.fs, links: createNodeLinkPort() });
      const check = await verifySite(done.folder, { publicKey, trustStoreDir: false, now: ctx.host.now() });
      const ok = check.status === 'genuine';
      const line = `${name}: now serving ${done.to} (was ${done.from}); the copy ${ok ? 'verifies' : `does NOT verify: ${check.problems[0]?.message ?? check.status}`}`;
      if (flags.json) ctx.stdout(`${JSON.stringify({ ok, from: done.from, to: done.to, verified: ok }, null, 2)}\n`);
      else ctx.stdout(`${line}\n`);
      ctx.exitCode = ok ? 0 : 1;
    } catch (error) {
      if (error instanceof PublishError) return fail(error.message, 1);
      throw error;
    }
    return;
  }

  const deadline = flags.deadline === undefined ? DEFAULT_PUBLISH_VERIFY_DEADLINE_MS / 1000 : Number(flags.deadline);
  if (!Number.isFinite(deadline) || deadline < 0) {
    await printDiagnostics(ctx, [createDiagnostic(VERIFY_OPTION_INVALID, {}, '--deadline', String(flags.deadline))], root, { json: flags.json });
    ctx.exitCode = 2;
    return;
  }
  const only = flags.target === undefined ? undefined : (Array.isArray(flags.target) ? flags.target : [flags.target]).flatMap((t) => String(t).split(','));
  const progress = createTargetProgress(ctx, !flags.json && !flags.quiet);
  const delay = Number(process.env.STELE_TEST_PUBLISH_DELAY_MS ?? 0);
  // Loaded when used: the S3 SDK and the CAR writer are a large part of the CLI's start-up.
  const { publishSite } = await import('../../publish/publish-site.js');
  const result = await publishSite({
    dir: config.outDirAbs,
    projectRoot: root,
    targets: config.publish.targets,
    publicKey,
    fs: ctx.host.fs,
    links: createNodeLinkPort(),
    processes: createNodeProcessRunner(),
    fetch: createNodeFetch(),
    env: process.env,
    now: () => ctx.host.now(),
    only,
    delayPerFileMs: Number.isFinite(delay) && delay > 0 ? delay : undefined,
    verifyDeadlineMs: Math.round(deadline * 1000),
    onTargetStart: (t) => progress.start(t.name, t.description),
    onProgress: (name, phase, done, total) => progress.update(name, phase, done, total),
    onTargetDone: (t) =>
      progress.done(
        t.name,
        t.status === 'failed' ? `FAILED: ${t.error}` : `${t.filesSent} files sent, verified: ${t.verified === 'yes' ? 'yes' : t.verified === 'no' ? 'NO' : 'not checked'}`,
      ),
  });
  if (!result.report) return fail(result.error ?? 'nothing was published');
  if (flags.json) ctx.stdout(`${JSON.stringify(result.report, null, 2)}\n`);
  else if (!flags.quiet || !result.report.ok) ctx.stdout(formatPublishReport(result.report));
  ctx.exitCode = result.report.ok ? 0 : 1;
}

/** Register `stele publish`. */
export const registerPublishCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('publish [dir]', 'Send the sealed build of the site in dir (default: .) to every publish target, and verify each copy')
    .option('--target <name>', 'Publish only to this target (repeat or comma-separate for several)')
    .option('--rollback <name>', 'Switch a directory target back to its previous version')
    .option('--deadline <seconds>', `Deadline of each copy's check where it is served; a copy that does not answer in time is "verified: NO" (default ${DEFAULT_PUBLISH_VERIFY_DEADLINE_MS / 1000}, 0 for none)`)
    .option('--json', 'Print the report as JSON')
    .example('stele publish')
    .example('stele publish --target mirror-eu')
    .example('stele publish --rollback local')
    .action((dir: string | undefined, flags: PublishCommandFlags) => runPublishCommand(ctx, dir, flags));
};

