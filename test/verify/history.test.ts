/**
 * `verifySite` checks the release log of real folders: the verified manifest must
 * be the last entry of a well-formed, signed log, and the log must extend the
 * head remembered in the trust store (else HISTORY REWRITTEN, with both heads)
 * and the heads other mirrors showed (else SPLIT VIEW). An untouched history
 * passes, and an older copy is a rollback, not a rewrite.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sealSite } from '../../src/seal/seal-site.js';
import type { Signer } from '../../src/seal/signer.js';
import type { OutputFiles } from '../../src/site/output.js';
import { RELEASE_LOG_DIR } from '../../src/trust/release-log.js';
import { formatVerifyReport } from '../../src/verify/format-report.js';
import { readTrustStore } from '../../src/verify/trust-store.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { CHANNELS, cleanupTempDirs, createFixtureOutput, makeTempDir, NOW, OTHER_SIGNER, SIGNER, writeOutput } from './fixture.js';

afterAll(cleanupTempDirs);

/** Seal version `version` of the fixture on top of `log`; `page` changes a page so versions differ. */
function seal(version: number, log: readonly string[], page = `v${version}`, signer: Signer = SIGNER): { out: OutputFiles; lines: string[] } {
  const out = createFixtureOutput();
  out.set('about/index.html', new TextEncoder().encode(`<!doctype html><html lang="en"><title>About</title><p>${page}</p></html>\n`));
  const result = sealSite(out, {
    siteId: 'rights-watch',
    version,
    now: new Date(NOW.getTime() + version * 60_000),
    signer,
    channels: CHANNELS,
    log,
  });
  return { out, lines: result.logLines };
}

function folder(out: OutputFiles): string {
  const dir = makeTempDir();
  writeOutput(out, dir);
  return dir;
}

/** Replace the log of the site in `dir` with the one of `from`. */
function swapLog(dir: string, from: OutputFiles): void {
  rmSync(join(dir, ...RELEASE_LOG_DIR.split('/')), { recursive: true, force: true });
  const logOnly: OutputFiles = new Map([...from].filter(([p]) => p.startsWith(`${RELEASE_LOG_DIR}/`)));
  writeOutput(logOnly, dir);
}

const v1 = seal(1, []);
const v2 = seal(2, v1.lines);
const v3 = seal(3, v2.lines);

const verify = (dir: string, store: string, extra: Parameters<typeof verifySite>[1] extends infer O ? Partial<O> : never = {}) =>
  verifySite(dir, { trustStoreDir: store, now: new Date(NOW.getTime() + 3_600_000), ...extra });

/** A trust store that has seen versions 1 and 2 (log head of size 2). */
async function storeAtV2(): Promise<string> {
  const store = makeTempDir('stele-store-');
  expect((await verify(folder(v1.out), store)).status).toBe('genuine');
  const second = await verify(folder(v2.out), store);
  expect(second.problems).toEqual([]);
  return store;
}

describe('release log in verify', () => {
  it('an untouched history passes and the trust store remembers its head', async () => {
    const store = await storeAtV2();
    const saved = await readTrustStore(store);
    expect(saved?.sites['rights-watch'].logHead?.size).toBe(2);
    const third = await verify(folder(v3.out), store);
    expect(third.problems).toEqual([]);
    expect(third.status).toBe('genuine');
    expect(third.logHead?.size).toBe(3);
    expect((await readTrustStore(store))?.sites['rights-watch'].logHead).toEqual(third.logHead);
  });

  it('a truncated log is HISTORY REWRITTEN with both heads, and the manifest is missing from it', async () => {
    const store = await storeAtV2();
    const dir = folder(v3.out);
    swapLog(dir, v1.out);
    const report = await verify(dir, store);
    expect(report.status).toBe('not-genuine');
    const kinds = report.problems.map((p) => p.kind);
    expect(kinds).toContain('history-rewritten');
    expect(kinds).toContain('not-in-log');
    const rewritten = report.problems.find((p) => p.kind === 'history-rewritten');
    expect(rewritten?.expected).toMatch(/^2 versions/);
    expect(rewritten?.actual).toMatch(/^1 version/);
    // The store keeps the longer head: the truncated copy teaches it nothing.
    expect((await readTrustStore(store))?.sites['rights-watch'].logHead?.size).toBe(2);
    const text = formatVerifyReport(report);
    expect(text).toContain('HISTORY REWRITTEN');
  });

  it('a rewritten past entry (a stolen key signs another history) is HISTORY REWRITTEN', async () => {
    const store = await storeAtV2();
    const fake1 = seal(1, [], 'planted');
    const fake2 = seal(2, fake1.lines, 'planted');
    const fake3 = seal(3, fake2.lines, 'planted');
    const report = await verify(folder(fake3.out), store);
    expect(report.status).toBe('not-genuine');
    expect(report.problems.map((p) => p.kind)).toEqual(['history-rewritten']);
    const p = report.problems[0];
    expect(p.message).toMatch(/does not extend the one remembered on/);
    expect(p.expected).toContain(`root ${(await readTrustStore(store))?.sites['rights-watch'].logHead?.root}`);
    expect(p.actual).toMatch(/^3 versions/);
  });

  it('a remembered head binds its own key: another key pinned outright starts a new history; unpinned it is KEY CHANGED', async () => {
    const store = await storeAtV2();
    // The same site id, started again with another key and an empty log.
    const restarted = folder(seal(5, [], 'again', OTHER_SIGNER).out);
    const unpinned = await verify(restarted, store);
    expect(unpinned.problems.map((p) => p.kind)).toContain('key-changed');
    const pinned = await verify(restarted, store, { publicKey: OTHER_SIGNER.publicKeyFile });
    expect(pinned.problems).toEqual([]);
    const entry = (await readTrustStore(store))!.sites['rights-watch']!;
    expect(entry.keyId).toBe(OTHER_SIGNER.keyId);
    expect(entry.logHead?.size).toBe(1);
    // The same key pinned outright still holds a copy to the history it remembered.
    const store2 = await storeAtV2();
    const truncated = folder(v3.out);
    swapLog(truncated, v1.out);
    const same = await verify(truncated, store2, { publicKey: SIGNER.publicKeyFile });
    expect(same.problems.map((p) => p.kind)).toContain('history-rewritten');
  });

  it('a version missing from the log is reported, even on first sight', async () => {
    const dir = folder(v3.out);
    swapLog(dir, v2.out);
    const report = await verify(dir, makeTempDir('stele-store-'));
    expect(report.status).toBe('not-genuine');
    expect(report.problems.map((p) => p.kind)).toEqual(['not-in-log']);
    expect(report.problems[0].message).toMatch(/version 3 is missing from the release log/);
  });

  it('an older copy with its own shorter log is a rollback, not a rewrite', async () => {
    const store = await storeAtV2();
    const report = await verify(folder(v1.out), store);
    expect(report.problems.map((p) => p.kind)).toEqual(['rollback']);
  });

  it('a changed entry, a checkpoint signed by another key, or a removed log are caught', async () => {
    const store = await storeAtV2();
    const dir = folder(v3.out);
    const bundle = join(dir, RELEASE_LOG_DIR, 'entries/0000');
    const text = readFileSync(bundle, 'utf8');
    cpSync(bundle, `${bundle}.orig`);
    writeFileSync(bundle, text.replace(/^1 /, '0 '));
    expect((await verify(dir, store)).problems.map((p) => p.kind)).toContain('log-broken');
    cpSync(`${bundle}.orig`, bundle);
    rmSync(`${bundle}.orig`);
    const other = seal(3, v2.lines, 'v3', OTHER_SIGNER);
    writeFileSync(join(dir, RELEASE_LOG_DIR, 'checkpoint.minisig'), other.out.get(`${RELEASE_LOG_DIR}/checkpoint.minisig`) as Uint8Array);
    expect((await verify(dir, store)).problems.map((p) => p.kind)).toEqual(['log-broken']);
    rmSync(join(dir, RELEASE_LOG_DIR), { recursive: true });
    const removed = await verify(dir, store);
    expect(removed.problems.map((p) => p.kind)).toEqual(['history-rewritten']);
    expect(removed.problems[0].actual).toBe('no release log');
  });

  it('a head shown by another mirror that this log does not extend is a SPLIT VIEW naming that mirror', async () => {
    const fake2 = seal(2, v1.lines, 'planted');
    const report = await verifySite(folder(v3.out), {
      trustStoreDir: false,
      publicKey: SIGNER.publicKeyFile,
      now: new Date(NOW.getTime() + 3_600_000),
      mirrorLogHeads: [{ head: { size: 2, root: readHeadRoot(fake2.out) }, mirror: 'mirror "backup" (https://backup.example/)' }],
    });
    expect(report.problems.map((p) => p.kind)).toEqual(['split-view']);
    expect(report.problems[0].message).toContain('mirror "backup"');
    expect(report.problems[0].message).toContain("your signing key may be in someone else's hands");
    const consistent = await verifySite(folder(v3.out), {
      trustStoreDir: false,
      publicKey: SIGNER.publicKeyFile,
      now: new Date(NOW.getTime() + 3_600_000),
      mirrorLogHeads: [{ head: { size: 2, root: readHeadRoot(v2.out) }, mirror: 'mirror "backup"' }],
    });
    expect(consistent.problems).toEqual([]);
  });
});

function readHeadRoot(out: OutputFiles): string {
  const text = new TextDecoder().decode(out.get(`${RELEASE_LOG_DIR}/checkpoint`));
  const b64 = text.split('\n')[2];
  return Buffer.from(b64, 'base64').toString('hex');
}
