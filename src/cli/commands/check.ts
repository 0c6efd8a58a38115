import { resolve } from 'node:path';
import { buildProject } from '../../build/build-project.js';
import { recoverOutputFolder } from '../../build/write-output.js';
import { runChecks } from '../../check/run-checks.js';
import { collectProjectWithheldNames } from '../../content/withheld.js';
import { loadImportState } from '../../content/import-records.js';
import { hasErrors } from '../../errors/diagnostic.js';
import { redactDiagnostic } from '../../errors/redact.js';
import { readSiteFolder } from '../../site/output.js';
import type { RegisterCommand } from '../context.js';
import { pagePath } from '../../content/urls.js';
import type { ResolvedConfig } from '../../config/resolve-config.js';
import { SEARCH_BOOTSTRAP } from '../../render/theme/search.js';
import { createOutputSourceReader, printDiagnostics, resolveExitCode } from '../output.js';

/**
 * `stele check [dir]`: run every safety check. Without `--site` it builds the
 * project in memory and checks the result (what every build does); with
 * `--site <folder>` it checks an already built folder (a mirror's copy, an old
 * deployment) against the project's current withheld names.
 */
export const registerCheckCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('check [dir]', 'Run every safety check (links, alt text, third-party requests, scripts/CSP, image metadata, withheld names)')
    .option('--site <folder>', 'Check this built folder instead of building the project')
    .option('--json', 'Print diagnostics as JSON')
    .action(async (dir: string | undefined, opts: { site?: string; json?: boolean; quiet?: boolean }) => {
      const root = resolve(ctx.cwd, dir ?? '.');
      const result = await buildProject({ root, host: ctx.host, mode: 'production', write: false, noSeal: true });
      let diagnostics = result.diagnostics;
      let output = result.output;
      if (opts.site && result.content) {
        const folder = resolve(ctx.cwd, opts.site);
        await recoverOutputFolder(folder, ctx.host);
        output = await readSiteFolder(folder, ctx.host.fs);
        const names = collectProjectWithheldNames(result.content, ctx.host.now(), result.config?.traditional.overrides);
        const importState = await loadImportState(root, ctx.host);
        const excludedEmailHashes = new Set(importState.excludedEmails);
        diagnostics = (await runChecks(output, { withheldNames: names, excludedEmailHashes, remoteImages: importState.remoteImages, searchPages: resolveSearchPages(result.config) })).map((d) => (d.file ? { ...d, file: `${opts.site}/${d.file}` } : d));
        if (result.redactor) diagnostics = diagnostics.map((d) => redactDiagnostic(d, result.redactor!));
      }
      if (opts.json) ctx.stdout(`${JSON.stringify({ ok: !hasErrors(diagnostics), diagnostics }, null, 2)}\n`);
      else {
        await printDiagnostics(ctx, diagnostics, root, {
          readSource: createOutputSourceReader(output, opts.site ?? result.config?.outDir ?? 'dist'),
          redactor: result.redactor,
        });
        if (!opts.quiet && !hasErrors(diagnostics)) ctx.stdout('check: no errors\n');
      }
      ctx.exitCode = resolveExitCode(diagnostics);
    });
};

/** The search pages a build of this config has, and the one script they may carry. */
function resolveSearchPages(config: ResolvedConfig | undefined): { paths: Set<string>; script: string } | undefined {
  if (!config) return undefined;
  return { paths: new Set(config.languages.map((lang) => pagePath(lang, config.defaultLanguage, 'search'))), script: SEARCH_BOOTSTRAP };
}
