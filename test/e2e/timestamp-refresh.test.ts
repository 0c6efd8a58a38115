/**
 * Freshness without the offline key, end to end through the CLI (issue 17):
 * `stele keygen --timestamp` makes the online key, `stele build` delegates it and
 * signs a first 7-day timestamp under a 365-day manifest, `stele publish` sends
 * the site to a directory target served by a real nginx, and after the main
 * secret key is gone `stele refresh --publish` keeps the mirror genuine past the
 * first timestamp's expiry. A stale mirror is STALE (exit 1); refresh refuses a
 * tampered build, a key the build does not delegate, and an address. The clock
 * is injected (`createTestHost({ now })`), never the real one.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeygenCommand } from '../../src/cli/commands/keygen.js';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/index.js';
import { createStarterFiles } from '../../src/content/starter.js';
import { CHANNELS_PATH, MANIFEST_PATH } from '../../src/trust/paths.js';
import { TIMESTAMP_PATH } from '../../src/trust/timestamp.js';
import { startNginx } from '../publish/peers.js';
import { createTempDir, createTestHost, removeTempDirs, writeFiles } from '../helpers/temp-site.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (days: number) => new Date(T0 + days * DAY);
const FAST = { limits: { opslimit: 1 << 16, memlimit: 1 << 22 } };
const saved = { main: process.env.STELE_PASSPHRASE, ts: process.env.STELE_TIMESTAMP_PASSPHRASE };

let root: string;
let www: string;
let nginx: { url: string; stop(): Promise<void> } | undefined;

async function cli(args: string[], now: Date, cwd = root): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(args, { host: createTestHost({ now }), cwd, stdout: (t) => (out += t), stderr: (t) => (out += t), isTTY: false });
  return { code, out };
}

function keygenCtx(cwd: string, now: Date): { ctx: CliContext; out: () => string } {
  let text = '';
  const ctx: CliContext = { host: createTestHost({ now }), cwd, stdout: (t) => (text += t), stderr: (t) => (text += t), isTTY: false, exitCode: -1 };
  return { ctx, out: () => text };
}

const dist = () => join(root, 'dist');
const readTimestamp = (dir: string) => readFileSync(join(dir, TIMESTAMP_PATH), 'utf8');

beforeAll(async () => {
  process.env.STELE_PASSPHRASE = 'main-passphrase-kept-offline';
  process.env.STELE_TIMESTAMP_PASSPHRASE = 'timestamp-passphrase-for-cron';
  const base = await createTempDir('stele-timestamp-');
  await chmod(base, 0o755); // nginx workers run as nobody
  root = join(base, 'project');
  www = join(base, 'www');
  nginx = await startNginx(join(base, 'nginx'), join(www, 'current'));
  const files = createStarterFiles('freshsite');
  files['stele.config.ts'] = String(files['stele.config.ts']).replace(
    /\n\}\);\n$/,
    `\n  publish: { targets: [{ type: 'directory', name: 'local', path: '../www', url: '${nginx.url}' }] },\n});\n`,
  );
  await writeFiles(root, files);
}, 60_000);

afterAll(async () => {
  await nginx?.stop();
  await removeTempDirs();
  for (const [name, value] of [
    ['STELE_PASSPHRASE', saved.main],
    ['STELE_TIMESTAMP_PASSPHRASE', saved.ts],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('timestamp key and stele refresh', () => {
  it('keygen --timestamp writes its own encrypted pair next to the main key', async () => {
    const main = keygenCtx(root, at(0));
    await runKeygenCommand(main.ctx, { dir: 'keys' }, FAST);
    expect(main.ctx.exitCode).toBe(0);
    const ts = keygenCtx(root, at(0));
    await runKeygenCommand(ts.ctx, { dir: 'keys', timestamp: true }, FAST);
    expect(ts.ctx.exitCode).toBe(0);
    expect(ts.out()).toMatch(/Timestamp key id: [0-9A-F]{16}/);
    expect(ts.out()).toContain('STELE_TIMESTAMP_PASSPHRASE');
    expect(readFileSync(join(root, 'keys/timestamp.key'), 'utf8')).toContain('encrypted timestamp key');
    expect(readFileSync(join(root, 'keys/stele.key'), 'utf8')).not.toBe(readFileSync(join(root, 'keys/timestamp.key'), 'utf8'));
    // Again: refused, the existing key is kept (STELE5000).
    const again = await cli(['keygen', '--timestamp', '--dir', 'keys', '--unencrypted'], at(0));
    expect(again.code).toBe(2);
    expect(again.out).toContain('STELE5000');
    // Through cac, the flag makes an (unencrypted) timestamp pair elsewhere.
    const other = await cli(['keygen', '--timestamp', '--dir', 'other-keys', '--unencrypted'], at(0));
    expect(other.code).toBe(0);
    expect(existsSync(join(root, 'other-keys/timestamp.key'))).toBe(true);
    expect(existsSync(join(root, 'other-keys/stele.key'))).toBe(false);
  });

  it('build delegates the timestamp key, signs a 7-day timestamp and seals the manifest for a year', async () => {
    const built = await cli(['build', root], at(0));
    expect(built.code, built.out).toBe(0);
    // STELE1306 covers the timestamp: it expires within a week unless refreshed.
    expect(built.out).toMatch(/STELE1306[\s\S]*timestamp/);
    const manifest = JSON.parse(readFileSync(join(dist(), MANIFEST_PATH), 'utf8'));
    expect(manifest.expires).toBe(at(365).toISOString());
    const channels = JSON.parse(readFileSync(join(dist(), CHANNELS_PATH), 'utf8'));
    const tsPub = readFileSync(join(root, 'keys/timestamp.pub'), 'utf8').trim().split('\n');
    expect(channels.keys.timestamp.publicKey).toBe(tsPub[1]);
    expect(JSON.parse(readTimestamp(dist())).expires).toBe(at(7).toISOString());
    expect((await cli(['verify', dist(), '--trust-store', 'off'], at(1))).code).toBe(0);
  }, 180_000);

  it('publish to an nginx-served directory: genuine now, STALE (possible freeze) after the timestamp expires', async () => {
    const published = await cli(['publish', root], at(0));
    expect(published.code, published.out).toBe(0);
    const fresh = await cli(['verify', nginx!.url, '--trust-store', 'off'], at(1));
    expect(fresh.code, fresh.out).toBe(0);
    const stale = await cli(['verify', nginx!.url, '--trust-store', 'off'], at(8));
    expect(stale.code).toBe(1);
    expect(stale.out).toContain(`STALE (possible freeze): ${nginx!.url}`);
    expect(stale.out).toMatch(/stale: the timestamp expired on/);
  }, 120_000);

  it('refresh --publish without the main secret key keeps the mirror genuine past the old expiry', async () => {
    rmSync(join(root, 'keys/stele.key'));
    delete process.env.STELE_PASSPHRASE;
    const before = readTimestamp(dist());
    const refreshed = await cli(['refresh', root, '--publish'], at(6));
    expect(refreshed.code, refreshed.out).toBe(0);
    expect(refreshed.out).toContain(`until ${at(13).toISOString()}`);
    expect(readTimestamp(dist())).not.toBe(before);
    expect(readTimestamp(join(www, 'current'))).toBe(readTimestamp(dist()));
    const later = await cli(['verify', nginx!.url, '--trust-store', 'off'], at(8));
    expect(later.code, later.out).toBe(0);
    expect(later.out).toContain('GENUINE');
    expect((await cli(['verify', nginx!.url, '--trust-store', 'off'], at(14))).code).toBe(1);
    // A stale folder can be refreshed too (the cron job was down for a while), and what a
    // refresh killed before its rename left behind is cleared.
    const leftover = join(dist(), `${TIMESTAMP_PATH}.stele-tmp-99999`);
    writeFileSync(leftover, 'half-written');
    const folder = await cli(['refresh', 'dist', '--key', 'keys/stele.pub', '--timestamp-key', 'keys/timestamp.key', '--days', '3'], at(20));
    expect(folder.code, folder.out).toBe(0);
    expect(existsSync(leftover)).toBe(false);
    expect((await cli(['verify', dist(), '--trust-store', 'off'], at(22))).code).toBe(0);
  }, 120_000);

  it('refuses a tampered build (exit 1), a key the build does not delegate and an address (exit 2)', async () => {
    const withOtherKey = await cli(['refresh', root, '--timestamp-key', 'other-keys/timestamp.key'], at(21));
    expect(withOtherKey.code).toBe(2);
    expect(withOtherKey.out).toContain('STELE5041');
    const address = await cli(['refresh', nginx!.url], at(21));
    expect(address.code).toBe(2);
    expect(address.out).toContain('STELE5044');
    const page = join(dist(), 'index.html');
    writeFileSync(page, `${readFileSync(page, 'utf8')}<!-- planted -->`);
    const before = readTimestamp(dist());
    const tampered = await cli(['refresh', root], at(21));
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain('STELE5040');
    expect(tampered.out).toMatch(/modified index\.html/);
    expect(readTimestamp(dist())).toBe(before);
  }, 60_000);
});
