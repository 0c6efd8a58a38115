/**
 * Every sealed build appends one entry to the release log carried in the site
 * (`.well-known/stele/log/`) and keeps a copy in the project (`.stele/log/`):
 * the log grows by one per build, its checkpoint signature verifies with the
 * real minisign tool, deleting the output folder or the project copy does not
 * restart history, and two copies that disagree stop the build (nothing written).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { runCli } from '../../src/cli/index.js';
import { createStarterFiles } from '../../src/content/starter.js';
import { readSiteLog, readStoredLog } from '../../src/seal/release-log-store.js';
import { createSignerFromSeed } from '../../src/seal/signer.js';
import { formatRotationComment } from '../../src/trust/keys.js';
import { parseLogEntry } from '../../src/trust/release-log.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { createTempDir, createTestHost, removeTempDirs, writeFiles } from '../helpers/temp-site.js';

const signer = createSignerFromSeed(new Uint8Array(32).fill(11));
let root: string;
let clock = Date.parse('2026-12-01T10:00:00Z');

async function build(projectRoot = root, by = signer) {
  clock += 3_600_000;
  const host = createTestHost({ now: new Date(clock) });
  return buildProject({ root: projectRoot, host, mode: 'production', signer: by });
}

async function logLines(dir: string): Promise<string[]> {
  const read = await readStoredLog(dir, createTestHost().fs);
  if (read.status !== 'ok') throw new Error(`no log in ${dir}: ${JSON.stringify(read)}`);
  return read.lines;
}

const siteLog = (r: string) => join(r, 'dist/.well-known/stele/log');
const projectLog = (r: string) => join(r, '.stele/log');

beforeAll(async () => {
  root = await createTempDir('stele-log-build-');
  await writeFiles(root, createStarterFiles('logsite'));
}, 60_000);

afterAll(removeTempDirs);

describe('release log across builds', () => {
  it('appends one entry per sealed build, in the site and in the project', async () => {
    for (let i = 1; i <= 3; i++) {
      const result = await build();
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const lines = await logLines(siteLog(root));
      expect(lines).toHaveLength(i);
      expect(await logLines(projectLog(root))).toEqual(lines);
      const last = parseLogEntry(lines[i - 1]);
      const manifestBytes = readFileSync(join(root, 'dist/.well-known/stele/manifest.json'));
      const sha = execFileSync('sha256sum', [join(root, 'dist/.well-known/stele/manifest.json')], { encoding: 'utf8' }).split(' ')[0];
      expect(last?.manifestSha256).toBe(sha);
      expect(last?.version).toBe(result.seal?.version);
      expect(last?.keyId).toBe(signer.keyId);
      expect(manifestBytes.length).toBeGreaterThan(0);
    }
    const report = await verifySite(join(root, 'dist'), { publicKey: signer.publicKeyFile, trustStoreDir: false, now: new Date(clock) });
    expect(report.problems).toEqual([]);
    expect(report.status).toBe('genuine');
  }, 180_000);

  it('the checkpoint is signed by the site key (real minisign) and names the log size', () => {
    const pub = join(root, 'check.pub');
    writeFileSync(pub, signer.publicKeyFile);
    const out = execFileSync('minisign', ['-Vm', join(siteLog(root), 'checkpoint'), '-p', pub], { encoding: 'utf8' });
    expect(out).toMatch(/Signature and comment signature verified/);
    expect(out).toMatch(/stele log site=logsite size=3 root=[0-9a-f]{64}/);
    expect(readFileSync(join(siteLog(root), 'checkpoint'), 'utf8')).toMatch(/^stele release log logsite\n3\n/);
  });

  it('`stele log` prints the history, one line per version, checked against the key', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['log', join(root, 'dist')], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false });
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    const lines = out.join('').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Release log of logsite: 3 versions, root [0-9a-f]{8}…[0-9a-f]{8}, signed by key /);
    const versions = (await logLines(siteLog(root))).map((l) => parseLogEntry(l)?.version);
    expect(lines.slice(1).map((l) => Number(/^version (\d+) /.exec(l)?.[1]))).toEqual(versions);
    // A changed entry makes the log unreadable as history (exit 2, with the reason).
    const bundle = join(siteLog(root), 'entries/0000');
    const text = readFileSync(bundle, 'utf8');
    writeFileSync(bundle, text.replace(/^(\d+) /, (_m, v) => `${Number(v) - 1} `));
    const bad: string[] = [];
    expect(await runCli(['log', join(root, 'dist')], { stdout: () => {}, stderr: (t) => bad.push(t), isTTY: false })).toBe(2);
    expect(bad.join('')).toMatch(/do not hash to the checkpoint/);
    writeFileSync(bundle, text);
  });

  it('deleting the output folder does not restart history (the project copy continues it)', async () => {
    const before = await logLines(projectLog(root));
    rmSync(join(root, 'dist'), { recursive: true, force: true });
    const result = await build();
    expect(result.ok).toBe(true);
    const lines = await logLines(siteLog(root));
    expect(lines.slice(0, 3)).toEqual(before);
    expect(lines).toHaveLength(4);
  }, 120_000);

  it('deleting the project copy does not restart history either (the output folder continues it)', async () => {
    rmSync(projectLog(root), { recursive: true, force: true });
    const result = await build();
    expect(result.ok).toBe(true);
    expect(await logLines(siteLog(root))).toHaveLength(5);
    expect(await logLines(projectLog(root))).toHaveLength(5);
  }, 120_000);

  it('refuses to seal when the project copy and the output folder hold different histories', async () => {
    const other = await createTempDir('stele-log-other-');
    await writeFiles(other, createStarterFiles('logsite'));
    expect((await build(other)).ok).toBe(true);
    const published = readFileSync(join(root, 'dist/.well-known/stele/manifest.json'));
    rmSync(projectLog(root), { recursive: true, force: true });
    cpSync(projectLog(other), projectLog(root), { recursive: true });
    const result = await build();
    expect(result.ok).toBe(false);
    const error = result.diagnostics.find((d) => d.code === 'STELE1304');
    expect(error?.message).toMatch(/disagree at entry 1/);
    expect(readFileSync(join(root, 'dist/.well-known/stele/manifest.json'))).toEqual(published);
    // Starting a new history is explicit: move both copies away.
    rmSync(projectLog(root), { recursive: true, force: true });
    rmSync(siteLog(root), { recursive: true, force: true });
    const restarted = await build();
    expect(restarted.ok).toBe(true);
    expect(restarted.diagnostics.map((d) => d.code)).toContain('STELE1305');
    expect(await logLines(siteLog(root))).toHaveLength(1);
    expect((await readSiteLog(join(root, 'dist'), createTestHost().fs)).status).toBe('ok');
    expect(existsSync(join(projectLog(root), 'checkpoint.minisig'))).toBe(true);
  }, 180_000);

  it('a build warns when the seal it makes expires within 7 days', async () => {
    const short = await createTempDir('stele-log-short-');
    const files = createStarterFiles('shortlived');
    files['stele.config.ts'] = String(files['stele.config.ts']).replace('seal: {', 'seal: {\n    expiresInDays: 5,');
    await writeFiles(short, files);
    const result = await build(short);
    expect(result.ok).toBe(true);
    const warning = result.diagnostics.find((d) => d.code === 'STELE1306');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toMatch(/expires in 5 days/);
    expect((await build()).diagnostics.map((d) => d.code)).not.toContain('STELE1306');
  }, 120_000);

  it('refuses to continue a history under another key unless a rotation signed by the old key leads to it', async () => {
    const project = await createTempDir('stele-log-key-');
    await writeFiles(project, createStarterFiles('keysite'));
    expect((await build(project)).ok).toBe(true);
    const published = readFileSync(join(project, 'dist/.well-known/stele/manifest.json'));
    const stranger = createSignerFromSeed(new Uint8Array(32).fill(12));
    const refused = await build(project, stranger);
    expect(refused.ok).toBe(false);
    const error = refused.diagnostics.find((d) => d.code === 'STELE1308');
    expect(error?.message).toContain(`was signed by key ${signer.keyId}; this build would sign with key ${stranger.keyId}, and no rotation signed by ${signer.keyId} leads to it`);
    expect(error?.hint).toMatch(/stele key rotate/);
    expect(readFileSync(join(project, 'dist/.well-known/stele/manifest.json'))).toEqual(published);
    // With the rotation in the key folder (what `stele key rotate` writes), the history goes on.
    await writeFiles(project, {
      [`keys/rotations/${stranger.keyId}.pub`]: stranger.publicKeyFile,
      [`keys/rotations/${stranger.keyId}.pub.minisig`]: signer.sign(
        new TextEncoder().encode(stranger.publicKeyFile),
        formatRotationComment(signer.keyId, stranger.keyId, new Date(clock)),
      ),
    });
    const rotated = await build(project, stranger);
    expect(rotated.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect((await logLines(siteLog(project))).map((l) => parseLogEntry(l)?.keyId)).toEqual([signer.keyId, stranger.keyId]);
  }, 180_000);
});
