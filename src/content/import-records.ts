/**
 * What `stele import` leaves in a site folder for later builds: the redirect
 * map (`redirects.json`, old URL → content file, editable by hand) and the
 * import state (`.stele/import.json`: hashes of the files import wrote, so a
 * re-run never overwrites an edit, and SHA-256 hashes of commenters' e-mail
 * addresses, so the check stage can refuse a build that publishes one; the
 * addresses themselves are never stored).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { createDiagnostic } from '../errors/catalogue.js';
import { RedirectInvalid } from '../errors/codes-import.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { Host } from '../io/host.js';

/** Project-relative path of the redirect map. */
export const REDIRECTS_FILE = 'redirects.json';
/** Project-relative path of the import state. */
export const IMPORT_STATE_FILE = '.stele/import.json';

/** One old URL (path, optionally with a query: `/2012/02/x.html`, `/?p=12`) and the content file it now lives in. */
export interface RedirectRule {
  from: string;
  /** Project-relative content file, e.g. `content/posts/2012-02-14-x.en.md`. */
  to: string;
}

const redirectsSchema = z.object({ redirects: z.array(z.object({ from: z.string().min(1), to: z.string().min(1) }).strict()) }).strict();

/** The import state. */
export interface ImportState {
  /** Project-relative path → SHA-256 (hex) of the bytes import wrote there. */
  files: Record<string, string>;
  /** {@link hashExcludedEmail} of every commenter address seen in an export. */
  excludedEmails: string[];
  /** Images left on the old host (linked, not shown). */
  remoteImages: string[];
}

const stateSchema = z.object({
  version: z.literal(1),
  files: z.record(z.string(), z.string()),
  excludedEmails: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
  remoteImages: z.array(z.string()),
});

/** The hash stored for an excluded e-mail address (case-insensitive). */
export function hashExcludedEmail(email: string): string {
  return createHash('sha256').update(`stele-excluded-email\u0000${email.trim().toLowerCase()}`).digest('hex');
}

/** E-mail-shaped strings in `text`, with their offsets. */
export function findEmailAddresses(text: string): { email: string; index: number }[] {
  return [...text.matchAll(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g)].map((m) => ({ email: m[0], index: m.index }));
}

/** SHA-256 (hex) of file bytes, as recorded in the import state. */
export function hashFileBytes(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Read `redirects.json` from a project (empty when absent). */
export async function loadRedirects(root: string, host: Host): Promise<{ redirects: RedirectRule[]; diagnostics: Diagnostic[] }> {
  const path = join(root, REDIRECTS_FILE);
  if (!(await host.fs.exists(path))) return { redirects: [], diagnostics: [] };
  let data: unknown;
  try {
    data = JSON.parse(await host.fs.readText(path));
  } catch (error) {
    return { redirects: [], diagnostics: [createDiagnostic(RedirectInvalid, { file: REDIRECTS_FILE }, '(file)', `it is not JSON (${(error as Error).message})`)] };
  }
  const parsed = redirectsSchema.safeParse(data);
  if (!parsed.success) {
    return { redirects: [], diagnostics: [createDiagnostic(RedirectInvalid, { file: REDIRECTS_FILE }, '(file)', 'expected { "redirects": [{ "from": "/old", "to": "content/…md" }] }')] };
  }
  return { redirects: parsed.data.redirects, diagnostics: [] };
}

/** Read `.stele/import.json` (an empty state when absent or unreadable). */
export async function loadImportState(root: string, host: Host): Promise<ImportState> {
  const empty: ImportState = { files: {}, excludedEmails: [], remoteImages: [] };
  const path = join(root, IMPORT_STATE_FILE);
  if (!(await host.fs.exists(path))) return empty;
  try {
    const parsed = stateSchema.safeParse(JSON.parse(await host.fs.readText(path)));
    return parsed.success ? { files: parsed.data.files, excludedEmails: parsed.data.excludedEmails, remoteImages: parsed.data.remoteImages } : empty;
  } catch {
    return empty;
  }
}

/** Serialise the import state (sorted, so re-runs write the same bytes). */
export function formatImportState(state: ImportState): string {
  const files = Object.fromEntries(Object.entries(state.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ version: 1, files, excludedEmails: [...new Set(state.excludedEmails)].sort(), remoteImages: [...new Set(state.remoteImages)].sort() }, null, 2)}\n`;
}

/** Serialise the redirect map (sorted by old URL). */
export function formatRedirects(redirects: readonly RedirectRule[]): string {
  const sorted = [...redirects].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return `${JSON.stringify({ redirects: sorted }, null, 2)}\n`;
}
