/**
 * Human-readable check report. Diagnostics themselves stay plain objects, so
 * `--json` can print them with JSON.stringify.
 */
import type { Diagnostic } from '../errors/diagnostic.js';

/** Format diagnostics for a terminal: `file:line:column  severity CODE  message` plus an indented hint, and a summary line. */
export function formatCheckReport(diagnostics: readonly Diagnostic[]): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}` : '(site)';
    lines.push(`${where}  ${d.severity} ${d.code}  ${d.message}`);
    if (d.hint) lines.push(`    hint: ${d.hint}`);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  lines.push(
    errors === 0 && warnings === 0
      ? 'check: no problems found.'
      : `check: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${errors ? ' — the site will not be sealed.' : '.'}`,
  );
  return `${lines.join('\n')}\n`;
}
