import { appendFileSync, chmodSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../../src/trust/paths.js';
import { verifySite } from '../../src/verify/verify-site.js';
import type { VerifyProblemKind } from '../../src/verify/types.js';
import {
  cleanupTempDirs,
  makeTempDir,
  NOW,
  OTHER_SIGNER,
  SIGNER,
  sealFixture,
  writeOutput,
  writeSealedFixture,
} from './fixture.js';

afterAll(cleanupTempDirs);

const verify = (dir: string, extra: Partial<Parameters<typeof verifySite>[1]> = {}) =>
  verifySite(dir, { publicKey: SIGNER.publicKeyFile, trustStoreDir: makeTempDir('stele-trust-'), now: NOW, ...extra });

function kinds(report: Awaited<ReturnType<typeof verifySite>>): VerifyProblemKind[] {
  return report.problems.map((p) => p.kind);
}

describe('verify a sealed folder', () => {
  it('accepts an untouched copy', async () => {
    const dir = writeSealedFixture();
    const report = await verify(dir);
    expect(report.problems).toEqual([]);
    expect(report.status).toBe('genuine');
    expect(report.manifest).toMatchObject({ siteId: 'rights-watch', version: 3, keyId: SIGNER.keyId });
    expect(report.checkedFiles).toBe(report.manifest?.fileCount);
  });

  it('accepts a copy whose file modes changed', async () => {
    const dir = writeSealedFixture();
    chmodSync(join(dir, 'index.html'), 0o600);
    chmodSync(join(dir, 'img/logo.png'), 0o755);
    expect((await verify(dir)).status).toBe('genuine');
  });

  const cases: [string, (dir: string) => void, VerifyProblemKind, string?][] = [
    [
      'a flipped byte',
      (d) => {
        const p = join(d, 'about/index.html');
        const b = readFileSync(p);
        b[10] ^= 0x01;
        writeFileSync(p, b);
      },
      'modified',
      'about/index.html',
    ],
    ['appended bytes', (d) => appendFileSync(join(d, 'css/site.css'), 'body{display:none}'), 'modified', 'css/site.css'],
    ['truncation', (d) => truncateSync(join(d, 'img/logo.png'), 5), 'modified', 'img/logo.png'],
    ['a deleted file', (d) => rmSync(join(d, 'reports/2010.html')), 'missing', 'reports/2010.html'],
    ['an added HTML page', (d) => writeFileSync(join(d, 'login.html'), '<form>phish</form>'), 'added', 'login.html'],
    [
      'an added script in a new folder',
      (d) => {
        mkdirSync(join(d, 'js'));
        writeFileSync(join(d, 'js/miner.js'), 'mine()');
      },
      'added',
      'js/miner.js',
    ],
    ['an added .htaccess', (d) => writeFileSync(join(d, '.htaccess'), 'Redirect 302 / https://evil.example/'), 'added', '.htaccess'],
    [
      'an injected <script> tag',
      (d) => {
        const p = join(d, 'index.html');
        writeFileSync(p, readFileSync(p, 'utf8').replace('</body>', '<script src="https://evil.example/x.js"></script></body>'));
      },
      'modified',
      'index.html',
    ],
  ];
  for (const [name, tamper, kind, path] of cases) {
    it(`detects ${name}`, async () => {
      const dir = writeSealedFixture();
      tamper(dir);
      const report = await verify(dir);
      expect(report.status).toBe('not-genuine');
      expect(report.problems).toContainEqual(expect.objectContaining({ kind, path }));
    });
  }

  it('detects symbolic links: an added one, and one replacing a listed file', async () => {
    const dir = writeSealedFixture();
    symlinkSync('/etc/hostname', join(dir, 'leak.html'));
    rmSync(join(dir, '404.html'));
    symlinkSync(join(dir, 'index.html'), join(dir, '404.html'));
    const report = await verify(dir);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'added', path: 'leak.html' }),
        expect.objectContaining({ kind: 'modified', path: '404.html' }),
      ]),
    );
  });

  it('detects a rename as one missing and one added file', async () => {
    const dir = writeSealedFixture();
    renameSync(join(dir, 'reports/2010.html'), join(dir, 'reports/2011.html'));
    const report = await verify(dir);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'missing', path: 'reports/2010.html' }),
        expect.objectContaining({ kind: 'added', path: 'reports/2011.html' }),
      ]),
    );
  });

  it("detects two files' contents swapped", async () => {
    const dir = writeSealedFixture();
    const a = readFileSync(join(dir, 'index.html'));
    const b = readFileSync(join(dir, '404.html'));
    writeFileSync(join(dir, 'index.html'), b);
    writeFileSync(join(dir, '404.html'), a);
    const report = await verify(dir);
    expect(report.problems.filter((p) => p.kind === 'modified').map((p) => p.path).sort()).toEqual(['404.html', 'index.html']);
  });

  it('detects a forged file list under the original signature', async () => {
    const dir = writeSealedFixture();
    writeFileSync(join(dir, 'index.html'), '<p>defaced</p>');
    const manifestFile = join(dir, ...MANIFEST_PATH.split('/'));
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const { createHash } = await import('node:crypto');
    for (const f of manifest.files) {
      if (f.path === 'index.html') {
        f.size = 14;
        f.sha256 = createHash('sha256').update('<p>defaced</p>').digest('hex');
      }
    }
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    const report = await verify(dir);
    expect(report.status).toBe('not-genuine');
    expect(kinds(report)).toContain('bad-signature');
    expect(kinds(report)).not.toContain('modified');
  });

  it('detects a site re-signed with another key (pinned key)', async () => {
    const dir = writeSealedFixture({ signer: OTHER_SIGNER });
    const report = await verify(dir);
    expect(report.status).toBe('not-genuine');
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'wrong-key', expected: SIGNER.keyId, actual: OTHER_SIGNER.keyId }),
    );
  });

  it('reports a changed key loudly with the trust store (TOFU)', async () => {
    const store = makeTempDir('stele-trust-');
    const first = await verifySite(writeSealedFixture(), { trustStoreDir: store, now: NOW });
    expect(first.status).toBe('genuine');
    const report = await verifySite(writeSealedFixture({ signer: OTHER_SIGNER, version: 4 }), { trustStoreDir: store, now: NOW });
    expect(report.status).toBe('not-genuine');
    expect(report.problems[0]).toMatchObject({ kind: 'key-changed', expected: SIGNER.keyId, actual: OTHER_SIGNER.keyId });
    expect(report.problems[0].message).toMatch(/KEY CHANGED/);
  });

  it('detects an expired manifest', async () => {
    const dir = writeSealedFixture({ expiresInDays: 30 });
    const later = new Date(NOW.getTime() + 31 * 86_400_000);
    const report = await verify(dir, { now: later });
    expect(report.status).toBe('not-genuine');
    expect(kinds(report)).toEqual(['expired']);
  });

  it('detects a replayed older manifest (rollback) using the trust store', async () => {
    const store = makeTempDir('stele-trust-');
    const oldSite = sealFixture({ version: 3 });
    const newSite = sealFixture({ version: 4, now: new Date(NOW.getTime() + 86_400_000) });
    const newDir = makeTempDir();
    writeOutput(newSite, newDir);
    expect((await verifySite(newDir, { trustStoreDir: store, now: NOW })).status).toBe('genuine');
    const replay = makeTempDir();
    writeOutput(oldSite, replay);
    const report = await verifySite(replay, { trustStoreDir: store, now: NOW });
    expect(report.status).toBe('not-genuine');
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'rollback', actual: '3' }));
    // Replaying only the old manifest + signature over the new files is also a rollback (and files differ).
    const mixed = makeTempDir();
    writeOutput(newSite, mixed);
    for (const p of [MANIFEST_PATH, MANIFEST_SIG_PATH]) writeFileSync(join(mixed, ...p.split('/')), oldSite.get(p)!);
    expect(kinds(await verifySite(mixed, { trustStoreDir: store, now: NOW }))).toContain('rollback');
  });

  it('refuses manifests listing paths outside the folder', async () => {
    const out = sealFixture();
    const dir = makeTempDir();
    writeOutput(out, dir);
    const manifestFile = join(dir, ...MANIFEST_PATH.split('/'));
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.files.push({ path: '../../etc/passwd', size: 1, sha256: '0'.repeat(64) });
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const report = await verify(dir);
    expect(report.status).toBe('not-genuine');
    expect(kinds(report)).toEqual(['malformed']);
  });

  it('with no manifest: NOT GENUINE (unsigned) when a key is pinned, an error (exit 2) when none is', async () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'index.html'), '<p>hi</p>');
    const pinned = await verify(dir);
    expect(pinned.status).toBe('not-genuine');
    expect(kinds(pinned)).toEqual(['unsigned']);
    const report = await verify(dir, { publicKey: undefined });
    expect(report.status).toBe('error');
    expect(kinds(report)).toEqual(['unreachable']);
  });
});
