import { basename, join, resolve } from 'node:path';
import { hasErrors } from '../../errors/diagnostic.js';
import type { ExportFormat } from '../../import/import-export.js';
import type { RegisterCommand } from '../context.js';
import { formatBytes } from '../output.js';
import { formatDiagnostic, summarizeDiagnostics } from '../../errors/format.js';
import { createStarterFiles } from '../../content/starter.js';

const FORMATS: readonly ExportFormat[] = ['blogger', 'takeout', 'wordpress'];

/** Config and .gitignore of a site created by an import, titled after the blog. */
function createImportedSiteFiles(root: string, blogTitle: string): Record<string, string> {
  const siteId = (basename(root) || 'site').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'site';
  const starter = createStarterFiles(siteId);
  const title = blogTitle.trim().slice(0, 200);
  const config = title ? starter['stele.config.ts']!.replace(/ {2}title: \{[^\n]*\},\n/, `  title: ${JSON.stringify(title)},\n`) : starter['stele.config.ts']!;
  return { 'stele.config.ts': config, '.gitignore': starter['.gitignore']! };
}

/** `stele import [format] <file> --out <dir>`: bring a Blogger or WordPress site into a stele content folder. */
export const registerImportCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('import <file> [file2]', `Import a Blogger export, Google Takeout feed.atom or WordPress WXR file into a site folder (format detected, or named first: ${FORMATS.join(', ')})`)
    .option('--out <dir>', 'Site folder: a new folder (a starter config is written) or an existing stele site')
    .option('--media <dir>', 'Folder with the blog\'s image files (they go through the image pipeline; others stay links)')
    .option('--no-comments', 'Drop comments instead of keeping them as a read-only archive')
    .option('--json', 'Print the report as JSON')
    .example('stele import blog-export.xml --out my-site && stele build my-site')
    .example('stele import takeout Takeout/Blogger/Blogs/Mine/feed.atom --out my-site --media Takeout/Blogger/Albums')
    .action(async (first: string, second: string | undefined, opts: { out?: string; media?: string; comments: boolean; json?: boolean }) => {
      let format: ExportFormat | undefined;
      let file = first;
      if (second !== undefined) {
        if (!(FORMATS as readonly string[]).includes(first)) {
          ctx.stderr(`error: unknown format ${JSON.stringify(first)}; use one of ${FORMATS.join(', ')} or leave it out\n`);
          ctx.exitCode = 2;
          return;
        }
        format = first as ExportFormat;
        file = second;
      }
      if (!opts.out || typeof opts.out !== 'string') {
        ctx.stderr('error: --out <dir> is required (a new folder, or an existing stele site)\n');
        ctx.exitCode = 2;
        return;
      }
      const out = resolve(ctx.cwd, opts.out);
      const exportFile = resolve(ctx.cwd, file);
      const showProgress = ctx.isTTY && !opts.json;
      let lastPercent = -1;
      // Loaded when used (the XML parser and turndown are not needed to start the CLI).
      const { importExport } = await import('../../import/import-export.js');
      const result = await importExport({
        file: exportFile,
        out,
        ...(format ? { format } : {}),
        ...(opts.media ? { media: resolve(ctx.cwd, opts.media) } : {}),
        comments: opts.comments !== false,
        host: ctx.host,
        createSiteFiles: (title) => createImportedSiteFiles(out, title),
        ...(showProgress
          ? {
              onProgress: (bytes: number, total: number) => {
                const percent = total ? Math.floor((bytes / total) * 100) : 100;
                if (percent === lastPercent) return;
                lastPercent = percent;
                const filled = Math.round(percent / 5);
                ctx.stderr(`\r\u001b[2Kimport [${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${percent}% ${formatBytes(bytes)} / ${formatBytes(total)}`);
              },
            }
          : {}),
      });
      if (showProgress && lastPercent >= 0) ctx.stderr('\r\u001b[2K');
      const { report, diagnostics } = result;
      const failed = hasErrors(diagnostics);
      if (opts.json) {
        ctx.stdout(`${JSON.stringify({ ok: !failed, report, diagnostics }, null, 2)}\n`);
      } else {
        // No code frames: the export may be hundreds of megabytes; file:line:column point into it.
        for (const d of diagnostics) ctx.stderr(`${formatDiagnostic(d, { color: ctx.isTTY && !process.env.NO_COLOR })}\n`);
        if (diagnostics.length) ctx.stderr(`${summarizeDiagnostics(diagnostics)}\n`);
        if (!failed) {
          const lines = [
            `imported ${report.format} export into ${out}${report.created ? ' (new site)' : ''}`,
            `  posts ${report.posts}, pages ${report.pages} (drafts ${report.drafts})`,
            `  comments ${report.comments}${report.commentsDropped ? `, ${report.commentsDropped} dropped (--no-comments)` : ''}`,
            `  media ${report.media}, remote images ${report.remoteImages.length} (linked, not shown)`,
            `  redirects ${report.redirects}`,
            `  skipped ${report.skipped.length}${report.skipped.length ? ' (each listed above with its reason)' : ''}`,
            `  files written ${report.written.length}, unchanged ${report.unchanged.length}, kept because edited ${report.conflicts.length}`,
            `next: stele keygen --dir ${join(opts.out, 'keys')} && stele build ${opts.out}`,
          ];
          ctx.stdout(`${lines.join('\n')}\n`);
        } else ctx.stderr('import: nothing was written\n');
      }
      ctx.exitCode = failed ? 1 : 0;
    });
};
