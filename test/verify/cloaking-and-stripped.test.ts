/**
 * Two mirrors started by the test on 127.0.0.1 that try to pass the checker
 * while readers get something else (issue 12, items 3 and 5):
 * - a cloaking mirror serves the genuine page to anything that does not look
 *   like a browser (or that announces stele) and a defaced one to browsers;
 * - a stripped mirror serves the pages but not `.well-known/stele/`.
 * The verifier fetches as a browser does, so the first is caught; for a pinned
 * site the second is NOT GENUINE (`unsigned`), and watch alerts at once.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { createNodeHost } from '../../src/io/host.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { cleanupTempDirs, makeTempDir, NOW, SIGNER, sealFixture, writeOutput } from './fixture.js';
import { listenOnLoopback } from '../helpers/loopback-server.js';

interface Mirror {
  url: string;
  /** Headers of every request, in order. */
  seen: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** Serve a sealed copy; `answer` may replace the bytes of a path for a given request. */
async function startMirror(files: Map<string, Uint8Array>, answer: (path: string, headers: IncomingHttpHeaders) => Uint8Array | null | undefined): Promise<Mirror> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    if (path === '' || path.endsWith('/')) path += 'index.html';
    const replaced = answer(path, req.headers);
    const body = replaced === undefined ? files.get(path) : replaced;
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
      return;
    }
    res.writeHead(200).end(body);
  });
  return { ...(await listenOnLoopback(server)), seen };
}

const mirrors: Mirror[] = [];
afterAll(async () => {
  for (const m of mirrors) await m.close();
  cleanupTempDirs();
});

const DEFACED = new TextEncoder().encode('<!doctype html><title>Rights Watch</title><h1>Hacked</h1><script src="http://evil.example/x.js"></script>\n');

/** What a cloaking mirror takes for a checker: no browser User-Agent, or one naming stele, node or a library. */
function looksLikeChecker(headers: IncomingHttpHeaders): boolean {
  const ua = headers['user-agent'] ?? '';
  return !/^Mozilla\/5\.0 /.test(ua) || /stele|node|undici|curl|wget|python/i.test(ua) || !headers.accept || !headers['accept-language'];
}

describe('a mirror that serves the genuine page only to checkers', () => {
  it('is caught: the verifier fetches as a browser, never announcing itself', async () => {
    const site = sealFixture();
    const mirror = await startMirror(site, (path, headers) => (path === 'index.html' && !looksLikeChecker(headers) ? DEFACED : undefined));
    mirrors.push(mirror);
    const report = await verifySite(mirror.url, { publicKey: SIGNER.publicKeyFile, trustStoreDir: false, now: NOW });
    expect(report.status).toBe('not-genuine');
    expect(report.problems.map((p) => [p.kind, p.path])).toContainEqual(['modified', 'index.html']);
    expect(mirror.seen.length).toBeGreaterThan(3);
    for (const headers of mirror.seen) expect(looksLikeChecker(headers), JSON.stringify(headers)).toBe(false);
  });

  it('the same mirror, asked by a client that announces itself, would have passed it (the test can fail)', async () => {
    const site = sealFixture();
    const mirror = await startMirror(site, (path, headers) => (path === 'index.html' && !looksLikeChecker(headers) ? DEFACED : undefined));
    mirrors.push(mirror);
    const asChecker = await fetch(`${mirror.url}index.html`, { headers: { 'user-agent': 'stele-verify' } });
    expect(new Uint8Array(await asChecker.arrayBuffer())).toEqual(site.get('index.html'));
    const asBrowser = await fetch(`${mirror.url}index.html`, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)', accept: 'text/html', 'accept-language': 'en' } });
    expect(new Uint8Array(await asBrowser.arrayBuffer())).toEqual(DEFACED);
  });
});

/** `stele …` in process, in a fresh folder holding the site's public key as `site.pub`. */
async function runStele(argv: string[], dir: string): Promise<{ code: number; stdout: string }> {
  writeFileSync(join(dir, 'site.pub'), SIGNER.publicKeyFile);
  let stdout = '';
  const code = await runCli(argv, {
    cwd: dir,
    host: createNodeHost({ quiet: true, now: () => NOW }),
    isTTY: false,
    stdout: (t) => {
      stdout += t;
    },
    stderr: () => {},
  });
  return { code, stdout };
}

describe('a copy of a pinned site with its signature stripped', () => {
  const stripped = (path: string) => (path.startsWith('.well-known/stele/') ? null : undefined);

  it('over HTTP: NOT GENUINE (unsigned) with a pinned key; "could not check" without one', async () => {
    const mirror = await startMirror(sealFixture(), stripped);
    mirrors.push(mirror);
    const pinned = await verifySite(mirror.url, { publicKey: SIGNER.publicKeyFile, trustStoreDir: false, now: NOW });
    expect(pinned.status).toBe('not-genuine');
    expect(pinned.problems.map((p) => p.kind)).toEqual(['unsigned']);
    const unpinned = await verifySite(mirror.url, { trustStoreDir: false, now: NOW });
    expect(unpinned.status).toBe('error');
    expect(unpinned.problems.map((p) => p.kind)).toEqual(['unreachable']);
  });

  it('a manifest served without its signature is unsigned too', async () => {
    const mirror = await startMirror(sealFixture(), (path) => (path === '.well-known/stele/manifest.json.minisig' ? null : undefined));
    mirrors.push(mirror);
    const report = await verifySite(mirror.url, { publicKey: SIGNER.publicKeyFile, trustStoreDir: false, now: NOW });
    expect(report.problems.map((p) => [p.kind, p.path])).toEqual([['unsigned', '.well-known/stele/manifest.json.minisig']]);
  });

  it('a local folder: unsigned when pinned; a folder that is not there is "could not check"', async () => {
    const site = sealFixture();
    for (const path of [...site.keys()]) if (path.startsWith('.well-known/stele/')) site.delete(path);
    const dir = makeTempDir('stele-stripped-');
    writeOutput(site, dir);
    const report = await verifySite(dir, { publicKey: SIGNER.publicKeyFile, trustStoreDir: false, now: NOW });
    expect(report.problems.map((p) => p.kind)).toEqual(['unsigned']);
    const absent = await verifySite(join(dir, 'no-such-folder'), { publicKey: SIGNER.publicKeyFile, trustStoreDir: false, now: NOW });
    expect(absent.problems.map((p) => p.kind)).toEqual(['unreachable']);
  });

  it('stele verify exits 1, and stele watch --once alerts on the first round', async () => {
    const mirror = await startMirror(sealFixture(), stripped);
    mirrors.push(mirror);
    const dir = makeTempDir('stele-stripped-cli-');
    const verify = await runStele(['verify', mirror.url, '--key', 'site.pub', '--trust-store', 'off'], dir);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('NOT GENUINE');
    mkdirSync(join(dir, 'w'));
    const alerts = join(dir, 'alerts.jsonl');
    const watch = await runStele(
      ['watch', mirror.url, '--once', '--key', 'site.pub', '--trust-store', 'off', '--state', 'state.json', '--alert-command', `cat >> "${alerts}"`],
      dir,
    );
    expect(watch.code).toBe(1);
    const sent = readFileSync(alerts, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; kinds: string[] });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.kinds).toEqual(['unsigned']);
  });
});
