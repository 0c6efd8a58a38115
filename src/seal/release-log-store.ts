/**
 * Where the release log lives between builds. The sealed output folder is
 * replaced by every build, so the previous log is read from it before it is
 * replaced, and a copy is kept in the project (`.stele/log/` by default) so that
 * deleting the output folder does not silently restart history. The two copies
 * must agree (one extends the other); the longer is continued. Starting a new
 * history is explicit: move both away.
 */
import { dirname, join } from 'node:path';
import type { FileSystem } from '../io/host.js';
import { encodeUtf8 } from '../trust/bytes.js';
import { checkKeyChange } from '../trust/keys.js';
import { resolveRotationKeyPath, resolveRotationSigPath } from '../trust/paths.js';
import type { TrustReader } from '../trust/reader.js';
import type { KeyPublications } from './key-store.js';
import {
  findHistoryRewrite,
  LOG_BUNDLE_SIZE,
  LOG_CHECKPOINT_PATH,
  LOG_CHECKPOINT_SIG_PATH,
  LOG_TILES_PATH,
  parseCheckpoint,
  parseLogEntry,
  RELEASE_LOG_DIR,
  readReleaseLogFiles,
  resolveLogBundlePath,
} from '../trust/release-log.js';

/** Default project folder of the log copy, relative to the project root. */
export const PROJECT_LOG_DIR = '.stele/log';

/** A log read from one folder. */
export type StoredLogRead =
  | { status: 'absent' }
  | { status: 'ok'; siteId: string; lines: string[] }
  | { status: 'invalid'; reason: string };

/** The path of a log file inside a folder laid out like `.well-known/stele/log/`. */
function resolveInLogDir(dir: string, sitePath: string): string {
  return join(dir, ...sitePath.slice(RELEASE_LOG_DIR.length + 1).split('/'));
}

/**
 * Read the whole log kept in `dir` (a folder laid out like the site's
 * `.well-known/stele/log/`: `checkpoint`, `tiles`, `entries/NNNN`).
 */
export async function readStoredLog(dir: string, fs: FileSystem): Promise<StoredLogRead> {
  const checkpointFile = resolveInLogDir(dir, LOG_CHECKPOINT_PATH);
  if (!(await fs.exists(checkpointFile))) return { status: 'absent' };
  let checkpoint: string;
  let tiles: string;
  try {
    checkpoint = await fs.readText(checkpointFile);
    tiles = (await fs.exists(resolveInLogDir(dir, LOG_TILES_PATH))) ? await fs.readText(resolveInLogDir(dir, LOG_TILES_PATH)) : '';
  } catch (error) {
    return { status: 'invalid', reason: `cannot read ${checkpointFile}: ${(error as Error).message}` };
  }
  const cp = parseCheckpoint(checkpoint);
  if (!cp) return { status: 'invalid', reason: `${checkpointFile} is unreadable` };
  const bundles = new Map<number, string>();
  for (let b = 0; b * LOG_BUNDLE_SIZE < cp.head.size; b++) {
    const file = resolveInLogDir(dir, resolveLogBundlePath(b));
    try {
      bundles.set(b, await fs.readText(file));
    } catch {
      return { status: 'invalid', reason: `${file} is missing or unreadable` };
    }
  }
  const read = readReleaseLogFiles({ checkpoint, tiles, bundles });
  if (!read.ok) return { status: 'invalid', reason: `${dir}: ${read.reason}` };
  return { status: 'ok', siteId: read.siteId, lines: read.lines };
}

/** Read the log published in a built site folder (`<outDir>/.well-known/stele/log/`). */
export function readSiteLog(outDir: string, fs: FileSystem): Promise<StoredLogRead> {
  return readStoredLog(join(outDir, ...RELEASE_LOG_DIR.split('/')), fs);
}

/**
 * Write the log files of a sealed build (the output paths under
 * `.well-known/stele/log/`) into `dir`, replacing what was there. Files are
 * written beside and renamed, bundles before the checkpoint, so a copy cut short
 * still reads as the previous log or the new one.
 */
export async function writeStoredLog(dir: string, files: ReadonlyMap<string, Uint8Array>, fs: FileSystem): Promise<void> {
  const paths = [...files.keys()].filter((p) => p.startsWith(`${RELEASE_LOG_DIR}/`));
  const ordered = [
    ...paths.filter((p) => p !== LOG_CHECKPOINT_PATH && p !== LOG_CHECKPOINT_SIG_PATH),
    ...paths.filter((p) => p === LOG_CHECKPOINT_SIG_PATH),
    ...paths.filter((p) => p === LOG_CHECKPOINT_PATH),
  ];
  for (const path of ordered) {
    const target = resolveInLogDir(dir, path);
    await fs.mkdir(dirname(target));
    const tmp = `${target}.tmp-${process.pid}`;
    await fs.writeFile(tmp, files.get(path) as Uint8Array);
    await fs.rename(tmp, target);
  }
}

/** The log a new seal continues, or why it cannot continue one. */
export type PreviousLog =
  | { status: 'ok'; lines: string[]; lastVersion?: number; from: 'start' | 'project' | 'output' | 'both' }
  | { status: 'conflict'; reason: string };

/**
 * Choose the log a build continues from the project copy and the output folder's
 * copy: none → a new log; one → that one; both → the longer, which must extend
 * the shorter. Copies that are unreadable, for another site, or that disagree are
 * a conflict (the build refuses to seal rather than rewrite history).
 */
export function resolvePreviousLog(
  siteId: string,
  project: StoredLogRead,
  output: StoredLogRead,
  names: { project: string; output: string },
): PreviousLog {
  for (const [read, name] of [
    [project, names.project],
    [output, names.output],
  ] as const) {
    if (read.status === 'invalid') return { status: 'conflict', reason: `the release log in ${name} is broken (${read.reason})` };
    if (read.status === 'ok' && read.siteId !== siteId) {
      return { status: 'conflict', reason: `the release log in ${name} is for site "${read.siteId}", not "${siteId}"` };
    }
  }
  const p = project.status === 'ok' ? project.lines : undefined;
  const o = output.status === 'ok' ? output.lines : undefined;
  let lines: string[];
  let from: 'start' | 'project' | 'output' | 'both';
  if (p && o) {
    const [shorter, longer] = p.length <= o.length ? [p, o] : [o, p];
    const rewrite = findHistoryRewrite(shorter, longer);
    if (rewrite) {
      return {
        status: 'conflict',
        reason: `the release logs in ${names.project} (${p.length} versions) and ${names.output} (${o.length} versions) disagree at entry ${rewrite.index + 1}`,
      };
    }
    lines = longer;
    from = 'both';
  } else if (p) {
    lines = p;
    from = 'project';
  } else if (o) {
    lines = o;
    from = 'output';
  } else {
    lines = [];
    from = 'start';
  }
  const last = lines.length > 0 ? parseLogEntry(lines[lines.length - 1]) : undefined;
  return { status: 'ok', lines, from, ...(last ? { lastVersion: last.version } : {}) };
}

/**
 * Why a build signed by `signerKeyId` cannot continue `lines`: the last version
 * was signed by another key and the key folder's rotation links (what the build
 * publishes) lead from that key to the signer through no chain. Undefined when
 * the log is empty, the key is the same, or a rotation backs the change.
 * Readers' `stele verify` would report such a change as KEY CHANGED.
 */
export async function resolveUnbackedKeyChange(
  lines: readonly string[],
  signerKeyId: string,
  publications: KeyPublications,
): Promise<{ from: string; version: number; reason: string } | undefined> {
  const last = lines.length > 0 ? parseLogEntry(lines[lines.length - 1]) : undefined;
  if (!last || last.keyId === signerKeyId) return undefined;
  const files = new Map<string, Uint8Array>();
  for (const link of publications.rotations) {
    files.set(resolveRotationKeyPath(link.keyId), encodeUtf8(link.publicKeyFile));
    files.set(resolveRotationSigPath(link.keyId), encodeUtf8(link.signature));
  }
  const reader: TrustReader = {
    read: async (path) => {
      const data = files.get(path);
      return data ? { status: 'ok', data } : { status: 'missing' };
    },
  };
  const change = await checkKeyChange(reader, last.keyId, signerKeyId, new Map());
  return change.ok ? undefined : { from: last.keyId, version: last.version, reason: change.reason };
}
