import { describe, expect, it } from 'vitest';
import { createMemoryFileSystem } from '../../src/io/memory-fs.js';
import { createWatcher, type WatcherOptions } from '../../src/watch/index.js';
import type { AlertPayload, WatchEvent, WatchState } from '../../src/watch/types.js';
import { createManualClock, createRecordingRunner, createScriptedVerify, DEFACEMENT } from './helpers.js';

const A = 'https://example.org/';
const B = 'https://mirror.example.net/';
const STATE = '/var/lib/stele/watch-state.json';

function setup(overrides: Partial<WatcherOptions> = {}) {
  const clock = createManualClock();
  const verify = createScriptedVerify();
  const runner = createRecordingRunner();
  const fs = createMemoryFileSystem();
  const make = (more: Partial<WatcherOptions> = {}) =>
    createWatcher({
      mirrors: [A],
      verify: verify.verify,
      now: clock.now,
      sleep: clock.sleep,
      fs,
      statePath: STATE,
      alertCommand: 'notify-team',
      runCommand: runner.runner,
      intervalMs: 60_000,
      ...overrides,
      ...more,
    });
  return { clock, verify, runner, fs, make };
}

const ofType = <T extends WatchEvent['type']>(events: WatchEvent[], type: T) =>
  events.filter((e): e is Extract<WatchEvent, { type: T }> => e.type === type);

function readState(fs: ReturnType<typeof createMemoryFileSystem>): WatchState {
  return JSON.parse(new TextDecoder().decode(fs.files.get(STATE)));
}

describe('createWatcher', () => {
  it('logs a check per mirror and raises nothing while genuine', async () => {
    const { verify, runner, make } = setup();
    verify.genuine(A, 4);
    const events = await make().checkOnce();
    expect(events.map((e) => e.type)).toEqual(['check']);
    expect(events[0]).toMatchObject({ type: 'check', mirror: A, status: 'genuine', manifestVersion: 4 });
    expect(runner.runs).toHaveLength(0);
  });

  it('alerts once per incident with the files by kind, not on every check', async () => {
    const { clock, verify, runner, make } = setup();
    const watcher = make();
    verify.genuine(A);
    await watcher.checkOnce();
    verify.tampered(A, DEFACEMENT);
    clock.advance(60_000);
    const first = await watcher.checkOnce();
    const opened = ofType(first, 'incident-opened');
    expect(opened).toHaveLength(1);
    expect(opened[0].payload.category).toBe('tampered');
    expect(opened[0].payload.files).toEqual({
      modified: ['index.html'],
      missing: ['about/index.html'],
      added: ['evil.js'],
    });
    expect(opened[0].payload.kinds).toEqual(['modified', 'missing', 'added']);
    expect(opened[0].payload.summary).toContain('index.html');
    expect(ofType(first, 'alert-delivered')).toHaveLength(1);

    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      const again = await watcher.checkOnce();
      expect(again.map((e) => e.type)).toEqual(['check']);
      expect(again[0]).toMatchObject({ status: 'not-genuine', incidentId: opened[0].incidentId });
    }
    expect(runner.runs).toHaveLength(1);
    const sent: AlertPayload = runner.payloads()[0];
    expect(sent.event).toBe('incident-opened');
    expect(sent.incidentId).toBe(opened[0].incidentId);
    expect(runner.runs[0].env.STELE_MIRROR).toBe(A);
    expect(runner.runs[0].env.STELE_FILES_ADDED).toBe('evil.js');
  });

  it('does not re-alert an open incident after a restart, and heals with a summary', async () => {
    const { clock, verify, runner, fs, make } = setup();
    verify.tampered(A, DEFACEMENT);
    const before = await make().checkOnce();
    const id = ofType(before, 'incident-opened')[0].incidentId;
    expect(readState(fs).mirrors[A].incident?.id).toBe(id);

    // New process: state comes back from disk.
    clock.advance(5 * 60_000);
    const restarted = make();
    const after = await restarted.checkOnce();
    expect(after.map((e) => e.type)).toEqual(['check']);
    expect(runner.runs).toHaveLength(1);

    clock.advance(7 * 60_000);
    verify.genuine(A, 1);
    const healedEvents = await restarted.checkOnce();
    const healed = ofType(healedEvents, 'incident-healed');
    expect(healed).toHaveLength(1);
    expect(healed[0].incidentId).toBe(id);
    expect(healed[0].payload.durationMs).toBe(12 * 60_000);
    expect(healed[0].payload.files.modified).toEqual(['index.html']);
    expect(healed[0].payload.summary).toMatch(/genuine again after 12m/);
    expect(runner.runs).toHaveLength(2);
    expect(runner.runs[1].env.STELE_EVENT).toBe('incident-healed');
    expect(runner.runs[1].env.STELE_DURATION_MS).toBe(String(12 * 60_000));
    expect(readState(fs).mirrors[A].incident).toBeUndefined();

    // A new defacement afterwards is a new incident with a new id.
    clock.advance(60_000);
    verify.tampered(A, [DEFACEMENT[0]]);
    const next = ofType(await restarted.checkOnce(), 'incident-opened');
    expect(next).toHaveLength(1);
    expect(next[0].incidentId).not.toBe(id);
  });

  it('reports unreachable separately from tampered, only after N consecutive errors', async () => {
    const { clock, verify, runner, make } = setup({ errorThreshold: 3, mirrors: [A, B] });
    const watcher = make();
    verify.unreachable(A);
    verify.tampered(B, [DEFACEMENT[0]]);
    const r1 = await watcher.checkOnce();
    expect(ofType(r1, 'incident-opened').map((e) => [e.mirror, e.payload.category])).toEqual([[B, 'tampered']]);
    expect(ofType(r1, 'check').find((e) => e.mirror === A)).toMatchObject({ status: 'error', consecutiveErrors: 1 });

    clock.advance(60_000);
    expect(ofType(await watcher.checkOnce(), 'incident-opened')).toHaveLength(0);
    clock.advance(60_000);
    const r3 = ofType(await watcher.checkOnce(), 'incident-opened');
    expect(r3).toHaveLength(1);
    expect(r3[0].mirror).toBe(A);
    expect(r3[0].payload.category).toBe('unreachable');
    expect(r3[0].payload.kinds).toEqual(['unreachable']);
    // The incident started at the first failed check, not the third.
    expect(r3[0].payload.firstSeen).toBe('2025-03-01T12:00:00.000Z');
    expect(runner.runs.map((r) => r.env.STELE_CATEGORY)).toEqual(['tampered', 'unreachable']);
  });

  it('a single error after genuine checks resets and raises nothing', async () => {
    const { clock, verify, make } = setup();
    const watcher = make();
    verify.unreachable(A);
    await watcher.checkOnce();
    verify.genuine(A);
    clock.advance(60_000);
    await watcher.checkOnce();
    verify.unreachable(A);
    clock.advance(60_000);
    const events = await watcher.checkOnce();
    expect(events.map((e) => e.type)).toEqual(['check']);
    expect(events[0]).toMatchObject({ consecutiveErrors: 1 });
  });

  it('persists the highest manifest version and feeds it to verify after a restart', async () => {
    const { clock, verify, fs, make } = setup();
    verify.genuine(A, 7);
    await make().checkOnce();
    expect(readState(fs).mirrors[A].highestVersion).toBe(7);
    expect(verify.calls[0].options.highestVersion).toBeUndefined();

    // An older (rollback) manifest does not lower it; a badly signed one cannot raise it.
    verify.set(A, {
      source: A,
      status: 'not-genuine',
      manifest: { siteId: 'x', version: 99, buildTime: '', expires: '', keyId: 'BAD', fileCount: 1 },
      problems: [{ kind: 'bad-signature', message: 'signature does not verify' }],
      checkedFiles: 0,
    });
    clock.advance(60_000);
    const restarted = make();
    await restarted.checkOnce();
    expect(verify.calls[1].options.highestVersion).toBe(7);
    expect(readState(fs).mirrors[A].highestVersion).toBe(7);

    verify.genuine(A, 8);
    clock.advance(60_000);
    await restarted.checkOnce();
    expect(readState(fs).mirrors[A].highestVersion).toBe(8);
    clock.advance(60_000);
    await make().checkOnce();
    expect(verify.calls[3].options.highestVersion).toBe(8);
    expect(verify.calls[3].options.now.toISOString()).toBe('2025-03-01T12:03:00.000Z');
  });

  it('an update alerts on any change by default', async () => {
    const { clock, verify, runner, make } = setup();
    const watcher = make();
    verify.tampered(A, DEFACEMENT);
    await watcher.checkOnce();
    verify.tampered(A, DEFACEMENT.slice(0, 2));
    clock.advance(60_000);
    const updated = ofType(await watcher.checkOnce(), 'incident-updated');
    expect(updated).toHaveLength(1);
    expect(updated[0].alert).toBe(true);
    expect(updated[0].payload.resolved?.map((p) => p.path)).toEqual(['about/index.html']);
    expect(updated[0].payload.appeared).toEqual([]);
    expect(runner.runs.map((r) => r.env.STELE_EVENT)).toEqual(['incident-opened', 'incident-updated']);
  });

  it('with the growth policy, alerts again only when a new problem appears', async () => {
    const { clock, verify, runner, make } = setup({ updatePolicy: 'growth' });
    const watcher = make();
    verify.tampered(A, DEFACEMENT.slice(0, 2));
    await watcher.checkOnce();

    verify.tampered(A, DEFACEMENT.slice(0, 1)); // shrinks
    clock.advance(60_000);
    const shrink = ofType(await watcher.checkOnce(), 'incident-updated');
    expect(shrink).toHaveLength(1);
    expect(shrink[0].alert).toBe(false);

    verify.tampered(A, DEFACEMENT.slice(0, 2)); // back to a problem already seen: no growth
    clock.advance(60_000);
    expect(ofType(await watcher.checkOnce(), 'incident-updated')[0].alert).toBe(false);

    verify.tampered(A, DEFACEMENT); // a new missing file: grows
    clock.advance(60_000);
    const grow = ofType(await watcher.checkOnce(), 'incident-updated');
    expect(grow[0].alert).toBe(true);
    expect(grow[0].payload.appeared?.map((p) => `${p.kind}:${p.path}`)).toEqual(['missing:about/index.html']);
    expect(runner.runs.map((r) => r.env.STELE_EVENT)).toEqual(['incident-opened', 'incident-updated']);
  });

  it('retries an undelivered alert at the next round and survives a restart meanwhile', async () => {
    const { clock, verify, runner, fs, make } = setup();
    runner.fail(1);
    verify.tampered(A, DEFACEMENT);
    const first = await make().checkOnce();
    const failed = ofType(first, 'alert-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ channel: 'command', willRetry: true });
    expect(failed[0].diagnostic.code).toBe('STELE5505');
    expect(failed[0].diagnostic.message).toContain('pager service down');
    expect(readState(fs).mirrors[A].pendingAlerts).toHaveLength(1);

    clock.advance(60_000);
    const second = await make().checkOnce();
    expect(ofType(second, 'alert-delivered')).toHaveLength(1);
    expect(runner.runs.map((r) => r.env.STELE_EVENT)).toEqual(['incident-opened', 'incident-opened']);
    expect(readState(fs).mirrors[A].pendingAlerts).toHaveLength(0);
  });

  it('refuses to run on a corrupt state file instead of forgetting it', async () => {
    const { verify, fs, make } = setup();
    verify.genuine(A);
    await fs.writeFile(STATE, '{"format":"stele-watch-state","version":1,"mirrors":{"x":{"highestVersion":"seven"}}}');
    const events = await make().checkOnce();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'state-error', fatal: true });
    expect(events[0].type === 'state-error' && events[0].diagnostic.code).toBe('STELE5503');
    expect(verify.calls).toHaveLength(0);
  });

  it('writes state atomically (no temporary file left behind)', async () => {
    const { verify, fs, make } = setup();
    verify.genuine(A, 2);
    await make().checkOnce();
    expect([...fs.files.keys()]).toEqual([STATE]);
    expect(readState(fs)).toMatchObject({ format: 'stele-watch-state', version: 1 });
  });

  it('checks mirrors concurrently within the bound', async () => {
    const clock = createManualClock();
    const mirrors = Array.from({ length: 7 }, (_, i) => `https://m${i}.example/`);
    let inFlight = 0;
    let maxInFlight = 0;
    const release: (() => void)[] = [];
    const watcher = createWatcher({
      mirrors,
      concurrency: 3,
      now: clock.now,
      sleep: clock.sleep,
      verify: async (source) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((r) => release.push(r));
        inFlight--;
        return { source, status: 'genuine', problems: [], checkedFiles: 1 };
      },
    });
    const round = watcher.checkOnce();
    while (true) {
      await new Promise((r) => setImmediate(r));
      const next = release.shift();
      if (!next) break;
      next();
    }
    const events = await round;
    expect(events.filter((e) => e.type === 'check').map((e) => e.mirror)).toEqual(mirrors);
    expect(maxInFlight).toBe(3);
  });

  it('a verify that never answers is stopped at the deadline and opens a timed-out incident at once', async () => {
    const clock = createManualClock();
    const watcher = createWatcher({
      mirrors: [A],
      checkTimeoutMs: 30_000,
      now: clock.now,
      sleep: clock.sleep,
      verify: (_source, options) =>
        new Promise((_resolve, reject) => {
          options.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    });
    const round = watcher.checkOnce();
    await new Promise((r) => setImmediate(r));
    clock.advance(30_000);
    const events = await round;
    expect(events[0]).toMatchObject({ type: 'check', status: 'error' });
    expect(events[0].type === 'check' && events[0].problems).toEqual([{ kind: 'timed-out', message: expect.stringMatching(/no verdict within 30s/) }]);
    // Not after two errors in a row: a check that cannot finish in time is an incident of its own.
    expect(events[1]).toMatchObject({ type: 'incident-opened', payload: { kinds: ['timed-out'] } });
  });

  it('run() checks every interval on the injected clock and stops on abort', async () => {
    const { clock, verify, make } = setup();
    verify.genuine(A);
    const seen: WatchEvent[] = [];
    const watcher = make({ onEvent: (e) => seen.push(e) });
    const controller = new AbortController();
    const done = watcher.run(controller.signal);
    const settle = async () => {
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    };
    await settle();
    expect(verify.calls).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(59_000);
    await settle();
    expect(verify.calls).toHaveLength(1);
    clock.advance(1_000);
    await settle();
    expect(verify.calls).toHaveLength(2);
    controller.abort();
    await done;
    expect(seen.filter((e) => e.type === 'check')).toHaveLength(2);
    expect(clock.sleeps.filter((ms) => ms === 60_000)).toHaveLength(2);
  });
});
