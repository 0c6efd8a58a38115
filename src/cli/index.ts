/**
 * The `stele` command line: a thin layer over the library. `runCli` returns an
 * exit code and never calls `process.exit`.
 */
import { type CommandLoaders, type RunCliOptions, runCommandLine } from './run-cli.js';

export type { RunCliOptions } from './run-cli.js';

/**
 * Every command, loaded when used: a command's module brings its part of the
 * library (the build brings sharp and Pagefind, publish the S3 SDK), so `stele
 * verify` does not pay for the builder's start-up. `stele --help` loads them all.
 */
const COMMANDS: CommandLoaders = {
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

/** Run the CLI with `argv` (without `node` and the script). Resolves to the exit code. */
export function runCli(argv: string[], options: RunCliOptions = {}): Promise<number> {
  return runCommandLine(COMMANDS, argv, options);
}
