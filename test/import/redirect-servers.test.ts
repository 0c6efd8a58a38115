/**
 * Old URLs keep working on real servers: a WordPress WXR export and a Blogger
 * export are imported into one site, built, and `stele server-config` writes
 * the nginx, Caddy and Apache (.htaccess) configs for it. Each server is
 * started on 127.0.0.1 by this test and asked for every old URL of the
 * site's `_redirects`: it must answer 301 to the new page, which it serves.
 * An address that only starts like an old one is not redirected.
 */

import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutputRedirect, parseRedirectsFile } from '../../src/site/redirects.js';
import { type ConfiguredServerKind, startConfiguredServer } from '../helpers/config-servers.js';
import { runCliCapturing } from '../helpers/run-cli.js';
import { createTempDir, removeTempDirs } from '../helpers/temp-site.js';
import { findFreePort } from '../publish/peers.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/import');

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runCliCapturing(argv, cwd);
  return { code, stdout, stderr };
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

/** Each server with the config `stele server-config` prints for it (Apache: as the site's `.htaccess`). */
const SERVERS: { name: ConfiguredServerKind; config: string }[] = [
  { name: 'nginx', config: 'nginx' },
  { name: 'caddy', config: 'caddy' },
  { name: 'apache', config: 'htaccess' },
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
    let stop: (() => Promise<void>) | undefined;
    let base = '';

    beforeAll(async () => {
      const dir = await createTempDir(`stele-redirect-${server.name}-`);
      const port = await findFreePort();
      const started = await startConfiguredServer(server.name, { dir, documentRoot: dist, port, config: await serverConfig(server.config, port) });
      base = started.url;
      stop = started.stop;
    }, 30_000);

    afterAll(async () => {
      await stop?.();
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
