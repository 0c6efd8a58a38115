/**
 * Old URLs keep working on real servers: a WordPress WXR export and a Blogger
 * export are imported into one site, built, and `stele server-config` writes
 * the nginx, Caddy and Apache (.htaccess) configs for it. Each server is
 * started on 127.0.0.1 by this test and asked for every old URL of the
 * site's `_redirects`: it must answer 301 to the new page, which it serves.
 * An address that only starts like an old one is not redirected.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { type OutputRedirect, parseRedirectsFile } from '../../src/site/redirects.js';
import { createApacheConfig } from '../helpers/apache-config.js';
import { createNginxMainConfig } from '../helpers/nginx-config.js';
import { createTempDir, createTestHost, removeTempDirs } from '../helpers/temp-site.js';
import { findFreePort } from '../publish/peers.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/import');

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd,
    host: createTestHost(),
    isTTY: false,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Poll until the server answers (bounded attempts), or fail with its log. */
async function waitForServer(url: string, child: ChildProcess, log: () => Promise<string>): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${await log()}`);
    if (await fetch(url).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not start: ${await log()}`);
}

interface Server {
  name: string;
  /** Start the server for `dist` on `port` with the config `stele server-config` printed; returns the process and its log. */
  start(dir: string, dist: string, port: number): Promise<{ child: ChildProcess; log: () => Promise<string> }>;
}

let cwd = '';
let dist = '';
let rules: OutputRedirect[] = [];

async function serverConfig(kind: string, port: number): Promise<string> {
  const r = await run(['server-config', kind, dist, '--root', dist, '--listen', `127.0.0.1:${port}`, '--server-name', '127.0.0.1', '--address', `http://127.0.0.1:${port}`], cwd);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

const SERVERS: Server[] = [
  {
    name: 'nginx',
    async start(dir, _dist, port) {
      await mkdir(join(dir, 'tmp'), { recursive: true });
      await writeFile(join(dir, 'server.conf'), await serverConfig('nginx', port));
      const main = createNginxMainConfig(dir);
      await writeFile(join(dir, 'main.conf'), main);
      const child = spawn('/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'main.conf'), '-e', `${dir}/error.log`], { stdio: 'ignore' });
      return { child, log: () => readFile(join(dir, 'error.log'), 'utf8').catch(() => '') };
    },
  },
  {
    name: 'caddy',
    async start(dir, _dist, port) {
      const file = join(dir, 'Caddyfile');
      await writeFile(file, `{\n\tadmin off\n\tauto_https off\n}\n\n${await serverConfig('caddy', port)}`);
      const env = { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
      const child = spawn('/usr/bin/caddy', ['run', '--config', file, '--adapter', 'caddyfile'], { stdio: ['ignore', 'ignore', 'pipe'], env });
      let stderr = '';
      child.stderr?.on('data', (b: Buffer) => {
        stderr += b.toString();
      });
      return { child, log: async () => stderr };
    },
  },
  {
    name: 'apache',
    async start(dir, siteRoot, port) {
      await writeFile(join(siteRoot, '.htaccess'), await serverConfig('htaccess', port));
      const conf = createApacheConfig(dir, siteRoot, port);
      await writeFile(join(dir, 'httpd.conf'), conf);
      const child = spawn('/usr/sbin/apache2', ['-X', '-f', join(dir, 'httpd.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (b: Buffer) => {
        stderr += b.toString();
      });
      return { child, log: async () => `${stderr}\n${await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')}` };
    },
  },
];

beforeAll(async () => {
  cwd = await createTempDir('stele-import-redirects-');
  await chmod(cwd, 0o755); // Apache's worker runs as nobody
  const wxr = await run(['import', join(FIXTURES, 'wordpress-wxr-1.2.xml'), '--out', 'site'], cwd);
  expect(wxr.code).toBe(0);
  const blogger = await run(['import', join(FIXTURES, 'blogger-classic.xml'), '--out', 'site'], cwd);
  expect(blogger.code).toBe(0);
  const built = await run(['build', 'site', '--no-seal'], cwd);
  expect(built.stderr).not.toMatch(/\berror\b/);
  expect(built.code).toBe(0);
  dist = join(cwd, 'site/dist');
  rules = parseRedirectsFile(await readFile(join(dist, '_redirects'), 'utf8'));
}, 120_000);

afterAll(removeTempDirs);

it('the imported site has path, percent-encoded and query redirects to check', () => {
  expect(rules.some((r) => r.query === 'p=123')).toBe(true);
  expect(rules.some((r) => r.path === '/2012/02/rally-for-zhu-yufu.html')).toBe(true);
  expect(rules.some((r) => r.path.includes('%'))).toBe(true);
  expect(rules.length).toBeGreaterThanOrEqual(8);
});

for (const server of SERVERS) {
  describe(`${server.name} with the config from stele server-config`, () => {
    let child: ChildProcess | undefined;
    let base = '';

    beforeAll(async () => {
      const dir = await createTempDir(`stele-redirect-${server.name}-`);
      await chmod(dir, 0o755);
      const port = await findFreePort();
      base = `http://127.0.0.1:${port}`;
      const started = await server.start(dir, dist, port);
      child = started.child;
      await waitForServer(`${base}/index.html`, child, started.log);
    }, 30_000);

    afterAll(async () => {
      await stopChild(child);
    });

    it('answers every old URL with 301 to its new page, which it serves', async () => {
      for (const rule of rules) {
        const old = `${base}${rule.path}${rule.query ? `?${rule.query}` : ''}`;
        const res = await fetch(old, { redirect: 'manual' });
        await res.arrayBuffer();
        expect(res.status, old).toBe(301);
        const location = new URL(res.headers.get('location') ?? '', old);
        expect(location.pathname, old).toBe(rule.to);
        expect(location.search, old).toBe('');
        const page = await fetch(location);
        expect(page.status, `${old} → ${location}`).toBe(200);
        expect(await page.text()).toContain('<html');
      }
    });

    it('answers a missing page under zh-hans/ and zh-hant/ with that language\'s 404 page, elsewhere the site-wide one', async () => {
      const pages: [string, string][] = [
        ['/zh-hans/posts/no-such-post/', 'zh-hans/404.html'],
        ['/zh-hant/missing.html', 'zh-hant/404.html'],
        ['/no-such-page/', '404.html'],
      ];
      for (const [path, file] of pages) {
        const res = await fetch(`${base}${path}`);
        expect(res.status, path).toBe(404);
        expect(await res.text(), path).toBe(await readFile(join(dist, file), 'utf8'));
      }
      expect(await readFile(join(dist, 'zh-hant/404.html'), 'utf8')).toContain('<html lang="zh-Hant">');
    });

    it('redirects Blogger mobile links (?m=1) by their path, and nothing that only starts like an old URL', async () => {
      const mobile = await fetch(`${base}/2012/02/rally-for-zhu-yufu.html?m=1`, { redirect: 'manual' });
      await mobile.arrayBuffer();
      expect(mobile.status).toBe(301);
      expect(new URL(mobile.headers.get('location') ?? '', base).pathname).toBe('/posts/rally-for-zhu-yufu/');
      for (const path of ['/2012/02/rally-for-zhu-yufu.html/more', '/2012/02/rally-for-zhu-yufu.htmlx', '/?p=1234', '/?p=12']) {
        const res = await fetch(`${base}${path}`, { redirect: 'manual' });
        await res.arrayBuffer();
        expect(res.status === 301 && new URL(res.headers.get('location') ?? '', base).pathname === '/posts/rally-for-zhu-yufu/', path).toBe(false);
        expect(res.status === 301 && new URL(res.headers.get('location') ?? '', base).pathname === '/posts/lawyer-detained/', path).toBe(false);
      }
    });
  });
}
