/**
 * Human-readable verify report: a verdict line, loud banners for key changes,
 * one line per problem grouped by kind, and a summary line.
 */
import { formatKeyFingerprint } from '../trust/minisign.js';
import { PROBLEM_KIND_INFO, VERIFY_PROBLEM_KINDS, type VerifyProblemKind } from '../trust/problems.js';
import type { VerifyReport } from './types.js';

/** Options for `formatVerifyReport`. */
export interface FormatVerifyOptions {
  /** Only problems and the summary line (nothing at all for a genuine copy). */
  quiet?: boolean;
}

/** Render a report for a terminal (no colour), ending with a newline. */
export function formatVerifyReport(report: VerifyReport, options: FormatVerifyOptions = {}): string {
  const lines: string[] = [];
  const m = report.manifest;
  const verdict =
    report.status === 'genuine'
      ? `GENUINE: ${report.source}`
      : isStaleOnly(report)
        ? `STALE (possible freeze): ${report.source}`
        : report.status === 'not-genuine'
          ? `NOT GENUINE: ${report.source}`
          : `COULD NOT CHECK: ${report.source}`;
  if (report.status === 'genuine' && options.quiet) return '';
  lines.push(verdict);
  if (m && !options.quiet) {
    lines.push(
      `  site ${m.siteId}, version ${m.version}, key ${formatKeyFingerprint(m.keyId)}, built ${m.buildTime}, expires ${m.expires}`,
    );
    if (report.timestamp) lines.push(`  timestamp by key ${formatKeyFingerprint(report.timestamp.keyId)}, fresh until ${report.timestamp.expires}`);
  }
  if (isStaleOnly(report)) {
    lines.push(
      '',
      'The files are intact and signed by the site\'s key, but its timestamp is missing, expired or',
      'vouches for another version: nothing proves this is still the current version. Someone may',
      'be holding this copy back (a freeze), or the site\'s `stele refresh` job stopped. Not tampering.',
    );
  }
  if (report.problems.some((p) => p.kind === 'key-changed')) {
    lines.push(
      '',
      '!!! THE SIGNING KEY HAS CHANGED !!!',
      'This copy is signed by a different key than the one you trusted before, and no valid',
      'rotation from the old key is published. It may be an impostor. Confirm the new key',
      'through a channel you trust before accepting it (stele verify --key NEW.pub).',
    );
  }
  const byKind = new Map<VerifyProblemKind, typeof report.problems>();
  for (const p of report.problems) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p]);
  for (const kind of VERIFY_PROBLEM_KINDS) {
    const group = byKind.get(kind);
    if (!group) continue;
    lines.push('', `${PROBLEM_KIND_INFO[kind].title} (${group.length}):`);
    for (const p of group) {
      const detail = [p.expected ? `expected ${p.expected}` : '', p.actual ? `found ${p.actual}` : '']
        .filter(Boolean)
        .join(', ');
      lines.push(`  ${kind}: ${p.message}${detail && kind !== 'modified' ? ` [${detail}]` : ''}`);
    }
  }
  const counts = VERIFY_PROBLEM_KINDS.filter((k) => byKind.has(k)).map((k) => `${byKind.get(k)?.length} ${k}`);
  const config = report.checkedServerConfig ? ` and ${report.checkedServerConfig} server configuration file${report.checkedServerConfig === 1 ? '' : 's'}` : '';
  const files = m ? `${report.checkedFiles} of ${m.fileCount} files${config} matched` : 'no files checked';
  lines.push(
    '',
    report.problems.length === 0
      ? `genuine: ${files}.`
      : `${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} (${counts.join(', ')}); ${files}.`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * True when the copy is not genuine only because it is stale: its signed files
 * and manifest are intact but no fresh timestamp vouches for them (exit 1 like
 * `expired`; the headline says STALE, not NOT GENUINE).
 */
export function isStaleOnly(report: Pick<VerifyReport, 'status' | 'problems'>): boolean {
  return (
    report.status === 'not-genuine' &&
    report.problems.some((p) => p.kind === 'stale') &&
    report.problems.every((p) => p.kind === 'stale' || p.kind === 'expired')
  );
}

/** Exit code for a report: 0 genuine, 1 not genuine (stale included), 2 could not check. */
export function resolveVerifyExitCode(report: VerifyReport): 0 | 1 | 2 {
  return report.status === 'genuine' ? 0 : report.status === 'not-genuine' ? 1 : 2;
}
