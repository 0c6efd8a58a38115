/**
 * The end-of-run summary of `stele publish`, written for the person who pressed
 * the button: one row per place, what moved, whether the copy there checks out,
 * and what to do about anything that failed.
 */
import type { PublishReport, TargetReport } from './types.js';

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function verifiedCell(t: TargetReport): string {
  if (t.status === 'failed') return 'no (not published)';
  if (t.verified === 'yes') return 'yes';
  if (t.verified === 'no') return 'NO';
  return 'not checked';
}

/** Rows of the summary table (header first). */
export function createSummaryRows(report: PublishReport): string[][] {
  const rows = [['Target', 'Kind', 'Files sent', 'Data sent', 'Time', 'Verified']];
  for (const t of report.targets) {
    rows.push([
      t.name,
      t.type,
      t.status === 'failed' ? 'FAILED' : `${t.filesSent} of ${t.filesTotal}`,
      t.status === 'failed' ? '-' : formatBytes(t.bytesSent),
      formatSeconds(t.durationMs),
      verifiedCell(t),
    ]);
  }
  return rows;
}

/** The whole summary as text. */
export function formatPublishReport(report: PublishReport): string {
  const rows = createSummaryRows(report);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const table = rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  const good = report.targets.filter((t) => t.status === 'published' && t.verified !== 'no').length;
  const lines = [
    '',
    `Site "${report.siteId}" version ${report.version}: ${good} of ${report.targets.length} ${report.targets.length === 1 ? 'copy' : 'copies'} published${report.ok ? ' and checked' : ''}.`,
    '',
    table[0],
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...table.slice(1),
    '',
  ];
  const notes = report.targets.filter((t) => t.note || t.verifyNote || t.error);
  for (const t of notes) {
    if (t.status === 'failed') {
      lines.push(`✗ ${t.name} (${t.description}) was NOT updated: ${t.error}.`);
      lines.push('  The other copies are not affected. Fix the cause, then run `stele publish` again: it continues where it stopped.');
    } else if (t.verified === 'no') {
      lines.push(`✗ ${t.name}: the copy does NOT check out: ${t.verifyNote}.`);
      lines.push('  Do not point people to this copy until it verifies; run `stele publish` again or ask whoever runs that server.');
    } else {
      const parts = [t.note, t.verifyNote, t.filesDeleted ? `${t.filesDeleted} old files removed` : undefined].filter(Boolean);
      lines.push(`✓ ${t.name}: ${parts.join('; ')}.`);
    }
  }
  return `${lines.join('\n')}\n`;
}
