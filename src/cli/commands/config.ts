import { createConfigReference } from '../../config/config-reference.js';
import { createContentReference } from '../../content/content-reference.js';
import type { RegisterCommand } from '../context.js';

/** `stele config --reference [content]`: print the config (docs/config.md) or front-matter (docs/content.md) reference, generated from the schemas. */
export const registerConfigCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('config', 'Print the field references generated from the schemas: config (docs/config.md) or front matter (docs/content.md)')
    .option('--reference [kind]', 'Print every field: type, required, default, description, example (kind: config, the default, or content)')
    .example('stele config --reference > docs/config.md')
    .example('stele config --reference content > docs/content.md')
    .action((opts: { reference?: boolean | string }) => {
      const kind = opts.reference === true ? 'config' : opts.reference;
      if (kind !== 'config' && kind !== 'content') {
        ctx.stderr('error: use `stele config --reference` (config fields) or `stele config --reference content` (front-matter fields)\n');
        ctx.exitCode = 2;
        return;
      }
      ctx.stdout(kind === 'config' ? createConfigReference() : createContentReference());
    });
};
