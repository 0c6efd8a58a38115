/**
 * `stele verify` on its own. `scripts/build-dist.mjs` bundles this entry and everything it
 * imports (the trust core, zod, @noble) into one file, `dist/cli/verify-cli.bundle.js`, which
 * `bin/stele.js` loads for `stele verify`: one file compiles and links in about half the time
 * of the hundred and fifty modules it replaces, and a check of a local copy is short enough
 * for that to count. The command is the same module `stele` registers for every command.
 */
import { registerVerifyCommand } from './commands/verify.js';
import { type CommandLoaders, type RunCliOptions, runCommandLine } from './run-cli.js';

const VERIFY_ONLY: CommandLoaders = { verify: async () => registerVerifyCommand };

/** Run `stele verify` with `argv` (without `node` and the script; `verify` included). Resolves to the exit code. */
export function runVerifyCli(argv: string[], options: RunCliOptions = {}): Promise<number> {
  return runCommandLine(VERIFY_ONLY, argv, options);
}
