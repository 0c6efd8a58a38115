/**
 * The watch state file: open incidents, last status and the highest manifest
 * version per mirror. Written atomically (temp file + rename) so a crash never
 * leaves a half-written file, and validated on load.
 */
import { z } from 'zod';
import { createDiagnostic } from '../errors/catalogue.js';
import { WATCH_STATE_UNREADABLE, WATCH_STATE_WRITE_FAILED } from '../errors/codes-watch.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { FileSystem } from '../io/host.js';
import { VERIFY_PROBLEM_KINDS } from '../trust/problems.js';
import type { ExpiringThing, MirrorState, WatchState } from './types.js';

const kindSchema = z.enum(VERIFY_PROBLEM_KINDS);

/** What an `expiring-soon` alert can be about. */
const EXPIRING_THINGS = ['seal', 'timestamp'] as const satisfies readonly ExpiringThing[];

const problemSchema = z.object({ kind: kindSchema, path: z.string().optional(), message: z.string() });

const manifestSchema = z.object({
  siteId: z.string(),
  version: z.number(),
  buildTime: z.string(),
  expires: z.string(),
  keyId: z.string(),
  fileCount: z.number(),
});

const payloadSchema = z.object({
  schema: z.literal('stele-watch-alert/1'),
  event: z.enum(['incident-opened', 'incident-updated', 'incident-healed', 'expiring-soon']),
  mirror: z.string(),
  incidentId: z.string(),
  category: z.enum(['tampered', 'unreachable', 'expiring']),
  at: z.string(),
  firstSeen: z.string(),
  summary: z.string(),
  kinds: z.array(kindSchema),
  files: z.partialRecord(kindSchema, z.array(z.string())),
  problems: z.array(problemSchema),
  appeared: z.array(problemSchema).optional(),
  resolved: z.array(problemSchema).optional(),
  durationMs: z.number().optional(),
  manifest: manifestSchema.optional(),
  expiring: z.object({ what: z.enum(EXPIRING_THINGS), expires: z.string() }).optional(),
});

const mirrorSchema = z.object({
  lastStatus: z.enum(['genuine', 'not-genuine', 'error']).optional(),
  lastCheck: z.string().optional(),
  highestVersion: z.number().optional(),
  siteId: z.string().optional(),
  logHead: z.object({ size: z.number().int().nonnegative(), root: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
  consecutiveErrors: z.number().int().nonnegative().default(0),
  firstErrorAt: z.string().optional(),
  incident: z
    .object({
      id: z.string(),
      category: z.enum(['tampered', 'unreachable']),
      firstSeen: z.string(),
      lastChanged: z.string(),
      fingerprint: z.string(),
      problems: z.array(problemSchema),
      everProblems: z.array(problemSchema),
      updates: z.number().int().nonnegative(),
    })
    .optional(),
  expiryWarned: z.partialRecord(z.enum(EXPIRING_THINGS), z.string()).optional(),
  pendingAlerts: z
    .array(
      z.object({
        payload: payloadSchema,
        channels: z.array(z.enum(['command', 'webhook'])),
        attempts: z.number().int().nonnegative(),
      }),
    )
    .default([]),
});

const stateSchema = z.object({
  format: z.literal('stele-watch-state'),
  version: z.literal(1),
  mirrors: z.record(z.string(), mirrorSchema),
});

/** A state with no mirrors. */
export function createEmptyWatchState(): WatchState {
  return { format: 'stele-watch-state', version: 1, mirrors: {} };
}

/** A mirror never checked before. */
export function createEmptyMirrorState(): MirrorState {
  return { consecutiveErrors: 0, pendingAlerts: [] };
}

/** Result of {@link loadWatchState}. */
export type LoadedWatchState = { ok: true; state: WatchState; existed: boolean } | { ok: false; diagnostic: Diagnostic };

/**
 * Read and validate the state file. A missing file is an empty state; an unreadable
 * or invalid one is a diagnostic (STELE5503), never silently replaced, because it
 * holds rollback protection and open incidents.
 */
export async function loadWatchState(fs: FileSystem, path: string): Promise<LoadedWatchState> {
  if (!(await fs.exists(path))) return { ok: true, state: createEmptyWatchState(), existed: false };
  let text: string;
  try {
    text = await fs.readText(path);
  } catch (error) {
    return { ok: false, diagnostic: createDiagnostic(WATCH_STATE_UNREADABLE, { file: path }, errorText(error)) };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      diagnostic: createDiagnostic(WATCH_STATE_UNREADABLE, { file: path }, `invalid JSON (${errorText(error)})`),
    };
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') || '(root)' : '(root)';
    return {
      ok: false,
      diagnostic: createDiagnostic(
        WATCH_STATE_UNREADABLE,
        { file: path },
        `unexpected content at ${where}: ${issue?.message ?? 'invalid'}`,
      ),
    };
  }
  return { ok: true, state: parsed.data as WatchState, existed: true };
}

/**
 * Write the state atomically: JSON to a temporary file next to `path`, then rename
 * over it. Returns a diagnostic (STELE5504) when it could not be written.
 */
export async function saveWatchState(fs: FileSystem, path: string, state: WatchState): Promise<Diagnostic | undefined> {
  const dir = posixOrNativeDirname(path);
  const temp = `${path}.tmp-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
  try {
    if (dir) await fs.mkdir(dir);
    await fs.writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
    await fs.rename(temp, path);
    return undefined;
  } catch (error) {
    await fs.rm(temp).catch(() => {});
    return createDiagnostic(WATCH_STATE_WRITE_FAILED, { file: path }, errorText(error));
  }
}

function posixOrNativeDirname(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i) : '';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
