/**
 * Catalogue entries for `stele watch` (range STELE5500–5999).
 */
import { defineError } from './catalogue.js';

/** `--every` could not be parsed. */
export const WATCH_INTERVAL_INVALID = defineError({
  code: 'STELE5500',
  title: 'Invalid watch interval',
  severity: 'error',
  message: (text: string) => `"${text}" is not a valid interval.`,
  hint: 'Write a number followed by s, m or h, e.g. 30s, 5m or 1h.',
});

/** `--every` is below the minimum. */
export const WATCH_INTERVAL_TOO_SHORT = defineError({
  code: 'STELE5501',
  title: 'Watch interval too short',
  severity: 'error',
  message: (text: string, minimumSeconds: number) =>
    `Interval "${text}" is shorter than the minimum of ${minimumSeconds}s.`,
  hint: 'Checking more often than every 10 seconds puts load on the mirrors for no gain; use 10s or more.',
});

/** A watched address is not an http(s) URL. */
export const WATCH_URL_INVALID = defineError({
  code: 'STELE5502',
  title: 'Invalid mirror address',
  severity: 'error',
  message: (text: string) => `"${text}" is not an http:// or https:// address.`,
  hint: 'Give the full address of each live mirror, e.g. https://example.org/.',
});

/** The state file exists but cannot be read. */
export const WATCH_STATE_UNREADABLE = defineError({
  code: 'STELE5503',
  title: 'Watch state file unreadable',
  severity: 'error',
  message: (detail: string) => `The watch state file cannot be read: ${detail}`,
  hint: 'stele refuses to start without it, because it holds open incidents and the highest manifest version seen (rollback protection). Repair the file, or move it aside to start fresh.',
});

/** The state file could not be written. */
export const WATCH_STATE_WRITE_FAILED = defineError({
  code: 'STELE5504',
  title: 'Watch state file not written',
  severity: 'error',
  message: (detail: string) => `The watch state file could not be written: ${detail}`,
  hint: 'Check that the folder exists and is writable; until it is, a restart may alert again and forget the highest version seen.',
});

/** The alert command failed. */
export const WATCH_ALERT_COMMAND_FAILED = defineError({
  code: 'STELE5505',
  title: 'Alert command failed',
  severity: 'warning',
  message: (detail: string) => `The alert command failed: ${detail}`,
  hint: 'stele will try again at the next check. Run the command by hand with a payload on stdin to debug it.',
});

/** The webhook could not be delivered. */
export const WATCH_WEBHOOK_FAILED = defineError({
  code: 'STELE5506',
  title: 'Webhook not delivered',
  severity: 'warning',
  message: (detail: string) => `The webhook was not delivered: ${detail}`,
  hint: 'stele will try again at the next check. The webhook must answer 2xx directly; redirects are not followed.',
});

/** The pinned key file cannot be read. */
export const WATCH_KEY_UNREADABLE = defineError({
  code: 'STELE5507',
  title: 'Public key file unreadable',
  severity: 'error',
  message: (file: string, detail: string) => `The public key file ${file} cannot be read: ${detail}`,
  hint: 'Pass the minisign public key (.pub) the site is signed with.',
});

/** An option has an unknown value. */
export const WATCH_OPTION_INVALID = defineError({
  code: 'STELE5508',
  title: 'Invalid watch option',
  severity: 'error',
  message: (option: string, value: string, allowed: string) =>
    `--${option} "${value}" is not valid; expected ${allowed}.`,
});

/** Nothing to watch. */
export const WATCH_NO_MIRRORS = defineError({
  code: 'STELE5509',
  title: 'No mirrors to watch',
  severity: 'error',
  message: () => 'No mirror address was given.',
  hint: 'Usage: stele watch https://example.org/ [https://mirror.example.net/ …]',
});
