/**
 * Scale study (`npm run bench -- --scale`): cold stele builds of the generated corpus at
 * two or more sizes, time and peak RSS per post pair, the slope between the smallest and
 * largest size, and what 100,000 pairs would need on that line.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeBenchSites } from './generate-site.js';
import { createBenchKey, measureSteleBuild, removeBuildCaches, toRssMiB } from './stele-build.js';

/** One size's cold build. */
export interface ScalePoint {
  postPairs: number;
  pages: number;
  wallMs: number;
  cpuMs?: number;
  peakRssMiB?: number;
  stages: Record<string, number>;
}

/** How far a size between the smallest and largest lies off the line through them: (measured − line) ÷ line. */
export interface ScaleDeviation {
  postPairs: number;
  wall: number;
  cpu?: number;
  rss?: number;
}

/** The study: its points, slopes between the first and last, and the extrapolation. */
export interface ScaleResult {
  points: ScalePoint[];
  slope: { wallMsPerPair: number; cpuMsPerPair?: number; rssMiBPerPair?: number };
  /** Each size between the first and last, against the line (growth faster than linear shows as a positive deviation). */
  deviations: ScaleDeviation[];
  /** The line through the first and last point, at `target` pairs. */
  extrapolated: { postPairs: number; wallS: number; cpuS?: number; peakRssMiB?: number };
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Slope and extrapolation from measured points (sorted by size; at least two). */
export function computeScaleFit(points: ScalePoint[], target = 100_000): Omit<ScaleResult, 'points'> {
  const a = points[0]!;
  const b = points[points.length - 1]!;
  const dn = b.postPairs - a.postPairs;
  const slopeOf = (x?: number, y?: number) => (x === undefined || y === undefined || dn === 0 ? undefined : (y - x) / dn);
  const wall = slopeOf(a.wallMs, b.wallMs) ?? 0;
  const cpu = slopeOf(a.cpuMs, b.cpuMs);
  const rss = slopeOf(a.peakRssMiB, b.peakRssMiB);
  const ahead = target - b.postPairs;
  const off = (measured: number | undefined, first: number | undefined, slope: number | undefined, n: number) => {
    if (measured === undefined || first === undefined || slope === undefined) return undefined;
    const line = first + slope * (n - a.postPairs);
    return line > 0 ? (measured - line) / line : undefined;
  };
  const deviations = points.slice(1, -1).map((p) => ({
    postPairs: p.postPairs,
    wall: off(p.wallMs, a.wallMs, wall, p.postPairs) ?? 0,
    cpu: off(p.cpuMs, a.cpuMs, cpu, p.postPairs),
    rss: off(p.peakRssMiB, a.peakRssMiB, rss, p.postPairs),
  }));
  return {
    slope: { wallMsPerPair: wall, cpuMsPerPair: cpu, rssMiBPerPair: rss },
    deviations,
    extrapolated: {
      postPairs: target,
      wallS: (b.wallMs + wall * ahead) / 1000,
      cpuS: cpu === undefined || b.cpuMs === undefined ? undefined : (b.cpuMs + cpu * ahead) / 1000,
      peakRssMiB: rss === undefined || b.peakRssMiB === undefined ? undefined : b.peakRssMiB + rss * ahead,
    },
  };
}

/** Generate each size, make a key, run one cold build, remove the site; then fit the line. */
export async function runScaleStudy(options: { steleBin: string; outDir: string; sizes: number[]; words: number; seal: boolean }): Promise<ScaleResult> {
  const points: ScalePoint[] = [];
  for (const size of [...options.sizes].sort((x, y) => x - y)) {
    const siteDir = join(options.outDir, `scale-${size}`);
    log(`scale: generating ${size} post pairs…`);
    await writeBenchSites({ posts: size, words: options.words, dir: siteDir, siteId: 'bench' });
    if (options.seal) createBenchKey(options.steleBin, siteDir);
    await removeBuildCaches(siteDir);
    log(`scale: cold build of ${size} pairs…`);
    const built = await measureSteleBuild(options.steleBin, siteDir, { seal: options.seal, label: `cold build (${size} pairs)` });
    const point: ScalePoint = {
      postPairs: size,
      pages: built.stats.pages,
      wallMs: built.run.wallMs,
      cpuMs: built.run.cpuMs,
      peakRssMiB: toRssMiB(built.run),
      stages: built.stats.stages,
    };
    log(`  ${(point.wallMs / 1000).toFixed(1)} s, peak RSS ${point.peakRssMiB?.toFixed(0) ?? 'n/a'} MiB`);
    points.push(point);
    await rm(siteDir, { recursive: true, force: true });
  }
  return { points, ...computeScaleFit(points) };
}

/** The printed scale table. */
export function formatScaleResult(result: ScaleResult): string {
  const rows = result.points.map(
    (p) =>
      `${String(p.postPairs).padStart(8)} pairs  ${(p.wallMs / 1000).toFixed(1).padStart(7)} s wall  ` +
      `${p.cpuMs === undefined ? '   n/a' : (p.cpuMs / 1000).toFixed(1).padStart(7)} s CPU  ` +
      `${p.peakRssMiB === undefined ? 'n/a' : p.peakRssMiB.toFixed(0).padStart(6)} MiB  ` +
      `${(p.wallMs / p.postPairs).toFixed(2)} ms/pair  ${p.peakRssMiB === undefined ? '' : `${((p.peakRssMiB * 1024) / p.postPairs).toFixed(0)} KiB/pair`}`,
  );
  const s = result.slope;
  const e = result.extrapolated;
  const percent = (x?: number) => (x === undefined ? 'n/a' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(0)}%`);
  const first = result.points[0]?.postPairs;
  const last = result.points[result.points.length - 1]?.postPairs;
  const deviations = result.deviations.map(
    (d) => `off the line through ${first} and ${last} pairs, at ${d.postPairs} pairs: wall ${percent(d.wall)}, CPU ${percent(d.cpu)}, peak RSS ${percent(d.rss)}`,
  );
  return [
    'scale (cold builds):',
    ...rows,
    ...deviations,
    `slope: ${s.wallMsPerPair.toFixed(2)} ms wall/pair` +
      `${s.cpuMsPerPair === undefined ? '' : `, ${s.cpuMsPerPair.toFixed(2)} ms CPU/pair`}` +
      `${s.rssMiBPerPair === undefined ? '' : `, ${(s.rssMiBPerPair * 1024).toFixed(0)} KiB peak RSS/pair`}`,
    `extrapolated to ${e.postPairs} pairs: ${e.wallS.toFixed(0)} s wall` +
      `${e.cpuS === undefined ? '' : `, ${e.cpuS.toFixed(0)} s CPU`}` +
      `${e.peakRssMiB === undefined ? '' : `, ${(e.peakRssMiB / 1024).toFixed(1)} GiB peak RSS (target ≤ 8 GiB)`}`,
  ].join('\n');
}
