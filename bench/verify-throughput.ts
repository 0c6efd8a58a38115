/**
 * Benchmark: `verifySite(dir)` against `sha256sum` over the same files, in the same run.
 *
 *   npx tsx bench/verify-throughput.ts
 *
 * Environment: STELE_BENCH_MB (total size, default 300), STELE_BENCH_FILES (default 2000),
 * STELE_BENCH_DIR (work folder; default a temp folder, removed afterwards),
 * STELE_BENCH_KEEP=1 (keep the generated tree).
 *
 * The tree is deterministic (AES-CTR keystream from a fixed key, log-uniform file sizes),
 * written to disk, then sealed. Both tools read it warm from the page cache (it was just
 * written). `verifySite` runs in a child process so its peak RSS (`maxRSS`) is its own.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sealSite } from '../src/seal/seal-site.js';
import { createSignerFromSeed } from '../src/seal/signer.js';
import type { OutputFiles } from '../src/site/output.js';
import { verifySite } from '../src/verify/verify-site.js';
import { runProcess } from './measure.js';

/** What one benchmark run measured. */
export interface VerifyThroughputResult {
  files: number;
  totalBytes: number;
  verify: {
    wallMs: number;
    mbPerSecond: number;
    /** `process.resourceUsage().maxRSS` in the verify child (KiB). */
    maxRssKiB: number;
    /** VmHWM of the verify child (KiB), when /proc is available. */
    peakRssKiB?: number;
    status: string;
    checkedFiles: number;
  };
  sha256sum: { wallMs: number; mbPerSecond: number };
  sha256sumParallel: { wallMs: number; mbPerSecond: number; jobs: number };
  /** verify wall time / sha256sum wall time (1.0 = as fast as sha256sum). */
  ratio: number;
}

const EXTENSIONS = ['html', 'css', 'js', 'jpg', 'png', 'pdf', 'woff2', 'json', 'svg', 'webp'];

/** A small deterministic PRNG (mulberry32). */
function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sizes summing to `totalBytes`, log-uniform between ~1 and ~1000 relative units. */
export function planFileSizes(count: number, totalBytes: number, seed = 42): number[] {
  const random = createRandom(seed);
  const weights = Array.from({ length: count }, () => Math.exp(random() * Math.log(1000)));
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((totalBytes * w) / sum)));
  sizes[0] += Math.max(0, totalBytes - sizes.reduce((a, b) => a + b, 0));
  return sizes;
}

/** Deterministic bytes for file `index`. */
function createFileBytes(index: number, size: number): Uint8Array {
  const key = createHash('sha256').update('stele-bench').digest();
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(index, 12);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  return new Uint8Array(Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]));
}

/** Generate, write and seal the tree; returns the public key file text. */
export async function generateSealedTree(dir: string, count: number, totalBytes: number): Promise<string> {
  const sizes = planFileSizes(count, totalBytes);
  const output: OutputFiles = new Map();
  for (let i = 0; i < count; i++) {
    const ext = EXTENSIONS[i % EXTENSIONS.length];
    const path = `section-${String(i % 20).padStart(2, '0')}/part-${String(Math.floor(i / 20) % 10)}/file-${String(i).padStart(5, '0')}.${ext}`;
    output.set(path, createFileBytes(i, sizes[i]));
  }
  const signer = createSignerFromSeed(new Uint8Array(32).fill(9));
  sealSite(output, {
    siteId: 'bench',
    version: 1,
    now: new Date(),
    signer,
    channels: { official: [], revoked: [] },
  });
  for (const [path, data] of output) {
    const abs = join(dir, ...path.split('/'));
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, data);
  }
  output.clear();
  return signer.publicKeyFile;
}

async function timeShell(script: string): Promise<number> {
  const start = performance.now();
  const r = await runProcess('/bin/sh', ['-c', script]);
  if (r.code !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return performance.now() - start;
}

/** Child mode: verify `dir` pinned to the key in `pubFile`; print timing and peak RSS as JSON. */
async function runVerifyChild(dir: string, pubFile: string): Promise<void> {
  const publicKey = await readFile(pubFile, 'utf8');
  const start = performance.now();
  const report = await verifySite(dir, { now: new Date(), publicKey, trustStoreDir: false });
  const wallMs = performance.now() - start;
  process.stdout.write(
    `${JSON.stringify({
      wallMs,
      status: report.status,
      checkedFiles: report.checkedFiles,
      problems: report.problems.slice(0, 5),
      maxRssKiB: process.resourceUsage().maxRSS,
      hwmKiB: readPeakRssFromProc(),
    })}\n`,
  );
}

/**
 * Peak RSS of this process image from /proc (VmHWM). Unlike `maxRSS`, which Linux
 * carries across fork+exec (a child starts with its parent's high-water mark), this
 * belongs to the current image only.
 */
function readPeakRssFromProc(): number | undefined {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const m = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Child mode: generate and seal the tree (keeps the parent small, so children do not inherit its RSS). */
async function runGenerateChild(dir: string, pubFile: string, count: number, totalBytes: number): Promise<void> {
  await writeFile(pubFile, await generateSealedTree(dir, count, totalBytes));
}

const mbps = (bytes: number, ms: number) => bytes / 1024 / 1024 / (ms / 1000);
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Run the benchmark and print the results; returns them too. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<VerifyThroughputResult> {
  const totalMb = Number(env.STELE_BENCH_MB ?? 300);
  const count = Number(env.STELE_BENCH_FILES ?? 2000);
  if (!(totalMb > 0) || !Number.isInteger(count) || count < 1) throw new Error('STELE_BENCH_MB and STELE_BENCH_FILES must be positive');
  const totalBytesPlanned = Math.round(totalMb * 1024 * 1024);
  const work = env.STELE_BENCH_DIR ?? (await mkdtemp(join(tmpdir(), 'stele-bench-')));
  const tree = join(work, 'site');
  const pubFile = join(work, 'bench.pub');
  try {
    await rm(tree, { recursive: true, force: true });
    await mkdir(tree, { recursive: true });
    process.stdout.write(`generating ${count} files, ${totalMb} MB in ${tree} …\n`);
    const repo = fileURLToPath(new URL('..', import.meta.url));
    const self = fileURLToPath(import.meta.url);
    const generated = await runProcess(
      process.execPath,
      ['--import', 'tsx', self, '--generate-child', tree, pubFile, String(count), String(totalBytesPlanned)],
      { cwd: repo },
    );
    if (generated.code !== 0) throw new Error(`generating the tree failed: ${generated.stderr}`);

    const q = shellQuote(tree);
    const du = await runProcess('/bin/sh', ['-c', `find ${q} -type f -printf '%s\\n' | awk '{s+=$1} END {print s, NR}'`]);
    const [totalBytesText, fileCountText] = du.stdout.trim().split(/\s+/);
    const totalBytes = Number(totalBytesText);
    const files = Number(fileCountText);

    const shaMs = await timeShell(`find ${q} -type f -print0 | xargs -0 sha256sum > /dev/null`);
    const jobs = cpus().length;
    const shaParMs = await timeShell(`find ${q} -type f -print0 | xargs -0 -n 64 -P ${jobs} sha256sum > /dev/null`);

    const child = await runProcess(
      process.execPath,
      ['--import', 'tsx', self, '--verify-child', tree, pubFile],
      { cwd: repo },
    );
    if (child.code !== 0) throw new Error(`verify child failed: ${child.stderr}`);
    const v = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}');
    if (v.status !== 'genuine') throw new Error(`verify did not find the tree genuine: ${JSON.stringify(v.problems)}`);

    const result: VerifyThroughputResult = {
      files,
      totalBytes,
      verify: {
        wallMs: v.wallMs,
        mbPerSecond: mbps(totalBytes, v.wallMs),
        maxRssKiB: v.maxRssKiB,
        ...(v.hwmKiB !== undefined ? { peakRssKiB: v.hwmKiB } : {}),
        status: v.status,
        checkedFiles: v.checkedFiles,
      },
      sha256sum: { wallMs: shaMs, mbPerSecond: mbps(totalBytes, shaMs) },
      sha256sumParallel: { wallMs: shaParMs, mbPerSecond: mbps(totalBytes, shaParMs), jobs },
      ratio: v.wallMs / shaMs,
    };
    const mb = (totalBytes / 1024 / 1024).toFixed(1);
    const line = (name: string, ms: number, rate: number) =>
      `${name.padEnd(28)} ${(ms / 1000).toFixed(2).padStart(8)} s ${rate.toFixed(1).padStart(9)} MB/s`;
    process.stdout.write(
      [
        `tree: ${files} files, ${mb} MB (page cache warm for both)`,
        line('verifySite (in child)', v.wallMs, result.verify.mbPerSecond),
        line('sha256sum (1 process)', shaMs, result.sha256sum.mbPerSecond),
        line(`sha256sum (xargs -P ${jobs})`, shaParMs, result.sha256sumParallel.mbPerSecond),
        `ratio verifySite / sha256sum: ${result.ratio.toFixed(2)}x`,
        `verify peak RSS: maxRSS ${(v.maxRssKiB / 1024).toFixed(1)} MB${v.hwmKiB !== undefined ? `, VmHWM ${(v.hwmKiB / 1024).toFixed(1)} MB` : ''} for ${mb} MB of files`,
        '',
      ].join('\n'),
    );
    return result;
  } finally {
    if (!env.STELE_BENCH_KEEP && !env.STELE_BENCH_DIR) await rm(work, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const childAt = process.argv.indexOf('--verify-child');
  const genAt = process.argv.indexOf('--generate-child');
  const arg = (at: number, i: number) => process.argv[at + i];
  const task =
    childAt >= 0
      ? runVerifyChild(arg(childAt, 1), arg(childAt, 2))
      : genAt >= 0
        ? runGenerateChild(arg(genAt, 1), arg(genAt, 2), Number(arg(genAt, 3)), Number(arg(genAt, 4)))
        : main();
  task.then(
    () => {},
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
