import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_CACHE_DIR } from '../../build/build-cache.js';
import { buildProject } from '../../build/build-project.js';
import type { RegisterCommand } from '../context.js';
import { createOutputSourceReader, createProgress, formatBytes, printDiagnostics, resolveExitCode } from '../output.js';
import { readPassphrase, readTimestampPassphrase } from '../passphrase.js';

/** `stele build [dir]`: build, check, seal and verify a site into `dir/dist`. */
export const registerBuildCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('build [dir]', 'Build the site in dir (default: .) into dir/dist, sealed and verified')
    .option('--drafts', 'Include drafts (development build, not sealed)')
    .option('--no-seal', 'Do not sign this build (not for publishing)')
    .option('--json', 'Print the result as JSON')
    .option('--no-cache', 'Neither read nor write the build cache (.stele/cache)')
    .example('stele build examples/cfcr')
    .action(async (dir: string | undefined, opts: { drafts?: boolean; seal?: boolean; json?: boolean; quiet?: boolean; cache?: boolean }) => {
      const root = resolve(ctx.cwd, dir ?? '.');
      const progress = createProgress(ctx, !opts.quiet && !opts.json);
      const needsKey = opts.seal !== false && !opts.drafts;
      const result = await buildProject({
        root,
        host: ctx.host,
        mode: opts.drafts ? 'development' : 'production',
        write: true,
        noSeal: !needsKey,
        passphrase: () => readPassphrase(ctx),
        timestampPassphrase: () => readTimestampPassphrase(ctx),
        onProgress: (stage, done, total) => progress.update(stage, done, total),
        ...(opts.cache !== false ? { persistentCache: { dir: join(root, BUILD_CACHE_DIR), codeId: await readCodeId(ctx) } } : {}),
      });
      progress.clear();
      if (opts.json) {
        ctx.stdout(`${JSON.stringify({ ok: result.ok, outDir: result.outDir, stats: result.stats, seal: result.seal, diagnostics: result.diagnostics }, null, 2)}\n`);
      } else {
        await printDiagnostics(ctx, result.diagnostics, root, {
          readSource: createOutputSourceReader(result.output, result.config?.outDir ?? 'dist'),
          redactor: result.redactor,
        });
        if (result.ok && !opts.quiet) {
          const s = result.stats;
          ctx.stdout(
            `built ${s.pages} pages, ${s.files} files, ${formatBytes(s.bytes)} in ${s.ms} ms → ${result.outDir}` +
              (result.seal
                ? `; sealed version ${result.seal.version} with key ${result.seal.keyId}${result.seal.timestamp ? `, timestamp by ${result.seal.timestamp.keyId} until ${result.seal.timestamp.expires}` : ''}, verified\n`
                : '; NOT sealed\n'),
          );
        }
        if (!result.ok) ctx.stderr('build failed: nothing was written; the previous output is untouched\n');
      }
      ctx.exitCode = result.ok ? 0 : Math.max(1, resolveExitCode(result.diagnostics));
    });
};


/**
 * The id of the compiled stele running (`dist/code-id.txt`, written by `npm run
 * build`), so that a build cache made by other code is not read; undefined when
 * stele runs from its TypeScript sources.
 */
async function readCodeId(ctx: Parameters<RegisterCommand>[1]): Promise<string | undefined> {
  try {
    // dist/cli/commands/build.js → dist/code-id.txt
    return (await ctx.host.fs.readText(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'code-id.txt'))).trim() || undefined;
  } catch {
    return undefined;
  }
}
