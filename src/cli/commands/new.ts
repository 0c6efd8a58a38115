import { join, resolve } from 'node:path';
import { resolveConfig } from '../../config/resolve-config.js';
import { LANGUAGES, resolveLanguageSuffix } from '../../config/languages.js';
import { slugify } from '../../content/names.js';
import type { RegisterCommand } from '../context.js';
import { printDiagnostics } from '../output.js';

const KINDS = ['post', 'page', 'campaign', 'person', 'event'] as const;
const FOLDERS: Record<(typeof KINDS)[number], string> = { post: 'posts', page: 'pages', campaign: 'campaigns', person: 'people', event: 'events' };

/** Front matter to start a new file with. */
export function createNewContent(kind: (typeof KINDS)[number], title: string, date: string): string {
  const quoted = JSON.stringify(title);
  const extra: Record<typeof kind, string> = {
    post: `date: ${date}\ntags: []\n`,
    page: '',
    campaign: `date: ${date}\nstatus: active\ngoal:\n  en: ""\nsubjects: []\nactions: []\n`,
    person: 'names:\n  en: ""\n  zh-Hans: ""\nstatus: unknown\nsources: []\n',
    event: `date: ${date}\nkind: rally\nstart: "${date}"\nroster: []\n`,
  };
  return `---\ntitle: ${quoted}\n${extra[kind]}draft: true\n---\n\nWrite here.\n`;
}

/** `stele new <kind> <title>`: create a content file with valid front matter. */
export const registerNewCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('new <kind> <title>', `Create a content file (kind: ${KINDS.join(', ')})`)
    .option('--lang <lang>', 'Language suffix: en, zh (Simplified) or zh-Hant', { default: 'en' })
    .option('--dir <dir>', 'Project folder', { default: '.' })
    .option('--slug <slug>', 'File name (default: from the title)')
    .example('stele new post "Rally for Zhu Yufu" --lang zh')
    .action(async (kind: string, title: string, opts: { lang: string; dir: string; slug?: string }) => {
      const root = resolve(ctx.cwd, opts.dir);
      if (!(KINDS as readonly string[]).includes(kind)) {
        ctx.stderr(`error: unknown kind ${JSON.stringify(kind)}; use one of ${KINDS.join(', ')}\n`);
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
      const folder = FOLDERS[kind as (typeof KINDS)[number]];
      const base = kind === 'post' ? `${date}-${slug}` : slug;
      const file = join(config.contentDirAbs, folder, `${base}.${LANGUAGES[lang].suffixes[0]}.md`);
      if (await ctx.host.fs.exists(file)) {
        ctx.stderr(`error: ${file} already exists; nothing was changed\n`);
        ctx.exitCode = 1;
        return;
      }
      await ctx.host.fs.mkdir(join(config.contentDirAbs, folder));
      await ctx.host.fs.writeFile(file, createNewContent(kind as (typeof KINDS)[number], title, date));
      ctx.stdout(`${file}\n`);
    });
};
