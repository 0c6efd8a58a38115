/**
 * The `stele` command line: a thin layer over the library. `runCli` returns an
 * exit code and never calls `process.exit`.
 */
import { cac } from 'cac';
import { createNodeHost, type Host } from '../io/host.js';
import { STELE_VERSION } from '../version.js';
import { registerBuildCommand } from './commands/build.js';
import { registerBundleCommand } from './commands/bundle.js';
import { registerCheckCommand } from './commands/check.js';
import { registerConfigCommand } from './commands/config.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDevCommand } from './commands/dev.js';
import { registerImportCommand } from './commands/import.js';
import { registerInitCommand } from './commands/init.js';
import { registerKeyCommand } from './commands/key.js';
import { registerKeygenCommand } from './commands/keygen.js';
import { registerLogCommand } from './commands/log.js';
import { registerNewCommand } from './commands/new.js';
import { registerPublishCommand } from './commands/publish.js';
import { registerRefreshCommand } from './commands/refresh.js';
import { registerServeCommand } from './commands/serve.js';
import { registerServerConfigCommand } from './commands/server-config.js';
import { registerVerifyCommand } from './commands/verify.js';
import { registerWatchCommand } from './commands/watch.js';
import type { CliContext, RegisterCommand } from './context.js';

const COMMANDS: RegisterCommand[] = [
  registerBuildCommand,
  registerCheckCommand,
  registerDevCommand,
  registerServeCommand,
  registerInitCommand,
  registerNewCommand,
  registerImportCommand,
  registerDemoCommand,
  registerWatchCommand,
  registerKeygenCommand,
  registerKeyCommand,
  registerVerifyCommand,
  registerLogCommand,
  registerPublishCommand,
  registerRefreshCommand,
  registerBundleCommand,
  registerServerConfigCommand,
  registerConfigCommand,
];

/** Overrides for tests: capture output, inject a host, set the cwd. */
export interface RunCliOptions {
  host?: Host;
  cwd?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  isTTY?: boolean;
}

/** Run the CLI with `argv` (without `node` and the script). Resolves to the exit code. */
export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<number> {
  const quiet = argv.includes('--quiet') || argv.includes('--json');
  const ctx: CliContext = {
    host: options.host ?? createNodeHost({ quiet, now: sourceDateEpoch() }),
    cwd: options.cwd ?? process.cwd(),
    stdout: options.stdout ?? ((t) => process.stdout.write(t)),
    stderr: options.stderr ?? ((t) => process.stderr.write(t)),
    isTTY: options.isTTY ?? Boolean(process.stdout.isTTY),
    exitCode: 0,
  };
  const cli = cac('stele');
  // Every command accepts --quiet (only problems are printed); the host's logger honours it.
  cli.option('--quiet', 'Print only problems');
  for (const register of COMMANDS) register(cli, ctx);
  cli.help();
  cli.version(STELE_VERSION);
  try {
    cli.parse(['node', 'stele', ...argv], { run: false });
    // cac prints the version only when no command matched; `stele keygen --version` must not run keygen.
    if (cli.options.version && cli.matchedCommand) {
      cli.outputVersion();
      return 0;
    }
    if (!cli.matchedCommand) {
      if (cli.options.help || cli.options.version) return 0;
      if (cli.args.length) {
        ctx.stderr(`error: unknown command ${JSON.stringify(cli.args[0])}; run \`stele --help\`\n`);
        return 2;
      }
      cli.outputHelp();
      return 0;
    }
    if (cli.options.help) return 0;
    await cli.runMatchedCommand();
  } catch (error) {
    // cac reports usage errors (missing arguments, unknown options) by throwing.
    if (error instanceof Error && error.name === 'CACError') {
      ctx.stderr(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  return ctx.exitCode;
}

/** Honour SOURCE_DATE_EPOCH for reproducible builds. */
function sourceDateEpoch(): (() => Date) | undefined {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (!epoch || !/^\d+$/.test(epoch)) return undefined;
  const date = new Date(Number(epoch) * 1000);
  return () => date;
}
