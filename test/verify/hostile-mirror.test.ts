/**
 * A hostile mirror, started by the test on 127.0.0.1: it serves manifests listing
 * many files whose requests never answer. One whose signature does not verify gets
 * its verdict at once with no listed file requested; a validly signed one cannot
 * hold the verdict back past the check's deadline (`timed-out`), and `stele watch
 * --once` alerts on both.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { createNodeHost } from '../../src/io/host.js';
import { sealSite } from '../../src/seal/seal-site.js';
import { parseManifest, serializeManifest } from '../../src/trust/manifest.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../../src/trust/paths.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { CHANNELS, cleanupTempDirs, createFixtureOutput, makeTempDir, NOW, OTHER_SIGNER, SIGNER, sealFixture } from './fixture.js';
import { listenOnLoopback } from '../helpers/loopback-server.js';

interface HostileServer {
  url: string;
  /** Request paths seen, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serve `files` (site-relative paths); anything else gets `fallback`, which may never answer. */
async function startHostile(
  files: Map<string, Uint8Array>,
  fallback: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<HostileServer> {
  const requests: string[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    requests.push(path);
    const body = files.get(path);
    if (body) {
      res.writeHead(200).end(body);
      return;
    }
    open.add(res);
    res.on('close', () => open.delete(res));
    fallback(req, res);
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    requests,
    close: async () => {
      for (const res of open) res.destroy();
      await listening.close();
    },
  };
}

const servers: HostileServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
  cleanupTempDirs();
});

/** Listed files never answer (the request stays open until the server closes); stele's own files 404. */
const never = (req: IncomingMessage, res: ServerResponse): void => {
  if (req.url?.startsWith('/.well-known/stele/')) res.writeHead(404).end();
};

/** A manifest listing `count` extra files, signed by another key (`resign`) or with the genuine signature left over. */
function forgeManifest(count: number, resign: boolean): Map<string, Uint8Array> {
  const site = sealFixture();
  const parsed = parseManifest(new TextDecoder().decode(site.get(MANIFEST_PATH)));
  if (!parsed.ok) throw new Error(parsed.reason);
  const files = [...parsed.manifest.files];
  for (let i = 0; i < count; i++) files.push({ path: `trap/${String(i).padStart(6, '0')}.html`, size: 10, sha256: '0'.repeat(64) });
  const manifest = { ...parsed.manifest, files };
  const bytes = new TextEncoder().encode(serializeManifest(manifest));
  const out = new Map(site);
  out.set(MANIFEST_PATH, bytes);
  if (resign) {
    // Signed by another key, in the exact form stele writes.
    const sig = OTHER_SIGNER.sign(bytes, `stele site=${manifest.siteId} version=${manifest.version} expires=${manifest.expires} keyid=${OTHER_SIGNER.keyId}`, `stele manifest for ${manifest.siteId}`);
    out.set(MANIFEST_SIG_PATH, new TextEncoder().encode(sig));
  }
  return out;
}

/**
 * A genuine build of `count` more pages, sealed with the site's own key (release
 * log and all), of which the mirror serves everything but those pages: their
 * requests never answer.
 */
function sealWithUnansweredPages(count: number): Map<string, Uint8Array> {
  const out = createFixtureOutput();
  for (let i = 0; i < count; i++) out.set(`trap/${String(i).padStart(6, '0')}.html`, new TextEncoder().encode(`<p>${i}</p>`));
  sealSite(out, { siteId: 'rights-watch', version: 3, now: NOW, signer: SIGNER, channels: CHANNELS });
  for (const path of [...out.keys()]) if (path.startsWith('trap/')) out.delete(path);
  return out;
}

describe('a manifest whose signature does not verify', () => {
  it.each([
    ['bad signature (genuine signature over other bytes)', false, 'bad-signature'],
    ['signed by another key', true, 'wrong-key'],
  ])('%s: verdict at once, no listed file is fetched', async (_name, resign, kind) => {
    const srv = await startHostile(forgeManifest(20_000, resign), never);
    servers.push(srv);
    const report = await verifySite(srv.url, {
      publicKey: SIGNER.publicKeyFile,
      trustStoreDir: makeTempDir('stele-trust-'),
      now: NOW,
      timeoutMs: 20_000,
    });
    expect(report.status).toBe('not-genuine');
    expect(report.problems.map((p) => p.kind)).toContain(kind);
    expect(report.checkedFiles).toBe(0);
    const fetched = srv.requests.filter((p) => !p.startsWith('.well-known/stele/'));
    expect(fetched).toEqual([]);
  }, 60_000);
});

/** `stele …` in process, in a fresh folder holding the site's public key as `site.pub`. */
async function runStele(argv: string[], dir = makeTempDir('stele-hostile-cli-')): Promise<{ code: number; stdout: string; stderr: string; dir: string }> {
  writeFileSync(join(dir, 'site.pub'), SIGNER.publicKeyFile);
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd: dir,
    host: createNodeHost({ quiet: true, now: () => NOW }),
    isTTY: false,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr, dir };
}

const watchOnce = (url: string, dir: string, extra: string[] = []) => [
  'watch',
  url,
  '--once',
  '--key',
  'site.pub',
  '--trust-store',
  'off',
  '--state',
  'state.json',
  '--alert-command',
  `cat >> "${join(dir, 'alerts.jsonl')}"`,
  ...extra,
];

function readAlerts(dir: string): { event: string; kinds: string[]; category: string }[] {
  return readFileSync(join(dir, 'alerts.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('a genuine, validly signed manifest listing files that never answer', () => {
  it('verify returns a timed-out verdict by the deadline of the whole check', async () => {
    const srv = await startHostile(sealWithUnansweredPages(5_000), never);
    servers.push(srv);
    const report = await verifySite(srv.url, {
      publicKey: SIGNER.publicKeyFile,
      trustStoreDir: false,
      now: NOW,
      timeoutMs: 600_000,
      deadlineMs: 3000,
    });
    expect(report.status).toBe('error');
    expect(report.problems.map((p) => p.kind)).toEqual(['timed-out']);
    expect(report.problems[0].message).toMatch(/^the check did not finish within 3 s/);
    // Bounded concurrency: at most the default 8 unanswered requests were ever under way.
    const traps = srv.requests.filter((p) => p.startsWith('trap/')).length;
    expect(traps).toBeLessThanOrEqual(8);
  }, 60_000);

  it('stele verify --deadline reports "could not check" with exit 2', async () => {
    const srv = await startHostile(sealWithUnansweredPages(1_000), never);
    servers.push(srv);
    const r = await runStele(['verify', srv.url, '--key', 'site.pub', '--trust-store', 'off', '--deadline', '1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('COULD NOT CHECK');
    expect(r.stdout).toMatch(/timed-out: the check did not finish within 1 s/);
  }, 60_000);

  it('stele watch --once opens a timed-out incident and alerts on the first round', async () => {
    const srv = await startHostile(sealWithUnansweredPages(1_000), never);
    servers.push(srv);
    const dir = makeTempDir('stele-hostile-watch-');
    const r = await runStele(watchOnce(srv.url, dir, ['--deadline', '1']), dir);
    expect(r.code).toBe(2);
    const alerts = readAlerts(r.dir);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ event: 'incident-opened', kinds: ['timed-out'], category: 'unreachable' });
  }, 60_000);
});

describe('a manifest with a bad signature listing files that never answer', () => {
  it('stele watch --once alerts at once, with no listed file requested', async () => {
    const srv = await startHostile(forgeManifest(20_000, false), never);
    servers.push(srv);
    const dir = makeTempDir('stele-hostile-watch-');
    const r = await runStele(watchOnce(srv.url, dir), dir);
    expect(r.code).toBe(1);
    expect(readAlerts(r.dir)).toEqual([expect.objectContaining({ event: 'incident-opened', kinds: ['bad-signature'], category: 'tampered' })]);
    expect(srv.requests.filter((p) => !p.startsWith('.well-known/stele/'))).toEqual([]);
  }, 60_000);
});
