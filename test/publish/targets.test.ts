/**
 * `stele publish` end to end, through the CLI, against real peers started here
 * on 127.0.0.1: a directory target served by nginx, rsync over SSH to Debian's
 * sshd (host key checked against a known_hosts written here) served by a second
 * nginx, an S3 bucket in s3rver through the real AWS SDK, a bare git repository
 * and a CAR file read back with @ipld/car. Every copy is verified by the run and
 * again here.
 */

import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CarReader } from '@ipld/car';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { readCarFile } from '../../src/publish/car-file.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../../src/trust/paths.js';
import { isReleaseLogPath } from '../../src/trust/release-log.js';
import { isPublishedAfterManifest } from '../../src/publish/sealed-site.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { createTestHost } from '../helpers/temp-site.js';
import { createBareRepo, createSealedOutput, HASHED, NOW, replaceDist, SIGNER, startNginx, startS3, startSshd, writeProject } from './peers.js';

let base: string;
let project: string;
const stops: (() => Promise<void>)[] = [];
let sshd: Awaited<ReturnType<typeof startSshd>>;
let s3: Awaited<ReturnType<typeof startS3>>;
let dirUrl: string;
let rsyncUrl: string;
let targets: string;

async function publish(args: string[] = []): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['publish', project, ...args], {
    host: createTestHost({ now: NOW }),
    cwd: project,
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    isTTY: false,
  });
  return { code, out, err };
}

function configFor(options: { knownHosts?: string } = {}): string {
  return `      { type: 'directory', name: 'local', path: '../www', keep: 2, url: '${dirUrl}' },
      { type: 'rsync', name: 'ssh-mirror', host: '127.0.0.1', port: ${sshd.port}, user: '${sshd.user}', path: '${join(base, 'remote')}',
        identityFile: '${sshd.identityFile}', knownHostsFile: '${options.knownHosts ?? sshd.knownHostsFile}', url: '${rsyncUrl}' },
      { type: 's3', name: 'bucket', bucket: 'site', endpoint: '${s3.endpoint}', forcePathStyle: true,
        accessKeyIdEnv: 'TEST_S3_KEY_ID', secretAccessKeyEnv: 'TEST_S3_SECRET', url: '${s3.bucketUrl}' },
      { type: 'git', name: 'pages', repo: '../pages.git', branch: 'pages' },
      { type: 'car', name: 'ipfs', out: '../site.car' },`;
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'stele-publish-'));
  await chmod(base, 0o755); // nginx workers run as nobody
  project = join(base, 'project');
  await mkdir(join(base, 'www'), { recursive: true });
  await mkdir(join(base, 'remote'), { recursive: true });
  const nginxLocal = await startNginx(join(base, 'nginx-local'), join(base, 'www', 'current'));
  stops.push(nginxLocal.stop);
  dirUrl = nginxLocal.url;
  const nginxRemote = await startNginx(join(base, 'nginx-remote'), join(base, 'remote'));
  stops.push(nginxRemote.stop);
  rsyncUrl = nginxRemote.url;
  sshd = await startSshd(join(base, 'ssh'));
  stops.push(sshd.stop);
  s3 = await startS3(join(base, 's3'));
  stops.push(s3.stop);
  createBareRepo(join(base, 'pages.git'));
  process.env.TEST_S3_KEY_ID = 'S3RVER';
  process.env.TEST_S3_SECRET = 'S3RVER';
  targets = configFor();
  await writeProject(project, targets, createSealedOutput(1));
}, 60_000);

afterAll(async () => {
  delete process.env.TEST_S3_KEY_ID;
  delete process.env.TEST_S3_SECRET;
  for (const stop of stops.reverse()) await stop().catch(() => {});
  if (base) await rm(base, { recursive: true, force: true });
});

/** Every file of a sealed build of the fixture, manifest and signature included. */
const TOTAL = createSealedOutput(1).size;
/** The release log files of a fixture build (checkpoint, its signature, tiles, one bundle). */
const LOG_FILES = [...createSealedOutput(1).keys()].filter(isReleaseLogPath).length;

const verifyAt = (source: string) => verifySite(source, { publicKey: SIGNER.publicKeyFile, trustStoreDir: false, now: NOW });

describe('stele publish to five targets', () => {
  let firstOut = '';

  it('publishes version 1 everywhere and verifies every copy', async () => {
    const { code, out, err } = await publish();
    firstOut = out;
    expect(err).not.toMatch(/FAILED/);
    expect(code, out + err).toBe(0);
    expect(out).toMatch(/version 1: 5 of 5 copies published and checked/);
    for (const name of ['local', 'ssh-mirror', 'bucket', 'pages', 'ipfs']) {
      expect(out).toMatch(new RegExp(`^${name} +\\S+ +\\d+ of ${TOTAL} .* yes$`, 'm'));
    }
    // Progress for people without a terminal: a start and an end line per target.
    expect(err).toMatch(/^bucket: sending the site to bucket site/m);
    expect(err).toMatch(/^ipfs: \d+ files sent, verified: yes$/m);
    // Secrets are never printed.
    expect(out + err).not.toContain('S3RVER');
    expect(out + err).not.toContain(await readFile(sshd.identityFile, 'utf8'));
  }, 120_000);

  it('the copies verify independently: nginx over the directory and the SSH mirror, the bucket over HTTP', async () => {
    for (const url of [dirUrl, rsyncUrl, s3.bucketUrl]) {
      const report = await verifyAt(url);
      expect(report.problems, url).toEqual([]);
      expect(report.manifest?.version).toBe(1);
    }
    expect(await readlink(join(base, 'www', 'current'))).toMatch(/^versions\/v1-/);
  });

  it('the bucket serves correct Content-Type and Cache-Control, manifest and signature written last', async () => {
    const head = async (path: string) => {
      const r = await fetch(`${s3.bucketUrl}${path}`);
      await r.arrayBuffer();
      return [r.headers.get('content-type'), r.headers.get('cache-control')];
    };
    expect(await head('index.html')).toEqual(['text/html; charset=utf-8', 'no-cache']);
    expect(await head(HASHED)).toEqual(['image/png', 'public, max-age=31536000, immutable']);
    expect(await head('css/site.css')).toEqual(['text/css; charset=utf-8', 'no-cache']);
    expect(await head(MANIFEST_PATH)).toEqual(['application/json; charset=utf-8', 'no-cache']);
    const puts = s3.events.filter((e) => e.startsWith('put ')).map((e) => e.slice(4));
    expect(puts.indexOf(HASHED)).toBe(0);
    // The release log (and a timestamp) speak of the manifest: they follow it, and nothing else does.
    const manifestAt = puts.indexOf(MANIFEST_PATH);
    expect(puts[manifestAt + 1]).toBe(MANIFEST_SIG_PATH);
    expect(puts.slice(manifestAt + 2).length).toBe(LOG_FILES);
    expect(puts.slice(manifestAt + 2).every(isPublishedAfterManifest)).toBe(true);
    expect(puts.slice(0, manifestAt).some(isPublishedAfterManifest)).toBe(false);
  });

  it('the CAR file reads back with @ipld/car: its root is the printed CID and it holds every file', async () => {
    const bytes = await readFile(join(base, 'site.car'));
    const reader = await CarReader.fromBytes(bytes);
    const [root] = await reader.getRoots();
    expect(firstOut).toContain(`root CID ${root.toString()}`);
    expect(root.toString()).toMatch(/^bafy/);
    const back = await readCarFile(bytes);
    const dist = join(project, 'dist');
    const manifest = JSON.parse(await readFile(join(dist, MANIFEST_PATH), 'utf8')) as { files: { path: string }[]; serverConfig?: { path: string }[] };
    const signed = [...manifest.files, ...(manifest.serverConfig ?? [])].map((f) => f.path);
    const log = [...createSealedOutput(1).keys()].filter(isReleaseLogPath);
    expect([...back.files.keys()].sort()).toEqual([...signed, ...log, MANIFEST_PATH, MANIFEST_SIG_PATH].sort());
    for (const [path, data] of back.files) expect(Buffer.from(data).equals(await readFile(join(dist, path))), path).toBe(true);
  });

  it('a second build moves only changed files, deletes removed ones after the new manifest, one git commit each', async () => {
    s3.events.length = 0;
    await replaceDist(project, createSealedOutput(2, { extra: { 'news/index.html': '<!doctype html><title>News</title><p>News</p>\n' }, drop: ['feed.xml'] }));
    const { code, out, err } = await publish();
    expect(code, out + err).toBe(0);
    // index.html, news/index.html, SHA256SUMS, the manifest and their signatures, and the
    // release log's files: outside the manifest, so directory and S3 targets send all of
    // them (LOG_FILES); rsync and git compare bytes and skip the unchanged tiles file.
    for (const row of ['local +directory', 'bucket +s3']) expect(out).toMatch(new RegExp(`^${row} +${6 + LOG_FILES} of ${TOTAL} `, 'm'));
    for (const row of ['pages +git', 'ssh-mirror +rsync']) expect(out).toMatch(new RegExp(`^${row} +${6 + LOG_FILES - 1} of ${TOTAL} `, 'm'));
    const sigAt = s3.events.indexOf(`put ${MANIFEST_SIG_PATH}`);
    expect(s3.events.indexOf('delete feed.xml')).toBeGreaterThan(sigAt);
    expect(s3.events.filter((e) => e.startsWith('put '))).toHaveLength(6 + LOG_FILES);
    for (const url of [dirUrl, rsyncUrl, s3.bucketUrl]) {
      const report = await verifyAt(url);
      expect(report.problems, url).toEqual([]);
      expect(report.manifest?.version).toBe(2);
      // The release log travels with the site: every mirror carries the history.
      expect(report.logHead?.size, url).toBe(1);
    }
    expect((await fetch(`${s3.bucketUrl}feed.xml`)).status).toBe(404);
    expect(execFileSync('git', ['--git-dir', join(base, 'pages.git'), 'rev-list', '--count', 'pages'], { encoding: 'utf8' }).trim()).toBe('2');
    const tree = execFileSync('git', ['--git-dir', join(base, 'pages.git'), 'ls-tree', '-r', '--name-only', 'pages'], { encoding: 'utf8' });
    expect(tree).toContain('news/index.html');
    expect(tree).not.toContain('feed.xml');
  }, 120_000);

  it('running again with nothing new sends nothing and still verifies', async () => {
    const { code, out } = await publish();
    expect(code, out).toBe(0);
    for (const row of ['local +directory', 'bucket +s3', 'pages +git']) expect(out).toMatch(new RegExp(`^${row} +0 of ${TOTAL} `, 'm'));
  }, 120_000);

  it('a live directory copy altered after publishing is rewritten in full by the next run', async () => {
    await writeFile(join(base, 'www', 'current', 'about', 'index.html'), '<p>defaced</p>');
    expect((await verifyAt(dirUrl)).status).toBe('not-genuine');
    const { code, out } = await publish(['--target', 'local']);
    expect(code, out).toBe(0);
    expect(out).toMatch(new RegExp(`^local +directory +${TOTAL} of ${TOTAL} .* yes$`, 'm'));
    expect((await verifyAt(dirUrl)).problems).toEqual([]);
  }, 120_000);

  it('keeps the last N versions and rolls a directory target back', async () => {
    await replaceDist(project, createSealedOutput(3));
    expect((await publish(['--target', 'local'])).code).toBe(0);
    const versions = (await readdir(join(base, 'www', 'versions'))).sort();
    expect(versions).toHaveLength(2);
    expect(versions[0]).toMatch(/^v2-/);
    let out = '';
    const code = await runCli(['publish', project, '--rollback', 'local'], { host: createTestHost({ now: NOW }), cwd: project, stdout: (t) => (out += t), stderr: (t) => (out += t) });
    expect(code, out).toBe(0);
    expect(out).toMatch(/now serving v2-.*verifies/);
    expect((await verifyAt(dirUrl)).manifest?.version).toBe(2);
    const again = await runCli(['publish', project, '--rollback', 'bucket'], { host: createTestHost({ now: NOW }), cwd: project, stdout: () => {}, stderr: (t) => (out += t) });
    expect(again).toBe(2);
    expect(out).toMatch(/rollback switches directory targets only/);
  }, 120_000);

  it('an SSH server whose host key is not the known one gets nothing; the other targets still publish', async () => {
    await writeProject(project, configFor({ knownHosts: sshd.wrongKnownHostsFile }), createSealedOutput(4));
    const { code, out } = await publish();
    expect(code).toBe(1);
    expect(out).toMatch(/^ssh-mirror +rsync +FAILED/m);
    expect(out).toMatch(/ssh-mirror .* was NOT updated: the server's identity \(host key\) is not the one in the known_hosts file/);
    expect(out).toMatch(/4 of 5 copies published/);
    expect((await verifyAt(rsyncUrl)).manifest?.version).toBe(2);
    expect((await verifyAt(s3.bucketUrl)).manifest?.version).toBe(4);
  }, 120_000);

  it('refuses secrets written into the config, without printing them', async () => {
    const source = await readFile(join(project, 'stele.config.ts'), 'utf8');
    await writeFile(join(project, 'stele.config.ts'), source.replace("forcePathStyle: true,", "forcePathStyle: true, secretAccessKey: 'hunter2-very-secret',"));
    const { code, out, err } = await publish();
    expect(code).toBe(2);
    expect(err).toMatch(/secretAccessKey/);
    expect(err).toMatch(/environment/);
    expect(out + err).not.toContain('hunter2');
    await writeFile(join(project, 'stele.config.ts'), source);
  });

  it('maps a bad target to its line in stele.config.ts', async () => {
    const source = await readFile(join(project, 'stele.config.ts'), 'utf8');
    await writeFile(join(project, 'stele.config.ts'), source.replace("keep: 2,", "keep: 1,"));
    const { code, err } = await publish();
    expect(code).toBe(2);
    const line = source.split('\n').findIndex((l) => l.includes('keep: 2')) + 1;
    expect(err).toContain(`stele.config.ts:${line}`);
    expect(err).toMatch(/publish\.targets\.0\.keep/);
    await writeFile(join(project, 'stele.config.ts'), source);
  });

  it('on a terminal, keeps one progress line per target, rewritten in place', async () => {
    await replaceDist(project, createSealedOutput(5));
    let err = '';
    let out = '';
    const code = await runCli(['publish', project, '--target', 'local,ipfs'], {
      host: createTestHost({ now: NOW }),
      cwd: project,
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      isTTY: true,
    });
    expect(code, out + err).toBe(0);
    expect(err).toContain('\u001b[2A'); // back up over the two target lines
    expect(err).toMatch(new RegExp(`local: copying \\d+/${TOTAL}`));
    expect(err).toMatch(new RegExp(`ipfs: packing \\d+/${TOTAL}`));
    expect(err).toMatch(new RegExp(`ipfs: ${TOTAL} files sent, verified: yes\n`));
    expect(out).toMatch(/2 of 2 copies published and checked/);
  }, 120_000);
});
