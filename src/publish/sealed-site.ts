/**
 * Read a sealed build folder for publishing. Only a folder that verifies
 * against the project's public key is ever sent anywhere.
 */
import { join } from 'node:path';
import type { FileSystem } from '../io/host.js';
import { compareBytes } from '../trust/bytes.js';
import { listSignedFiles, type ManifestFile, parseManifest } from '../trust/manifest.js';
import {
  hashSha256Hex,
  isReleaseLogPath,
  LOG_BUNDLE_SIZE,
  LOG_CHECKPOINT_PATH,
  LOG_CHECKPOINT_SIG_PATH,
  LOG_TILES_PATH,
  parseCheckpoint,
  resolveLogBundlePath,
} from '../trust/release-log.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../trust/paths.js';
import { TIMESTAMP_PATH, TIMESTAMP_SIG_PATH } from '../trust/timestamp.js';
import { verifySite } from '../verify/verify-site.js';
import type { SealedSite } from './types.js';

/** Read and verify `dir`; `error` explains in plain words why it cannot be published. */
export async function readSealedSite(
  dir: string,
  options: { fs: FileSystem; publicKey: string; now: Date },
): Promise<{ site: SealedSite } | { error: string }> {
  const native = (path: string) => join(dir, ...path.split('/'));
  let manifestBytes: Uint8Array;
  let signatureBytes: Uint8Array;
  try {
    manifestBytes = await options.fs.readFile(native(MANIFEST_PATH));
    signatureBytes = await options.fs.readFile(native(MANIFEST_SIG_PATH));
  } catch {
    return { error: `${dir} is not a sealed build (no signed manifest); run \`stele build\` with a signing key first` };
  }
  const parsed = parseManifest(new TextDecoder().decode(manifestBytes));
  if (!parsed.ok) return { error: `${dir}: ${parsed.reason}` };
  const report = await verifySite(dir, { publicKey: options.publicKey, trustStoreDir: false, now: options.now });
  if (report.status !== 'genuine') {
    const first = report.problems.slice(0, 3).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    return { error: `the build in ${dir} does not verify, so it is not published (${first.join('; ')})` };
  }
  // Everything signed is sent, server configuration (`.htaccess`, `_headers`) included,
  // and the release log (signed by its checkpoint, outside the manifest) so mirrors carry the history.
  // So is the timestamp (signed by the delegated timestamp key, re-signed by `stele refresh`).
  const files = [
    ...listSignedFiles(parsed.manifest),
    ...(await listReleaseLogFiles(dir, options.fs)),
    ...(await listTimestampFiles(dir, options.fs)),
  ].sort((a, b) =>
    compareBytes(a.path, b.path),
  );
  const listed = new Set(files.map((f) => f.path));
  return {
    site: {
      dir,
      manifest: parsed.manifest,
      manifestBytes,
      signatureBytes,
      files,
      read(path) {
        if (path === MANIFEST_PATH) return Promise.resolve(manifestBytes);
        if (path === MANIFEST_SIG_PATH) return Promise.resolve(signatureBytes);
        if (!listed.has(path)) return Promise.reject(new Error(`not in the manifest: ${path}`));
        return options.fs.readFile(native(path));
      },
    },
  };
}

/** The timestamp and its signature, when the folder has both. */
async function listTimestampFiles(dir: string, fs: FileSystem): Promise<ManifestFile[]> {
  const out: ManifestFile[] = [];
  for (const path of [TIMESTAMP_PATH, TIMESTAMP_SIG_PATH]) {
    const data = await fs.readFile(join(dir, ...path.split('/'))).catch(() => undefined);
    if (!data) return [];
    out.push({ path, size: data.byteLength, sha256: hashSha256Hex(data) });
  }
  return out;
}

/** The release log files of a sealed folder with their sizes and hashes (none for builds sealed before logs existed). */
async function listReleaseLogFiles(dir: string, fs: FileSystem): Promise<ManifestFile[]> {
  const native = (path: string) => join(dir, ...path.split('/'));
  let checkpoint: string;
  try {
    checkpoint = await fs.readText(native(LOG_CHECKPOINT_PATH));
  } catch {
    return [];
  }
  const cp = parseCheckpoint(checkpoint);
  if (!cp) return [];
  const paths = [LOG_CHECKPOINT_PATH, LOG_CHECKPOINT_SIG_PATH, LOG_TILES_PATH];
  for (let b = 0; b * LOG_BUNDLE_SIZE < cp.head.size; b++) paths.push(resolveLogBundlePath(b));
  const out: ManifestFile[] = [];
  for (const path of paths) {
    const data = await fs.readFile(native(path));
    out.push({ path, size: data.byteLength, sha256: hashSha256Hex(data) });
  }
  return out;
}

/**
 * Files that describe the manifest rather than being named by it: the release
 * log (its last entry is the manifest) and the timestamp (it vouches for this
 * manifest version). A copy updated file by file must take them right after
 * the manifest: sent earlier, the live site would read as an older copy
 * presented as current, or as stale, for as long as the upload lasts.
 */
export function isPublishedAfterManifest(path: string): boolean {
  return isReleaseLogPath(path) || path === TIMESTAMP_PATH || path === TIMESTAMP_SIG_PATH;
}

/** The manifest entries of `next` whose bytes differ from (or are absent in) `previous`. */
export function listChangedFiles(
  next: readonly { path: string; sha256: string; size: number }[],
  previous: readonly { path: string; sha256: string; size: number }[] | undefined,
): { changed: string[]; unchanged: string[]; removed: string[] } {
  const before = new Map((previous ?? []).map((f) => [f.path, f]));
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const f of next) {
    const old = before.get(f.path);
    if (old && old.sha256 === f.sha256 && old.size === f.size) unchanged.push(f.path);
    else changed.push(f.path);
  }
  const nextPaths = new Set(next.map((f) => f.path));
  const removed = [...before.keys()].filter((p) => !nextPaths.has(p));
  return { changed, unchanged, removed };
}
