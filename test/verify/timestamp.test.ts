/**
 * Freshness without the offline key (issue 17), on real folders: when the signed
 * channels delegate a timestamp key, `verifySite` needs a timestamp signed by
 * exactly that key, naming this manifest, and not expired. A stale one is STALE
 * (possible freeze), not tampering; a timestamp by a key never delegated and a
 * manifest signed by the timestamp key are not genuine; a fresh timestamp keeps a
 * year-old manifest genuine; a site without a timestamp key is checked as before.
 * The clock is injected (`now`), never the real one.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sealSite } from '../../src/seal/seal-site.js';
import { createSignerFromSeed, type Signer } from '../../src/seal/signer.js';
import { signTimestamp } from '../../src/seal/timestamp-key.js';
import type { OutputFiles } from '../../src/site/output.js';
import { CHANNELS_PATH } from '../../src/trust/paths.js';
import { hashSha256Hex } from '../../src/trust/release-log.js';
import { formatManifestTrustedComment, formatManifestUntrustedComment, parseManifest, serializeManifest } from '../../src/trust/manifest.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH, PUBLIC_KEY_PATH } from '../../src/trust/paths.js';
import { TIMESTAMP_PATH, TIMESTAMP_SIG_PATH } from '../../src/trust/timestamp.js';
import { formatVerifyReport, resolveVerifyExitCode } from '../../src/verify/format-report.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { CHANNELS, cleanupTempDirs, createFixtureOutput, makeTempDir, NOW, OTHER_SIGNER, SIGNER, writeOutput } from './fixture.js';

afterAll(cleanupTempDirs);

const DAY = 86_400_000;
const TS_SIGNER = createSignerFromSeed(new Uint8Array(32).fill(11));
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

/** The fixture sealed at `now` by SIGNER, delegating TS_SIGNER (timestamp valid `tsDays`). */
function sealWithTimestamp(options: { version?: number; now?: Date; expiresInDays?: number; tsDays?: number; timestampSigner?: Signer } = {}): OutputFiles {
  const out = createFixtureOutput();
  sealSite(out, {
    siteId: 'rights-watch',
    version: options.version ?? 3,
    now: options.now ?? NOW,
    expiresInDays: options.expiresInDays ?? 365,
    signer: SIGNER,
    channels: CHANNELS,
    timestamp: { signer: options.timestampSigner ?? TS_SIGNER, ...(options.tsDays ? { days: options.tsDays } : {}) },
  });
  return out;
}

function folder(out: OutputFiles): string {
  const dir = makeTempDir();
  writeOutput(out, dir);
  return dir;
}

/** Re-sign the folder's timestamp with `signer` at `now` (what `stele refresh` writes). */
function writeTimestamp(dir: string, signer: Signer, now: Date, days = 7): void {
  const manifestBytes = readFileSync(join(dir, MANIFEST_PATH));
  const manifest = parseManifest(manifestBytes.toString('utf8'));
  if (!manifest.ok) throw new Error(manifest.reason);
  const signed = signTimestamp(signer, {
    siteId: manifest.manifest.siteId,
    version: manifest.manifest.version,
    manifestSha256: hashSha256Hex(manifestBytes),
    now,
    days,
  });
  writeFileSync(join(dir, TIMESTAMP_PATH), signed.json);
  writeFileSync(join(dir, TIMESTAMP_SIG_PATH), signed.signature);
}

/** Re-sign the manifest of `out` with `signer` (after changing `files`), publishing `signer`'s key as the site's key. */
function resignManifest(out: OutputFiles, signer: Signer): void {
  const enc = new TextEncoder();
  out.set(PUBLIC_KEY_PATH, enc.encode(signer.publicKeyFile));
  const parsed = parseManifest(new TextDecoder().decode(out.get(MANIFEST_PATH)));
  if (!parsed.ok) throw new Error(parsed.reason);
  const manifest = { ...parsed.manifest, keyId: signer.keyId };
  manifest.files = manifest.files.map((f) => {
    const data = out.get(f.path);
    return data ? { path: f.path, size: data.length, sha256: hashSha256Hex(data) } : f;
  });
  const bytes = enc.encode(serializeManifest(manifest));
  out.set(MANIFEST_PATH, bytes);
  out.set(MANIFEST_SIG_PATH, enc.encode(signer.sign(bytes, formatManifestTrustedComment(manifest), formatManifestUntrustedComment(manifest.siteId))));
}

const verify = (dir: string, now: Date, extra: Partial<Parameters<typeof verifySite>[1]> = {}) =>
  verifySite(dir, { trustStoreDir: false, publicKey: SIGNER.publicKeyFile, now, ...extra });

describe('timestamp in verify', () => {
  it('an untouched site with a delegated timestamp key passes and shows its timestamp', async () => {
    const dir = folder(sealWithTimestamp());
    const channels = JSON.parse(readFileSync(join(dir, CHANNELS_PATH), 'utf8'));
    expect(channels.keys.timestamp).toEqual({ keyId: TS_SIGNER.keyId, publicKey: TS_SIGNER.publicKeyFile.trim().split('\n')[1] });
    const report = await verify(dir, at(1));
    expect(report.problems).toEqual([]);
    expect(report.status).toBe('genuine');
    expect(report.timestamp).toEqual({ keyId: TS_SIGNER.keyId, expires: at(7).toISOString() });
    expect(formatVerifyReport(report)).toMatch(/timestamp by key .* fresh until/);
    // On first use too (no pin, trust store in a folder).
    const store = makeTempDir('stele-store-');
    expect((await verifySite(dir, { trustStoreDir: store, now: at(1) })).status).toBe('genuine');
  });

  it('an expired timestamp is STALE (possible freeze), exit 1, and not tampering', async () => {
    const dir = folder(sealWithTimestamp());
    const report = await verify(dir, at(8));
    expect(report.problems.map((p) => p.kind)).toEqual(['stale']);
    expect(report.problems[0].message).toMatch(/timestamp expired on .*possible freeze/);
    expect(report.status).toBe('not-genuine');
    expect(resolveVerifyExitCode(report)).toBe(1);
    const text = formatVerifyReport(report);
    expect(text.split('\n')[0]).toBe(`STALE (possible freeze): ${dir}`);
    expect(text).toContain('Not tampering');
    expect(text).not.toContain('NOT GENUINE');
    // The files were all checked and matched: only freshness is missing.
    expect(report.checkedFiles).toBe(report.manifest?.fileCount);
  });

  it('a timestamp for another version (a frozen copy with a newer timestamp beside it) is stale', async () => {
    const v3 = folder(sealWithTimestamp({ version: 3 }));
    const v4 = folder(sealWithTimestamp({ version: 4, now: at(2) }));
    for (const p of [TIMESTAMP_PATH, TIMESTAMP_SIG_PATH]) writeFileSync(join(v3, p), readFileSync(join(v4, p)));
    const report = await verify(v3, at(3));
    expect(report.problems.map((p) => p.kind)).toEqual(['stale']);
    expect(report.problems[0].message).toMatch(/vouches for version 4, not for version 3/);
  });

  it('a missing timestamp is stale when the channels delegate a timestamp key', async () => {
    const dir = folder(sealWithTimestamp());
    rmSync(join(dir, TIMESTAMP_PATH));
    rmSync(join(dir, TIMESTAMP_SIG_PATH));
    const report = await verify(dir, at(1));
    expect(report.problems.map((p) => p.kind)).toEqual(['stale']);
    expect(report.problems[0].message).toMatch(/has no timestamp/);
  });

  it('a timestamp signed by a key that was never delegated is NOT GENUINE, with both key ids', async () => {
    const dir = folder(sealWithTimestamp());
    writeTimestamp(dir, OTHER_SIGNER, at(1));
    const report = await verify(dir, at(2));
    expect(report.status).toBe('not-genuine');
    expect(report.problems.map((p) => p.kind)).toEqual(['wrong-key']);
    expect(report.problems[0].message).toContain(`signed by key ${OTHER_SIGNER.keyId}, which this site never delegated`);
    expect(report.problems[0].expected).toBe(TS_SIGNER.keyId);
    expect(formatVerifyReport(report).split('\n')[0]).toMatch(/^NOT GENUINE/);
    // Signed by the main key itself is no better: only the delegated key vouches.
    writeTimestamp(dir, SIGNER, at(1));
    expect((await verify(dir, at(2))).problems.map((p) => p.kind)).toEqual(['wrong-key']);
  });

  it('an edited timestamp (expiry pushed out) is a bad signature', async () => {
    const dir = folder(sealWithTimestamp());
    const path = join(dir, TIMESTAMP_PATH);
    writeFileSync(path, readFileSync(path, 'utf8').replace(at(7).toISOString(), at(70).toISOString()));
    const report = await verify(dir, at(8));
    expect(report.problems.map((p) => p.kind)).toEqual(['bad-signature']);
  });

  it('a manifest signed by the timestamp key never verifies', async () => {
    // The timestamp key (stolen from the cron machine) signs a changed page into a new manifest.
    const out = sealWithTimestamp();
    out.set('index.html', new TextEncoder().encode('<!doctype html><title>planted</title>\n'));
    resignManifest(out, TS_SIGNER);
    const dir = folder(out);
    writeTimestamp(dir, TS_SIGNER, at(1));
    // Pinned to the main key (explicitly, or remembered from an earlier visit): another key.
    const pinned = await verify(dir, at(2));
    expect(pinned.status).toBe('not-genuine');
    expect(pinned.problems.map((p) => p.kind)).toEqual(['wrong-key']);
    const store = makeTempDir('stele-store-');
    expect((await verifySite(folder(sealWithTimestamp()), { trustStoreDir: store, now: at(1) })).status).toBe('genuine');
    const remembered = await verifySite(dir, { trustStoreDir: store, now: at(2) });
    expect(remembered.status).toBe('not-genuine');
    expect(remembered.problems.map((p) => p.kind)).toEqual(['key-changed']);
    // On first use, with the timestamp key published as the site's key: the signed channels
    // delegate that very key as the timestamp key, so it is refused by name.
    const first = await verifySite(dir, { trustStoreDir: false, now: at(2) });
    expect(first.status).toBe('not-genuine');
    // (Its release log is not signed by that key either: log-broken.)
    expect(first.problems.find((p) => p.kind === 'wrong-key')?.message).toMatch(/delegates as its timestamp key.*can never make a file verify/);
    // Pinned to the timestamp key itself: still refused.
    const ts = await verify(dir, at(2), { publicKey: TS_SIGNER.publicKeyFile });
    expect(ts.status).toBe('not-genuine');
    expect(ts.problems.find((p) => p.kind === 'wrong-key')?.message).toMatch(/delegates as its timestamp key/);
  });

  it('a fresh timestamp over a year-old manifest with a long expiry is genuine', async () => {
    const dir = folder(sealWithTimestamp({ expiresInDays: 730 }));
    const yearLater = at(400);
    expect((await verify(dir, yearLater)).problems.map((p) => p.kind)).toEqual(['stale']);
    writeTimestamp(dir, TS_SIGNER, at(399));
    const report = await verify(dir, yearLater);
    expect(report.problems).toEqual([]);
    expect(report.status).toBe('genuine');
    // The manifest's own expiry still counts: a fresh timestamp cannot extend it.
    writeTimestamp(dir, TS_SIGNER, at(735));
    expect((await verify(dir, at(736))).problems.map((p) => p.kind)).toEqual(['expired']);
  });

  it('without a timestamp key nothing changes: no timestamp is needed and none is written', async () => {
    const out = createFixtureOutput();
    sealSite(out, { siteId: 'rights-watch', version: 3, now: NOW, signer: SIGNER, channels: CHANNELS });
    expect(out.has(TIMESTAMP_PATH)).toBe(false);
    expect(JSON.parse(new TextDecoder().decode(out.get(CHANNELS_PATH))).keys.timestamp).toBeUndefined();
    const dir = folder(out);
    expect((await verify(dir, at(29))).status).toBe('genuine');
    expect((await verify(dir, at(31))).problems.map((p) => p.kind)).toEqual(['expired']);
  });

  it('the timestamp files are outside the manifest and SHA256SUMS, and sealing refuses the main key as timestamp key', () => {
    const out = sealWithTimestamp();
    const manifest = new TextDecoder().decode(out.get(MANIFEST_PATH));
    expect(manifest).not.toContain('timestamp.json');
    expect(new TextDecoder().decode(out.get('.well-known/stele/SHA256SUMS'))).not.toContain('timestamp.json');
    expect(() => sealWithTimestamp({ timestampSigner: SIGNER })).toThrow(/must not be the main signing key/);
  });
});
