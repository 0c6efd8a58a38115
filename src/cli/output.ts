/**
 * Shared CLI output helpers: printing diagnostics with code frames, progress
 * on a TTY, and byte/time formatting.
 */
import { isAbsolute, join } from 'node:path';
import type { Diagnostic } from '../errors/diagnostic.js';
import { formatDiagnostic, summarizeDiagnostics } from '../errors/format.js';
import type { Redactor } from '../errors/redact.js';
import type { CliContext } from './context.js';

/**
 * Print every diagnostic (with code frames read from `root`, or from `readSource` first) and a count line.
 * Diagnostics about a project pass the build's `redactor`: protected names never reach the terminal.
 */
export async function printDiagnostics(
  ctx: CliContext,
  diagnostics: readonly Diagnostic[],
  root: string,
  options: { json?: boolean; readSource?: (file: string) => string | undefined; redactor?: Redactor } = {},
): Promise<void> {
  if (options.json) return;
  const color = ctx.isTTY && !process.env.NO_COLOR;
  for (const block of await formatDiagnosticBlocks(ctx, diagnostics, root, { ...options, color })) ctx.stderr(`${block}\n`);
  if (diagnostics.length) ctx.stderr(`${summarizeDiagnostics(diagnostics)}\n`);
}

/** Each diagnostic as printed (file:line:col, message, code frame, hint), redacted when a `redactor` is given. */
export async function formatDiagnosticBlocks(
  ctx: CliContext,
  diagnostics: readonly Diagnostic[],
  root: string,
  options: { readSource?: (file: string) => string | undefined; redactor?: Redactor; color?: boolean } = {},
): Promise<string[]> {
  const cache = new Map<string, string | undefined>();
  const out: string[] = [];
  for (const d of diagnostics) {
    let source: string | undefined = d.file && d.line ? options.readSource?.(d.file) : undefined;
    if (source === undefined && d.file && d.line) {
      const abs = isAbsolute(d.file) ? d.file : join(root, d.file);
      if (!cache.has(abs)) cache.set(abs, await ctx.host.fs.readText(abs).catch(() => undefined));
      source = cache.get(abs);
    }
    out.push(formatDiagnostic(d, { source, color: options.color ?? false, ...(options.redactor ? { redactor: options.redactor } : {}) }));
  }
  return out;
}

/** Diagnostics that mean the command could not run at all (no project there), not that the input has problems. */
const COULD_NOT_RUN = new Set(['STELE1000']);

/** The exit code for a run's diagnostics: 2 could not run (no project folder or config), 1 problems found, 0 ok. */
export function resolveExitCode(diagnostics: readonly Diagnostic[]): 0 | 1 | 2 {
  if (diagnostics.some((d) => COULD_NOT_RUN.has(d.code))) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

/** "1.2 MB" */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A progress reporter: a single rewritten line on a TTY, silent otherwise. */
export function createProgress(ctx: CliContext, enabled: boolean): { update(stage: string, done: number, total: number): void; clear(): void } {
  let last = '';
  return {
    update(stage, done, total) {
      if (!enabled || !ctx.isTTY) return;
      const line = `${stage} ${done}/${total}`;
      if (line === last) return;
      last = line;
      process.stderr.write(`\r\u001b[2K${line}`);
    },
    clear() {
      if (enabled && ctx.isTTY && last) process.stderr.write('\r\u001b[2K');
    },
  };
}

/** A source reader for diagnostics about built files (`dist/x.html`), from the in-memory output. */
export function createOutputSourceReader(output: Map<string, Uint8Array> | undefined, outDir: string): (file: string) => string | undefined {
  const prefix = `${outDir.replace(/^\.\//, '').replace(/\/+$/, '')}/`;
  return (file) => {
    if (!output || !file.startsWith(prefix)) return undefined;
    const data = output.get(file.slice(prefix.length));
    return data && data.byteLength < 4_000_000 ? new TextDecoder().decode(data) : undefined;
  };
}
