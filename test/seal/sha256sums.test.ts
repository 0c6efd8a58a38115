/**
 * Standard tools are enough to check a copy: every sealed build carries a signed
 * coreutils `SHA256SUMS`, and the exact command the verify page prints
 * (`minisign -Vm … -P <key> && sha256sum -c …`, run by bash in the site folder
 * with Debian's minisign and coreutils) passes on a genuine copy and fails on a
 * tampered one.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatStandardToolsCommand } from '../../src/render/theme/components.js';
import { SHA256SUMS_PATH } from '../../src/trust/paths.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { cleanupTempDirs, NOW, SIGNER, writeSealedFixture } from '../verify/fixture.js';

const publicKeyLine = SIGNER.publicKeyFile.trim().split('\n').at(-1)!;
const command = formatStandardToolsCommand(publicKeyLine, SHA256SUMS_PATH);
const run = (dir: string) => spawnSync('bash', ['-c', command], { cwd: dir, encoding: 'utf8' });

afterAll(cleanupTempDirs);

describe('SHA256SUMS and the standard-tools command', () => {
  it('lists every file but the manifest and itself, relative to the site root, and the copy stays genuine', async () => {
    const dir = writeSealedFixture();
    const sums = readFileSync(join(dir, SHA256SUMS_PATH), 'utf8');
    expect(sums).toMatch(/^[0-9a-f]{64} {2}index\.html$/m);
    expect(sums).toMatch(/^[0-9a-f]{64} {2}\.well-known\/stele\/channels\.json$/m);
    expect(sums).not.toContain('manifest.json');
    expect(sums).not.toContain('SHA256SUMS');
    const report = await verifySite(dir, { publicKey: SIGNER.publicKeyFile, trustStoreDir: false, now: NOW });
    expect(report.problems).toEqual([]);
  });

  it('passes on a genuine copy', () => {
    const result = run(writeSealedFixture());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Signature and comment signature verified');
    expect(result.stdout).toContain('index.html: OK');
  });

  it('fails on a modified page', () => {
    const dir = writeSealedFixture();
    appendFileSync(join(dir, 'about/index.html'), '<script src="evil.js"></script>');
    const result = run(dir);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain('about/index.html: FAILED');
  });

  it('fails when the list itself was changed to match a modified page', () => {
    const dir = writeSealedFixture();
    const sums = readFileSync(join(dir, SHA256SUMS_PATH), 'utf8');
    writeFileSync(join(dir, SHA256SUMS_PATH), sums.replace(/^[0-9a-f]{64}(?= {2}index\.html$)/m, '0'.repeat(64)));
    const result = run(dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Signature verification failed/);
  });
});
