/**
 * A genuine mirror verifies as genuine over HTTP whatever serves it. The example
 * site is built and sealed once, then served on 127.0.0.1 by real servers started
 * here: nginx and Caddy with the configs `stele server-config` prints, `stele
 * serve` (the real CLI process), Debian's apache2 with the `.htaccess` the build
 * wrote, and a plain file server with no config that serves dot-files too. Most of
 * them refuse `.htaccess`, so server configuration is signed apart from the files a
 * reader can fetch; a local copy with an injected or altered `.htaccess` or
 * `_headers` is still reported, a copy downloaded over HTTP passes the
 * standard-tools check, and `stele watch --once` against nginx raises no alarm on
 * the genuine mirror, opens an incident when a file is altered and heals when the
 * file is restored.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmod, cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { dirname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { runCli } from '../../src/cli/index.js';
import { createNodeHost } from '../../src/io/host.js';
import { createSignerFromSeed } from '../../src/seal/signer.js';
import { parseManifest } from '../../src/trust/manifest.js';
import { MANIFEST_PATH, SHA256SUMS_PATH } from '../../src/trust/paths.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { REPO_ROOT } from '../browser/helpers.js';
import { createApacheConfig } from '../helpers/apache-config.js';
import { listenOnLoopback } from '../helpers/loopback-server.js';
import { createNginxMainConfig } from '../helpers/nginx-config.js';
import { stopChildProcess } from '../helpers/child-process.js';
import { createTempDir, removeTempDirs } from '../helpers/temp-site.js';
import { findFreePort } from '../publish/peers.js';

const signer = createSignerFromSeed(new Uint8Array(32).fill(7));
const BIN = join(REPO_ROOT, 'bin/stele.js');
let work = '';
let dist = '';
let pubFile = '';

async function makeWorldReadable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) await makeWorldReadable(abs);
    else await chmod(abs, 0o644);
  }
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd: work,
    host: createNodeHost({ quiet: true }),
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

/** `stele verify URL --key … --trust-store off`, as a user runs it. */
async function verifyCli(source: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return cli(['verify', source, '--key', pubFile, '--trust-store', 'off']);
}

/** A running server under test. */
interface Running {
  url: string;
  stop(): Promise<void>;
}

/** Poll until the server answers (bounded attempts), or fail with its log. */
async function waitForServer(url: string, alive: () => boolean, log: () => Promise<string>): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (!alive()) throw new Error(`server exited: ${await log()}`);
    if (await fetch(url).then((r) => r.arrayBuffer().then(() => true), () => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not start: ${await log()}`);
}

async function startChild(url: string, child: ChildProcess, log: () => Promise<string>): Promise<Running> {
  const running: Running = { url, stop: () => stopChildProcess(child) };
  try {
    await waitForServer(`${url}index.html`, () => child.exitCode === null && child.signalCode === null, log);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

async function serverConfig(kind: string, root: string, port: number): Promise<string> {
  const r = await cli(['server-config', kind, root, '--root', root, '--listen', `127.0.0.1:${port}`, '--server-name', '127.0.0.1', '--address', `http://127.0.0.1:${port}`]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

async function startNginx(root: string): Promise<Running> {
  const dir = await createTempDir('stele-mirror-nginx-');
  const port = await findFreePort();
  await mkdir(join(dir, 'tmp'), { recursive: true });
  await writeFile(join(dir, 'server.conf'), await serverConfig('nginx', root, port));
  const main = createNginxMainConfig(dir);
  await writeFile(join(dir, 'main.conf'), main);
  const child = spawn('/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'main.conf'), '-e', `${dir}/error.log`], { stdio: 'ignore' });
  return startChild(`http://127.0.0.1:${port}/`, child, () => readFile(join(dir, 'error.log'), 'utf8').catch(() => ''));
}

async function startCaddy(root: string): Promise<Running> {
  const dir = await createTempDir('stele-mirror-caddy-');
  const port = await findFreePort();
  const file = join(dir, 'Caddyfile');
  await writeFile(file, `{\n\tadmin off\n\tauto_https off\n}\n\n${await serverConfig('caddy', root, port)}`);
  const env = { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
  const child = spawn('/usr/bin/caddy', ['run', '--config', file, '--adapter', 'caddyfile'], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let log = '';
  child.stderr?.on('data', (b: Buffer) => {
    log += b.toString();
  });
  return startChild(`http://127.0.0.1:${port}/`, child, async () => log);
}

/** Debian's apache2 with a throwaway config; the site's own `.htaccess` (written by the build) configures it. */
async function startApache(root: string): Promise<Running> {
  const dir = await createTempDir('stele-mirror-apache-');
  await chmod(dir, 0o755);
  const port = await findFreePort();
  const conf = createApacheConfig(dir, root, port);
  await writeFile(join(dir, 'httpd.conf'), conf);
  const child = spawn('/usr/sbin/apache2', ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (b: Buffer) => {
    log += b.toString();
  });
  return startChild(`http://127.0.0.1:${port}/`, child, async () => `${log}\n${await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')}`);
}

/** `stele serve <root>`, the real command line in its own process. */
async function startSteleServe(root: string): Promise<Running> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [BIN, 'serve', root, '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (b: Buffer) => {
    log += b.toString();
  });
  return startChild(`http://127.0.0.1:${port}/`, child, async () => log);
}

/** A plain file server with no configuration at all: every file, dot-files included, with no headers. */
async function startPlain(root: string): Promise<Running> {
  const server: Server = createServer(async (req, res) => {
    let rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const abs = normalize(join(root, rel));
    if (!abs.startsWith(root)) {
      res.writeHead(400).end();
      return;
    }
    try {
      if ((await stat(abs)).isDirectory()) {
        res.writeHead(301, { location: `${rel}/` }).end();
        return;
      }
      res.writeHead(200).end(await readFile(abs));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, stop: close };
}

beforeAll(async () => {
  work = await createTempDir('stele-mirror-servers-');
  dist = join(work, 'dist');
  const result = await buildProject({
    root: join(REPO_ROOT, 'examples/cfcr'),
    host: createNodeHost({ quiet: true }),
    mode: 'production',
    signer,
    outDir: dist,
  });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  pubFile = join(work, 'stele.pub');
  await writeFile(pubFile, signer.publicKeyFile);
  // Apache's worker runs as nobody.
  await makeWorldReadable(work);
}, 300_000);

afterAll(removeTempDirs);

it('the sealed example signs its server configuration apart from the files a reader can fetch', async () => {
  const parsed = parseManifest(await readFile(join(dist, MANIFEST_PATH), 'utf8'));
  expect(parsed.ok).toBe(true);
  if (!parsed.ok) return;
  expect(parsed.manifest.serverConfig?.map((f) => f.path)).toEqual(['.htaccess', '_headers']);
  expect(parsed.manifest.files.some((f) => f.path === '.htaccess' || f.path === '_headers')).toBe(false);
  const sums = await readFile(join(dist, SHA256SUMS_PATH), 'utf8');
  expect(sums).not.toMatch(/ {2}(?:\.htaccess|_headers)$/m);
  expect(sums).toMatch(/ {2}index\.html$/m);
});

const SERVERS: { name: string; start: (root: string) => Promise<Running>; servesHtaccess: boolean }[] = [
  { name: 'nginx with the config from stele server-config', start: startNginx, servesHtaccess: false },
  { name: 'Caddy with the config from stele server-config', start: startCaddy, servesHtaccess: false },
  { name: 'stele serve', start: startSteleServe, servesHtaccess: false },
  { name: 'Apache (apache2) with the .htaccess the build wrote', start: startApache, servesHtaccess: false },
  { name: 'a plain file server with no config (serves dot-files)', start: startPlain, servesHtaccess: true },
];

for (const server of SERVERS) {
  describe(server.name, () => {
    let running: Running | undefined;

    beforeAll(async () => {
      running = await server.start(dist);
    }, 60_000);

    afterAll(async () => {
      await running?.stop();
    });

    it('verifies the genuine example as genuine over HTTP (stele verify, exit 0)', async () => {
      const url = running!.url;
      const htaccess = await fetch(`${url}.htaccess`);
      const body = await htaccess.text();
      // The point of the test: whether or not the server refuses its own configuration.
      expect(htaccess.status === 200 && body.includes('# Generated by stele')).toBe(server.servesHtaccess);
      const r = await verifyCli(url);
      expect(r.stdout).toContain(`GENUINE: ${url}`);
      expect(r.stdout).not.toContain('NOT GENUINE');
      expect(r.code).toBe(0);
      const report = await verifySite(url, { publicKey: signer.publicKeyFile, trustStoreDir: false, now: new Date() });
      expect(report.problems).toEqual([]);
      expect(report.checkedFiles).toBe(report.manifest?.fileCount);
      // Server configuration counts as checked where the server serves it, byte for byte.
      let served = 0;
      for (const name of ['.htaccess', '_headers']) {
        const res = await fetch(`${url}${name}`);
        const bytes = Buffer.from(await res.arrayBuffer());
        if (res.ok && bytes.equals(await readFile(join(dist, name)))) served++;
      }
      expect(report.checkedServerConfig ?? 0).toBe(served);
      if (server.servesHtaccess) expect(served).toBe(2);
    }, 120_000);
  });
}

describe('server configuration a server does serve', () => {
  let running: Running | undefined;
  let copy = '';

  beforeAll(async () => {
    copy = join(await createTempDir('stele-mirror-served-'), 'www');
    await cp(dist, copy, { recursive: true });
    running = await startPlain(copy);
  });

  afterAll(async () => {
    await running?.stop();
  });

  it('must be the signed bytes: an altered .htaccess served by the mirror is reported as modified', async () => {
    await writeFile(join(copy, '.htaccess'), 'RewriteEngine On\nRewriteRule ^ https://attacker.example/ [R=302,L]\n');
    const r = await verifyCli(running!.url);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NOT GENUINE');
    expect(r.stdout).toMatch(/modified: \.htaccess \(server configuration\) is served with other bytes/);
  }, 120_000);
});

describe('a local copy is checked with its server configuration', () => {
  async function freshCopy(): Promise<string> {
    const copy = join(await createTempDir('stele-mirror-local-'), 'site');
    await cp(dist, copy, { recursive: true });
    return copy;
  }

  it('the genuine folder verifies, server configuration included', async () => {
    const r = await verifyCli(dist);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('and 2 server configuration files matched');
  }, 120_000);

  it('reports an injected .htaccess, an altered .htaccess, an altered and an injected _headers', async () => {
    const copy = await freshCopy();
    await writeFile(join(copy, 'posts', '.htaccess'), 'Options +ExecCGI\nAddHandler cgi-script .html\n');
    await writeFile(join(copy, '.htaccess'), `${await readFile(join(copy, '.htaccess'), 'utf8')}\nRedirect 302 / https://attacker.example/\n`);
    await writeFile(join(copy, '_headers'), '/*\n  Content-Security-Policy: default-src *\n');
    await writeFile(join(copy, 'about', '_headers'), '/*\n  X-Injected: 1\n');
    const report = await verifySite(copy, { publicKey: signer.publicKeyFile, trustStoreDir: false, now: new Date() });
    expect(report.status).toBe('not-genuine');
    expect(report.problems.map((p) => `${p.kind} ${p.path}`).sort()).toEqual([
      'added about/_headers',
      'added posts/.htaccess',
      'modified .htaccess',
      'modified _headers',
    ]);
  }, 120_000);

  it('reports a missing _headers in a folder', async () => {
    const copy = await freshCopy();
    await rm(join(copy, '_headers'));
    const r = await verifyCli(copy);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/missing: _headers is missing/);
  }, 120_000);
});

describe('a copy downloaded from nginx', () => {
  let running: Running | undefined;

  beforeAll(async () => {
    running = await startNginx(dist);
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
  });

  it('passes the standard-tools check: every file SHA256SUMS lists is served, and sha256sum -c succeeds', async () => {
    const copy = join(await createTempDir('stele-mirror-download-'), 'copy');
    const listed = ['.well-known/stele/SHA256SUMS', '.well-known/stele/SHA256SUMS.minisig'];
    const sums = await (await fetch(`${running!.url}${SHA256SUMS_PATH}`)).text();
    for (const line of sums.trim().split('\n')) listed.push(line.slice(66));
    for (const path of listed) {
      const res = await fetch(new URL(path.split('/').map(encodeURIComponent).join('/'), running!.url));
      expect(res.status, path).toBe(200);
      const abs = join(copy, ...path.split('/'));
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, new Uint8Array(await res.arrayBuffer()));
    }
    const key = signer.publicKeyFile.trim().split('\n').at(-1)!;
    const check = spawnSync('bash', ['-c', `minisign -Vm ${SHA256SUMS_PATH} -P ${key} && sha256sum -c ${SHA256SUMS_PATH}`], { cwd: copy, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(check.stdout).not.toContain('FAILED');
  }, 120_000);
});

describe('stele watch --once against nginx', () => {
  let running: Running | undefined;
  let www = '';

  beforeAll(async () => {
    www = join(await createTempDir('stele-mirror-watch-'), 'www');
    await cp(dist, www, { recursive: true });
    await makeWorldReadable(dirname(www));
    running = await startNginx(www);
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
  });

  it('no alarm on the genuine mirror; an altered file opens an incident; restoring it heals with a resolved alert', async () => {
    const alerts = join(work, 'alerts.jsonl');
    const args = ['watch', running!.url, '--once', '--key', pubFile, '--trust-store', 'off', '--state', join(work, 'watch-state.json'), '--alert-command', `cat >> "${alerts}"`, '--json'];
    const events = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; status?: string; event?: string; payload?: { files: unknown } });
    const sent = async () => (await readFile(alerts, 'utf8').catch(() => '')).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { event: string; files: unknown });

    const genuine = await cli(args);
    expect(genuine.code).toBe(0);
    expect(events(genuine.stdout).map((e) => [e.type, e.status])).toEqual([['check', 'genuine']]);
    // A second round on the genuine mirror stays silent too.
    expect(events((await cli(args)).stdout).map((e) => e.type)).toEqual(['check']);
    expect(await sent()).toEqual([]);

    const page = join(www, 'about', 'index.html');
    const original = await readFile(page);
    await writeFile(page, original.toString('utf8').replace('</main>', '<p>defaced</p></main>'));
    const tampered = await cli(args);
    expect(tampered.code).toBe(1);
    const opened = events(tampered.stdout);
    expect(opened.map((e) => e.type)).toEqual(['check', 'incident-opened', 'alert-delivered']);
    expect(opened[1].payload?.files).toEqual({ modified: ['about/index.html'] });

    await writeFile(page, original);
    const healed = await cli(args);
    expect(healed.code).toBe(0);
    expect(events(healed.stdout).map((e) => e.type)).toEqual(['check', 'incident-healed', 'alert-delivered']);
    expect((await sent()).map((a) => a.event)).toEqual(['incident-opened', 'incident-healed']);

    // Healed means healed: the next round is quiet again.
    const after = await cli(args);
    expect(after.code).toBe(0);
    expect(events(after.stdout).map((e) => e.type)).toEqual(['check']);
  }, 240_000);
});
