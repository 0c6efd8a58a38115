/**
 * Human and JSON-lines rendering of watch events.
 */
import { stripControlCharacters } from './alert.js';
import { describeProblems } from './incident.js';
import { formatDuration } from './interval.js';
import type { WatchEvent } from './types.js';

/** True for events shown in quiet mode (incidents and failures, not routine checks). */
export function isNotableWatchEvent(event: WatchEvent): boolean {
  return event.type !== 'check' && event.type !== 'alert-delivered';
}

/**
 * One line for humans. Paths and messages come from the mirror, so control
 * characters (terminal escapes) are replaced.
 */
export function formatWatchEvent(event: WatchEvent): string {
  const line = ((): string => {
    switch (event.type) {
      case 'check': {
        const head = `${event.at} ${event.mirror}`;
        if (event.status === 'genuine') {
          const v = event.manifestVersion !== undefined ? ` v${event.manifestVersion}` : '';
          return `${head} genuine${v} (${event.checkedFiles} files)`;
        }
        const inc = event.incidentId ? ` [${event.incidentId}]` : '';
        if (event.status === 'not-genuine') {
          return `${head} NOT GENUINE: ${describeProblems(event.problems, 5)}${inc}`;
        }
        return `${head} error (${event.consecutiveErrors} in a row): ${describeProblems(event.problems, 5)}${inc}`;
      }
      case 'incident-opened':
        return `${event.at} ALERT ${event.incidentId} opened (${event.payload.category}): ${event.payload.summary}`;
      case 'incident-updated':
        return `${event.at} ${event.alert ? 'ALERT' : 'update'} ${event.incidentId} changed: ${event.payload.summary}`;
      case 'incident-healed':
        return `${event.at} HEALED ${event.incidentId} after ${formatDuration(event.payload.durationMs ?? 0)}: ${event.payload.summary}`;
      case 'expiring-soon':
        return `${event.at} ALERT ${event.incidentId}: ${event.payload.summary}`;
      case 'alert-delivered':
        return `${event.at} ${event.channel} alert delivered for ${event.incidentId} (${event.event})`;
      case 'alert-failed':
        return `${event.at} ${event.diagnostic.code} ${event.channel} alert for ${event.incidentId} failed: ${event.diagnostic.message}${event.willRetry ? ' (will retry next round)' : ' (giving up)'}`;
      case 'state-error':
        return `${event.at} ${event.diagnostic.code} ${event.diagnostic.message}${event.diagnostic.hint ? ` ${event.diagnostic.hint}` : ''}`;
    }
  })();
  return stripControlCharacters(line);
}

/** One JSON line (no trailing newline). */
export function formatWatchEventJson(event: WatchEvent): string {
  return JSON.stringify(event);
}
