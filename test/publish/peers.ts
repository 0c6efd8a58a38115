/**
 * Real peers for publish tests, each started on 127.0.0.1 by the test and
 * stopped by it: nginx (serving a folder), Debian's sshd (own config, own host
 * key, a throwaway user key, a known_hosts written here), s3rver, and a bare git
 * repository. Also the sealed fixture project the targets publish.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import S3rver from 's3rver';
import { sealSite } from '../../src/seal/seal-site.js';
import { createSignerFromSeed } from '../../src/seal/signer.js';
import type { OutputFiles } from '../../src/site/output.js';
import { writeFiles } from '../helpers/temp-site.js';

export const NOW = new Date('2026-03-01T12:00:00.000Z');
export const SIGNER = createSignerFromSeed(new Uint8Array(32).fill(7));
/** A hashed asset: S3 sends it first with an immutable cache header. */
export const HASHED = 'assets/img/logo.0123abcd.png';

/** Find a free TCP port on 127.0.0.1. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise((r) => server.close(r));
  return typeof address === 'object' && address ? address.port : 0;
}

/** A sealed three-version-able site: `version` changes the home page; `extra` adds files. */
export function createSealedOutput(version: number, options: { headline?: string; extra?: Record<string, string>; drop?: string[] } = {}): OutputFiles {
  const e = (s: string) => new TextEncoder().encode(s);
  const out: OutputFiles = new Map([
    ['index.html', e(`<!doctype html><html lang="en"><head><title>Rights Watch</title><link rel="stylesheet" href="css/site.css"></head><body><h1>${options.headline ?? `Version ${version}`}</h1><img src="${HASHED}" alt="logo"><a href="about/index.html">About</a></body></html>\n`)],
    ['about/index.html', e('<!doctype html><html lang="en"><head><title>About</title></head><body><p>Who we are.</p></body></html>\n')],
    ['css/site.css', e('body{font-family:serif}\n')],
    [HASHED, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4])],
    ['feed.xml', e('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Rights Watch</title></feed>\n')],
    ['404.html', e('<!doctype html><title>Not found</title><p>Not found</p>\n')],
  ]);
  for (const [path, text] of Object.entries(options.extra ?? {})) out.set(path, e(text));
  for (const path of options.drop ?? []) out.delete(path);
  sealSite(out, { siteId: 'rights-watch', version, now: NOW, expiresInDays: 3650, signer: SIGNER, channels: { official: [], revoked: [] } });
  return out;
}

/** Make a project folder with `stele.config.ts` (publish section given as TS text), the public key and `dist`. */
export async function writeProject(root: string, publishTargets: string, output: OutputFiles): Promise<void> {
  await writeFiles(root, {
    'stele.config.ts': `import { defineConfig } from 'stele';\n\nexport default defineConfig({\n  siteId: 'rights-watch',\n  title: 'Rights Watch',\n  publish: {\n    targets: [\n${publishTargets}\n    ],\n  },\n});\n`,
    'keys/stele.pub': SIGNER.publicKeyFile,
  });
  await replaceDist(root, output);
}

/** Replace `root/dist` with `output`. */
export async function replaceDist(root: string, output: OutputFiles): Promise<void> {
  await rm(join(root, 'dist'), { recursive: true, force: true });
  await writeFiles(join(root, 'dist'), Object.fromEntries(output));
}

async function waitFor(check: () => Promise<boolean>, what: string, log?: () => Promise<string>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not start${log ? `: ${await log()}` : ''}`);
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** nginx serving `root` (a folder or a symbolic link to one) on a free port. */
export async function startNginx(prefix: string, root: string, options: { types?: string } = {}): Promise<{ url: string; stop(): Promise<void> }> {
  for (const d of ['logs', 'tmp']) await mkdir(join(prefix, d), { recursive: true });
  await chmod(prefix, 0o755);
  const port = await findFreePort();
  const conf = join(prefix, 'nginx.conf');
  await writeFile(
    conf,
    `daemon off;\nworker_processes 1;\npid ${prefix}/nginx.pid;\nerror_log ${prefix}/logs/error.log warn;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n  client_body_temp_path ${prefix}/tmp/client_body;\n  proxy_temp_path ${prefix}/tmp/proxy;\n  fastcgi_temp_path ${prefix}/tmp/fastcgi;\n  uwsgi_temp_path ${prefix}/tmp/uwsgi;\n  scgi_temp_path ${prefix}/tmp/scgi;\n${options.types ? `  types { ${options.types} }\n` : ''}  default_type application/octet-stream;\n  server {\n    listen 127.0.0.1:${port};\n    root ${root};\n    index index.html;\n  }\n}\n`,
  );
  const child = spawn('/usr/sbin/nginx', ['-p', prefix, '-c', conf, '-e', `${prefix}/logs/error.log`], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitFor(async () => (await fetch(url).catch(() => undefined)) !== undefined, 'nginx', () => readFile(`${prefix}/logs/error.log`, 'utf8').catch(() => ''));
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url, stop: () => stopChild(child) };
}

/** Debian's sshd on a free port with its own host key; a throwaway user key; a known_hosts naming that host key. */
export async function startSshd(dir: string): Promise<{
  port: number;
  user: string;
  identityFile: string;
  knownHostsFile: string;
  /** A known_hosts file with a different key for the same address (an impostor server). */
  wrongKnownHostsFile: string;
  stop(): Promise<void>;
}> {
  await mkdir(dir, { recursive: true });
  // Debian's sshd, run as root, insists on its privilege separation folder (systemd creates it at boot).
  if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stele-test', '-f', file]);
  for (const k of ['host_key', 'user_key', 'other_host_key']) keygen(join(dir, k));
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'user_key.pub')));
  const port = await findFreePort();
  const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
  const config = join(dir, 'sshd_config');
  await writeFile(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      '',
    ].join('\n'),
  );
  const line = async (key: string) => `[127.0.0.1]:${port} ${(await readFile(join(dir, `${key}.pub`), 'utf8')).split(' ').slice(0, 2).join(' ')}\n`;
  await writeFile(join(dir, 'known_hosts'), await line('host_key'));
  await writeFile(join(dir, 'wrong_known_hosts'), await line('other_host_key'));
  let log = '';
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (b: Buffer) => {
    log += b.toString();
  });
  try {
    await waitFor(
      () =>
        new Promise<boolean>((r) => {
          const c = connect(port, '127.0.0.1', () => {
            c.destroy();
            r(true);
          });
          c.on('error', () => r(false));
        }),
      'sshd',
      async () => log,
    );
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    port,
    user,
    identityFile: join(dir, 'user_key'),
    knownHostsFile: join(dir, 'known_hosts'),
    wrongKnownHostsFile: join(dir, 'wrong_known_hosts'),
    stop: () => stopChild(child),
  };
}

/** s3rver on a free port with bucket `site`; anonymous GETs read objects like a public bucket. */
export async function startS3(dir: string): Promise<{ endpoint: string; bucketUrl: string; events: string[]; stop(): Promise<void> }> {
  const port = await findFreePort();
  const server = new S3rver({ address: '127.0.0.1', port, silent: true, directory: dir, configureBuckets: [{ name: 'site' }] });
  // Every object write and delete, in the order the server applied them: "put KEY" / "delete KEY".
  const events: string[] = [];
  server.on('event', (e: { Records: { eventName: string; s3: { object: { key: string } } }[] }) => {
    for (const r of e.Records) events.push(`${r.eventName.startsWith('ObjectRemoved') ? 'delete' : 'put'} ${decodeURIComponent(r.s3.object.key)}`);
  });
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return { endpoint, bucketUrl: `${endpoint}/site/`, events, stop: () => server.close() };
}

/** A bare git repository. */
export function createBareRepo(path: string): string {
  execFileSync('git', ['init', '-q', '--bare', path]);
  return path;
}
