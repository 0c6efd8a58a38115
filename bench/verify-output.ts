/**
 * `stele verify` of the sealed benchmark build against `sha256sum -c` of the build's own
 * `.well-known/stele/SHA256SUMS`: the same files, hashed by both, in the same run.
 *
 * Both run as whole processes under GNU time (wall, CPU, peak RSS), start-up included, on
 * a warm page cache (one untimed `sha256sum -c` first). `stele verify` does more than hash:
 * it checks the manifest and release-log signatures and the server configuration files,
 * and it reads the tree with parallel requests.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { computeMedian } from './dev-latency.js';
import { type MeasuredRun, measureCommand } from './measure.js';

/** One side of the comparison (medians over the repeats). */
export interface VerifySide {
  wallMs: number;
  runsMs: number[];
  cpuMs?: number;
  /** Maximum peak RSS over the repeats (MiB). */
  peakRssMiB?: number;
  /** MiB of listed files per wall second. */
  mibPerSecond: number;
}

/** Result of the verify section. */
export interface VerifyOutputResult {
  /** Files listed in SHA256SUMS (what both tools hash). */
  files: number;
  bytes: number;
  stele: VerifySide & { status: string; checkedFiles: number };
  sha256sum: VerifySide;
  /** stele verify throughput ÷ sha256sum throughput (target ≥ 0.8). */
  throughputRatio: number;
  /** `stele verify --help` wall time (median of 3): the start-up of the verify command (Node, the CLI and the verify bundle), included in `stele.wallMs`. */
  cliStartupMs: number;
  /** The same ratio with the CLI start-up taken off stele's wall time (for reading only; the target is on whole processes). */
  throughputRatioWithoutStartup: number;
}

function summarize(runs: MeasuredRun[], bytes: number): VerifySide {
  const wallMs = computeMedian(runs.map((r) => r.wallMs));
  const cpu = runs.map((r) => r.cpuMs).filter((v): v is number => v !== undefined);
  const rss = runs.map((r) => r.maxRssKiB).filter((v): v is number => v !== undefined);
  return {
    wallMs,
    runsMs: runs.map((r) => r.wallMs),
    cpuMs: cpu.length ? computeMedian(cpu) : undefined,
    peakRssMiB: rss.length ? Math.max(...rss) / 1024 : undefined,
    mibPerSecond: bytes / 1048576 / (wallMs / 1000),
  };
}

/** Measure `stele verify <outDir> --key <publicKeyFile>` against `sha256sum -c` on the same files. */
export async function measureVerifyOutput(options: { steleBin: string; outDir: string; publicKeyFile: string; repeats: number }): Promise<VerifyOutputResult> {
  const sums = '.well-known/stele/SHA256SUMS';
  const listed = readFileSync(join(options.outDir, sums), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(66));
  const bytes = listed.reduce((total, path) => total + statSync(join(options.outDir, path)).size, 0);
  const shaArgs = ['-c', '--quiet', '--strict', sums];
  const verifyArgs = [options.steleBin, 'verify', options.outDir, '--key', options.publicKeyFile, '--trust-store', 'off', '--deadline', '0', '--json'];
  // Warm the page cache for both.
  await measureCommand('sha256sum', shaArgs, { cwd: options.outDir });
  const shaRuns: MeasuredRun[] = [];
  const verifyRuns: MeasuredRun[] = [];
  let report: { status: string; checkedFiles: number; problems: unknown[] } | undefined;
  for (let r = 0; r < options.repeats; r++) {
    const sha = await measureCommand('sha256sum', shaArgs, { cwd: options.outDir });
    if (sha.exitCode !== 0) throw new Error(`sha256sum -c failed: ${sha.stderr.slice(-2000)}${sha.stdout.slice(-2000)}`);
    shaRuns.push(sha);
    const verify = await measureCommand(process.execPath, verifyArgs);
    report = JSON.parse(verify.stdout) as typeof report;
    if (verify.exitCode !== 0 || report?.status !== 'genuine') {
      throw new Error(`stele verify did not find the build genuine (exit ${verify.exitCode}): ${JSON.stringify(report?.problems ?? verify.stderr.slice(-2000))}`);
    }
    verifyRuns.push(verify);
  }
  const startups: number[] = [];
  for (let r = 0; r < 3; r++) startups.push((await measureCommand(process.execPath, [options.steleBin, 'verify', '--help'])).wallMs);
  const cliStartupMs = computeMedian(startups);
  const stele = summarize(verifyRuns, bytes);
  const sha256sum = summarize(shaRuns, bytes);
  const net = Math.max(1, stele.wallMs - cliStartupMs);
  return {
    cliStartupMs,
    throughputRatioWithoutStartup: sha256sum.wallMs / net,
    files: listed.length,
    bytes,
    stele: { ...stele, status: report!.status, checkedFiles: report!.checkedFiles },
    sha256sum,
    throughputRatio: stele.mibPerSecond / sha256sum.mibPerSecond,
  };
}
