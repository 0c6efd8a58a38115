/**
 * The "done when": one `stele publish` puts the example site
 * (examples/cfcr, built and sealed here) on a directory served by nginx, an
 * SSH host (Debian sshd, served by a second nginx), an S3 bucket (s3rver), a git
 * branch and a CAR file, and every copy verifies, in a log a person can follow.
 */
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { runCli } from '../../src/cli/index.js';
import { createNodeHost } from '../../src/io/host.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { createBareRepo, SIGNER, startNginx, startS3, startSshd } from './peers.js';

const EXAMPLE = join(import.meta.dirname, '../../examples/cfcr');
const now = new Date('2026-11-25T12:00:00Z');
const host = { ...createNodeHost({ quiet: true }), now: () => now };
let base: string;
let project: string;
const stops: (() => Promise<void>)[] = [];
const urls: Record<string, string> = {};

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'stele-publish-example-'));
  await chmod(base, 0o755);
  project = join(base, 'cfcr');
  await cp(join(EXAMPLE, 'content'), join(project, 'content'), { recursive: true });
  await cp(join(EXAMPLE, 'brand'), join(project, 'brand'), { recursive: true });
  await mkdir(join(project, 'keys'), { recursive: true });
  await writeFile(join(project, 'keys', 'stele.pub'), SIGNER.publicKeyFile);
  await mkdir(join(base, 'www'), { recursive: true });
  await mkdir(join(base, 'remote'), { recursive: true });
  const local = await startNginx(join(base, 'nginx-local'), join(base, 'www', 'current'));
  stops.push(local.stop);
  const remote = await startNginx(join(base, 'nginx-remote'), join(base, 'remote'));
  stops.push(remote.stop);
  const sshd = await startSshd(join(base, 'ssh'));
  stops.push(sshd.stop);
  const s3 = await startS3(join(base, 's3'));
  stops.push(s3.stop);
  createBareRepo(join(base, 'pages.git'));
  Object.assign(urls, { local: local.url, mirror: remote.url, bucket: s3.bucketUrl });
  process.env.TEST_S3_KEY_ID = 'S3RVER';
  process.env.TEST_S3_SECRET = 'S3RVER';
  const config = (await readFile(join(EXAMPLE, 'stele.config.ts'), 'utf8')).replace(
    /\n\}\);\s*$/,
    `
  publish: {
    targets: [
      { type: 'directory', name: 'local', path: '../www', url: '${local.url}' },
      { type: 'rsync', name: 'ssh-mirror', host: '127.0.0.1', port: ${sshd.port}, user: '${sshd.user}', path: '${join(base, 'remote')}',
        identityFile: '${sshd.identityFile}', knownHostsFile: '${sshd.knownHostsFile}', url: '${remote.url}' },
      { type: 's3', name: 'bucket', bucket: 'site', endpoint: '${s3.endpoint}', forcePathStyle: true,
        accessKeyIdEnv: 'TEST_S3_KEY_ID', secretAccessKeyEnv: 'TEST_S3_SECRET', url: '${s3.bucketUrl}' },
      { type: 'git', name: 'pages', repo: '../pages.git', branch: 'pages' },
      { type: 'car', name: 'ipfs', out: '../cfcr.car' },
    ],
  },
});
`,
  );
  expect(config).toContain("name: 'ipfs'");
  await writeFile(join(project, 'stele.config.ts'), config);
  const built = await buildProject({ root: project, host, mode: 'production', signer: SIGNER });
  expect(built.ok, JSON.stringify(built.diagnostics.slice(0, 3))).toBe(true);
}, 600_000);

afterAll(async () => {
  delete process.env.TEST_S3_KEY_ID;
  delete process.env.TEST_S3_SECRET;
  for (const stop of stops.reverse()) await stop().catch(() => {});
  if (base) await rm(base, { recursive: true, force: true });
});

describe('publishing the example site', () => {
  it('one command: five targets, all verified, a summary a person can follow', async () => {
    let out = '';
    let err = '';
    const code = await runCli(['publish', project], { host, cwd: project, stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false });
    expect(code, out + err).toBe(0);
    expect(out).toMatch(/Site "cfcr" version \d+: 5 of 5 copies published and checked\./);
    expect(out).toMatch(/^Target +Kind +Files sent +Data sent +Time +Verified$/m);
    for (const name of ['local', 'ssh-mirror', 'bucket', 'pages', 'ipfs']) expect(out).toMatch(new RegExp(`^${name} .* yes$`, 'm'));
    expect(out).toMatch(/✓ ipfs: root CID baf/);
    for (const url of Object.values(urls)) {
      const report = await verifySite(url, { publicKey: SIGNER.publicKeyFile, trustStoreDir: false, now });
      expect(report.problems, url).toEqual([]);
      expect(report.checkedFiles).toBeGreaterThan(50);
    }
  }, 600_000);
});
