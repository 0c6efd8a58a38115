/**
 * The sites the extension tests visit: the example site built once (unsealed,
 * with channels naming the test's own addresses), then sealed in variants with
 * low-cost test keys, written to folders and served by a real nginx on 127.0.0.1
 * (one server block per address).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { buildProject } from '../../src/build/build-project.js';
import { createNodeHost } from '../../src/io/host.js';
import { sealSite } from '../../src/seal/seal-site.js';
import { createSignerFromSeed, type Signer } from '../../src/seal/signer.js';
import type { OutputFiles } from '../../src/site/output.js';
import { REPO_ROOT } from '../browser/helpers.js';

/** The example's key in these tests (fixed seed: cheap, stable key id). */
export const SITE_SIGNER: Signer = createSignerFromSeed(new Uint8Array(32).fill(7));
/** Another key that signs a forged copy. */
export const OTHER_SIGNER: Signer = createSignerFromSeed(new Uint8Array(32).fill(9));
/** The online timestamp key a copy may delegate (signs only timestamp.json). */
export const TIMESTAMP_SIGNER: Signer = createSignerFromSeed(new Uint8Array(32).fill(13));

/** A free TCP port on 127.0.0.1. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * Addresses of the test: official site, mirror (in a sub-folder), a second official mirror
 * (`stripped`: serves the pages without the signed manifest), revoked address, unlisted copies.
 */
export interface SiteAddresses {
  official: string;
  mirror: string;
  stripped: string;
  revoked: string;
  copies: string;
}

/**
 * Copy `examples/cfcr` to `root` (without keys and output) and replace its
 * official and revoked addresses with the test's.
 */
export async function prepareExample(root: string, addresses: SiteAddresses): Promise<void> {
  const example = join(REPO_ROOT, 'examples', 'cfcr');
  await cp(example, root, {
    recursive: true,
    filter: (src) => !/^\/(dist|keys|\.stele-[^/]*)(\/|$)/.test(src.slice(example.length).replace(/\\/g, '/')),
  });
  const configPath = join(root, 'stele.config.ts');
  const config = await readFile(configPath, 'utf8');
  const replaced = config.replace(
    /official: \[[\s\S]*?\],\s*revoked: \[[\s\S]*?\n {4}\],/,
    `official: [
      { type: 'domain', url: '${addresses.official}', label: 'Signed site' },
      { type: 'mirror', url: '${addresses.mirror}', label: 'Mirror' },
      { type: 'mirror', url: '${addresses.stripped}', label: 'Second mirror' },
    ],
    revoked: [
      { url: '${addresses.revoked}', date: '2010', reason: 'Compromised in 2010 and seeded with malicious code. Never open it, even if it looks normal.' },
    ],`,
  );
  if (replaced === config) throw new Error('could not replace the channels of examples/cfcr/stele.config.ts');
  await writeFile(configPath, replaced);
}

/** Build the prepared example (production, not sealed; footers name `SITE_SIGNER`'s key). */
export async function buildUnsealed(root: string): Promise<OutputFiles> {
  const result = await buildProject({
    root,
    host: createNodeHost({ quiet: true }),
    mode: 'production',
    signer: SITE_SIGNER,
    noSeal: true,
    write: false,
  });
  if (!result.ok || !result.output) {
    throw new Error(`example did not build: ${result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  }
  return result.output;
}

/** Seal a copy of `output`. */
export function sealCopy(
  output: OutputFiles,
  addresses: SiteAddresses,
  options: { version: number; signer?: Signer; now?: Date; timestampSigner?: Signer },
): OutputFiles {
  const copy: OutputFiles = new Map(output);
  sealSite(copy, {
    siteId: 'cfcr',
    version: options.version,
    now: options.now ?? new Date(),
    expiresInDays: 30,
    signer: options.signer ?? SITE_SIGNER,
    ...(options.timestampSigner ? { timestamp: { signer: options.timestampSigner } } : {}),
    channels: {
      official: [
        { type: 'domain', url: addresses.official, label: 'Signed site' },
        { type: 'mirror', url: addresses.mirror, label: 'Mirror' },
        { type: 'mirror', url: addresses.stripped, label: 'Second mirror' },
      ],
      revoked: [{ url: addresses.revoked, date: '2010', reason: 'Compromised in 2010 and seeded with malicious code. Never open it, even if it looks normal.' }],
    },
  });
  return copy;
}

/** Write output files under `dir`. */
export async function writeFiles(dir: string, output: OutputFiles): Promise<void> {
  for (const [path, data] of output) {
    const abs = join(dir, ...path.split('/'));
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, data);
  }
}

async function makeWorldReadable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) await makeWorldReadable(abs);
    else await chmod(abs, 0o644);
  }
}

/** One nginx server block. */
export interface ServerBlock {
  port: number;
  root: string;
  /** Extra directives inside the server block. */
  extra?: string;
}

/** A running nginx started by a test. */
export interface Nginx {
  stop(): Promise<void>;
}

/** Start nginx (no daemon, one worker) with `blocks`, all on 127.0.0.1; waits until every port answers. */
export async function startNginx(prefix: string, blocks: readonly ServerBlock[]): Promise<Nginx> {
  for (const d of ['logs', 'tmp']) await mkdir(join(prefix, d), { recursive: true });
  await makeWorldReadable(prefix);
  const conf = join(prefix, 'nginx.conf');
  await writeFile(
    conf,
    `daemon off;
master_process off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${prefix}/tmp/${t};`).join('\n')}
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
${blocks
  .map(
    (b) => `  server {
    listen 127.0.0.1:${b.port};
    root ${b.root};
    index index.html;
${b.extra ?? ''}
  }`,
  )
  .join('\n')}
}
`,
  );
  const child: ChildProcess = spawn('/usr/sbin/nginx', ['-p', prefix, '-c', conf, '-e', `${prefix}/logs/error.log`], { stdio: 'ignore' });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  for (const b of blocks) {
    let up = false;
    for (let i = 0; i < 200 && !up; i++) {
      if (child.exitCode !== null) break;
      up = await fetch(`http://127.0.0.1:${b.port}/`).then(
        () => true,
        () => false,
      );
      if (!up) await new Promise((r) => setTimeout(r, 50));
    }
    if (!up) {
      await stop();
      throw new Error(`nginx did not start: ${await readFile(join(prefix, 'logs/error.log'), 'utf8').catch(() => '')}`);
    }
  }
  return { stop };
}

/** Remove a folder. */
export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}
