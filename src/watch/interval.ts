/**
 * Parse watch intervals such as `30s`, `5m`, `1h` or `1h30m`.
 */
import type { Diagnostic } from '../errors/diagnostic.js';
import { createDiagnostic } from '../errors/catalogue.js';
import { WATCH_INTERVAL_INVALID, WATCH_INTERVAL_TOO_SHORT } from '../errors/codes-watch.js';

/** The shortest interval `stele watch` accepts, in milliseconds. */
export const MINIMUM_WATCH_INTERVAL_MS = 10_000;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** Result of {@link parseWatchInterval}: milliseconds, or a diagnostic. */
export type ParsedInterval = { ok: true; ms: number } | { ok: false; diagnostic: Diagnostic };

/**
 * Parse an interval: one or more `<number><unit>` parts (units s, m, h; decimals allowed),
 * e.g. `30s`, `5m`, `1.5h`, `1h30m`. Intervals under {@link MINIMUM_WATCH_INTERVAL_MS} are refused.
 */
export function parseWatchInterval(text: string, minimumMs = MINIMUM_WATCH_INTERVAL_MS): ParsedInterval {
  const trimmed = text.trim().toLowerCase();
  if (!/^(?:\d+(?:\.\d+)?[smh])+$/.test(trimmed)) {
    return { ok: false, diagnostic: createDiagnostic(WATCH_INTERVAL_INVALID, {}, text) };
  }
  let ms = 0;
  for (const m of trimmed.matchAll(/(\d+(?:\.\d+)?)([smh])/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
  ms = Math.round(ms);
  if (ms < minimumMs) {
    return { ok: false, diagnostic: createDiagnostic(WATCH_INTERVAL_TOO_SHORT, {}, text, minimumMs / 1000) };
  }
  return { ok: true, ms };
}

/** Format milliseconds as a short human duration, e.g. `2h 5m 3s`, `45s`, `0s`. */
export function formatDuration(ms: number): string {
  let s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts: string[] = [];
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  if (s || parts.length === 0) parts.push(`${s}s`);
  return parts.join(' ');
}
