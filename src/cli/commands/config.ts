import { createConfigReference } from '../../config/config-reference.js';
import type { RegisterCommand } from '../context.js';

/** `stele config --reference`: print every config field (generated from the schema; the text of docs/config.md). */
export const registerConfigCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('config', 'Print the config field reference (docs/config.md), generated from the schema')
    .option('--reference', 'Print every field of stele.config.ts: type, required, default, description, example')
    .example('stele config --reference > docs/config.md')
    .action((opts: { reference?: boolean }) => {
      if (!opts.reference) {
        ctx.stderr('error: nothing to do; use `stele config --reference`\n');
        ctx.exitCode = 2;
        return;
      }
      ctx.stdout(createConfigReference());
    });
};
