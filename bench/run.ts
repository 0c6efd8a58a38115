/**
 * `npm run bench`: build-time benchmark of stele against Hugo on the same
 * generated bilingual posts, plus dev-server edit latency.
 *
 *   npm run bench                       # 4000 post pairs, ~1000 words each
 *   npm run bench -- --quick            # 300 pairs: a smoke run
 *   npm run bench -- --posts 1000 --words 500 --no-hugo --no-dev --profile
 *
 * Environment: STELE_BENCH_POSTS, STELE_BENCH_WORDS (same as the flags).
 * Results: printed table, and bench/out/results.json.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeMedian, type DevLatencyResult, measureDevEditLatency } from './dev-latency.js';
import { resolvePostFile, writeBenchSites } from './generate-site.js';
import { type MeasuredRun, measureCommand } from './measure.js';
import { formatProfileSummary, type ProfileSummary, summarizeProfileFile } from './summarize-profile.js';

/** Parsed command-line options. */
export interface BenchOptions {
  posts: number;
  words: number;
  devPosts: number;
  /** Build repetitions per tool (median reported). */
  repeats: number;
  hugo: boolean;
  dev: boolean;
  profile: boolean;
  quick: boolean;
}

/** One tool's timing. */
export interface ToolResult {
  tool: 'stele' | 'hugo';
  version: string;
  coldMs: number;
  rebuildMs: number;
  coldRunsMs: number[];
  rebuildRunsMs: number[];
  /** User + system CPU time (ms), medians; less sensitive than wall time to other load on the machine. */
  coldCpuMs?: number;
  rebuildCpuMs?: number;
  /** Pages as the tool counts them (stele: `stats.pages`; hugo: HTML files written). */
  pages: number;
  /** HTML files in the output folder (same measure for both tools). */
  htmlFiles: number;
  outputFiles: number;
  outputBytes: number;
  pagesPerSecondCold: number;
  pagesPerSecondRebuild: number;
  /** Peak RSS over all runs (MiB). */
  peakRssMiB?: number;
}

/** Everything written to results.json. */
export interface BenchResults {
  date: string;
  options: BenchOptions;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; commit?: string; loadAverageStart: number[]; loadAverageEnd: number[] };
  corpus: { postPairs: number; sourceFiles: number; sourceBytes: number; wordsPerPost: number };
  tools: ToolResult[];
  ratios?: { cold: number; rebuild: number; coldCpu?: number; rebuildCpu?: number };
  dev?: DevLatencyResult & { postPairs: number };
  profile?: ProfileSummary;
  notes: string[];
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'bench', 'out');
const HUGO = '/usr/bin/hugo';

/** Parse `argv` (and STELE_BENCH_* environment variables). */
export function parseBenchArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const quick = argv.includes('--quick');
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`${flag}=`));
    return eq?.slice(flag.length + 1);
  };
  const num = (flag: string, envName: string, fallback: number): number => {
    const raw = value(flag) ?? env[envName];
    const n = raw === undefined ? Number.NaN : Number(raw);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    quick,
    posts: num('--posts', 'STELE_BENCH_POSTS', quick ? 300 : 4000),
    words: num('--words', 'STELE_BENCH_WORDS', 1000),
    devPosts: num('--dev-posts', 'STELE_BENCH_DEV_POSTS', quick ? 50 : 200),
    repeats: num('--repeats', 'STELE_BENCH_REPEATS', 1),
    hugo: !argv.includes('--no-hugo') && existsSync(HUGO),
    dev: !argv.includes('--no-dev'),
    profile: argv.includes('--profile'),
  };
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function countOutput(dir: string): { files: number; html: number; bytes: number } {
  let files = 0;
  let html = 0;
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        files++;
        bytes += statSync(p).size;
        if (e.name.endsWith('.html')) html++;
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return { files, html, bytes };
}

/**
 * Copy dist/ and bin/stele.js to bench/out/snapshot so a parallel `npm run build`
 * (which deletes dist/) cannot break a long run. Imports of dependencies still
 * resolve to the repository's node_modules (parent folders).
 */
function createSnapshot(): string {
  const snap = join(OUT, 'snapshot');
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) {
    log('dist/ is missing: compiling');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-dist.mjs')], { stdio: 'inherit' });
  }
  cpSync(join(ROOT, 'dist'), join(snap, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'bin', 'stele.js'), join(snap, 'bin', 'stele.js'));
  return join(snap, 'bin', 'stele.js');
}

function formatMs(ms: number): string {
  return (ms / 1000).toFixed(2);
}

function medianCpu(runs: MeasuredRun[]): number | undefined {
  const values = runs.map((r) => r.cpuMs).filter((v): v is number => v !== undefined);
  return values.length ? computeMedian(values) : undefined;
}

function describeFailure(run: MeasuredRun): string {
  return `${run.command} ${run.args.join(' ')} exited ${run.exitCode}\n${run.stderr.slice(-3000)}\n${run.stdout.slice(-3000)}`;
}

async function benchStele(steleBin: string, siteDir: string, options: BenchOptions): Promise<ToolResult> {
  const args = [steleBin, 'build', siteDir, '--no-seal', '--quiet', '--json'];
  const coldRuns: MeasuredRun[] = [];
  const rebuildRuns: MeasuredRun[] = [];
  for (let r = 0; r < options.repeats; r++) {
    // Cold: no output, no image cache, no leftovers of an interrupted write.
    await rm(join(siteDir, 'dist'), { recursive: true, force: true });
    await rm(join(siteDir, 'node_modules', '.cache', 'stele'), { recursive: true, force: true });
    for (const e of readdirSync(siteDir)) if (e.startsWith('.stele-')) await rm(join(siteDir, e), { recursive: true, force: true });
    log(`stele cold build ${r + 1}/${options.repeats}…`);
    const cold = await measureCommand(process.execPath, args);
    if (cold.exitCode !== 0) throw new Error(`stele cold build failed: ${describeFailure(cold)}`);
    coldRuns.push(cold);
    log(`  ${formatMs(cold.wallMs)} s, peak RSS ${((cold.maxRssKiB ?? 0) / 1024).toFixed(0)} MiB`);
    log(`stele no-change rebuild ${r + 1}/${options.repeats}…`);
    const again = await measureCommand(process.execPath, args);
    if (again.exitCode !== 0) throw new Error(`stele rebuild failed: ${describeFailure(again)}`);
    rebuildRuns.push(again);
    log(`  ${formatMs(again.wallMs)} s, peak RSS ${((again.maxRssKiB ?? 0) / 1024).toFixed(0)} MiB`);
  }
  const json = JSON.parse(coldRuns[0]!.stdout) as { stats: { pages: number } };
  const counted = countOutput(join(siteDir, 'dist'));
  const coldMs = computeMedian(coldRuns.map((r) => r.wallMs));
  const rebuildMs = computeMedian(rebuildRuns.map((r) => r.wallMs));
  const rss = [...coldRuns, ...rebuildRuns].map((r) => r.maxRssKiB).filter((v): v is number => v !== undefined);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return {
    tool: 'stele',
    version: pkg.version,
    coldMs,
    rebuildMs,
    coldRunsMs: coldRuns.map((r) => r.wallMs),
    rebuildRunsMs: rebuildRuns.map((r) => r.wallMs),
    coldCpuMs: medianCpu(coldRuns),
    rebuildCpuMs: medianCpu(rebuildRuns),
    pages: json.stats.pages,
    htmlFiles: counted.html,
    outputFiles: counted.files,
    outputBytes: counted.bytes,
    pagesPerSecondCold: json.stats.pages / (coldMs / 1000),
    pagesPerSecondRebuild: json.stats.pages / (rebuildMs / 1000),
    peakRssMiB: rss.length ? Math.max(...rss) / 1024 : undefined,
  };
}

async function benchHugo(hugoDir: string, options: BenchOptions): Promise<ToolResult> {
  const args = ['--quiet', '-d', 'public'];
  const coldRuns: MeasuredRun[] = [];
  const rebuildRuns: MeasuredRun[] = [];
  // Hugo is quick: at least three runs each, median reported.
  const repeats = Math.max(3, options.repeats);
  for (let r = 0; r < repeats; r++) {
    await rm(join(hugoDir, 'public'), { recursive: true, force: true });
    await rm(join(hugoDir, 'resources'), { recursive: true, force: true });
    const cold = await measureCommand(HUGO, args, { cwd: hugoDir });
    if (cold.exitCode !== 0) throw new Error(`hugo cold build failed: ${describeFailure(cold)}`);
    coldRuns.push(cold);
    const again = await measureCommand(HUGO, args, { cwd: hugoDir });
    if (again.exitCode !== 0) throw new Error(`hugo rebuild failed: ${describeFailure(again)}`);
    rebuildRuns.push(again);
    log(`hugo run ${r + 1}/${repeats}: cold ${formatMs(cold.wallMs)} s, rebuild ${formatMs(again.wallMs)} s`);
  }
  const counted = countOutput(join(hugoDir, 'public'));
  const coldMs = computeMedian(coldRuns.map((r) => r.wallMs));
  const rebuildMs = computeMedian(rebuildRuns.map((r) => r.wallMs));
  const rss = [...coldRuns, ...rebuildRuns].map((r) => r.maxRssKiB).filter((v): v is number => v !== undefined);
  const version = execFileSync(HUGO, ['version'], { encoding: 'utf8' }).trim();
  return {
    tool: 'hugo',
    version: /v[\d.]+\S*/.exec(version)?.[0] ?? version,
    coldMs,
    rebuildMs,
    coldRunsMs: coldRuns.map((r) => r.wallMs),
    rebuildRunsMs: rebuildRuns.map((r) => r.wallMs),
    coldCpuMs: medianCpu(coldRuns),
    rebuildCpuMs: medianCpu(rebuildRuns),
    pages: counted.html,
    htmlFiles: counted.html,
    outputFiles: counted.files,
    outputBytes: counted.bytes,
    pagesPerSecondCold: counted.html / (coldMs / 1000),
    pagesPerSecondRebuild: counted.html / (rebuildMs / 1000),
    peakRssMiB: rss.length ? Math.max(...rss) / 1024 : undefined,
  };
}

async function profileStele(steleBin: string, siteDir: string): Promise<ProfileSummary> {
  const dir = join(OUT, 'profile');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await rm(join(siteDir, 'dist'), { recursive: true, force: true });
  log('profiling a cold stele build (node --cpu-prof)…');
  const run = await measureCommand(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, steleBin, 'build', siteDir, '--no-seal', '--quiet']);
  if (run.exitCode !== 0) throw new Error(`profiled build failed: ${describeFailure(run)}`);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('node --cpu-prof wrote no profile');
  // Positions map through the snapshot's dist/ source maps; show them as the repository's src/ paths.
  const summary = summarizeProfileFile(join(dir, file), ROOT, 30);
  for (const row of [...summary.bySelf, ...summary.byTotal]) row.location = row.location.replace(/^bench\/out\/snapshot\//, '');
  return summary;
}

/** The printed comparison table. */
export function formatResultsTable(results: BenchResults): string {
  const header = ['tool', 'cold s', 'rebuild s', 'cold CPU s', 'rebuild CPU s', 'pages', 'pages/s (cold)', 'peak RSS MB'];
  const rows = results.tools.map((t) => [
    `${t.tool} ${t.version}`,
    formatMs(t.coldMs),
    formatMs(t.rebuildMs),
    t.coldCpuMs === undefined ? 'n/a' : formatMs(t.coldCpuMs),
    t.rebuildCpuMs === undefined ? 'n/a' : formatMs(t.rebuildCpuMs),
    String(t.pages),
    t.pagesPerSecondCold.toFixed(0),
    t.peakRssMiB === undefined ? 'n/a' : t.peakRssMiB.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  if (results.ratios) {
    const r = results.ratios;
    out.push('', `stele/hugo wall-time ratio: cold ${r.cold.toFixed(1)}×, rebuild ${r.rebuild.toFixed(1)}×`);
    if (r.coldCpu !== undefined && r.rebuildCpu !== undefined) out.push(`stele/hugo CPU-time ratio: cold ${r.coldCpu.toFixed(1)}×, rebuild ${r.rebuildCpu.toFixed(1)}×`);
  }
  out.push(`load average at start ${results.machine.loadAverageStart.map((l) => l.toFixed(2)).join(' ')}, at end ${results.machine.loadAverageEnd.map((l) => l.toFixed(2)).join(' ')} (${results.machine.cpus} CPUs)`);
  if (results.dev) {
    out.push(
      '',
      `dev edit latency (${results.dev.postPairs} post pairs): median ${results.dev.medianMs.toFixed(0)} ms over ${results.dev.samplesMs.length} edits ` +
        `[${results.dev.samplesMs.map((s) => s.toFixed(0)).join(', ')}]; server start ${formatMs(results.dev.startupMs)} s`,
    );
  }
  out.push('', ...results.notes.map((n) => `note: ${n}`));
  return out.join('\n');
}

/** Run the whole benchmark; returns the results (also written to bench/out/results.json). */
export async function runBenchmark(options: BenchOptions): Promise<BenchResults> {
  const loadAverageStart = loadavg();
  await mkdir(OUT, { recursive: true });
  const steleBin = createSnapshot();
  const siteDir = join(OUT, 'site');
  const hugoDir = join(OUT, 'hugo');
  log(`generating ${options.posts} post pairs × ~${options.words} words…`);
  const corpus = await writeBenchSites({
    posts: options.posts,
    words: options.words,
    dir: siteDir,
    siteId: 'bench',
    hugoDir: options.hugo ? hugoDir : undefined,
  });
  log(`  ${corpus.files} files, ${(corpus.bytes / 1048576).toFixed(1)} MiB of Markdown`);

  const tools: ToolResult[] = [await benchStele(steleBin, siteDir, options)];
  if (options.hugo) tools.push(await benchHugo(hugoDir, options));
  else log('hugo not found at /usr/bin/hugo (or --no-hugo): skipping the comparison');

  let dev: BenchResults['dev'];
  if (options.dev) {
    const devDir = join(OUT, 'site-small');
    const small = await writeBenchSites({ posts: options.devPosts, words: options.words, dir: devDir, siteId: 'bench-small' });
    log(`dev edit latency on ${options.devPosts} post pairs…`);
    const measured = await measureDevEditLatency({
      steleBin,
      siteDir: devDir,
      postFile: resolvePostFile(devDir, small.first, 'en'),
      pagePath: `posts/${small.first.slug}/`,
    });
    dev = { ...measured, postPairs: options.devPosts };
  }

  let profile: ProfileSummary | undefined;
  let profileError: string | undefined;
  if (options.profile) {
    try {
      profile = await profileStele(steleBin, siteDir);
    } catch (error) {
      profileError = (error as Error).message;
      log(`profiling failed: ${profileError}`);
    }
  }

  const stele = tools[0]!;
  const hugo = tools.find((t) => t.tool === 'hugo');
  let commit: string | undefined;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    commit = undefined;
  }
  const results: BenchResults = {
    date: new Date().toISOString(),
    options,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: totalmem() / 2 ** 30, node: process.version, commit, loadAverageStart, loadAverageEnd: loadavg() },
    corpus: { postPairs: corpus.posts, sourceFiles: corpus.files, sourceBytes: corpus.bytes, wordsPerPost: options.words },
    tools,
    ratios: hugo
      ? {
          cold: stele.coldMs / hugo.coldMs,
          rebuild: stele.rebuildMs / hugo.rebuildMs,
          coldCpu: stele.coldCpuMs && hugo.coldCpuMs ? stele.coldCpuMs / hugo.coldCpuMs : undefined,
          rebuildCpu: stele.rebuildCpuMs && hugo.rebuildCpuMs ? stele.rebuildCpuMs / hugo.rebuildCpuMs : undefined,
        }
      : undefined,
    dev,
    profile,
    notes: [
      'The work is not identical. stele also sanitizes all author HTML, derives a zh-Hant edition with OpenCC ' +
        '(3 languages of pages vs Hugo’s 2), writes Atom/JSON feeds, sitemap and search indexes, hardens every page ' +
        '(CSP hashes, headers) and runs its safety checks (links, withheld names, secrets) over every output byte.',
      'Hugo’s templates here are minimal (title, content, language switcher, tag links); stele renders its full theme.',
      'stele has no incremental build: a "no-change rebuild" is a second full build with the output already present.',
      'Wall time includes process start-up; peak RSS is the child’s maximum resident set size and CPU is user + system time (GNU time -v). ' +
        'Hugo uses every core; stele’s build is mostly single-threaded. Other load on the machine inflates wall time more than CPU time.',
      ...(profileError ? [`profiling failed: ${profileError}`] : []),
      `stele ran from a snapshot of dist/ (${relative(ROOT, steleBin)}), built from the working tree at the start of the run.`,
    ],
  };
  await writeFile(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const options = parseBenchArgs(process.argv.slice(2));
  try {
    const results = await runBenchmark(options);
    process.stdout.write(`\n${formatResultsTable(results)}\n`);
    if (results.profile) process.stdout.write(`\n${formatProfileSummary(results.profile)}`);
    process.stdout.write(`\nresults: ${relative(process.cwd(), join(OUT, 'results.json'))}\n`);
  } catch (error) {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  }
}
