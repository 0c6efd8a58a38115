/**
 * `stele refresh`: re-sign a sealed site's timestamp (`.well-known/stele/timestamp.json`)
 * with the online timestamp key alone, so a cron job keeps the site fresh while
 * the main key stays offline. It never vouches for a copy that does not verify
 * with the main public key (tampered files, a bad or expired manifest signature):
 * the only problem it accepts before refreshing is `stale`.
 */
import { join } from 'node:path';
import type { FileSystem } from '../io/host.js';
import { parseManifest } from '../trust/manifest.js';
import { MANIFEST_PATH, STELE_DIR } from '../trust/paths.js';
import type { VerifyProblem } from '../trust/problems.js';
import { hashSha256Hex } from '../trust/release-log.js';
import { readTimestampDelegation, TIMESTAMP_PATH, TIMESTAMP_SIG_PATH, type TimestampDocument } from '../trust/timestamp.js';
import type { Signer } from '../seal/signer.js';
import { signTimestamp } from '../seal/timestamp-key.js';
import { createDirSource } from '../verify/dir-source.js';
import { verifySite } from '../verify/verify-site.js';

/** Inputs of {@link refreshSiteTimestamp}. */
export interface RefreshTimestampOptions {
  /** The sealed folder to refresh (a build's `dist`, or a folder a web server serves). */
  dir: string;
  fs: FileSystem;
  /** Text of the main public key (`stele.pub`): the manifest must verify with it. */
  publicKey: string;
  /** The timestamp key (never the main key). */
  signer: Signer;
  now: Date;
  /** Life of the new timestamp in days (default 7). */
  days?: number;
}

/** The outcome of {@link refreshSiteTimestamp}. */
export type RefreshTimestampResult =
  | { ok: true; timestamp: TimestampDocument; manifestExpires: string; siteId: string; version: number }
  | {
      ok: false;
      /** `not-genuine`: the copy does not verify with the main key; `not-delegated`: the build delegates no timestamp key or another one; `io`: cannot read or write. */
      code: 'not-genuine' | 'not-delegated' | 'io';
      reason: string;
      problems?: VerifyProblem[];
    };

function describe(problems: readonly VerifyProblem[]): string {
  const shown = problems.slice(0, 3).map((p) => `${p.kind}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
  return `${shown.join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}`;
}

/**
 * Re-sign the timestamp of the sealed site in `options.dir` for its current
 * manifest, valid `days` from `now`. Refuses unless the folder verifies with the
 * main public key (a stale or missing timestamp aside) and its signed channels
 * delegate exactly `options.signer`. Writes `timestamp.json`, then its signature
 * (each through a temporary file and a rename), and verifies the folder again.
 */
export async function refreshSiteTimestamp(options: RefreshTimestampOptions): Promise<RefreshTimestampResult> {
  const { dir, fs, signer, now } = options;
  const native = (path: string) => join(dir, ...path.split('/'));
  // A refresh killed between writing and renaming left a temporary file: it is not part of the site.
  const steleDir = native(STELE_DIR);
  for (const entry of await fs.listEntries(steleDir).catch(() => [])) {
    if (/^timestamp\.json(?:\.minisig)?\.stele-tmp-\d+$/.test(entry.name)) await fs.rm(join(steleDir, entry.name));
  }
  const before = await verifySite(dir, { publicKey: options.publicKey, trustStoreDir: false, now, fs });
  const blocking = before.problems.filter((p) => p.kind !== 'stale');
  if (!before.manifest || blocking.length > 0) {
    const expired = blocking.some((p) => p.kind === 'expired');
    return {
      ok: false,
      code: before.status === 'error' && !blocking.some((p) => p.kind !== 'unreachable') ? 'io' : 'not-genuine',
      reason: expired
        ? `the manifest in ${dir} has expired (${before.manifest?.expires}); a timestamp cannot extend it: build again with the main key`
        : `${dir} does not verify with the main key, so its timestamp is not refreshed (${describe(blocking)})`,
      problems: blocking,
    };
  }
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = await fs.readFile(native(MANIFEST_PATH));
  } catch (error) {
    return { ok: false, code: 'io', reason: `cannot read ${MANIFEST_PATH} in ${dir}: ${(error as Error).message}` };
  }
  const parsed = parseManifest(new TextDecoder().decode(manifestBytes));
  if (!parsed.ok) return { ok: false, code: 'not-genuine', reason: `${dir}: ${parsed.reason}` };
  const manifest = parsed.manifest;
  const delegation = await readTimestampDelegation(createDirSource(dir, fs), manifest);
  if (!delegation.delegation) {
    return {
      ok: false,
      code: 'not-delegated',
      reason: `the build in ${dir} delegates no timestamp key; build it once with the main key while keys/timestamp.key exists`,
    };
  }
  if (delegation.delegation.keyId !== signer.keyId) {
    return {
      ok: false,
      code: 'not-delegated',
      reason: `the build in ${dir} delegates timestamp key ${delegation.delegation.keyId}, not ${signer.keyId}; use that key, or build again with the main key to delegate this one`,
    };
  }
  const signed = signTimestamp(signer, {
    siteId: manifest.siteId,
    version: manifest.version,
    manifestSha256: hashSha256Hex(manifestBytes),
    now,
    ...(options.days !== undefined ? { days: options.days } : {}),
  });
  try {
    for (const [path, text] of [
      [TIMESTAMP_PATH, signed.json],
      [TIMESTAMP_SIG_PATH, signed.signature],
    ] as const) {
      const target = native(path);
      const tmp = `${target}.stele-tmp-${process.pid}`;
      await fs.writeFile(tmp, text);
      await fs.rename(tmp, target);
    }
  } catch (error) {
    return { ok: false, code: 'io', reason: `cannot write the timestamp in ${dir}: ${(error as Error).message}` };
  }
  const after = await verifySite(dir, { publicKey: options.publicKey, trustStoreDir: false, now, fs });
  if (after.status !== 'genuine') {
    return { ok: false, code: 'not-genuine', reason: `${dir} does not verify after the refresh (${describe(after.problems)})`, problems: after.problems };
  }
  return { ok: true, timestamp: signed.document, manifestExpires: manifest.expires, siteId: manifest.siteId, version: manifest.version };
}
