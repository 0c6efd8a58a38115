import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { cac } from 'cac';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerKeyCommand, runKeyCommand } from '../../src/cli/commands/key.js';
import { registerKeygenCommand, runKeygenCommand } from '../../src/cli/commands/keygen.js';
import { runVerifyCommand } from '../../src/cli/commands/verify.js';
import type { CliContext } from '../../src/cli/context.js';
import { createNodeHost } from '../../src/io/host.js';
import { parseSecretKeyFile } from '../../src/seal/minisign.js';
import { sealSite } from '../../src/seal/seal-site.js';
import { createSignerFromSeed, loadSigner } from '../../src/seal/signer.js';
import { CHANNELS, cleanupTempDirs, createFixtureOutput, makeTempDir, NOW } from '../verify/fixture.js';

const PASS = 'Hunter2-Never-Print-Me';
const FAST = { limits: { opslimit: 1 << 16, memlimit: 1 << 22 } };
const saved = { pass: process.env.STELE_PASSPHRASE, next: process.env.STELE_NEW_PASSPHRASE };

beforeEach(() => {
  process.env.STELE_PASSPHRASE = PASS;
  delete process.env.STELE_NEW_PASSPHRASE;
});
afterEach(() => {
  if (saved.pass === undefined) delete process.env.STELE_PASSPHRASE;
  else process.env.STELE_PASSPHRASE = saved.pass;
  if (saved.next === undefined) delete process.env.STELE_NEW_PASSPHRASE;
  else process.env.STELE_NEW_PASSPHRASE = saved.next;
});
afterAll(cleanupTempDirs);

function makeCtx(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    host: createNodeHost({ now: () => NOW }),
    cwd,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTTY: false,
    exitCode: -1,
  };
  return { ctx, all: () => out.join('') + err.join(''), out, err };
}

/** Every secret in a key folder, in the encodings that could leak. */
async function secretsOf(dir: string, passphrase: string): Promise<string[]> {
  const parsed = await parseSecretKeyFile(readFileSync(join(dir, 'stele.key'), 'utf8'), passphrase);
  if (!parsed.ok) throw new Error(parsed.reason);
  const seed = Buffer.from(parsed.value.seed);
  return [passphrase, seed.toString('hex'), seed.toString('hex').toUpperCase(), seed.toString('base64'), seed.toString('base64').slice(0, 20)];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('stele keygen', () => {
  it('writes an encrypted pair through cac, prints the key id, and refuses to overwrite', async () => {
    const dir = makeTempDir('stele-cli-');
    const { ctx, out, all } = makeCtx(dir);
    const cli = cac('stele');
    registerKeygenCommand(cli, ctx);
    cli.parse(['node', 'stele', 'keygen', '--dir', 'keys'], { run: false });
    // The one keygen at the real (slow, 1 GiB) minisign KDF, through cac: proves the default path works.
    // Every other test uses a low scrypt cost.
    await cli.runMatchedCommand();
    expect(ctx.exitCode).toBe(0);
    const keyId = /Key id: ([0-9A-F]{16})/.exec(out.join(''))?.[1];
    expect(keyId).toBeDefined();
    const loaded = await loadSigner({ keyFile: join(dir, 'keys/stele.key'), passphrase: PASS });
    expect(loaded.ok && loaded.signer.keyId).toBe(keyId);
    expect(statSync(join(dir, 'keys/stele.key')).mode & 0o777).toBe(0o600);

    const again = makeCtx(dir);
    await runKeygenCommand(again.ctx, { dir: 'keys' }, FAST);
    expect(again.ctx.exitCode).toBe(2);
    expect(again.all()).toContain('STELE5000');
    const secrets = await secretsOf(join(dir, 'keys'), PASS);
    for (const s of secrets) {
      expect(all()).not.toContain(s);
      expect(again.all()).not.toContain(s);
      expect(readFileSync(join(dir, 'keys/stele.pub'), 'utf8')).not.toContain(s);
    }
  }, 600_000);

  it('--unencrypted warns loudly; --force replaces', async () => {
    const dir = makeTempDir('stele-cli-');
    const a = makeCtx(dir);
    await runKeygenCommand(a.ctx, { unencrypted: true }, FAST);
    expect(a.ctx.exitCode).toBe(0);
    expect(a.err.join('')).toMatch(/STELE5005.*NOT encrypted/);
    const b = makeCtx(dir);
    await runKeygenCommand(b.ctx, { force: true }, FAST);
    expect(b.ctx.exitCode).toBe(0);
    expect((await loadSigner({ keyFile: join(dir, 'stele.key'), passphrase: PASS })).ok).toBe(true);
  });

  it('exits 2 with a clear error when there is no passphrase and no terminal', async () => {
    delete process.env.STELE_PASSPHRASE;
    const dir = makeTempDir('stele-cli-');
    const c = makeCtx(dir);
    await runKeygenCommand(c.ctx, {}, FAST);
    expect(c.ctx.exitCode).toBe(2);
    expect(c.err.join('')).toContain('STELE5001');
    expect(c.err.join('')).toContain('STELE_PASSPHRASE');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses mismatched prompt entries', async () => {
    const dir = makeTempDir('stele-cli-');
    const c = makeCtx(dir);
    const answers = ['first-entry-aaa', 'second-entry-bbb'];
    await runKeygenCommand(c.ctx, {}, { ...FAST, readPassphrase: async () => answers.shift() });
    expect(c.ctx.exitCode).toBe(2);
    expect(c.all()).toContain('STELE5002');
    expect(c.all()).not.toContain('first-entry-aaa');
    expect(c.all()).not.toContain('second-entry-bbb');
  });
});

describe('stele key', () => {
  it('rotate, then revoke the old key, through cac', async () => {
    const dir = makeTempDir('stele-cli-');
    await runKeygenCommand(makeCtx(dir).ctx, {}, FAST);
    const old = await loadSigner({ keyFile: join(dir, 'stele.key'), passphrase: PASS });
    if (!old.ok) throw new Error(old.reason);
    const r = makeCtx(dir);
    await runKeyCommand(r.ctx, 'rotate', undefined, {}, FAST);
    expect(r.ctx.exitCode).toBe(0);
    expect(r.out.join('')).toContain(`Rotated ${old.signer.keyId} -> `);
    const revoke = makeCtx(dir);
    const cli = cac('stele');
    registerKeyCommand(cli, revoke.ctx);
    cli.parse(['node', 'stele', 'key', 'revoke', old.signer.keyId, '--reason', 'laptop seized at border'], { run: false });
    await cli.runMatchedCommand();
    expect(revoke.ctx.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'revoked-keys.json'), 'utf8')).revoked[0]).toMatchObject({
      keyId: old.signer.keyId,
      reason: 'laptop seized at border',
    });
    const bad = makeCtx(dir);
    await runKeyCommand(bad.ctx, 'revoke', 'zz', { reason: 'x' }, FAST);
    expect(bad.ctx.exitCode).toBe(2);
    expect(bad.all()).toContain('STELE5006');
    const unknown = makeCtx(dir);
    await runKeyCommand(unknown.ctx, 'destroy', undefined, {}, FAST);
    expect(unknown.all()).toContain('STELE5012');
  });
});

describe('keys never leak', () => {
  it('error paths print neither the passphrase nor secret key bytes', async () => {
    const dir = makeTempDir('stele-cli-');
    await runKeygenCommand(makeCtx(dir).ctx, {}, FAST);
    const secrets = await secretsOf(dir, PASS);
    const texts: string[] = [];
    // Wrong passphrase on rotate and revoke.
    process.env.STELE_PASSPHRASE = `${PASS}-wrong`;
    for (const [action, id, flags] of [
      ['rotate', undefined, {}],
      ['revoke', '0123456789ABCDEF', { reason: 'test' }],
    ] as const) {
      const c = makeCtx(dir);
      await runKeyCommand(c.ctx, action, id, flags, FAST);
      expect(c.ctx.exitCode).toBe(2);
      expect(c.all()).toContain('wrong passphrase');
      texts.push(c.all());
    }
    process.env.STELE_PASSPHRASE = PASS;
    // The secret key given where a public key is expected.
    const v = makeCtx(dir);
    await runVerifyCommand(v.ctx, dir, { key: 'stele.key', trustStore: 'off' });
    expect(v.ctx.exitCode).toBe(2);
    expect(v.all()).toContain('STELE5010');
    texts.push(v.all());
    // Revoking the current key, and a garbage key file.
    const current = await loadSigner({ keyFile: join(dir, 'stele.key'), passphrase: PASS });
    const c2 = makeCtx(dir);
    await runKeyCommand(c2.ctx, 'revoke', current.ok ? current.signer.keyId : '', { reason: 'x' }, FAST);
    expect(c2.ctx.exitCode).toBe(2);
    texts.push(c2.all());
    const wrong = await loadSigner({ keyFile: join(dir, 'stele.key'), passphrase: 'guess' });
    texts.push(JSON.stringify(wrong));
    for (const text of texts) for (const s of secrets) expect(text).not.toContain(s);
    // No file anywhere in the key folder holds the passphrase in clear.
    for (const f of filesUnder(dir)) expect(readFileSync(f, 'utf8')).not.toContain(PASS);
  });

  it('a sealed site and the signer object reveal nothing of the seed', () => {
    const seed = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 255);
    const signer = createSignerFromSeed(seed);
    const out = createFixtureOutput();
    sealSite(out, { siteId: 'leak-test', version: 1, now: NOW, signer, channels: CHANNELS });
    const hex = Buffer.from(seed).toString('hex');
    const b64 = Buffer.from(seed).toString('base64');
    const everything = [...out.values()].map((d) => Buffer.from(d).toString('latin1')).join('\n');
    expect(everything).not.toContain(hex);
    expect(everything).not.toContain(b64.slice(0, 16));
    expect(everything).not.toContain(Buffer.from(seed).toString('latin1'));
    const shown = `${inspect(signer, { depth: 10, showHidden: true })}${JSON.stringify(signer)}`;
    expect(shown).not.toContain(hex);
    expect(shown).not.toContain(b64.slice(0, 16));
  });
});
