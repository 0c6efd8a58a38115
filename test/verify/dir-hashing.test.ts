/**
 * Hashing a folder's files (`FileSystem.hashFile` through `createDirSource`): files
 * larger than one read are hashed whole, a change in the last byte of the last chunk is
 * caught, every file of a tree far larger than the pool of parallel reads is checked, and
 * entries that are not regular files are reported without being read; a folder is listed in one
 * call as it is folder by folder; `stele verify` runs from its prebuilt bundle.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { FileHashOutcome } from '../../src/io/host.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeFileSystem } from '../../src/io/host.js';
import { sealSite } from '../../src/seal/seal-site.js';
import type { OutputFiles } from '../../src/site/output.js';
import { listPresentFiles } from '../../src/verify/dir-source.js';
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

function writeSealed(files: Record<string, Uint8Array>, now = NOW): string {
  const out: OutputFiles = new Map(Object.entries(files));
  sealSite(out, { siteId: 'hashing', version: 1, now, signer: SIGNER, channels: CHANNELS });
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
    const expected = createHash('sha256').update(big).digest('hex');
    expect(await fs.hashFile(join(dir, 'big.bin'))).toEqual({ kind: 'file', size: BIG, sha256: expected });
    expect(await fs.hashFile(join(dir, 'big.bin'), BIG)).toEqual({ kind: 'file', size: BIG, sha256: expected });
    // Another expected size: reported, not read.
    expect(await fs.hashFile(join(dir, 'big.bin'), 5)).toEqual({ kind: 'file', size: BIG });
    expect(await fs.hashFile(join(dir, 'nothing.bin'))).toBeUndefined();
    expect(await fs.hashFile(join(dir, 'big.bin', 'below'))).toBeUndefined();
    expect((await fs.hashFile(dir))?.kind).toBe('dir');
    // Empty, exactly one read, one byte more, one byte less.
    for (const size of [0, 256 * 1024, 256 * 1024 + 1, 256 * 1024 - 1]) {
      const bytes = createBytes(size, size + 1);
      writeFileSync(join(dir, `s${size}.bin`), bytes);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect(await fs.hashFile(join(dir, `s${size}.bin`), size)).toEqual({ kind: 'file', size, sha256 });
    }
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

  it.skipIf(process.platform === 'win32')('lists a folder in one call (FileSystem.listTree) exactly as walking it folder by folder does', async () => {
    const dir = makeTempDir();
    for (const path of ['index.html', '.htaccess', '.well-known/stele/manifest.json', 'a/b/c/d.txt', 'a/b/e.txt', 'z/.hidden', 'é/中.html', 'B.html']) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), path);
    }
    mkdirSync(join(dir, 'empty/inner'), { recursive: true });
    symlinkSync(join(dir, 'a'), join(dir, 'link-to-folder'));
    symlinkSync(join(dir, 'index.html'), join(dir, 'a/link-to-file'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    execFileSync('mkfifo', [join(dir, 'a/b/pipe')]);
    const fs = createNodeFileSystem();
    expect(fs.listTree).toBeDefined();
    const walked = await listPresentFiles(dir, { ...fs, listTree: undefined });
    expect(await listPresentFiles(dir, fs)).toEqual(walked);
    expect(walked).toEqual([
      '.htaccess',
      '.well-known/stele/manifest.json',
      'B.html',
      'a/b/c/d.txt',
      'a/b/e.txt',
      'a/b/pipe',
      'a/link-to-file',
      'dangling',
      'index.html',
      'link-to-folder',
      'z/.hidden',
      'é/中.html',
    ]);
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

const ROOT = join(import.meta.dirname, '../..');

/** A sealed tree of `count` small files (enough for `stele verify` to hash them on worker threads), sealed now for the CLI's clock. */
function writeLargeTree(count: number): string {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < count; i++) files[`d${i % 13}/f${String(i).padStart(4, '0')}.txt`] = createBytes(1 + ((i * 613) % 3000), i + 11);
  files['big/film.bin'] = createBytes(BIG, 5);
  return writeSealed(files, new Date());
}

describe('hashing on worker threads (compiled stele)', () => {
  it('stele verify checks every file of a large folder on two hash threads, started with its listing before the manifest is read, and reports each change', async () => {
    const dir = writeLargeTree(1100);
    // A manifest this large starts the hash threads and the listing before it is read.
    expect(statSync(join(dir, '.well-known/stele/manifest.json')).size).toBeGreaterThan(128 * 1024);
    const pub = join(makeTempDir('stele-hashing-key-'), 'site.pub');
    writeFileSync(pub, SIGNER.publicKeyFile);
    const run = async () => {
      try {
        const r = await promisify(execFile)(process.execPath, [join(ROOT, 'bin/stele.js'), 'verify', dir, '--key', pub, '--trust-store', 'off', '--deadline', '0', '--json'], {
          env: { ...process.env, STELE_HASH_WORKERS: '2' },
          maxBuffer: 1 << 26,
        });
        return { code: 0, report: JSON.parse(r.stdout) };
      } catch (error) {
        const e = error as { code: number; stdout: string };
        return { code: e.code, report: JSON.parse(e.stdout) };
      }
    };
    const clean = await run();
    expect(clean.code).toBe(0);
    expect(clean.report.status).toBe('genuine');
    expect(clean.report.checkedFiles).toBe(clean.report.manifest.fileCount);
    expect(clean.report.checkedFiles).toBeGreaterThan(1100);

    const flip = (path: string, at: (size: number) => number) => {
      const bytes = readFileSync(join(dir, path));
      bytes[at(bytes.length)] ^= 0x01;
      writeFileSync(join(dir, path), bytes);
    };
    flip('d0/f0000.txt', () => 0);
    flip('d3/f0497.txt', (n) => n - 1);
    flip('big/film.bin', (n) => n - 1);
    rmSync(join(dir, 'd12/f0883.txt'));
    rmSync(join(dir, 'd5/f0447.txt'));
    symlinkSync(join(dir, 'd0/f0013.txt'), join(dir, 'd5/f0447.txt'));
    // An addition, found by the listing a hash thread makes while the signatures are checked.
    writeFileSync(join(dir, 'd12/planted.php'), '<?php');
    const tampered = await run();
    expect(tampered.code).toBe(1);
    expect(tampered.report.status).toBe('not-genuine');
    expect(tampered.report.checkedFiles).toBe(clean.report.checkedFiles - 5);
    expect(tampered.report.problems.map((p: { kind: string; path: string }) => [p.kind, p.path])).toEqual([
      ['modified', 'big/film.bin'],
      ['modified', 'd0/f0000.txt'],
      ['missing', 'd12/f0883.txt'],
      ['added', 'd12/planted.php'],
      ['modified', 'd3/f0497.txt'],
      ['modified', 'd5/f0447.txt'],
    ]);
  }, 120_000);

  it('hashFilesInWorkers gives the same outcomes as hashing on the main thread, and reports nothing once aborted', async () => {
    const compiled = pathToFileURL(join(ROOT, 'dist/io/hash-file.js')).href;
    const { hashFilesInWorkers, hashNodeFile, prestartHashWorkers, toOutcome } = (await import(compiled)) as typeof import('../../src/io/hash-file.js');
    const dir = writeLargeTree(700);
    const paths = ['big/film.bin', 'd1/f0001.txt', 'd2/f0002.txt', 'nothing/here.txt', 'd3', ...Array.from({ length: 700 }, (_, i) => `d${i % 13}/f${String(i).padStart(4, '0')}.txt`)];
    const requests = paths.map((p, i) => ({ path: join(dir, p), ...(i === 2 ? { expectedSize: 1 } : {}) }));
    const outcomes: FileHashOutcome[] = [];
    let reports = 0;
    await hashFilesInWorkers(requests, (i, outcome) => {
      outcomes[i] = outcome;
      reports++;
    });
    expect(reports).toBe(requests.length);
    for (const [i, r] of requests.entries()) expect(outcomes[i]).toEqual(toOutcome(await hashNodeFile(r.path, r.expectedSize)));
    expect(outcomes[3]).toEqual({ status: 'missing' });
    expect(outcomes[4]).toMatchObject({ status: 'found', hash: { kind: 'dir' } });

    // Threads started ahead of the batch give the same outcomes.
    prestartHashWorkers(requests.length);
    const again: FileHashOutcome[] = [];
    await hashFilesInWorkers(requests, (i, outcome) => {
      again[i] = outcome;
    });
    expect(again).toEqual(outcomes);

    const controller = new AbortController();
    let afterAbort = 0;
    await hashFilesInWorkers(
      requests,
      () => {
        if (controller.signal.aborted) afterAbort++;
        else controller.abort();
      },
      controller.signal,
    );
    expect(afterAbort).toBe(0);
  }, 120_000);

  it('stele verify runs from one prebuilt bundle: the verify command without builder code, starting the compiled hash worker', () => {
    const bundle = join(ROOT, 'dist/cli/verify-cli.bundle.js');
    const text = readFileSync(bundle, 'utf8');
    expect(text).toContain('runVerifyCli');
    for (const builderOnly of ['sharp', 'pagefind', 'markdown-it', 'sanitize-html', '@aws-sdk/client-s3', 'opencc-js']) {
      expect(text, builderOnly).not.toMatch(new RegExp(`(?:from|import\\()\\s*["']${builderOnly.replace(/[/.-]/g, '\\$&')}["']`));
    }
    expect(text).not.toMatch(/function (?:buildProject|sealSite|createSignerFromSeed|renderMarkdown)\b/);
    // zod's English messages only (its other locales are left out of the bundle), and its
    // tree-shakable API (the trust core's src/trust/zod.ts): none of classic zod.
    expect(text).toContain('zod/v4/locales/en.js');
    expect(text).not.toContain('zod/v4/locales/ru.js');
    expect(text).toContain('zod/v4/mini/');
    expect(text).not.toContain('zod/v4/classic/');
    // hash-file.ts resolves its worker as `../io/hash-worker.js`, from dist/io/ and from this bundle alike.
    expect(text).toContain('new URL("../io/hash-worker.js", import.meta.url)');
    expect(existsSync(fileURLToPath(new URL('../io/hash-worker.js', pathToFileURL(bundle))))).toBe(true);
    const bin = readFileSync(join(ROOT, 'bin/stele.js'), 'utf8');
    expect(bin).toContain('../dist/cli/verify-cli.bundle.js');
  });

  it('a thread started ahead lists a folder as the main thread does, and a folder that is not there lists empty', async () => {
    const compiled = pathToFileURL(join(ROOT, 'dist/io/hash-file.js')).href;
    const { listNodeTree, listTreeSync, prestartHashWorkers } = (await import(compiled)) as typeof import('../../src/io/hash-file.js');
    const dir = writeLargeTree(600);
    symlinkSync(join(dir, 'd1'), join(dir, 'link-to-folder'));
    const onMain = listTreeSync(dir);
    expect(onMain.length).toBeGreaterThan(600);
    expect(onMain).toContain('link-to-folder');
    const before = process.env.STELE_HASH_WORKERS;
    process.env.STELE_HASH_WORKERS = '1';
    try {
      prestartHashWorkers(5000);
      expect(await listNodeTree(dir)).toEqual(onMain);
      prestartHashWorkers(5000);
      expect(await listNodeTree(join(dir, 'nothing-here'))).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.STELE_HASH_WORKERS;
      else process.env.STELE_HASH_WORKERS = before;
    }
    expect(await listPresentFiles(dir, { ...createNodeFileSystem(), listTree: undefined })).toEqual(onMain);
  }, 60_000);

  it('threads started ahead of a batch that never comes do not keep the process alive', async () => {
    const compiled = pathToFileURL(join(ROOT, 'dist/io/hash-file.js')).href;
    const script = `const m = await import(${JSON.stringify(compiled)}); m.prestartHashWorkers(5000); console.log('started');`;
    // Unused threads are stopped after 30 s; a child still alive after 20 s is killed and the test fails (a hang detector, not a speed bound).
    const r = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, STELE_HASH_WORKERS: '2' }, timeout: 20_000 });
    expect(r.stdout.trim()).toBe('started');
  }, 60_000);
});
