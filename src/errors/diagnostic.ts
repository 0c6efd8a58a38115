/**
 * Diagnostics: problems in user input are data, not exceptions.
 * Every stage returns the diagnostics it found; the CLI prints them all at once.
 */

/** How bad a problem is. Errors fail the build; warnings are printed and the build goes on. */
export type Severity = 'error' | 'warning';

/** A problem found in user input (content, config, images, a site being verified). */
export interface Diagnostic {
  /** Stable code from the catalogue, e.g. `STELE1003`. */
  code: string;
  severity: Severity;
  /** What is wrong, in one sentence. */
  message: string;
  /** How to fix it. */
  hint?: string;
  /** File path relative to the project (or site) root, posix separators. */
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sort diagnostics by file, line, column, code and message: a total order by
 * code unit (not locale), so the result is the same on every machine and does
 * not depend on the order stages or workers produced them in.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareText(a.file ?? '', b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compareText(a.code, b.code) ||
      compareText(a.message, b.message),
  );
}
