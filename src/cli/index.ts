/**
 * The `stele` command line: a thin layer over the library. `runCli` returns an
 * exit code and never calls `process.exit`.
 */
import { cac } from 'cac';
import { createNodeHost, type Host } from '../io/host.js';
import { STELE_VERSION } from '../version.js';
import type { CliContext, RegisterCommand } from './context.js';

/**
 * Every command, loaded when used: a command's module brings its part of the
 * library (the build brings sharp and Pagefind, publish the S3 SDK), so `stele
 * verify` does not pay for the builder's start-up. `stele --help` loads them all.
 */
const COMMANDS: Record<string, () => Promise<RegisterCommand>> = {
  build: async () => (await import('./commands/build.js')).registerBuildCommand,
  check: async () => (await import('./commands/check.js')).registerCheckCommand,
  dev: async () => (await import('./commands/dev.js')).registerDevCommand,
  serve: async () => (await import('./commands/serve.js')).registerServeCommand,
  init: async () => (await import('./commands/init.js')).registerInitCommand,
  new: async () => (await import('./commands/new.js')).registerNewCommand,
  import: async () => (await import('./commands/import.js')).registerImportCommand,
  demo: async () => (await import('./commands/demo.js')).registerDemoCommand,
  watch: async () => (await import('./commands/watch.js')).registerWatchCommand,
  keygen: async () => (await import('./commands/keygen.js')).registerKeygenCommand,
  key: async () => (await import('./commands/key.js')).registerKeyCommand,
  verify: async () => (await import('./commands/verify.js')).registerVerifyCommand,
  log: async () => (await import('./commands/log.js')).registerLogCommand,
  publish: async () => (await import('./commands/publish.js')).registerPublishCommand,
  refresh: async () => (await import('./commands/refresh.js')).registerRefreshCommand,
  bundle: async () => (await import('./commands/bundle.js')).registerBundleCommand,
  'server-config': async () => (await import('./commands/server-config.js')).registerServerConfigCommand,
  config: async () => (await import('./commands/config.js')).registerConfigCommand,
};

/** The commands to register for `argv`: the one it names, none for `--version`, or all (help, unknown command, none). */
function resolveCommandLoaders(argv: readonly string[]): (() => Promise<RegisterCommand>)[] {
  const name = argv.find((a) => !a.startsWith('-'));
  if (name === undefined && (argv.includes('--version') || argv.includes('-v')) && !argv.includes('--help') && !argv.includes('-h')) return [];
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? [COMMANDS[name]!] : Object.values(COMMANDS);
}

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
  for (const load of resolveCommandLoaders(argv)) (await load())(cli, ctx);
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
