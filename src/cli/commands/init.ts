import { dirname, join, resolve } from 'node:path';
import { createStarterFiles } from '../../content/starter.js';
import type { RegisterCommand } from '../context.js';

/** `stele init <dir>`: a working bilingual starter site. */
export const registerInitCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('init <dir>', 'Create a bilingual (en + zh) starter site in dir')
    .example('stele init my-site && stele build my-site')
    .action(async (dir: string) => {
      const root = resolve(ctx.cwd, dir);
      if (await ctx.host.fs.exists(join(root, 'stele.config.ts'))) {
        ctx.stderr(`error: ${root} already has a stele.config.ts; nothing was changed\n`);
        ctx.exitCode = 1;
        return;
      }
      const siteId = (root.split('/').pop() ?? 'site').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'site';
      for (const [rel, text] of Object.entries(createStarterFiles(siteId))) {
        await ctx.host.fs.mkdir(dirname(join(root, rel)));
        await ctx.host.fs.writeFile(join(root, rel), text);
      }
      ctx.stdout(`created ${root}\nnext: stele keygen --dir ${join(dir, 'keys')} && stele build ${dir}\n`);
    });
};
