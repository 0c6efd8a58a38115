import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashSha256, readManifestVersion, resolveNextVersion, sealSite } from '../../src/seal/seal-site.js';
import { readOutputText } from '../../src/site/output.js';
import { channelsConfigSchema } from '../../src/trust/channels-config.js';
import { parseManifest } from '../../src/trust/manifest.js';
import { formatKeyFingerprint, verifyMinisign } from '../../src/trust/minisign.js';
import { CHANNELS_PATH, MANIFEST_PATH, MANIFEST_SIG_PATH, PUBLIC_KEY_PATH } from '../../src/trust/paths.js';
import { isReleaseLogPath } from '../../src/trust/release-log.js';
import { CHANNELS, cleanupTempDirs, createFixtureOutput, makeTempDir, NOW, SIGNER, sealFixture, writeOutput } from '../verify/fixture.js';

afterAll(cleanupTempDirs);

describe('sealSite', () => {
  it('lists every file except the manifest, its signature and the release log, sorted by bytes, with sha256', () => {
    const out = sealFixture();
    const manifest = parseManifest(readOutputText(out, MANIFEST_PATH)!);
    expect(manifest.ok).toBe(true);
    if (!manifest.ok) return;
    const m = manifest.manifest;
    const expected = [...out.keys()].filter((p) => p !== MANIFEST_PATH && p !== MANIFEST_SIG_PATH && !isReleaseLogPath(p));
    expect(m.files.map((f) => f.path)).toEqual(expected.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(m.files.map((f) => f.path)).toContain(CHANNELS_PATH);
    expect(m.files.map((f) => f.path)).toContain(`${CHANNELS_PATH}.minisig`);
    expect(m.files.map((f) => f.path)).toContain(PUBLIC_KEY_PATH);
    for (const f of m.files) {
      expect(f.sha256).toBe(hashSha256(out.get(f.path)!));
      expect(f.size).toBe(out.get(f.path)!.length);
    }
    expect(m).toMatchObject({
      stele: 1,
      siteId: 'rights-watch',
      version: 3,
      buildTime: '2026-03-01T12:00:00.000Z',
      expires: '2026-03-31T12:00:00.000Z',
      keyId: SIGNER.keyId,
    });
    expect(Object.keys(JSON.parse(readOutputText(out, MANIFEST_PATH)!))).toEqual([
      'stele', 'siteId', 'version', 'buildTime', 'expires', 'keyId', 'files',
    ]);
  });

  it('is deterministic and signs with the documented trusted comment', () => {
    const a = sealFixture();
    const b = sealFixture();
    expect(readOutputText(a, MANIFEST_PATH)).toBe(readOutputText(b, MANIFEST_PATH));
    expect(readOutputText(a, MANIFEST_PATH)).toMatch(/^\{\n {2}"stele": 1,\n/);
    const result = verifyMinisign(a.get(MANIFEST_PATH)!, readOutputText(a, MANIFEST_SIG_PATH)!, SIGNER.publicKeyFile);
    expect(result.ok && result.trustedComment).toBe(
      `stele site=rights-watch version=3 expires=2026-03-31T12:00:00.000Z keyid=${SIGNER.keyId}`,
    );
  });

  it('publishes signed channels with the current key', () => {
    const out = sealFixture();
    const text = readOutputText(out, CHANNELS_PATH)!;
    const doc = JSON.parse(text);
    expect(doc).toEqual({
      siteId: 'rights-watch',
      updated: NOW.toISOString(),
      official: CHANNELS.official,
      revoked: CHANNELS.revoked,
      keys: { current: SIGNER.keyId, revoked: [] },
    });
    expect(verifyMinisign(out.get(CHANNELS_PATH)!, readOutputText(out, `${CHANNELS_PATH}.minisig`)!, SIGNER.publicKeyFile).ok).toBe(true);
  });

  it('re-sealing replaces an old manifest instead of listing it', () => {
    const out = sealFixture({ version: 3 });
    sealSite(out, { siteId: 'rights-watch', version: 4, now: NOW, signer: SIGNER, channels: CHANNELS });
    const m = parseManifest(readOutputText(out, MANIFEST_PATH)!);
    expect(m.ok && m.manifest.version).toBe(4);
    expect(m.ok && m.manifest.files.some((f) => f.path.startsWith(MANIFEST_PATH))).toBe(false);
  });

  it('rejects a bad version or site id', () => {
    expect(() => sealSite(createFixtureOutput(), { siteId: 'x', version: 1.5, now: NOW, signer: SIGNER, channels: {} })).toThrow();
    expect(() => sealSite(createFixtureOutput(), { siteId: 'a b', version: 1, now: NOW, signer: SIGNER, channels: {} })).toThrow();
  });
});

describe('channels config schema', () => {
  it('accepts the documented shape and refuses unknown channel types', () => {
    expect(channelsConfigSchema.parse({})).toEqual({ official: [], revoked: [] });
    expect(channelsConfigSchema.safeParse(CHANNELS).success).toBe(true);
    expect(channelsConfigSchema.safeParse({ official: [{ type: 'fax', url: 'https://x.org' }] }).success).toBe(false);
    expect(channelsConfigSchema.safeParse({ revoked: [{ url: 'https://x.org', date: 'yesterday', reason: 'r' }] }).success).toBe(false);
  });
});

describe('versions', () => {
  it('resolveNextVersion only goes up', () => {
    expect(resolveNextVersion(undefined)).toBe(1);
    expect(resolveNextVersion(7)).toBe(8);
    expect(resolveNextVersion(7, 10)).toBe(10);
    expect(() => resolveNextVersion(7, 7)).toThrow(/not higher/);
    expect(() => resolveNextVersion(7, 3)).toThrow();
  });

  it('readManifestVersion reads the version already in an output folder', async () => {
    const dir = makeTempDir();
    expect(await readManifestVersion(dir)).toBeUndefined();
    writeOutput(sealFixture({ version: 41 }), dir);
    expect(await readManifestVersion(dir)).toBe(41);
    mkdirSync(join(dir, '.well-known/stele'), { recursive: true });
    writeFileSync(join(dir, MANIFEST_PATH), '{not json');
    expect(await readManifestVersion(dir)).toBeUndefined();
  });
});

describe('formatKeyFingerprint', () => {
  it('groups hex digits by four', () => {
    expect(formatKeyFingerprint('08e69a5a6c64d0d0')).toBe('08E6 9A5A 6C64 D0D0');
  });
});
