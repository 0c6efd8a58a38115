/**
 * Scenario on a real nginx-served mirror, watched with the real `verifySite`,
 * the injected clock and the real alert command: 3 days before the mirror's
 * seal expires, watch alerts once in plain words naming the mirror and the
 * date; neither the next round nor a restart repeats it; a new seal with a
 * later expiry re-arms it; and a seal that has expired is an incident, not a
 * warning. The same for the timestamp of a site with a timestamp key: warned
 * about 3 days before it expires, and re-armed by `stele refresh`.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFileSystem } from '../../src/io/host.js';
import { refreshSiteTimestamp } from '../../src/publish/refresh-timestamp.js';
import { sealSite } from '../../src/seal/seal-site.js';
import { createSignerFromSeed } from '../../src/seal/signer.js';
import type { OutputFiles } from '../../src/site/output.js';
import {
  type AlertPayload,
  createShellCommandRunner,
  createSiteVerifier,
  createWatcher,
  formatWatchEvent,
  type WatchEvent,
} from '../../src/watch/index.js';
import { startNginx } from '../publish/peers.js';
import { createManualClock } from './helpers.js';
import { fixtureSigner as signer, writeOutputFiles } from './site-fixture.js';

let prefix: string;
let root: string;
let nginx: { url: string; stop(): Promise<void> } | undefined;

/** Seal a small site at `version`, sealed at `sealed` for 30 days, on top of `log`. */
function seal(version: number, sealed: string, log: readonly string[]): { out: OutputFiles; lines: string[] } {
  const out: OutputFiles = new Map([
    ['index.html', new TextEncoder().encode(`<!doctype html><html lang="en"><title>Rights Watch</title><h1>Report ${version}</h1></html>\n`)],
  ]);
  const result = sealSite(out, {
    siteId: 'rights-watch',
    version,
    now: new Date(sealed),
    expiresInDays: 30,
    signer,
    channels: { official: [], revoked: [] },
    log,
  });
  return { out, lines: result.logLines };
}

async function publish(out: OutputFiles): Promise<void> {
  await rm(root, { recursive: true, force: true });
  await writeOutputFiles(root, out);
}

beforeAll(async () => {
  prefix = await mkdtemp(join(tmpdir(), 'stele-expiry-'));
  root = join(prefix, 'www');
  nginx = await startNginx(prefix, root);
}, 30_000);

afterAll(async () => {
  await nginx?.stop();
  if (prefix) await rm(prefix, { recursive: true, force: true });
});

/** A watch of the nginx mirror with its own state file and alert folder, on an injected clock. */
async function setupWatch(name: string, start: string) {
  const alertsDir = join(prefix, `alerts-${name}`);
  await mkdir(alertsDir, { recursive: true });
  const script = join(prefix, 'alert.sh');
  await writeFile(
    script,
    '#!/bin/sh\nn=$(ls "$ALERTS" | grep -c json)\ncat > "$ALERTS/$n-$STELE_EVENT.json"\nprintf "%s %s %s\\n" "$STELE_CATEGORY" "$STELE_EXPIRING" "$STELE_EXPIRES" > "$ALERTS/$n.env"\n',
    { mode: 0o755 },
  );
  const clock = createManualClock(start);
  const setClock = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());
  const statePath = join(prefix, 'state', `${name}.json`);
  const mirror = nginx?.url ?? '';
  const make = () =>
    createWatcher({
      mirrors: [mirror],
      verify: createSiteVerifier({ trustStoreDir: false }),
      publicKey: signer.publicKeyFile,
      statePath,
      now: clock.now,
      sleep: clock.sleep,
      alertCommand: `"${script}"`,
      runCommand: createShellCommandRunner({ baseEnv: { ...process.env, ALERTS: alertsDir } }),
    });
  const sent = async (): Promise<{ payload: AlertPayload; env: string }[]> => {
    const names = (await readdir(alertsDir)).filter((n) => n.endsWith('.json'));
    names.sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
    return Promise.all(
      names.map(async (n) => ({
        payload: JSON.parse(await readFile(join(alertsDir, n), 'utf8')),
        env: (await readFile(join(alertsDir, `${Number.parseInt(n, 10)}.env`), 'utf8')).trim(),
      })),
    );
  };
  const types = (events: WatchEvent[]) => events.map((e) => e.type);
  return { clock, setClock, statePath, mirror, make, sent, types };
}

describe('stele watch warns before a mirror’s seal or timestamp expires', () => {
  it('alerts once 3 days before the seal expires, not again after a restart, again for a new seal, and never for an expired one', async () => {
    const { clock, setClock, statePath, mirror, make, sent, types } = await setupWatch('seal', '2025-03-02T00:00:00.000Z');

    // Version 1, sealed on 1 March for 30 days: it expires on 31 March at 00:00 UTC.
    const v1 = seal(1, '2025-03-01T00:00:00.000Z', []);
    await publish(v1.out);
    const watcher = make();
    expect(await watcher.checkOnce()).toMatchObject([{ type: 'check', status: 'genuine', manifestVersion: 1 }]);

    // 3 days and 1 hour before: nothing yet.
    setClock('2025-03-27T23:00:00.000Z');
    expect(types(await watcher.checkOnce())).toEqual(['check']);

    // 2 days 23 hours before: one alert, through the alert command, in plain words.
    setClock('2025-03-28T01:00:00.000Z');
    const warned = await watcher.checkOnce();
    expect(types(warned)).toEqual(['check', 'expiring-soon', 'alert-delivered']);
    let alerts = await sent();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].payload).toMatchObject({
      event: 'expiring-soon',
      mirror,
      category: 'expiring',
      expiring: { what: 'seal', expires: '2025-03-31T00:00:00.000Z' },
      manifest: { version: 1 },
    });
    expect(alerts[0].payload.summary).toBe(
      `The seal of ${mirror} expires on 31 March 2025 at 00:00 UTC (in 2d 23h). After that, readers who check this copy will be told it is NOT GENUINE (expired). Build and publish the site again before then (stele build, then stele publish) so it carries a new seal.`,
    );
    expect(alerts[0].env).toBe('expiring seal 2025-03-31T00:00:00.000Z');
    expect(formatWatchEvent(warned[1])).toContain(`The seal of ${mirror} expires on 31 March 2025`);

    // The next round and a restart (state read back from disk) do not repeat it.
    clock.advance(300_000);
    expect(types(await watcher.checkOnce())).toEqual(['check']);
    clock.advance(300_000);
    expect(types(await make().checkOnce())).toEqual(['check']);
    expect(await sent()).toHaveLength(1);
    expect(JSON.parse(await readFile(statePath, 'utf8')).mirrors[mirror].expiryWarned).toEqual({ seal: '2025-03-31T00:00:00.000Z' });

    // A new seal (version 2, sealed on 28 March, expires 27 April) re-arms the warning.
    const v2 = seal(2, '2025-03-28T00:00:00.000Z', v1.lines);
    await publish(v2.out);
    clock.advance(300_000);
    const restarted = make();
    expect(await restarted.checkOnce()).toMatchObject([{ type: 'check', status: 'genuine', manifestVersion: 2 }]);
    setClock('2025-04-25T00:00:00.000Z');
    expect(types(await restarted.checkOnce())).toEqual(['check', 'expiring-soon', 'alert-delivered']);
    alerts = await sent();
    expect(alerts).toHaveLength(2);
    expect(alerts[1].payload.summary).toContain(`The seal of ${mirror} expires on 27 April 2025 at 00:00 UTC (in 2d)`);
    expect(alerts[1].payload.incidentId).not.toBe(alerts[0].payload.incidentId);
    clock.advance(300_000);
    expect(types(await make().checkOnce())).toEqual(['check']);

    // Once the seal has expired it is an incident (NOT GENUINE, expired), not another warning.
    setClock('2025-04-27T00:05:00.000Z');
    const expired = await make().checkOnce();
    expect(types(expired)).toEqual(['check', 'incident-opened', 'alert-delivered']);
    alerts = await sent();
    expect(alerts).toHaveLength(3);
    expect(alerts[2].payload).toMatchObject({ event: 'incident-opened', kinds: ['expired'] });
  }, 60_000);

  it('alerts once 3 days before the timestamp expires; stele refresh re-arms it', async () => {
    const { setClock, mirror, make, sent, types } = await setupWatch('timestamp', '2025-03-02T00:00:00.000Z');
    // A site with a timestamp key: a manifest for a year, a timestamp for 7 days (to 8 March).
    const timestampSigner = createSignerFromSeed(new Uint8Array(32).fill(11));
    const out: OutputFiles = new Map([['index.html', new TextEncoder().encode('<!doctype html><html lang="en"><title>Rights Watch</title><h1>Fresh</h1></html>\n')]]);
    sealSite(out, {
      siteId: 'rights-watch',
      version: 1,
      now: new Date('2025-03-01T00:00:00.000Z'),
      expiresInDays: 365,
      signer,
      channels: { official: [], revoked: [] },
      timestamp: { signer: timestampSigner, days: 7 },
    });
    await publish(out);
    const watcher = make();
    expect(await watcher.checkOnce()).toMatchObject([{ type: 'check', status: 'genuine' }]);
    setClock('2025-03-04T23:00:00.000Z');
    expect(types(await watcher.checkOnce())).toEqual(['check']);
    setClock('2025-03-05T01:00:00.000Z');
    expect(types(await watcher.checkOnce())).toEqual(['check', 'expiring-soon', 'alert-delivered']);
    let alerts = await sent();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].payload).toMatchObject({ event: 'expiring-soon', category: 'expiring', expiring: { what: 'timestamp', expires: '2025-03-08T00:00:00.000Z' } });
    expect(alerts[0].payload.summary).toBe(
      `The timestamp of ${mirror} expires on 8 March 2025 at 00:00 UTC (in 2d 23h). After that, readers who check this copy will be told it is STALE (possible freeze). Run stele refresh and publish before then; if a cron job should do it, check that it still runs.`,
    );
    expect(alerts[0].env).toBe('expiring timestamp 2025-03-08T00:00:00.000Z');
    expect(types(await make().checkOnce())).toEqual(['check']);

    // `stele refresh` (the library call behind it) re-signs the served folder's timestamp until 12 March.
    const refreshed = await refreshSiteTimestamp({
      dir: root,
      fs: createNodeFileSystem(),
      publicKey: signer.publicKeyFile,
      signer: timestampSigner,
      now: new Date('2025-03-05T02:00:00.000Z'),
      days: 7,
    });
    expect(refreshed.ok).toBe(true);
    setClock('2025-03-05T03:00:00.000Z');
    expect(types(await make().checkOnce())).toEqual(['check']);
    setClock('2025-03-09T03:00:00.000Z');
    expect(types(await make().checkOnce())).toEqual(['check', 'expiring-soon', 'alert-delivered']);
    alerts = await sent();
    expect(alerts).toHaveLength(2);
    expect(alerts[1].payload.summary).toContain(`The timestamp of ${mirror} expires on 12 March 2025 at 02:00 UTC (in 2d 23h)`);
  }, 60_000);
});
