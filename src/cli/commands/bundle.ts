/**
 * `stele bundle [dir] --out site.zip`: the sealed build as one offline archive.
 * `dir` is a project (its `outDir` is bundled) or a sealed build folder.
 */
import { dirname, join, resolve } from 'node:path';
import { resolveConfig } from '../../config/resolve-config.js';
import { createSiteBundle, resolveBundleFolder } from '../../publish/bundle.js';
import { readSealedSite } from '../../publish/sealed-site.js';
import { MANIFEST_PATH, PUBLIC_KEY_PATH } from '../../trust/paths.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { formatBytes, printDiagnostics } from '../output.js';

/** Run `stele bundle` (sets `ctx.exitCode`). */
export async function runBundleCommand(ctx: CliContext, dir: string | undefined, flags: { out?: string; key?: string; quiet?: boolean }): Promise<void> {
  const fail = (message: string) => {
    ctx.stderr(`error: ${message}\n`);
    ctx.exitCode = 2;
  };
  const given = resolve(ctx.cwd, dir ?? '.');
  let build = given;
  let keyFile = flags.key ? resolve(ctx.cwd, String(flags.key)) : undefined;
  if (!(await ctx.host.fs.exists(join(given, ...MANIFEST_PATH.split('/'))))) {
    const { config, diagnostics } = await resolveConfig(given, ctx.host);
    if (!config) {
      await printDiagnostics(ctx, diagnostics, given);
      ctx.exitCode = 2;
      return;
    }
    build = config.outDirAbs;
    keyFile ??= resolve(given, config.seal.publicKey);
  }
  // A bare build folder: its own published key is only a fallback; --key pins one.
  keyFile ??= join(build, ...PUBLIC_KEY_PATH.split('/'));
  let publicKey: string;
  try {
    publicKey = await ctx.host.fs.readText(keyFile);
  } catch {
    return fail(`cannot read the public key ${keyFile}`);
  }
  const read = await readSealedSite(build, { fs: ctx.host.fs, publicKey, now: ctx.host.now() });
  if ('error' in read) return fail(read.error);
  const out = resolve(ctx.cwd, flags.out ?? `${resolveBundleFolder(read.site)}.zip`);
  if (!out.toLowerCase().endsWith('.zip')) return fail('--out must name a .zip file');
  const bytes = await createSiteBundle(read.site);
  await ctx.host.fs.mkdir(dirname(out));
  const tmp = `${out}.partial`;
  await ctx.host.fs.writeFile(tmp, bytes);
  await ctx.host.fs.rename(tmp, out);
  if (!flags.quiet) {
    ctx.stdout(
      `wrote ${out} (${formatBytes(bytes.byteLength)}, ${read.site.files.length + 2} files, version ${read.site.manifest.version}).\n` +
        `To read it: unzip it and open ${resolveBundleFolder(read.site)}/index.html. To check it: stele verify ${flags.out ?? out}\n`,
    );
  }
}

/** Register `stele bundle`. */
export const registerBundleCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('bundle [dir]', 'Pack the sealed build of dir (a project or a build folder) into one zip to pass hand to hand')
    .option('--out <file>', 'The zip file to write (default <siteId>-v<version>.zip)')
    .option('--key <file>', 'Public key the build must verify with (default: the project key)')
    .option('--quiet', 'Print only problems')
    .example('stele bundle --out site.zip')
    .action((dir: string | undefined, flags: { out?: string; key?: string; quiet?: boolean }) => runBundleCommand(ctx, dir, flags));
};
