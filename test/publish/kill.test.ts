/**
 * Killing `stele publish` in the middle: the real CLI runs as a child process
 * (uploads slowed by the test-only STELE_TEST_PUBLISH_DELAY_MS hook) and is
 * killed with SIGKILL mid-upload. The targets that switch atomically never serve
 * a mix of two versions: the directory (served by nginx) and the git branch
 * verify as the old version or the new one; the S3 bucket's live manifest never
 * names a file that is not there. A re-run resumes and every copy verifies.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_PATH } from '../../src/trust/paths.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { createBareRepo, createSealedOutput, HASHED, NOW, replaceDist, SIGNER, startNginx, startS3, writeProject } from './peers.js';

const BIN = join(import.meta.dirname, '../../bin/stele.js');
let base: string;
let project: string;
let dirUrl: string;
let s3: Awaited<ReturnType<typeof startS3>>;
const stops: (() => Promise<void>)[] = [];
const children = new Set<ChildProcess>();

function startPublish(delayMs: number): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; out: string }> } {
  const child = spawn(process.execPath, [BIN, 'publish', project], {
    env: { ...process.env, TEST_S3_KEY_ID: 'S3RVER', TEST_S3_SECRET: 'S3RVER', STELE_TEST_PUBLISH_DELAY_MS: String(delayMs), SOURCE_DATE_EPOCH: String(NOW.getTime() / 1000) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal, out });
    }),
  );
  return { child, done };
}

async function waitUntil(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const verifyAt = (source: string) => verifySite(source, { publicKey: SIGNER.publicKeyFile, trustStoreDir: false, now: NOW });

/** The git branch's tree, checked out into a fresh folder. */
async function checkoutBranch(): Promise<string> {
  const out = await mkdtemp(join(base, 'branch-'));
  await rm(out, { recursive: true, force: true });
  execFileSync('git', ['clone', '-q', '--branch', 'pages', join(base, 'pages.git'), out], { stdio: 'ignore' });
  await rm(join(out, '.git'), { recursive: true, force: true });
  return out;
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'stele-publish-kill-'));
  await chmod(base, 0o755);
  project = join(base, 'project');
  await mkdir(join(base, 'www'), { recursive: true });
  const nginx = await startNginx(join(base, 'nginx'), join(base, 'www', 'current'));
  stops.push(nginx.stop);
  dirUrl = nginx.url;
  s3 = await startS3(join(base, 's3'));
  stops.push(s3.stop);
  createBareRepo(join(base, 'pages.git'));
  await writeProject(
    project,
    `      { type: 'directory', name: 'local', path: '../www', url: '${dirUrl}' },
      { type: 's3', name: 'bucket', bucket: 'site', endpoint: '${s3.endpoint}', forcePathStyle: true,
        accessKeyIdEnv: 'TEST_S3_KEY_ID', secretAccessKeyEnv: 'TEST_S3_SECRET', url: '${s3.bucketUrl}' },
      { type: 'git', name: 'pages', repo: '../pages.git', branch: 'pages' },`,
    createSealedOutput(1),
  );
  const first = await startPublish(0).done;
  expect(first.code, first.out).toBe(0);
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const stop of stops.reverse()) await stop().catch(() => {});
  if (base) await rm(base, { recursive: true, force: true });
});

/** A new build whose hashed asset, pages and feed all change. */
function nextBuild(version: number) {
  return createSealedOutput(version, {
    extra: { [HASHED.replace('0123abcd', `${version}${version}${version}${version}abcd`)]: `image ${version}`, 'about/index.html': `<!doctype html><title>About ${version}</title><p>v${version}</p>\n` },
  });
}

describe('killing stele publish mid-upload', () => {
  it('while content-hashed files go up: every target still serves exactly version 1, and a re-run publishes version 2', async () => {
    await replaceDist(project, nextBuild(2));
    s3.events.length = 0;
    const run = startPublish(700);
    await waitUntil(() => s3.events.some((e) => e.startsWith('put ')), 'the first S3 upload');
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(s3.events.some((e) => e === `put ${MANIFEST_PATH}`)).toBe(false);

    for (const source of [dirUrl, s3.bucketUrl, await checkoutBranch()]) {
      const report = await verifyAt(source);
      expect(report.problems, source).toEqual([]);
      expect(report.manifest?.version, source).toBe(1);
    }

    const again = await startPublish(0).done;
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/3 of 3 copies published and checked/);
    for (const source of [dirUrl, s3.bucketUrl, await checkoutBranch()]) {
      const report = await verifyAt(source);
      expect(report.problems, source).toEqual([]);
      expect(report.manifest?.version, source).toBe(2);
    }
  }, 120_000);

  it('while pages are replaced: directory and git serve one whole version; the bucket never serves a manifest naming a missing file', async () => {
    await replaceDist(project, nextBuild(3));
    s3.events.length = 0;
    const run = startPublish(700);
    // Past the hashed files: the first page replaced in place.
    await waitUntil(() => s3.events.some((e) => /^put (?!assets\/)(?!\.well-known)/.test(e)), 'the first page upload');
    run.child.kill('SIGKILL');
    await run.done;
    expect(s3.events.some((e) => e === `put ${MANIFEST_PATH}`)).toBe(false);

    for (const source of [dirUrl, await checkoutBranch()]) {
      const report = await verifyAt(source);
      expect(report.problems, source).toEqual([]);
      expect([2, 3]).toContain(report.manifest?.version);
    }
    const bucket = await verifyAt(s3.bucketUrl);
    expect(bucket.manifest?.version).toBe(2);
    expect(bucket.problems.filter((p) => p.kind === 'missing')).toEqual([]);

    const again = await startPublish(0).done;
    expect(again.code, again.out).toBe(0);
    for (const source of [dirUrl, s3.bucketUrl, await checkoutBranch()]) {
      const report = await verifyAt(source);
      expect(report.problems, source).toEqual([]);
      expect(report.manifest?.version, source).toBe(3);
    }
  }, 120_000);
});
