/**
 * End to end: the example site is built, sealed and written; the real Debian
 * `minisign` verifies the manifest signature; `verifySite` finds the written
 * folder genuine; a rebuild gets a higher version and verifies again; and
 * tampering after the build is detected. Proves that no stage after seal
 * changes a byte of output.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildProject } from '../../src/build/build-project.js';
import { createNodeHost } from '../../src/io/host.js';
import { readSiteLog, readStoredLog } from '../../src/seal/release-log-store.js';
import { createSignerFromSeed } from '../../src/seal/signer.js';
import { isReleaseLogPath, parseLogEntry } from '../../src/trust/release-log.js';
import { verifySite } from '../../src/verify/verify-site.js';

const root = join(import.meta.dirname, '../../examples/cfcr');
const signer = createSignerFromSeed(new Uint8Array(32).fill(7));
const now = new Date('2026-11-25T12:00:00Z');
const host = { ...createNodeHost({ quiet: true }), now: () => now };
let dir: string;
let first: BuildResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stele-e2e-'));
  // The example's committed history (examples/cfcr/.stele/log, made by real seals) is continued in a copy.
  cpSync(join(root, '.stele/log'), join(dir, 'log'), { recursive: true });
  first = await buildProject({ root, host, mode: 'production', signer, outDir: join(dir, 'dist'), logDir: join(dir, 'log') });
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sealed example site', () => {
  it('builds without errors and is sealed', () => {
    expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(first.ok).toBe(true);
    expect(first.seal?.keyId).toBe(signer.keyId);
    expect(first.stats.pages).toBeGreaterThan(40);
  });

  it('continues the committed release log of the example (at least three versions)', async () => {
    const fs = createNodeHost({ quiet: true }).fs;
    const committed = await readStoredLog(join(root, '.stele/log'), fs);
    expect(committed.status).toBe('ok');
    if (committed.status !== 'ok') return;
    expect(committed.siteId).toBe('cfcr');
    expect(committed.lines.length).toBeGreaterThanOrEqual(3);
    const built = await readSiteLog(join(dir, 'dist'), fs);
    expect(built.status === 'ok' && built.lines.slice(0, -1)).toEqual(committed.lines);
    expect(built.status === 'ok' && parseLogEntry(built.lines[built.lines.length - 1])?.version).toBe(first.seal?.version);
  });

  it('the written manifest verifies with the real minisign tool', () => {
    const pub = join(dir, 'stele.pub');
    writeFileSync(pub, signer.publicKeyFile);
    const manifest = join(dir, 'dist/.well-known/stele/manifest.json');
    const out = execFileSync('minisign', ['-Vm', manifest, '-p', pub], { encoding: 'utf8' });
    expect(out).toMatch(/Signature and comment signature verified/);
    expect(out).toMatch(/site=cfcr/);
    const channels = join(dir, 'dist/.well-known/stele/channels.json');
    expect(execFileSync('minisign', ['-Vm', channels, '-p', pub], { encoding: 'utf8' })).toMatch(/verified/);
  });

  it('lists every written file in the manifest, and the written folder is genuine', async () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'dist/.well-known/stele/manifest.json'), 'utf8'));
    const listed = new Set(manifest.files.map((f: { path: string }) => f.path));
    const config = new Set(manifest.serverConfig.map((f: { path: string }) => f.path));
    for (const path of first.output!.keys()) {
      if (!path.startsWith('.well-known/stele/manifest.json') && !isReleaseLogPath(path)) expect(listed.has(path) || config.has(path), path).toBe(true);
    }
    expect(listed.has('index.html')).toBe(true);
    // Server configuration is signed apart from the files a reader can fetch.
    expect([...config].sort()).toEqual(['.htaccess', '_headers']);
    expect(listed.has('.htaccess')).toBe(false);
    const report = await verifySite(join(dir, 'dist'), { publicKey: signer.publicKeyFile, trustStoreDir: false, now });
    expect(report.problems).toEqual([]);
    expect(report.status).toBe('genuine');
  });

  it('never writes the secret key or a withheld name into the site', () => {
    const all = [...first.output!.values()].map((b) => Buffer.from(b).toString('latin1')).join('\n');
    expect(all).not.toContain('stele encrypted secret key');
    for (const name of ['Lian Jizi', '廉姬子', '廉姬子'.normalize(), 'Shi Aiqin', '石爱钦', '石愛欽']) {
      expect(all.includes(Buffer.from(name).toString('latin1')), name).toBe(false);
    }
  });

  it('a rebuild gets a higher version and verifies again; tampering is then detected', async () => {
    const second = await buildProject({ root, host, mode: 'production', signer, outDir: join(dir, 'dist'), logDir: join(dir, 'log') });
    expect(second.ok).toBe(true);
    expect(second.seal!.version).toBeGreaterThan(first.seal!.version);
    const clean = await verifySite(join(dir, 'dist'), { publicKey: signer.publicKeyFile, trustStoreDir: false, now });
    expect(clean.status).toBe('genuine');
    appendFileSync(join(dir, 'dist/index.html'), '<script src="https://evil.example/x.js"></script>');
    writeFileSync(join(dir, 'dist/evil.js'), 'alert(1)');
    const tampered = await verifySite(join(dir, 'dist'), { publicKey: signer.publicKeyFile, trustStoreDir: false, now });
    expect(tampered.status).toBe('not-genuine');
    expect(tampered.problems.map((p) => `${p.kind} ${p.path}`).sort()).toEqual(['added evil.js', 'modified index.html']);
  });
});
