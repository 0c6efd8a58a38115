/**
 * Commenters' e-mail addresses never reach the output: `stele import` stores a
 * hash of every address it saw (never the address), and this check hashes
 * every e-mail-shaped string in every text file of the built site (raw and
 * with character references and escapes decoded) and fails on a match. The
 * diagnostic gives the place (in its message, so that no code frame is
 * printed), never the address.
 */
import { findEmailAddresses, hashExcludedEmail } from '../content/import-records.js';
import { createDiagnostic } from '../errors/catalogue.js';
import { CheckExcludedEmail } from '../errors/codes-import.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { createOffsetLocator } from '../harden/text-location.js';
import type { OutputFiles } from '../site/output.js';
import { decodeEscapesText } from './mapped-text.js';

/** Check every file of `output` against the hashes of excluded addresses. */
export function checkExcludedEmails(output: OutputFiles, excludedHashes: ReadonlySet<string>): Diagnostic[] {
  if (!excludedHashes.size) return [];
  const diagnostics: Diagnostic[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (const [path, bytes] of [...output].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!bytes.includes(0x40) && !bytes.includes(0x26) && !bytes.includes(0x25) && !bytes.includes(0x5c)) continue; // no '@', '&', '%' or '\'
    const text = decoder.decode(bytes);
    const raw = findEmailAddresses(text).find((m) => excludedHashes.has(hashExcludedEmail(m.email)));
    if (raw) {
      // The place goes into the message, not the location: a location makes the CLI print a code frame, which would show the address.
      const at = createOffsetLocator(text)(raw.index);
      diagnostics.push(createDiagnostic(CheckExcludedEmail, { file: path }, `line ${at.line}, column ${at.column}`));
      continue;
    }
    const decoded = decodeEscapesText(text);
    let percent = decoded;
    try {
      percent = decodeURIComponent(decoded);
    } catch {
      // not percent-encoded as a whole
    }
    if ([decoded, percent].some((t) => findEmailAddresses(t).some((m) => excludedHashes.has(hashExcludedEmail(m.email))))) diagnostics.push(createDiagnostic(CheckExcludedEmail, { file: path }, 'written with character references or escapes'));
  }
  return diagnostics;
}
