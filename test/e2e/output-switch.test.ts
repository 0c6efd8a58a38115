/**
 * Nothing reaches `dist` before it is verified, and an interrupted switch never
 * loses it: a build whose written site fails verification leaves the previous
 * `dist` byte for byte; a real `stele build` child process killed (SIGKILL)
 * between the two renames of the switch leaves the previous output aside, and
 * the next command (`stele verify`, `stele build`) puts it back and removes the
 * leftovers. The kill point is reached with `STELE_TEST_KILL_AT=output-switch`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { recoverOutputFolder, writeOutputAtomically } from '../../src/build/write-output.js';
import { createStarterFiles } from '../../src/content/starter.js';
import { createNodeHost } from '../../src/io/host.js';
import { createMemoryFileSystem } from '../../src/io/memory-fs.js';
import { createKeyFiles } from '../../src/seal/key-store.js';
import { createSignerFromSeed, loadSigner } from '../../src/seal/signer.js';
import { createTempDir, createTestHost, removeTempDirs, writeFiles } from '../helpers/temp-site.js';

const bin = join(import.meta.dirname, '../../bin/stele.js');
let root: string;
let dist: string;

/** sha256 over every path and byte under `dir`. */
function digestFolder(dir: string): string {
  const h = createHash('sha256');
  const walk = (abs: string) => {
    for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(abs, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(`${relative(dir, p)}\0`).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

const leftovers = () => readdirSync(root).filter((n) => n.startsWith('dist.stele-'));

function runStele(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
}

beforeAll(async () => {
  root = await createTempDir('stele-switch-');
  dist = join(root, 'dist');
  await writeFiles(root, createStarterFiles('switch'));
  const keys = await createKeyFiles({ dir: join(root, 'keys'), unencrypted: true });
  expect(keys.ok).toBe(true);
  const first = await buildProject({ root, host: createTestHost({ now: new Date() }), mode: 'production' });
  expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(first.ok && first.seal).toBeTruthy();
}, 120_000);

afterAll(removeTempDirs);

describe('the output switch', () => {
  it('never lets a site that fails verification reach dist', async () => {
    const before = digestFolder(dist);
    writeFileSync(join(root, 'content/pages/about.en.md'), '---\ntitle: About us (changed)\n---\n\nChanged.\n');
    // The seal is made by a key other than the one it claims: the written copy does not verify.
    const loaded = await loadSigner({ keyFile: join(root, 'keys/stele.key') });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const impostor = createSignerFromSeed(new Uint8Array(32).fill(9));
    const signer = { ...loaded.signer, sign: impostor.sign.bind(impostor) };
    const result = await buildProject({ root, host: createTestHost({ now: new Date() }), mode: 'production', signer });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toContain('STELE1302');
    expect(result.outDir).toBeUndefined();
    expect(digestFolder(dist)).toBe(before);
    expect(leftovers()).toEqual([]);
  }, 120_000);

  it('recovers the previous dist after a real build process is killed between the two renames', () => {
    const before = digestFolder(dist);
    writeFileSync(join(root, 'content/pages/about.en.md'), '---\ntitle: About us, again\n---\n\nAgain.\n');
    const killed = runStele(['build', root, '--quiet'], { STELE_TEST_KILL_AT: 'output-switch' });
    expect(killed.signal).toBe('SIGKILL');
    // The window the issue describes: no dist, the previous output and the new one aside.
    expect(existsSync(dist)).toBe(false);
    expect(leftovers().map((n) => n.replace(/-\d+-.*$/, '')).sort()).toEqual(['dist.stele-old', 'dist.stele-tmp']);

    const verified = runStele(['verify', dist, '--key', join(root, 'keys/stele.pub'), '--trust-store', 'off']);
    expect(verified.stderr).toContain('recovered');
    expect(verified.status).toBe(0);
    expect(digestFolder(dist)).toBe(before);
    expect(leftovers()).toEqual([]);

    const rebuilt = runStele(['build', root, '--quiet']);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(readFileSync(join(dist, 'about/index.html'), 'utf8')).toContain('About us, again');
    expect(leftovers()).toEqual([]);
  }, 300_000);
});

describe('recoverOutputFolder', () => {
  const host = { ...createNodeHost({ quiet: true }), fs: createMemoryFileSystem() };

  it('leaves folders of running processes alone and removes those of dead ones', async () => {
    const fs = createMemoryFileSystem({
      '/s/dist/index.html': 'new',
      [`/s/dist.stele-tmp-${process.pid}-abc-1/index.html`]: 'mine',
      '/s/dist.stele-old-999999999-abc-1/index.html': 'dead',
      '/s/dist.stele-notes/x': 'not ours',
    });
    const result = await recoverOutputFolder('/s/dist', { ...host, fs });
    expect(result).toEqual({ removed: ['/s/dist.stele-old-999999999-abc-1'] });
    expect([...fs.files.keys()].sort()).toEqual([`/s/dist.stele-tmp-${process.pid}-abc-1/index.html`, '/s/dist.stele-notes/x', '/s/dist/index.html'].sort());
  });

  it('writes nothing when the verifier refuses, on any file system', async () => {
    const fs = createMemoryFileSystem({ '/s/dist/index.html': 'old' });
    const output = new Map([['index.html', new TextEncoder().encode('new')]]);
    expect(await writeOutputAtomically(output, '/s/dist', { ...host, fs }, { verify: async () => false })).toBe(false);
    expect([...fs.files.keys()]).toEqual(['/s/dist/index.html']);
    expect(await writeOutputAtomically(output, '/s/dist', { ...host, fs }, { verify: async () => true })).toBe(true);
    expect(new TextDecoder().decode(fs.files.get('/s/dist/index.html'))).toBe('new');
    expect([...fs.files.keys()]).toEqual(['/s/dist/index.html']);
  });
});
