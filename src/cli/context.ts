/**
 * What every CLI command receives. Commands never call `process.exit`; they set
 * `ctx.exitCode` and return, and `bin/stele.js` hands the code to the process.
 */
import type { CAC } from 'cac';
import type { Host } from '../io/host.js';

export interface CliContext {
  host: Host;
  /** Working directory the command was run from. */
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stdout is a terminal (progress bars allowed). */
  isTTY: boolean;
  /** Exit code to hand to the process: 0 ok, 1 problems found, 2 could not run. */
  exitCode: number;
}

/** A command module registers itself on the cac instance. */
export type RegisterCommand = (cli: CAC, ctx: CliContext) => void;
