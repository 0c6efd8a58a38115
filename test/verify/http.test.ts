import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealSite } from '../../src/seal/seal-site.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { CHANNELS, cleanupTempDirs, createFixtureOutput, makeTempDir, NOW, SIGNER, sealFixture, writeOutput, writeSealedFixture } from './fixture.js';

interface StaticServer {
  server: Server;
  url: string;
  /** Paths (like `/index.html`) answered with a redirect to this location. */
  redirects: Map<string, string>;
}

/** A tiny static server on 127.0.0.1 serving `dir` (dot-files too, like a careless host). */
async function startServer(dir: () => string): Promise<StaticServer> {
  const redirects = new Map<string, string>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const target = redirects.get(url.pathname);
    if (target) {
      res.writeHead(302, { location: target });
      res.end();
      return;
    }
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const abs = normalize(join(dir(), rel));
    if (!abs.startsWith(dir())) {
      res.writeHead(400).end();
      return;
    }
    try {
      if (statSync(abs).isDirectory()) {
        res.writeHead(301, { location: `${url.pathname}/` }).end();
        return;
      }
      res.writeHead(200).end(readFileSync(abs));
    } catch {
      res.writeHead(404).end(readFileSync(join(dir(), '404.html')));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/`, redirects };
}

let siteDir = '';
let srv: StaticServer;
beforeAll(async () => {
  srv = await startServer(() => siteDir);
});
afterAll(async () => {
  await new Promise((resolve) => srv.server.close(resolve));
  cleanupTempDirs();
});

const opts = () => ({ publicKey: SIGNER.publicKeyFile, trustStoreDir: makeTempDir('stele-trust-'), now: NOW, timeoutMs: 5000 });

describe('verify over HTTP', () => {
  it('accepts a genuine copy and reports progress', async () => {
    siteDir = writeSealedFixture();
    const progress: [number, number][] = [];
    const report = await verifySite(srv.url, { ...opts(), onProgress: (d, t) => progress.push([d, t]) });
    expect(report.problems).toEqual([]);
    expect(report.status).toBe('genuine');
    expect(report.checkedFiles).toBe(report.manifest?.fileCount);
    const last = progress.at(-1);
    expect(last?.[0]).toBe(last?.[1]);
    expect(progress.length).toBeGreaterThan(report.checkedFiles);
  });

  it('accepts a copy in a sub-folder whose pages link root-relative out of it, where the host serves other files', async () => {
    // As a 404 page links for the path the site was built for (`/`), served by a mirror under /mirror/.
    const www = makeTempDir('stele-verify-www-');
    writeOutput(sealFixture(), join(www, 'mirror'));
    writeFileSync(join(www, 'index.html'), '<!doctype html><title>The host’s own home page</title>\n');
    mkdirSync(join(www, 'css'));
    writeFileSync(join(www, 'css/site.css'), 'body{color:red}\n');
    writeFileSync(join(www, '404.html'), '<!doctype html><title>The host’s own 404 page</title>\n');
    siteDir = www;
    const report = await verifySite(`${srv.url}mirror/`, opts());
    expect(report.problems).toEqual([]);
    expect(report.status).toBe('genuine');
  });

  it('detects an injected script tag and the unsigned script it loads', async () => {
    siteDir = writeSealedFixture();
    const index = join(siteDir, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace('</body>', '<script src="/assets/x.js?v=2"></script></body>'));
    mkdirSync(join(siteDir, 'assets'));
    writeFileSync(join(siteDir, 'assets/x.js'), 'steal()');
    const report = await verifySite(srv.url, opts());
    expect(report.status).toBe('not-genuine');
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'modified', path: 'index.html' }));
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'added', path: 'assets/x.js' }));
  });

  it('detects planted files at common paths, a deleted file and a modified image', async () => {
    siteDir = writeSealedFixture();
    writeFileSync(join(siteDir, '.htaccess'), 'Redirect 302 / https://evil.example/');
    writeFileSync(join(siteDir, 'shell.php'), '<?php system($_GET["c"]);');
    writeFileSync(join(siteDir, 'reports/2010.html'), '');
    const png = readFileSync(join(siteDir, 'img/logo.png'));
    png[20] ^= 0xff;
    writeFileSync(join(siteDir, 'img/logo.png'), png);
    const report = await verifySite(srv.url, opts());
    const found = report.problems.map((p) => `${p.kind}:${p.path}`);
    expect(found).toEqual(expect.arrayContaining(['added:.htaccess', 'added:shell.php', 'modified:reports/2010.html', 'modified:img/logo.png']));
  });

  it('reports a missing file', async () => {
    siteDir = writeSealedFixture();
    writeFileSync(join(siteDir, 'about/index.html'), '');
    const { rmSync } = await import('node:fs');
    rmSync(join(siteDir, 'css/site.css'));
    const report = await verifySite(srv.url, opts());
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'missing', path: 'css/site.css' }));
  });

  it('refuses a redirect of the manifest to another host (status error)', async () => {
    siteDir = writeSealedFixture();
    const other = srv.url.replace('127.0.0.1', 'localhost');
    srv.redirects.set('/.well-known/stele/manifest.json', `${other}.well-known/stele/manifest.json`);
    try {
      const report = await verifySite(srv.url, opts());
      expect(report.status).toBe('error');
      expect(report.problems[0]).toMatchObject({ kind: 'unreachable' });
      expect(report.problems[0].message).toMatch(/another host/);
    } finally {
      srv.redirects.clear();
    }
  });

  it('refuses a file redirected to another host, follows same-host redirects', async () => {
    siteDir = writeSealedFixture();
    srv.redirects.set('/reports/2010.html', 'http://evil.invalid/2010.html');
    try {
      const report = await verifySite(srv.url, opts());
      expect(report.status).toBe('not-genuine');
      expect(report.problems).toEqual([
        expect.objectContaining({ kind: 'modified', path: 'reports/2010.html', message: expect.stringMatching(/another host/) }),
      ]);
    } finally {
      srv.redirects.clear();
    }
    // A redirect on the same host is followed; the bytes served at the end are what is checked.
    writeFileSync(join(siteDir, 'moved-2010.html'), readFileSync(join(siteDir, 'reports/2010.html')));
    srv.redirects.set('/reports/2010.html', '/moved-2010.html');
    try {
      const report = await verifySite(srv.url, opts());
      expect(report.problems).toEqual([]);
    } finally {
      srv.redirects.clear();
    }
  });

  it('is an error (exit 2) when the server is unreachable', async () => {
    const report = await verifySite('http://127.0.0.1:1/', { ...opts(), timeoutMs: 2000 });
    expect(report.status).toBe('error');
  });

  it('flags the checked address when channels.json lists it as revoked', async () => {
    const dir = makeTempDir();
    const out = createFixtureOutput();
    sealSite(out, {
      siteId: 'rights-watch',
      version: 3,
      now: NOW,
      signer: SIGNER,
      channels: { ...CHANNELS, revoked: [{ url: srv.url, date: '2026-01-01', reason: 'hosting account taken over' }] },
    });
    writeOutput(out, dir);
    siteDir = dir;
    const report = await verifySite(srv.url, opts());
    expect(report.status).toBe('not-genuine');
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'revoked-address', actual: srv.url })]);
  });
});
