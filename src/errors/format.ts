/**
 * Human output for diagnostics: `file:line:column`, severity, code, message,
 * a code frame with a caret under the column, and the hint.
 */
import type { Diagnostic } from './diagnostic.js';
import { REDACTED_LINE, type Redactor, redactDiagnostic } from './redact.js';

/** Options for `formatDiagnostic`. */
export interface FormatOptions {
  /** Source text of `diagnostic.file`, for the code frame. */
  source?: string;
  color?: boolean;
  /**
   * Protected names: the message, hint and file name are redacted, and every
   * code-frame line that touches a protected name or lies in a roster entry is
   * replaced by a notice. Pass it whenever the source can be user content.
   */
  redactor?: Redactor;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** Characters of a line a code frame shows; longer lines are cut around the column. */
const MAX_FRAME_WIDTH = 160;

/**
 * Render a code frame: two lines before, the line, a caret, one line after.
 * `hidden(n)` (1-based line numbers) replaces a line's text by a notice.
 */
export function createCodeFrame(source: string, line: number, column = 1, hidden?: (n: number) => boolean): string {
  const lines = source.split(/\r?\n/);
  const from = Math.max(1, line - 2);
  const to = Math.min(lines.length, line + 1);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const full = hidden?.(n) ? REDACTED_LINE : (lines[n - 1] ?? '').replace(/\t/g, '  ');
    // A very long line (minified or machine-made markup) is shown as a window around the column.
    const start = full.length > MAX_FRAME_WIDTH && n === line ? Math.max(0, Math.min(column - 1 - 40, full.length - MAX_FRAME_WIDTH)) : 0;
    const text = full.length > MAX_FRAME_WIDTH ? `${start > 0 ? '…' : ''}${full.slice(start, start + MAX_FRAME_WIDTH)}…` : full;
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${text}`);
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1 - start + (start > 0 ? 1 : 0)))}^`);
  }
  return out.join('\n');
}

/** Format one diagnostic for a terminal. */
export function formatDiagnostic(diagnostic: Diagnostic, options: FormatOptions = {}): string {
  const color = options.color ?? false;
  const { redactor } = options;
  const d = redactor ? redactDiagnostic(diagnostic, redactor) : diagnostic;
  const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}` : '';
  const sev = d.severity === 'error' ? paint(color, '31;1', 'error') : paint(color, '33;1', 'warning');
  const parts = [`${where ? `${paint(color, '1', where)} ` : ''}${sev} ${paint(color, '2', d.code)}: ${d.message}`];
  if (options.source !== undefined && d.line) parts.push(createCodeFrame(options.source, d.line, d.column, redactor && findHiddenLines(options.source, diagnostic, redactor)));
  if (d.hint) parts.push(`  ${paint(color, '36', 'hint')}: ${d.hint}`);
  return parts.join('\n');
}

/**
 * The frame lines of `d` not to show: those in a roster entry, and those a
 * protected name touches. The window searched is wider than the frame, so a
 * name split over lines is found from either side.
 */
function findHiddenLines(source: string, d: Diagnostic, redactor: Redactor): (n: number) => boolean {
  const line = d.line ?? 1;
  const lines = source.split(/\r?\n/);
  const from = Math.max(1, line - 4);
  const to = Math.min(lines.length, line + 3);
  const hit = redactor.findLines(lines.slice(from - 1, to).join('\n'));
  return (n) => hit.has(n - from) || (d.file !== undefined && redactor.protectsLine(d.file, n));
}

/** Count errors and warnings: "2 errors, 1 warning". */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const e = diagnostics.filter((d) => d.severity === 'error').length;
  const w = diagnostics.length - e;
  return `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}`;
}
