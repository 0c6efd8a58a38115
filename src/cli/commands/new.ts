import { basename, dirname, join, relative, resolve } from 'node:path';
import { LANGUAGES, resolveLanguageSuffix } from '../../config/languages.js';
import { resolveConfig } from '../../config/resolve-config.js';
import { parseFrontMatter } from '../../content/front-matter.js';
import { slugify, splitContentFileName } from '../../content/names.js';
import {
  CONTENT_FOLDERS,
  CONTENT_KINDS,
  type ContentKind,
  createNewContent,
  createTranslationContent,
} from '../../content/write-front-matter.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { printDiagnostics, resolveExitCode } from '../output.js';

interface NewFlags {
  lang: string;
  dir: string;
  slug?: string;
  translationOf?: string;
}

/** `stele new <kind> <title>`: create a content file with valid front matter; `--translation-of` creates a translation. */
export const registerNewCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('new [kind] [title]', `Create a content file (kind: ${CONTENT_KINDS.join(', ')}), or the translation of one`)
    .option('--lang <lang>', 'Language suffix: en, zh (Simplified) or zh-Hant', { default: 'en' })
    .option('--dir <dir>', 'Project folder', { default: '.' })
    .option('--slug <slug>', 'File name (default: from the title)')
    .option('--translation-of <file>', "Create the translation of this content file: same name, date and translation key (the title defaults to the original's)")
    .example('stele new post "Rally for Zhu Yufu"')
    .example('stele new --translation-of content/posts/2026-02-14-rally-for-zhu-yufu.en.md --lang zh "为朱虞夫集会"')
    .action(async (kind: string | undefined, title: string | undefined, opts: NewFlags) => {
      const usage = (message: string) => {
        ctx.stderr(`error: ${message}\n`);
        ctx.exitCode = 2;
      };
      // `stele new --translation-of FILE "标题"`: the title may come as the only positional argument.
      if (opts.translationOf && kind !== undefined && title === undefined && !(CONTENT_KINDS as readonly string[]).includes(kind)) {
        title = kind;
        kind = undefined;
      }
      if (kind !== undefined && !(CONTENT_KINDS as readonly string[]).includes(kind)) {
        return usage(`unknown kind ${JSON.stringify(kind)}; use one of ${CONTENT_KINDS.join(', ')}`);
      }
      const lang = resolveLanguageSuffix(opts.lang);
      if (!lang) return usage(`unknown language ${JSON.stringify(opts.lang)}; use en, zh or zh-Hant`);
      const root = resolve(ctx.cwd, opts.dir);
      const { config, diagnostics } = await resolveConfig(root, ctx.host);
      if (!config) {
        await printDiagnostics(ctx, diagnostics, root);
        ctx.exitCode = Math.max(1, resolveExitCode(diagnostics));
        return;
      }
      const suffix = LANGUAGES[lang].suffixes[0];
      if (opts.translationOf) {
        return createTranslation(ctx, { contentDir: config.contentDirAbs, root, kind: kind as ContentKind | undefined, title, lang: suffix!, from: opts.translationOf });
      }
      if (kind === undefined || title === undefined) return usage('give a kind and a title: stele new post "My title" (or --translation-of <file>)');
      const slug = opts.slug ?? slugify(title);
      if (!slug) return usage('the title has no letters usable in a file name; pass --slug my-post');
      const date = ctx.host.now().toISOString().slice(0, 10);
      const folder = CONTENT_FOLDERS[kind as ContentKind];
      const base = kind === 'post' ? `${date}-${slug}` : slug;
      const file = join(config.contentDirAbs, folder, `${base}.${suffix}.md`);
      if (await ctx.host.fs.exists(file)) {
        ctx.stderr(`error: ${file} already exists; nothing was changed\n`);
        ctx.exitCode = 1;
        return;
      }
      await ctx.host.fs.mkdir(join(config.contentDirAbs, folder));
      await ctx.host.fs.writeFile(file, createNewContent(kind as ContentKind, title, date, lang));
      ctx.stdout(`${file}\n`);
    });
};

/** Write the `lang` translation next to an existing content file, sharing its name (and so its date and key). */
async function createTranslation(
  ctx: CliContext,
  o: { contentDir: string; root: string; kind?: ContentKind; title?: string; lang: string; from: string },
): Promise<void> {
  const fail = (message: string, code = 1) => {
    ctx.stderr(`error: ${message}; nothing was changed\n`);
    ctx.exitCode = code;
  };
  // The file as typed, from the current folder or from the project folder.
  const candidates = [resolve(ctx.cwd, o.from), resolve(o.root, o.from)];
  let source: string | undefined;
  for (const c of candidates) if (await ctx.host.fs.exists(c)) source ??= c;
  if (!source) return fail(`${o.from} does not exist`);
  const folder = relative(o.contentDir, dirname(source)).split('/')[0];
  const kind = (Object.entries(CONTENT_FOLDERS) as [ContentKind, string][]).find(([, f]) => f === folder)?.[0];
  if (relative(o.contentDir, source).startsWith('..') || !kind) {
    return fail(`${o.from} is not a content file under ${relative(ctx.cwd, o.contentDir) || '.'}/<${Object.values(CONTENT_FOLDERS).join('|')}>/`);
  }
  if (o.kind && o.kind !== kind) return fail(`${o.from} is a ${kind}, not ${/^[aeiou]/.test(o.kind) ? 'an' : 'a'} ${o.kind}`, 2);
  const { base, suffix } = splitContentFileName(basename(source));
  if (!suffix) return fail(`cannot tell the language of ${basename(source)}: content files end in .en.md, .zh.md or .zh-Hant.md`);
  if (resolveLanguageSuffix(suffix) === resolveLanguageSuffix(o.lang)) return fail(`${basename(source)} is already the ${o.lang} version; pass --lang with the language to translate into`, 2);
  const parsed = parseFrontMatter(await ctx.host.fs.readText(source), source);
  if (parsed.diagnostics.length) {
    await printDiagnostics(ctx, parsed.diagnostics, o.root);
    ctx.exitCode = 1;
    return;
  }
  const file = join(dirname(source), `${base}.${o.lang}.md`);
  if (await ctx.host.fs.exists(file)) return fail(`${file} already exists`);
  const data = parsed.data;
  const originalTitle = typeof data.title === 'string' ? data.title : base;
  const translationKey = typeof data.translationKey === 'string' ? data.translationKey : undefined;
  await ctx.host.fs.writeFile(file, createTranslationContent({ title: originalTitle, translationKey, body: parsed.body }, o.title));
  ctx.stdout(`${file}\n`);
}
