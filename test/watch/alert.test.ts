import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createShellCommandRunner,
  createWatcher,
  postWebhook,
  runAlertCommand,
  type WatchEvent,
} from '../../src/watch/index.js';
import type { AlertPayload } from '../../src/watch/types.js';
import { createManualClock, createScriptedVerify, DEFACEMENT } from './helpers.js';

const A = 'https://example.org/';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Server[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function startServer(
  handler: (req: Received, res: ServerResponse, count: number) => void,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(r);
      handler(r, res, received.length);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received };
}

function samplePayload(): AlertPayload {
  return {
    schema: 'stele-watch-alert/1',
    event: 'incident-opened',
    mirror: A,
    incidentId: 'inc-20250301T120000Z-deadbeef',
    category: 'tampered',
    at: '2025-03-01T12:00:00.000Z',
    firstSeen: '2025-03-01T12:00:00.000Z',
    summary: 'defaced',
    kinds: ['modified'],
    files: { modified: ['index.html'] },
    problems: [{ kind: 'modified', path: 'index.html', message: 'hash differs' }],
  };
}

describe('webhook', () => {
  it('POSTs the incident payload to a real HTTP server', async () => {
    const hook = await startServer((_r, res) => res.writeHead(204).end());
    const clock = createManualClock();
    const verify = createScriptedVerify();
    verify.tampered(A, DEFACEMENT);
    const watcher = createWatcher({
      mirrors: [A],
      verify: verify.verify,
      now: clock.now,
      sleep: clock.sleep,
      webhookUrl: `${hook.url}/hooks/stele`,
    });
    const events = await watcher.checkOnce();
    expect(events.map((e) => e.type)).toEqual(['check', 'incident-opened', 'alert-delivered']);
    expect(hook.received).toHaveLength(1);
    const [req] = hook.received;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hooks/stele');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-stele-event']).toBe('incident-opened');
    const body = JSON.parse(req.body) as AlertPayload;
    const opened = events[1] as Extract<WatchEvent, { type: 'incident-opened' }>;
    expect(body).toEqual(opened.payload);
    expect(body.mirror).toBe(A);
    expect(body.files).toEqual({ modified: ['index.html'], missing: ['about/index.html'], added: ['evil.js'] });

    // Same incident at the next round: no second POST.
    clock.advance(60_000);
    await watcher.checkOnce();
    expect(hook.received).toHaveLength(1);
  });

  it('retries 5xx with exponential backoff, then succeeds', async () => {
    const hook = await startServer((_r, res, n) => res.writeHead(n < 3 ? 503 : 200).end('ok'));
    const delays: number[] = [];
    const result = await postWebhook(hook.url, samplePayload(), {
      fetch: globalThis.fetch,
      sleep: async (ms) => {
        delays.push(ms);
      },
      backoffMs: 100,
    });
    expect(result).toEqual({ ok: true });
    expect(hook.received).toHaveLength(3);
    expect(delays).toEqual([100, 200]);
  });

  it('gives up after the retries and reports the last status', async () => {
    const hook = await startServer((_r, res) => res.writeHead(500).end());
    const result = await postWebhook(hook.url, samplePayload(), {
      fetch: globalThis.fetch,
      sleep: async () => {},
      retries: 2,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toBe('HTTP 500 (3 attempts)');
    expect(hook.received).toHaveLength(3);
  });

  it('does not follow redirects and does not retry 4xx', async () => {
    const target = await startServer((_r, res) => res.writeHead(200).end());
    const redirecting = await startServer((_r, res) => res.writeHead(302, { location: `${target.url}/x` }).end());
    const result = await postWebhook(redirecting.url, samplePayload(), { fetch: globalThis.fetch, sleep: async () => {} });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/redirect/);
    expect(redirecting.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);

    const forbidden = await startServer((_r, res) => res.writeHead(403).end());
    const r403 = await postWebhook(forbidden.url, samplePayload(), { fetch: globalThis.fetch, sleep: async () => {} });
    expect(r403.ok).toBe(false);
    expect(forbidden.received).toHaveLength(1);
  });

  it('reports a connection failure', async () => {
    const closed = await startServer((_r, res) => res.end());
    const url = closed.url;
    await new Promise((r) => servers.pop()?.close(r));
    const result = await postWebhook(url, samplePayload(), { fetch: globalThis.fetch, sleep: async () => {}, retries: 1 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/ECONNREFUSED/);
  });
});

describe('alert command', () => {
  it('receives the payload on stdin and STELE_* variables, once per incident, then the healed summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stele-watch-alert-'));
    dirs.push(dir);
    const script = join(dir, 'alert.sh');
    await writeFile(
      script,
      [
        '#!/bin/sh',
        'n=$(ls "$OUT" | grep -c payload)',
        'cat > "$OUT/payload-$n.json"',
        'printf "%s|%s|%s|%s\\n" "$STELE_EVENT" "$STELE_MIRROR" "$STELE_INCIDENT_ID" "$STELE_KINDS" > "$OUT/env-$n.txt"',
        'printf "%s\\n" "$STELE_FILES" > "$OUT/files-$n.txt"',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const out = join(dir, 'out');
    await mkdir(out);
    const clock = createManualClock();
    const verify = createScriptedVerify();
    const watcher = createWatcher({
      mirrors: [A],
      verify: verify.verify,
      now: clock.now,
      sleep: clock.sleep,
      alertCommand: `"${script}"`,
      runCommand: createShellCommandRunner({ baseEnv: { ...process.env, OUT: out } }),
    });
    verify.tampered(A, DEFACEMENT);
    const first = await watcher.checkOnce();
    const id = (first[1] as Extract<WatchEvent, { type: 'incident-opened' }>).incidentId;
    clock.advance(60_000);
    await watcher.checkOnce();
    verify.genuine(A);
    clock.advance(60_000);
    await watcher.checkOnce();

    const files = (await readdir(out)).sort();
    expect(files).toEqual(['env-0.txt', 'env-1.txt', 'files-0.txt', 'files-1.txt', 'payload-0.json', 'payload-1.json']);
    const payload = JSON.parse(await readFile(join(out, 'payload-0.json'), 'utf8')) as AlertPayload;
    expect(payload).toMatchObject({ event: 'incident-opened', mirror: A, incidentId: id, category: 'tampered' });
    expect(payload.files.added).toEqual(['evil.js']);
    expect(await readFile(join(out, 'env-0.txt'), 'utf8')).toBe(`incident-opened|${A}|${id}|modified,missing,added\n`);
    expect(await readFile(join(out, 'files-0.txt'), 'utf8')).toBe(
      'modified\tindex.html\nmissing\tabout/index.html\nadded\tevil.js\n',
    );
    const healed = JSON.parse(await readFile(join(out, 'payload-1.json'), 'utf8')) as AlertPayload;
    expect(healed).toMatchObject({ event: 'incident-healed', incidentId: id, durationMs: 120_000 });
    expect(healed.summary).toContain('genuine again after 2m');
  });

  it('a failing command is reported with its exit code and stderr', async () => {
    const result = await runAlertCommand(createShellCommandRunner(), 'echo "smtp refused" >&2; exit 4', samplePayload());
    expect(result).toEqual({ ok: false, message: 'exit code 4: smtp refused' });
  });

  it('a command that outlives its timeout is killed, even one that ignores SIGTERM', async () => {
    const result = await runAlertCommand(createShellCommandRunner({ timeoutMs: 300 }), 'trap "" TERM; while :; do :; done', samplePayload());
    expect(result).toEqual({ ok: false, message: expect.stringContaining('timed out after 300 ms') });
  });

  it('goes through the process port: /bin/sh -c with the payload on stdin and STELE_* variables', async () => {
    const calls: { command: string; args: readonly string[]; input?: unknown; env?: Record<string, string | undefined> }[] = [];
    const runner = {
      run: async (command: string, args: readonly string[], options: { input?: unknown; env?: Record<string, string | undefined> } = {}) => {
        calls.push({ command, args, input: options.input, env: options.env });
        return { code: 0, signal: null, stdout: '', stderr: '' };
      },
    };
    expect(await runAlertCommand(createShellCommandRunner({ runner, baseEnv: {} }), 'notify-team', samplePayload())).toEqual({ ok: true });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.command).toBe('/bin/sh');
    expect(calls[0]!.args).toEqual(['-c', 'notify-team']);
    expect(JSON.parse(String(calls[0]!.input))).toMatchObject({ event: samplePayload().event });
    expect(Object.keys(calls[0]!.env ?? {}).some((k) => k.startsWith('STELE_'))).toBe(true);
  });

  it('a command that ignores stdin still succeeds', async () => {
    const result = await runAlertCommand(createShellCommandRunner(), 'true', samplePayload());
    expect(result).toEqual({ ok: true });
  });
});
