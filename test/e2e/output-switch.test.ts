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
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { OUTPUT_SPARE_DIR, recoverOutputFolder, writeOutputAtomically } from '../../src/build/write-output.js';
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

describe('the spare output folder (a write starts from the output it replaced)', () => {
  it('keeps unchanged files in place, removes everything else, and never writes through a link planted in it', async () => {
    const base = await createTempDir('stele-spare-');
    const out = join(base, 'dist');
    const spare = join(base, '.stele/cache', OUTPUT_SPARE_DIR);
    const host = createNodeHost({ quiet: true });
    const bytes = (text: string) => new TextEncoder().encode(text);
    const site = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([p, t]) => [p, bytes(t)]));
    /** What the verifier sees: exactly these files, these bytes, nothing else (no link, no extra folder). */
    const matches = (dir: string, output: Map<string, Uint8Array>) => {
      const found: string[] = [];
      const walk = (rel: string) => {
        for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
          const path = rel ? `${rel}/${e.name}` : e.name;
          if (e.isDirectory()) walk(path);
          else found.push(e.isFile() ? path : `${path} (not a file)`);
        }
      };
      walk('');
      return found.sort().join('\n') === [...output.keys()].sort().join('\n') && found.every((p) => Buffer.from(readFileSync(join(dir, p))).equals(output.get(p)!));
    };
    const first = site({ 'same.html': 'same', 'posts/a.html': 'a1', 'old.html': 'old', 'page.html': 'p1', 'gone/x.html': 'x' });
    expect(await writeOutputAtomically(first, out, host, { spareDir: spare, verify: async (d) => matches(d, first) })).toBe(true);
    const inode = statSync(join(out, 'same.html')).ino;
    expect(existsSync(spare)).toBe(false);
    // The second write keeps the first output as the spare.
    const second = site({ 'same.html': 'same', 'posts/a.html': 'a2', 'page.html': 'p2', 'link.html': 'l' });
    expect(await writeOutputAtomically(second, out, host, { spareDir: spare, verify: async (d) => matches(d, second) })).toBe(true);
    expect(matches(spare, first)).toBe(true);
    // Someone plants links and extra files in the spare.
    const outsideFile = join(base, 'outside.txt');
    const outsideDir = join(base, 'outside-dir');
    writeFileSync(outsideFile, 'do not touch');
    mkdirSync(outsideDir);
    writeFileSync(join(outsideDir, 'a.html'), 'do not touch either');
    symlinkSync(outsideFile, join(spare, 'link.html'));
    rmSync(join(spare, 'posts'), { recursive: true });
    symlinkSync(outsideDir, join(spare, 'posts'));
    writeFileSync(join(spare, 'extra.html'), 'planted');
    const third = site({ 'same.html': 'same', 'posts/a.html': 'a3', 'page.html': 'p3', 'link.html': 'l3', 'new/n.html': 'n' });
    expect(await writeOutputAtomically(third, out, host, { spareDir: spare, verify: async (d) => matches(d, third) })).toBe(true);
    expect(matches(out, third)).toBe(true);
    expect(lstatSync(join(out, 'posts')).isDirectory()).toBe(true);
    expect(readFileSync(outsideFile, 'utf8')).toBe('do not touch');
    expect(readFileSync(join(outsideDir, 'a.html'), 'utf8')).toBe('do not touch either');
    // The unchanged file of the first write was never written again: the same file moved through.
    expect(statSync(join(out, 'same.html')).ino).toBe(inode);
    expect(matches(spare, second)).toBe(true);
    expect(readdirSync(base).filter((n) => n.startsWith('dist.stele-'))).toEqual([]);

    // Digests the kept output claims for itself let a write skip reading it; a claim that lies
    // (here: every file said to be already the new one) fails the verify, and the site is written afresh.
    const fourth = site({ 'same.html': 'same', 'posts/a.html': 'a4', 'page.html': 'p4', 'link.html': 'l4' });
    const digests = new Map([...fourth].map(([p, b]) => [p, createHash('sha256').update(b).digest('hex')]));
    let verifies = 0;
    const verify = async (d: string) => {
      verifies++;
      return matches(d, fourth);
    };
    expect(await writeOutputAtomically(fourth, out, host, { spareDir: spare, digests, readKeptDigests: async () => digests, verify })).toBe(true);
    expect(verifies).toBe(2);
    expect(matches(out, fourth)).toBe(true);
    // An honest claim: unchanged files stay unread and in place, changed ones are written, one verify.
    const fifth = site({ 'same.html': 'same', 'posts/a.html': 'a5', 'page.html': 'p4', 'link.html': 'l4' });
    const honest = new Map([...third].map(([p, b]) => [p, createHash('sha256').update(b).digest('hex')]));
    const fifthDigests = new Map([...fifth].map(([p, b]) => [p, createHash('sha256').update(b).digest('hex')]));
    const sameInode = statSync(join(spare, 'same.html')).ino;
    verifies = 0;
    const verifyFifth = async (d: string) => {
      verifies++;
      return matches(d, fifth);
    };
    expect(await writeOutputAtomically(fifth, out, host, { spareDir: spare, digests: fifthDigests, readKeptDigests: async () => honest, verify: verifyFifth })).toBe(true);
    expect(verifies).toBe(1);
    expect(matches(out, fifth)).toBe(true);
    expect(statSync(join(out, 'same.html')).ino).toBe(sameInode);
    // Without a verify to check them, claims are not used: the kept files are compared byte for byte.
    const sixth = site({ 'same.html': 'same', 'posts/a.html': 'a6', 'page.html': 'p6' });
    const sixthDigests = new Map([...sixth].map(([p, b]) => [p, createHash('sha256').update(b).digest('hex')]));
    expect(await writeOutputAtomically(sixth, out, host, { spareDir: spare, digests: sixthDigests, readKeptDigests: async () => sixthDigests })).toBe(true);
    expect(matches(out, sixth)).toBe(true);
  });
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
