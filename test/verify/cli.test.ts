import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { createNodeHost } from '../../src/io/host.js';
import type { VerifyReport } from '../../src/verify/types.js';
import { cleanupTempDirs, makeTempDir, NOW, OTHER_SIGNER, SIGNER, writeSealedFixture } from './fixture.js';

afterAll(cleanupTempDirs);

/** Run `stele verify` through the real CLI entry, capturing its output. */
async function run(cwd: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const exitCode = await runCli(['verify', ...args], {
    host: createNodeHost({ now: () => NOW }),
    cwd,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTTY: false,
  });
  return { exitCode, stdout: out.join(''), stderr: err.join('') };
}

describe('stele verify (CLI)', () => {
  it('exit 0 and a GENUINE line for an untouched copy pinned with --key', async () => {
    const site = writeSealedFixture();
    const cwd = makeTempDir();
    writeFileSync(join(cwd, 'site.pub'), SIGNER.publicKeyFile);
    const r = await run(cwd, [site, '--key', 'site.pub', '--trust-store', 'off']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^GENUINE: /);
    expect(r.stdout).toContain('site rights-watch, version 3');
    expect(r.stdout).toMatch(/genuine: (\d+) of \1 files matched\./);
    const quiet = await run(cwd, [site, '--key', 'site.pub', '--trust-store', 'off', '--quiet']);
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stdout).toBe('');
  });

  it('exit 1 with problems grouped by kind and a summary line', async () => {
    const site = writeSealedFixture();
    writeFileSync(join(site, 'index.html'), '<p>defaced</p>');
    writeFileSync(join(site, '.htaccess'), 'x');
    writeFileSync(join(site, 'evil.js'), 'x');
    const r = await run(makeTempDir(), [site, '--key-id', SIGNER.keyId.toLowerCase(), '--trust-store', makeTempDir()]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^NOT GENUINE: /);
    expect(r.stdout).toContain('modified files (1):\n  modified: index.html was modified');
    expect(r.stdout).toContain('files not in the signed manifest (2):');
    expect(r.stdout).toContain('  added: .htaccess is not in the signed manifest');
    expect(r.stdout).toMatch(/3 problems \(1 modified, 2 added\); \d+ of \d+ files matched\.\n$/);
  });

  it('--json prints the VerifyReport; a changed key is loud', async () => {
    const store = makeTempDir();
    const cwd = makeTempDir();
    const first = await run(cwd, [writeSealedFixture(), '--trust-store', store]);
    expect(first.exitCode).toBe(0);
    expect(first.stderr).toContain(`First check of site "rights-watch": now trusting key ${SIGNER.keyId.replace(/(.{4})(?=.)/g, '$1 ')}`);
    const other = writeSealedFixture({ signer: OTHER_SIGNER, version: 4 });
    const r = await run(cwd, [other, '--trust-store', store, '--json']);
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout) as VerifyReport;
    expect(report.status).toBe('not-genuine');
    expect(report.problems[0]).toMatchObject({ kind: 'key-changed', actual: OTHER_SIGNER.keyId });
    const human = await run(cwd, [other, '--trust-store', store]);
    expect(human.stdout).toContain('!!! THE SIGNING KEY HAS CHANGED !!!');
  });

  it('exit 2 when there is nothing to check or an option is bad', async () => {
    const empty = makeTempDir();
    const r = await run(empty, ['.', '--trust-store', 'off']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/^COULD NOT CHECK: /);
    const bad = await run(empty, ['.', '--key-id', 'not-hex']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('STELE5011');
    const missingKey = await run(empty, ['.', '--key', 'nope.pub']);
    expect(missingKey.exitCode).toBe(2);
    expect(missingKey.stderr).toContain('STELE5010');
  });
});
