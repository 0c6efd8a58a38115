/**
 * Secret keys are refused as ssh refuses them (issue 12 items 9 and 10): an
 * unencrypted key that other users can read is an error diagnostic naming the
 * `chmod 600` to run, and a key path that is a folder is a diagnostic too, never
 * a stack trace. Nothing is written in either case.
 */
import { chmod, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { runCli } from '../../src/cli/index.js';
import { createStarterFiles } from '../../src/content/starter.js';
import { createMemoryFileSystem } from '../../src/io/memory-fs.js';
import { createKeyFiles } from '../../src/seal/key-store.js';
import { formatSecretKeyFile } from '../../src/seal/minisign.js';
import { generateKeyMaterial, loadSigner, readSecretKeyFile } from '../../src/seal/signer.js';
import { createTempDir, createTestHost, removeTempDirs, writeFiles } from '../helpers/temp-site.js';

let root: string;
let keyFile: string;

beforeAll(async () => {
  root = await createTempDir('stele-keyperm-');
  await writeFiles(root, createStarterFiles('keyperm'));
  expect((await createKeyFiles({ dir: join(root, 'keys'), unencrypted: true })).ok).toBe(true);
  keyFile = join(root, 'keys/stele.key');
});
afterAll(removeTempDirs);

describe('an unencrypted secret key readable by other users', () => {
  it('refuses to build, names the chmod to run, and writes nothing', async () => {
    await chmod(keyFile, 0o644);
    const host = createTestHost({ now: new Date() });
    const result = await buildProject({ root, host, mode: 'production' });
    expect(result.ok).toBe(false);
    const d = result.diagnostics.find((x) => x.code === 'STELE5013');
    expect(d?.severity).toBe('error');
    expect(d?.file).toBe('keys/stele.key');
    expect(d?.message).toContain('mode 0644');
    expect(d?.hint).toContain(`chmod 600 ${keyFile}`);
    expect(result.outDir).toBeUndefined();
    expect(await host.fs.exists(join(root, 'dist'))).toBe(false);
    // The CLI prints it as a diagnostic (exit 1), with the command to run.
    const err: string[] = [];
    const code = await runCli(['build', root], { stdout: () => {}, stderr: (t) => err.push(t), isTTY: false });
    expect(code).toBe(1);
    expect(err.join('')).toContain('STELE5013');
    expect(err.join('')).toContain(`chmod 600 ${keyFile}`);
    // Key rotation and revocation load the key the same way.
    const loaded = await loadSigner({ keyFile });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.reason).toContain(`chmod 600 ${keyFile}`);
  }, 120_000);

  it('also refuses group-writable keys, and builds once the key is 0600', async () => {
    await chmod(keyFile, 0o620);
    expect((await readSecretKeyFile(keyFile)).ok).toBe(false);
    await chmod(keyFile, 0o600);
    expect((await readSecretKeyFile(keyFile)).ok).toBe(true);
    const result = await buildProject({ root, host: createTestHost({ now: new Date() }), mode: 'production' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.seal).toBeDefined();
  }, 120_000);

  it('accepts an encrypted key with loose permissions (the passphrase protects it) and checks through the FileSystem port', async () => {
    const { seed, keyNum } = generateKeyMaterial();
    const encrypted = await formatSecretKeyFile({ seed, keyNum, passphrase: 'pw', limits: { opslimit: 1 << 16, memlimit: 1 << 22 } });
    const plain = await formatSecretKeyFile({ seed, keyNum });
    const fs = createMemoryFileSystem({ '/k/enc.key': encrypted, '/k/plain.key': plain });
    expect((await readSecretKeyFile('/k/enc.key', fs)).ok).toBe(true);
    const loose = await readSecretKeyFile('/k/plain.key', fs);
    expect(loose.ok === false && !loose.missing && loose.diagnostic.code).toBe('STELE5013');
    await fs.chmod('/k/plain.key', 0o600);
    expect((await readSecretKeyFile('/k/plain.key', fs)).ok).toBe(true);
    expect(await readSecretKeyFile('/k/none.key', fs)).toEqual({ ok: false, missing: true });
  });
});

describe('a secret key path that is a folder', () => {
  it('is a diagnostic with the path, not a stack trace', async () => {
    await rm(keyFile);
    await mkdir(keyFile);
    const result = await buildProject({ root, host: createTestHost({ now: new Date() }), mode: 'production' });
    const d = result.diagnostics.find((x) => x.code === 'STELE5014');
    expect(d?.message).toContain(`${keyFile} is a folder`);
    expect(d?.file).toBe('keys/stele.key');
    const err: string[] = [];
    const code = await runCli(['build', root], { stdout: () => {}, stderr: (t) => err.push(t), isTTY: false });
    expect(code).toBe(1);
    expect(err.join('')).toContain('STELE5014');
    expect(err.join('')).not.toMatch(/\n\s+at /);
    const loaded = await loadSigner({ keyFile });
    expect(loaded.ok).toBe(false);
  }, 120_000);
});
