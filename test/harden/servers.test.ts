/**
 * The generated nginx and Caddy configs, served by the real servers on
 * 127.0.0.1: every header, content type, cache rule, the 404 page and
 * dot-file denial.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_IMMUTABLE, CACHE_REVALIDATE } from '../../src/harden/content-types.js';
import { createSecurityHeaders } from '../../src/harden/security-headers.js';
import { collectSiteHeaderOptions, createServerConfigs } from '../../src/harden/server-configs.js';
import type { OutputFiles } from '../../src/site/output.js';
import { createFixtureSite, NOT_FOUND_BODY, NOT_FOUND_ZH_BODY } from './fixture-site.js';
import { createNginxMainConfig } from '../helpers/nginx-config.js';

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function writeSite(output: OutputFiles, root: string): Promise<void> {
  for (const [path, data] of output) {
    const file = join(root, path);
    await fs.mkdir(dirname(file), { recursive: true });
    await fs.writeFile(file, data);
  }
}

/** Poll until the server answers (bounded), then return. */
async function waitForServer(base: string, child: ChildProcess, log: () => Promise<string>): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${await log()}`);
    try {
      await fetch(`${base}/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`server did not start: ${await log()}`);
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

interface ServerUnderTest {
  name: string;
  binary: string;
  start(dir: string, siteRoot: string, port: number, configs: Map<string, string>): Promise<ChildProcess>;
}

const SERVERS: ServerUnderTest[] = [
  {
    name: 'nginx',
    binary: '/usr/sbin/nginx',
    async start(dir, _siteRoot, _port, configs) {
      await fs.mkdir(join(dir, 'tmp'), { recursive: true });
      await fs.writeFile(join(dir, 'server.conf'), configs.get('nginx.conf')!);
      const main = createNginxMainConfig(dir);
      await fs.writeFile(join(dir, 'main.conf'), main);
      return spawn('/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'main.conf')], { stdio: 'ignore' });
    },
  },
  {
    name: 'caddy',
    binary: '/usr/bin/caddy',
    async start(dir, _siteRoot, _port, configs) {
      const file = join(dir, 'Caddyfile');
      await fs.writeFile(file, `{\n\tadmin off\n\tauto_https off\n}\n\n${configs.get('Caddyfile')}`);
      const env = { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
      return spawn('/usr/bin/caddy', ['run', '--config', file, '--adapter', 'caddyfile'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env,
      });
    },
  },
];

for (const server of SERVERS) {
  describe(`${server.name} serves the generated config`, () => {
    let dir = '';
    let base = '';
    let child: ChildProcess | undefined;
    let expectedHeaders: Record<string, string> = {};
    let output: OutputFiles;
    let stderr = '';

    beforeAll(async () => {
      dir = await fs.mkdtemp(join(tmpdir(), `stele-${server.name}-`));
      const siteRoot = join(dir, 'site');
      output = await createFixtureSite();
      await writeSite(output, siteRoot);
      const port = await findFreePort();
      base = `http://127.0.0.1:${port}`;
      const configs = createServerConfigs(output, { root: siteRoot, listen: `127.0.0.1:${port}`, serverName: '127.0.0.1', siteAddress: base });
      expectedHeaders = createSecurityHeaders(collectSiteHeaderOptions(output));
      child = await server.start(dir, siteRoot, port, configs);
      child.stderr?.on('data', (b: Buffer) => {
        stderr += b.toString();
      });
      await waitForServer(base, child, async () => {
        const log = await fs.readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
        return `${log}\n${stderr}`;
      });
    }, 30_000);

    afterAll(async () => {
      await stop(child);
      if (dir) await fs.rm(dir, { recursive: true, force: true });
    });

    const expectSecurityHeaders = (res: Response) => {
      for (const [name, value] of Object.entries(expectedHeaders)) expect(res.headers.get(name), name).toBe(value);
    };

    it('serves pages with every security header, HTML type and revalidation', async () => {
      for (const path of ['/', '/about/', '/index.html', '/404.html']) {
        const res = await fetch(`${base}${path}`);
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(res.headers.get('cache-control')).toBe(CACHE_REVALIDATE);
        expectSecurityHeaders(res);
        await res.arrayBuffer();
      }
      const home = await fetch(`${base}/`);
      expect(await home.text()).toBe(new TextDecoder().decode(output.get('index.html')));
      expect(expectedHeaders['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    });

    it('serves content-hashed assets as immutable with the right types', async () => {
      const cases: [string, string][] = [
        ['/assets/site.0123abcd.css', 'text/css; charset=utf-8'],
        ['/assets/photo.89abcdef01.png', 'image/png'],
        ['/assets/photo.abcdef0123.avif', 'image/avif'],
      ];
      for (const [path, type] of cases) {
        const res = await fetch(`${base}${path}`);
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-type'), path).toBe(type);
        expect(res.headers.get('cache-control'), path).toBe(CACHE_IMMUTABLE);
        expectSecurityHeaders(res);
        expect(new Uint8Array(await res.arrayBuffer())).toEqual(output.get(path.slice(1)));
      }
    });

    it('serves other files with their types and revalidation, including .well-known/stele', async () => {
      const cases: [string, string][] = [
        ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8'],
        ['/feed.atom', 'application/atom+xml; charset=utf-8'],
        ['/sitemap.xml', 'application/xml; charset=utf-8'],
        ['/logo.webp', 'image/webp'],
        ['/.well-known/stele/manifest.json', 'application/json; charset=utf-8'],
        ['/.well-known/stele/manifest.json.minisig', 'text/plain; charset=utf-8'],
      ];
      for (const [path, type] of cases) {
        const res = await fetch(`${base}${path}`);
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-type'), path).toBe(type);
        expect(res.headers.get('cache-control'), path).toBe(CACHE_REVALIDATE);
        expectSecurityHeaders(res);
        await res.arrayBuffer();
      }
    });

    it('answers unknown paths with 404 and the 404 page, never cached as immutable', async () => {
      for (const path of ['/missing', '/missing/page/', '/assets/gone.0123abcd.css']) {
        const res = await fetch(`${base}${path}`);
        expect(res.status, path).toBe(404);
        expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
        expect(res.headers.get('cache-control'), path).not.toContain('immutable');
        expectSecurityHeaders(res);
        expect(await res.text(), path).toBe(new TextDecoder().decode(output.get('404.html')));
        expect(NOT_FOUND_BODY).toContain('stele-404');
      }
    });

    it('answers unknown paths under zh-hans/ with the Chinese 404 page, and still serves its pages', async () => {
      for (const path of ['/zh-hans/missing', '/zh-hans/posts/gone/index.html', '/zh-hans/a/b/']) {
        const res = await fetch(`${base}${path}`);
        expect(res.status, path).toBe(404);
        expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
        expectSecurityHeaders(res);
        expect(await res.text(), path).toBe(new TextDecoder().decode(output.get('zh-hans/404.html')));
        expect(NOT_FOUND_ZH_BODY).toContain('stele-404-zh');
      }
      const home = await fetch(`${base}/zh-hans/`);
      expect(home.status).toBe(200);
      expect(home.headers.get('cache-control')).toBe(CACHE_REVALIDATE);
      expectSecurityHeaders(home);
      expect(await home.text()).toContain('首页');
      // Elsewhere the site-wide page; dot-files under zh-hans/ are still refused.
      expect(await (await fetch(`${base}/zh-hansx/missing`)).text()).toBe(new TextDecoder().decode(output.get('404.html')));
      const dot = await fetch(`${base}/zh-hans/.env`);
      expect([403, 404]).toContain(dot.status);
      await dot.arrayBuffer();
    });

    it('never serves dot-files (except .well-known) and never lists folders', async () => {
      for (const path of ['/.env', '/.git/config', '/.well-known/stele/.hidden', '/assets/']) {
        const res = await fetch(`${base}${path}`);
        expect([403, 404], path).toContain(res.status);
        const body = await res.text();
        expect(body, path).not.toContain('do-not-serve');
        expect(body, path).not.toContain('site.0123abcd.css');
      }
    });
  });
}
