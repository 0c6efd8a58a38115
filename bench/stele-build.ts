/**
 * One measured `stele build` in a child process, and what a cold build removes first.
 * Shared by the main benchmark (`run.ts`) and the scale study (`scale.ts`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type MeasuredRun, measureCommand } from './measure.js';

/** `stats` of `stele build --json` (the fields the benchmark reads). */
export interface SteleBuildStats {
  pages: number;
  files: number;
  bytes: number;
  ms: number;
  /** Milliseconds per stage, in pipeline order (`cache-load` … `cache-save`). */
  stages: Record<string, number>;
  /** Peak RSS of the build process during each stage, MiB (Pagefind's processes not included). */
  memory?: Record<string, number>;
  renderWorkers: number;
  /** Entries this build rendered (the others came from `.stele/cache`). */
  rendered?: number;
  /** Chunks of the search index, and how many this build indexed (the others came from `.stele/cache`). */
  searchChunks?: { chunks: number; indexed: number };
  cache?: 'cold' | 'warm';
}

/** A measured build: the process figures and the build's own statistics. */
export interface SteleBuildRun {
  run: MeasuredRun;
  stats: SteleBuildStats;
  /** Present when the build was sealed. */
  seal?: { version: number; keyId: string };
}

/**
 * Remove everything a cold build must not find: the output folder, the persistent
 * build cache (`.stele/cache`, which also keeps the preview cards), the image cache
 * (`node_modules/.cache/stele`; older stele kept cards there too)
 * and leftovers of an interrupted write (`.stele-*` beside `dist`). The release log
 * (`.stele/log`) and the keys stay: a real project keeps them between builds.
 */
export async function removeBuildCaches(siteDir: string): Promise<void> {
  await rm(join(siteDir, 'dist'), { recursive: true, force: true });
  await rm(join(siteDir, '.stele', 'cache'), { recursive: true, force: true });
  await rm(join(siteDir, 'node_modules', '.cache', 'stele'), { recursive: true, force: true });
  if (existsSync(siteDir)) {
    for (const e of readdirSync(siteDir)) if (e.startsWith('.stele-') || e.startsWith('dist.stele-')) await rm(join(siteDir, e), { recursive: true, force: true });
  }
}

/**
 * Make a throwaway unencrypted signing key for the benchmark site with the CLI
 * (`stele keygen --unencrypted` into `<site>/keys`, where the default config looks).
 */
export function createBenchKey(steleBin: string, siteDir: string): string {
  const dir = join(siteDir, 'keys');
  if (!existsSync(join(dir, 'stele.key'))) {
    execFileSync(process.execPath, [steleBin, 'keygen', '--dir', dir, '--unencrypted', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  return join(dir, 'stele.pub');
}

function describeFailure(run: MeasuredRun): string {
  return `${run.command} ${run.args.join(' ')} exited ${run.exitCode}\n${run.stderr.slice(-3000)}\n${run.stdout.slice(-3000)}`;
}

/** Run `stele build <siteDir> --quiet --json` (plus `--no-seal` unless `seal`) under GNU time; throws when it fails. */
export async function measureSteleBuild(steleBin: string, siteDir: string, options: { seal: boolean; label: string }): Promise<SteleBuildRun> {
  const args = [steleBin, 'build', siteDir, '--quiet', '--json', ...(options.seal ? [] : ['--no-seal'])];
  const run = await measureCommand(process.execPath, args);
  if (run.exitCode !== 0) throw new Error(`stele ${options.label} failed: ${describeFailure(run)}`);
  let parsed: { ok: boolean; stats: SteleBuildStats; seal?: { version: number; keyId: string } };
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    throw new Error(`stele ${options.label} printed no JSON: ${describeFailure(run)}`);
  }
  if (!parsed.ok) throw new Error(`stele ${options.label} reported failure: ${describeFailure(run)}`);
  return { run, stats: parsed.stats, seal: parsed.seal };
}

/** Peak RSS of a run in MiB, when measured. */
export function toRssMiB(run: MeasuredRun): number | undefined {
  return run.maxRssKiB === undefined ? undefined : run.maxRssKiB / 1024;
}
