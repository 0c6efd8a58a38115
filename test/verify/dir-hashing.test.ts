/**
 * Hashing a folder's files (`FileSystem.hashFile` through `createDirSource`): files
 * larger than one read are hashed whole, a change in the last byte of the last chunk is
 * caught, every file of a tree far larger than the pool of parallel reads is checked, and
 * entries that are not regular files are reported without being read.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeFileSystem } from '../../src/io/host.js';
import { sealSite } from '../../src/seal/seal-site.js';
import type { OutputFiles } from '../../src/site/output.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { cleanupTempDirs, CHANNELS, makeTempDir, NOW, SIGNER, writeOutput } from './fixture.js';

afterAll(cleanupTempDirs);

/** Deterministic, non-repeating bytes (a repeated pattern could hide a chunk read twice). */
function createBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function writeSealed(files: Record<string, Uint8Array>): string {
  const out: OutputFiles = new Map(Object.entries(files));
  sealSite(out, { siteId: 'hashing', version: 1, now: NOW, signer: SIGNER, channels: CHANNELS });
  const dir = makeTempDir();
  writeOutput(out, dir);
  return dir;
}

const verify = (dir: string, extra: Partial<Parameters<typeof verifySite>[1]> = {}) =>
  verifySite(dir, { publicKey: SIGNER.publicKeyFile, trustStoreDir: false, now: NOW, ...extra });

const BIG = 3 * 1024 * 1024 + 123;

describe('hashing the files of a folder', () => {
  it('hashes a file of many reads whole: untouched it matches, a flipped last byte or a flipped byte at a read boundary does not', async () => {
    const big = createBytes(BIG, 7);
    const dir = writeSealed({ 'index.html': new TextEncoder().encode('<p>hi</p>'), 'media/film.bin': big });
    const first = await verify(dir);
    expect(first).toMatchObject({ status: 'genuine', problems: [] });
    expect(first.checkedFiles).toBe(first.manifest?.fileCount);

    for (const offset of [BIG - 1, 256 * 1024, 256 * 1024 - 1]) {
      const changed = Uint8Array.from(big);
      changed[offset] ^= 0x01;
      writeFileSync(join(dir, 'media/film.bin'), changed);
      const report = await verify(dir);
      expect(report.status).toBe('not-genuine');
      expect(report.problems).toEqual([expect.objectContaining({ kind: 'modified', path: 'media/film.bin', actual: expect.stringMatching(new RegExp(`^${BIG} bytes sha256 [0-9a-f]{64}$`)) })]);
    }
    writeFileSync(join(dir, 'media/film.bin'), big);
    expect((await verify(dir)).status).toBe('genuine');
  });

  it('hashFile reports the digest of the whole file, its kind, and nothing for a missing path', async () => {
    const fs = createNodeFileSystem();
    const dir = makeTempDir();
    const big = createBytes(BIG, 3);
    writeFileSync(join(dir, 'big.bin'), big);
    const expected = (await import('node:crypto')).createHash('sha256').update(big).digest('hex');
    expect(await fs.hashFile(join(dir, 'big.bin'))).toEqual({ kind: 'file', size: BIG, sha256: expected });
    expect(await fs.hashFile(join(dir, 'big.bin'), BIG)).toEqual({ kind: 'file', size: BIG, sha256: expected });
    // Another expected size: reported, not read.
    expect(await fs.hashFile(join(dir, 'big.bin'), 5)).toEqual({ kind: 'file', size: BIG });
    expect(await fs.hashFile(join(dir, 'nothing.bin'))).toBeUndefined();
    expect(await fs.hashFile(join(dir, 'big.bin', 'below'))).toBeUndefined();
    expect((await fs.hashFile(dir))?.kind).toBe('dir');
  });

  it('checks every file of a tree much larger than the pool of parallel reads, and reports each change', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 300; i++) files[`part-${i % 7}/file-${String(i).padStart(3, '0')}.bin`] = createBytes(1 + ((i * 977) % 5000), i + 1);
    const dir = writeSealed(files);
    const genuine = await verify(dir, { concurrency: 4 });
    expect(genuine).toMatchObject({ status: 'genuine', problems: [] });
    // The 300 files and what sealing added (channels, release log…).
    expect(genuine.checkedFiles).toBe(genuine.manifest?.fileCount);
    expect(genuine.checkedFiles).toBeGreaterThan(300);

    // The first, a middle and the last file read, changed without changing their size.
    const changed = ['part-0/file-000.bin', 'part-3/file-150.bin', 'part-5/file-299.bin'];
    for (const path of changed) {
      const abs = join(dir, path);
      const bytes = readFileSync(abs);
      bytes[bytes.length - 1] ^= 0x80;
      writeFileSync(abs, bytes);
    }
    const report = await verify(dir, { concurrency: 4 });
    expect(report.checkedFiles).toBe(genuine.checkedFiles - 3);
    expect(report.problems.map((p) => [p.kind, p.path])).toEqual(changed.map((p) => ['modified', p]));
  });

  it.skipIf(process.platform === 'win32')('reports a named pipe or a folder in place of a listed file without reading it', async () => {
    const dir = writeSealed({ 'a.html': new TextEncoder().encode('<p>a</p>'), 'b.html': new TextEncoder().encode('<p>b</p>') });
    rmSync(join(dir, 'a.html'));
    // No writer ever opens this pipe: reading it would wait for ever.
    execFileSync('mkfifo', [join(dir, 'a.html')]);
    rmSync(join(dir, 'b.html'));
    mkdirSync(join(dir, 'b.html'));
    const report = await verify(dir);
    expect(report.status).toBe('not-genuine');
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'modified', path: 'a.html', message: 'a.html was modified (not a regular file)' }),
      expect.objectContaining({ kind: 'modified', path: 'b.html', message: 'b.html was modified (not a regular file)' }),
    ]);
  });
});
