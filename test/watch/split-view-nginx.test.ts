/**
 * Scenario on real nginx-served mirrors: a stolen key publishes a different
 * version to one mirror. `stele watch` over both mirrors compares their release
 * log heads and alerts SPLIT VIEW in plain words, naming the mirrors; a mirror
 * that only lags behind (a shorter log the other extends) is not a split view;
 * and a forked log longer than the other mirror's is caught on the next round by
 * a consistency proof.
 */
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startNginx } from '../publish/peers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { sealSite } from '../../src/seal/seal-site.js';
import type { OutputFiles } from '../../src/site/output.js';
import { createSiteVerifier, createWatcher, type WatchEvent } from '../../src/watch/index.js';
import { createManualClock } from './helpers.js';
import { fixtureSigner as signer } from './site-fixture.js';

let prefix: string;
let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;
let base: string;

/** Seal a small site at `version` on top of `log`. */
function seal(version: number, headline: string, log: readonly string[]): { out: OutputFiles; lines: string[] } {
  const enc = new TextEncoder();
  const out: OutputFiles = new Map([
    ['index.html', enc.encode(`<!doctype html><html lang="en"><title>Rights Watch</title><h1>${headline}</h1></html>\n`)],
  ]);
  const result = sealSite(out, {
    siteId: 'rights-watch',
    version,
    now: new Date(Date.UTC(2025, 2, 1) + version * 60_000),
    expiresInDays: 30,
    signer,
    channels: { official: [], revoked: [] },
    log,
  });
  return { out, lines: result.logLines };
}

/** Replace mirror `name`'s folder with `out`, readable by nginx's worker. */
async function publish(name: string, out: OutputFiles): Promise<void> {
  const dir = join(prefix, 'www', name);
  await rm(dir, { recursive: true, force: true });
  for (const [path, data] of out) {
    const abs = join(dir, ...path.split('/'));
    await mkdir(dirname(abs), { recursive: true, mode: 0o755 });
    await writeFile(abs, data, { mode: 0o644 });
  }
  const open = async (d: string) => {
    await chmod(d, 0o755);
    for (const e of await readdir(d, { withFileTypes: true })) if (e.isDirectory()) await open(join(d, e.name));
  };
  await open(join(prefix, 'www'));
}

beforeAll(async () => {
  prefix = await mkdtemp(join(tmpdir(), 'stele-split-'));
  await chmod(prefix, 0o755);
  for (const d of ['logs', 'tmp', 'www/a', 'www/b']) await mkdir(join(prefix, d), { recursive: true });
  await writeFile(join(prefix, 'www/index.html'), 'mirrors\n');
  nginx = await startNginx(prefix, join(prefix, 'www'), { types: 'text/html html; application/json json;' });
  base = nginx.url;
}, 30_000);

afterAll(async () => {
  await nginx?.stop();
  if (prefix) await rm(prefix, { recursive: true, force: true });
});

describe('stele watch over two nginx mirrors', () => {
  it('an untouched mirror and a lagging one pass; a stolen key publishing another version to one mirror is a SPLIT VIEW', async () => {
    const v1 = seal(1, 'Reports 2024', []);
    const v2 = seal(2, 'Reports 2025', v1.lines);
    const a = `${base}a/`;
    const b = `${base}b/`;
    const clock = createManualClock('2025-03-02T00:00:00.000Z');
    const events: WatchEvent[] = [];
    const watcher = createWatcher({
      mirrors: [a, b],
      verify: createSiteVerifier({ trustStoreDir: false }),
      publicKey: signer.publicKeyFile,
      statePath: join(prefix, 'state/watch.json'),
      now: clock.now,
      sleep: clock.sleep,
      onEvent: (e) => events.push(e),
    });
    const checks = (round: WatchEvent[]) => round.filter((e) => e.type === 'check').map((e) => (e.type === 'check' ? e.status : ''));

    // Mirror a at version 2, mirror b lagging at version 1: one history, nothing to report.
    await publish('a', v2.out);
    await publish('b', v1.out);
    expect(checks(await watcher.checkOnce())).toEqual(['genuine', 'genuine']);
    clock.advance(300_000);
    expect(checks(await watcher.checkOnce())).toEqual(['genuine', 'genuine']);

    // `stele log URL` prints mirror a's history from the web, checked against the pinned key.
    const keyFile = join(prefix, 'stele.pub');
    await writeFile(keyFile, signer.publicKeyFile);
    const printed: string[] = [];
    expect(await runCli(['log', a, '--key', keyFile], { stdout: (t) => printed.push(t), stderr: (t) => printed.push(t), isTTY: false })).toBe(0);
    expect(printed.join('').trimEnd().split('\n').slice(1).map((l) => l.split('  ')[0])).toEqual(['version 1', 'version 2']);

    // The thief signs another version 2 on top of version 1 and serves it from mirror b only.
    const planted = seal(2, 'Planted statement', v1.lines);
    await publish('b', planted.out);
    clock.advance(300_000);
    const round = await watcher.checkOnce();
    const opened = round.filter((e) => e.type === 'incident-opened');
    expect(opened.map((e) => (e.type === 'incident-opened' ? e.payload.mirror : ''))).toEqual([a, b]);
    for (const e of opened) {
      if (e.type !== 'incident-opened') continue;
      expect(e.payload.kinds).toContain('split-view');
      expect(e.payload.summary).toContain("your signing key may be in someone else's hands");
      expect(e.payload.summary).toContain(a);
      expect(e.payload.summary).toContain(b);
    }

    // A forked log longer than the other mirror's: a fresh watcher proves on its next
    // round that b's log of 3 versions does not extend a's head of 2 (consistency proof).
    const planted3 = seal(3, 'Planted again', planted.lines);
    await publish('b', planted3.out);
    const fresh = createWatcher({
      mirrors: [a, b],
      verify: createSiteVerifier({ trustStoreDir: false }),
      publicKey: signer.publicKeyFile,
      statePath: join(prefix, 'state/fresh.json'),
      now: clock.now,
      sleep: clock.sleep,
    });
    await fresh.checkOnce();
    clock.advance(300_000);
    const next = await fresh.checkOnce();
    const bOpened = next.find((e) => e.type === 'incident-opened' && e.payload.mirror === b);
    expect(bOpened?.type === 'incident-opened' && bOpened.payload.kinds).toContain('split-view');
    expect(bOpened?.type === 'incident-opened' && bOpened.payload.summary).toContain(`shown by ${a}`);
    expect(bOpened?.type === 'incident-opened' && bOpened.payload.summary).toContain("your signing key may be in someone else's hands");
  }, 60_000);
});
