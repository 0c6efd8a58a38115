/**
 * Redaction of protected names (withheld roster members, forbidden terms) in
 * everything stele prints about user input: messages, hints, file names and
 * code frames. CI logs are often public; a diagnostic must never become the
 * leak the withheld-name check exists to prevent.
 *
 * The matcher lives in `check`; this module holds only the port the
 * formatter receives and the diagnostic-level rule.
 *
 * Invariant: with a `Redactor`, no diagnostic message, hint, file name or
 * code frame line that contains a protected name (in any spelling the
 * withheld-name scan knows) is printed, and no roster line is shown at all.
 */
import type { Diagnostic } from './diagnostic.js';

/** What the formatter needs to keep protected names out of output. */
export interface Redactor {
  /** `text` with every protected name replaced by `[withheld]`. */
  redactText(text: string): string;
  /** 0-based indexes of the lines of `text` (split on `\n`) that a protected name touches. */
  findLines(text: string): Set<number>;
  /** True when line `line` (1-based) of `file` must never be shown (a roster entry). */
  protectsLine(file: string, line: number): boolean;
}

/** The shown text of a code-frame line that is not shown. */
export const REDACTED_LINE = '[not shown: may contain a protected name]';

/** A copy of `d` whose message, hint and file name hold no protected name. */
export function redactDiagnostic(d: Diagnostic, redactor: Redactor): Diagnostic {
  const out: Diagnostic = { ...d, message: redactor.redactText(d.message) };
  if (d.hint !== undefined) out.hint = redactor.redactText(d.hint);
  if (d.file !== undefined) out.file = redactor.redactText(d.file);
  return out;
}
