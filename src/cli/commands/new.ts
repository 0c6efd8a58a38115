import { join, resolve } from 'node:path';
import { resolveConfig } from '../../config/resolve-config.js';
import { LANGUAGES, resolveLanguageSuffix } from '../../config/languages.js';
import { slugify } from '../../content/names.js';
import { CONTENT_FOLDERS, CONTENT_KINDS, type ContentKind, createNewContent } from '../../content/write-front-matter.js';
import type { RegisterCommand } from '../context.js';
import { printDiagnostics } from '../output.js';

/** `stele new <kind> <title>`: create a content file with valid front matter. */
export const registerNewCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('new <kind> <title>', `Create a content file (kind: ${CONTENT_KINDS.join(', ')})`)
    .option('--lang <lang>', 'Language suffix: en, zh (Simplified) or zh-Hant', { default: 'en' })
    .option('--dir <dir>', 'Project folder', { default: '.' })
    .option('--slug <slug>', 'File name (default: from the title)')
    .example('stele new post "Rally for Zhu Yufu" --lang zh')
    .action(async (kind: string, title: string, opts: { lang: string; dir: string; slug?: string }) => {
      const root = resolve(ctx.cwd, opts.dir);
      if (!(CONTENT_KINDS as readonly string[]).includes(kind)) {
        ctx.stderr(`error: unknown kind ${JSON.stringify(kind)}; use one of ${CONTENT_KINDS.join(', ')}\n`);
        ctx.exitCode = 2;
        return;
      }
      const lang = resolveLanguageSuffix(opts.lang);
      if (!lang) {
        ctx.stderr(`error: unknown language ${JSON.stringify(opts.lang)}; use en, zh or zh-Hant\n`);
        ctx.exitCode = 2;
        return;
      }
      const { config, diagnostics } = await resolveConfig(root, ctx.host);
      if (!config) {
        await printDiagnostics(ctx, diagnostics, root);
        ctx.exitCode = 1;
        return;
      }
      const slug = opts.slug ?? slugify(title);
      if (!slug) {
        ctx.stderr('error: the title has no letters usable in a file name; pass --slug my-post\n');
        ctx.exitCode = 2;
        return;
      }
      const date = ctx.host.now().toISOString().slice(0, 10);
      const folder = CONTENT_FOLDERS[kind as ContentKind];
      const base = kind === 'post' ? `${date}-${slug}` : slug;
      const file = join(config.contentDirAbs, folder, `${base}.${LANGUAGES[lang].suffixes[0]}.md`);
      if (await ctx.host.fs.exists(file)) {
        ctx.stderr(`error: ${file} already exists; nothing was changed\n`);
        ctx.exitCode = 1;
        return;
      }
      await ctx.host.fs.mkdir(join(config.contentDirAbs, folder));
      await ctx.host.fs.writeFile(file, createNewContent(kind as ContentKind, title, date));
      ctx.stdout(`${file}\n`);
    });
};
