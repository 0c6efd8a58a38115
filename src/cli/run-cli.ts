/**
 * The command-line runner behind `runCli`, given the commands it may load. Apart
 * from `index.ts` (every command) so that a prebuilt bundle of one command
 * (`verify-cli.ts`) holds that command only. Returns an exit code and never calls
 * `process.exit`.
 */
import { cac } from 'cac';
import { createNodeHost, type Host } from '../io/host.js';
import { STELE_VERSION } from '../version.js';
import type { CliContext, RegisterCommand } from './context.js';

/** Command names and how to load each one's module (loaded when used). */
export type CommandLoaders = Record<string, () => Promise<RegisterCommand>>;

/** The commands to register for `argv`: the one it names, none for `--version`, or all (help, unknown command, none). */
function resolveCommandLoaders(commands: CommandLoaders, argv: readonly string[]): (() => Promise<RegisterCommand>)[] {
  const name = argv.find((a) => !a.startsWith('-'));
  if (name === undefined && (argv.includes('--version') || argv.includes('-v')) && !argv.includes('--help') && !argv.includes('-h')) return [];
  return name !== undefined && Object.hasOwn(commands, name) ? [commands[name]!] : Object.values(commands);
}

/** Overrides for tests: capture output, inject a host, set the cwd. */
export interface RunCliOptions {
  host?: Host;
  cwd?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  isTTY?: boolean;
}

/** Run the CLI with `argv` (without `node` and the script) and `commands`. Resolves to the exit code. */
export async function runCommandLine(commands: CommandLoaders, argv: string[], options: RunCliOptions = {}): Promise<number> {
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
  for (const load of resolveCommandLoaders(commands, argv)) (await load())(cli, ctx);
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
