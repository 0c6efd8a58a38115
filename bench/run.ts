/**
 * `npm run bench`: build-time benchmark of stele against Hugo on the same
 * generated bilingual posts (cold build, no-change rebuild and one-post-edited rebuild,
 * each in a new process, with stele's per-stage times), `stele verify` against
 * `sha256sum`, and dev-server edit latency. See bench/README.md.
 *
 *   npm run bench                       # 4000 post pairs, ~1000 words each
 *   npm run bench -- --quick            # 100 pairs: a smoke run
 *   npm run bench -- --posts 1000 --words 500 --no-hugo --no-dev --no-verify --profile
 *   npm run bench -- --scale --scale-sizes 1000,5000   # cold builds at two sizes only
 *
 * Environment: STELE_BENCH_POSTS, STELE_BENCH_WORDS (same as the flags).
 * Results: printed tables, and bench/out/results.json (bench/out/scale.json for --scale).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeMedian, type DevLatencyResult, measureDevEditLatency } from './dev-latency.js';
import { resolvePostFile, writeBenchSites } from './generate-site.js';
import { type MeasuredRun, measureCommand } from './measure.js';
import { formatScaleResult, runScaleStudy, type ScaleResult } from './scale.js';
import { createBenchKey, measureSteleBuild, removeBuildCaches, type SteleBuildRun, toRssMiB } from './stele-build.js';
import { formatProfileSummary, type ProfileSummary, summarizeProfileFile } from './summarize-profile.js';
import { measureVerifyOutput, type VerifyOutputResult } from './verify-output.js';

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
  /** Seal the builds with a throwaway key (`--no-seal`: unsigned builds, and no verify section). */
  seal: boolean;
  /** `stele verify` against `sha256sum` on the sealed build (`--no-verify` skips it). */
  verify: boolean;
  /** `--scale`: only the scale study, cold builds at these sizes (`--scale-sizes A,B`; default posts and 5 × posts). */
  scaleSizes?: number[];
}

/** One stele phase (cold, no-change, one-edit): medians over the repeats, each build a new process. */
export interface PhaseResult {
  wallMs: number;
  runsMs: number[];
  cpuMs?: number;
  /** Maximum over the repeats (MiB). */
  peakRssMiB?: number;
  /** Median milliseconds per stage (`stats.stages` of `stele build --json`). */
  stages: Record<string, number>;
  /** Peak RSS per stage, MiB (maximum over the repeats; `stats.memory`). */
  memory: Record<string, number>;
  /** Entries rendered (`stats.rendered`: the others came from `.stele/cache`). */
  rendered?: number;
  /** Search-index chunks indexed by the build, of all (`stats.searchChunks`; the last repeat's). */
  searchChunks?: { chunks: number; indexed: number };
  cache?: 'cold' | 'warm';
}

/** A target of issue 19 and whether this run met it. */
export interface TargetCheck {
  name: string;
  value: number;
  target: string;
  met: boolean;
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
  /** stele only: each phase with its per-stage times. */
  phases?: { cold: PhaseResult; firstRebuild: PhaseResult; noChange: PhaseResult; oneEdit: PhaseResult };
}

/** Everything written to results.json. */
export interface BenchResults {
  date: string;
  options: BenchOptions;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; commit?: string; loadAverageStart: number[]; loadAverageEnd: number[] };
  corpus: { postPairs: number; sourceFiles: number; sourceBytes: number; wordsPerPost: number };
  tools: ToolResult[];
  ratios?: { cold: number; rebuild: number; coldCpu?: number; rebuildCpu?: number };
  /** stele's own rebuild ratios (wall time; CPU in brackets in the printout). */
  rebuildRatios: {
    noChangeOverCold: number;
    oneEditOverCold: number;
    noChangeOverColdCpu?: number;
    oneEditOverColdCpu?: number;
    /** The first no-change rebuild after the cold build (no previous output kept in `.stele/cache` yet). */
    firstRebuildOverCold: number;
  };
  targets: TargetCheck[];
  verify?: VerifyOutputResult;
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
    posts: num('--posts', 'STELE_BENCH_POSTS', quick ? 100 : 4000),
    words: num('--words', 'STELE_BENCH_WORDS', 1000),
    devPosts: num('--dev-posts', 'STELE_BENCH_DEV_POSTS', quick ? 50 : 200),
    repeats: num('--repeats', 'STELE_BENCH_REPEATS', 1),
    hugo: !argv.includes('--no-hugo') && existsSync(HUGO),
    dev: !argv.includes('--no-dev'),
    profile: argv.includes('--profile'),
    seal: !argv.includes('--no-seal'),
    verify: !argv.includes('--no-verify') && !argv.includes('--no-seal'),
    scaleSizes: argv.includes('--scale') ? parseSizes(value('--scale-sizes'), num('--posts', 'STELE_BENCH_POSTS', quick ? 100 : 4000)) : undefined,
  };
}

/** `--scale-sizes 1000,5000` (at least two distinct positive integers), else posts and 5 × posts. */
function parseSizes(raw: string | undefined, posts: number): number[] {
  const sizes = (raw ?? '')
    .split(',')
    .map((t) => Number(t.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  const distinct = [...new Set(sizes)].sort((a, b) => a - b);
  return distinct.length >= 2 ? distinct : [posts, posts * 5];
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

/** The sentence the one-edit rebuild inserts at the start of one English post's body. */
export const EDIT_SENTENCE = 'This sentence was added by the benchmark to measure a rebuild after one post changed.';

/** `text` (a post file) with `EDIT_SENTENCE` as the first paragraph of its body. */
export function insertEditSentence(text: string): string {
  const end = text.indexOf('\n---\n', 3);
  if (!text.startsWith('---\n') || end < 0) throw new Error('post file without front matter');
  const at = end + '\n---\n'.length;
  return `${text.slice(0, at)}\n${EDIT_SENTENCE}\n${text.slice(at)}`;
}

function summarizePhase(builds: SteleBuildRun[]): PhaseResult {
  const stageNames = [...new Set(builds.flatMap((b) => Object.keys(b.stats.stages)))];
  const stages: Record<string, number> = {};
  for (const name of stageNames) stages[name] = computeMedian(builds.map((b) => b.stats.stages[name] ?? 0));
  const memory: Record<string, number> = {};
  for (const name of stageNames) {
    const peaks = builds.map((b) => b.stats.memory?.[name]).filter((v): v is number => v !== undefined);
    if (peaks.length) memory[name] = Math.max(...peaks);
  }
  const rss = builds.map((b) => toRssMiB(b.run)).filter((v): v is number => v !== undefined);
  const rendered = builds.map((b) => b.stats.rendered).filter((v): v is number => v !== undefined);
  return {
    wallMs: computeMedian(builds.map((b) => b.run.wallMs)),
    runsMs: builds.map((b) => b.run.wallMs),
    cpuMs: medianCpu(builds.map((b) => b.run)),
    peakRssMiB: rss.length ? Math.max(...rss) : undefined,
    stages,
    memory,
    rendered: rendered.length ? Math.max(...rendered) : undefined,
    searchChunks: builds.at(-1)?.stats.searchChunks,
    cache: builds[0]?.stats.cache,
  };
}

function describeBuild(b: SteleBuildRun): string {
  const rss = toRssMiB(b.run);
  return `  ${formatMs(b.run.wallMs)} s, peak RSS ${rss === undefined ? 'n/a' : rss.toFixed(0)} MiB, cache ${b.stats.cache ?? 'n/a'}, rendered ${b.stats.rendered ?? 'n/a'}, search chunks indexed ${b.stats.searchChunks ? `${b.stats.searchChunks.indexed} of ${b.stats.searchChunks.chunks}` : 'n/a'}`;
}

/**
 * stele's phases, each a new `stele build` process: cold (no output, no
 * `.stele/cache`, no card/image cache); first rebuild (nothing changed, the cache of
 * the cold build present, but no earlier output kept in it yet: it writes every
 * file afresh and keeps the output it replaces); no-change (nothing changed, as
 * every later rebuild: it starts from the kept output); one-edit (a sentence
 * inserted into one English post; restored afterwards). Each repeat
 * starts cold, so the restored file needs no rebuild; the output left behind is the
 * one-edit build's (sealed: the verify section checks it).
 */
async function benchStele(steleBin: string, siteDir: string, editFile: string, options: BenchOptions): Promise<ToolResult> {
  const build = (label: string) => measureSteleBuild(steleBin, siteDir, { seal: options.seal, label });
  const cold: SteleBuildRun[] = [];
  const firstRebuild: SteleBuildRun[] = [];
  const noChange: SteleBuildRun[] = [];
  const oneEdit: SteleBuildRun[] = [];
  const original = await readFile(editFile, 'utf8');
  for (let r = 0; r < options.repeats; r++) {
    await removeBuildCaches(siteDir);
    log(`stele cold build ${r + 1}/${options.repeats}…`);
    cold.push(await build('cold build'));
    log(describeBuild(cold.at(-1)!));
    log(`stele first rebuild (no change) ${r + 1}/${options.repeats}…`);
    firstRebuild.push(await build('first rebuild'));
    log(describeBuild(firstRebuild.at(-1)!));
    log(`stele no-change rebuild ${r + 1}/${options.repeats}…`);
    noChange.push(await build('no-change rebuild'));
    log(describeBuild(noChange.at(-1)!));
    log(`stele one-edit rebuild ${r + 1}/${options.repeats} (${relative(siteDir, editFile)})…`);
    await writeFile(editFile, insertEditSentence(original));
    try {
      oneEdit.push(await build('one-edit rebuild'));
    } finally {
      await writeFile(editFile, original);
    }
    log(describeBuild(oneEdit.at(-1)!));
  }
  const phases = { cold: summarizePhase(cold), firstRebuild: summarizePhase(firstRebuild), noChange: summarizePhase(noChange), oneEdit: summarizePhase(oneEdit) };
  const pages = cold[0]!.stats.pages;
  const counted = countOutput(join(siteDir, 'dist'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const rss = [phases.cold, phases.firstRebuild, phases.noChange, phases.oneEdit].map((p) => p.peakRssMiB).filter((v): v is number => v !== undefined);
  return {
    tool: 'stele',
    version: pkg.version,
    coldMs: phases.cold.wallMs,
    rebuildMs: phases.noChange.wallMs,
    coldRunsMs: phases.cold.runsMs,
    rebuildRunsMs: phases.noChange.runsMs,
    coldCpuMs: phases.cold.cpuMs,
    rebuildCpuMs: phases.noChange.cpuMs,
    pages,
    htmlFiles: counted.html,
    outputFiles: counted.files,
    outputBytes: counted.bytes,
    pagesPerSecondCold: pages / (phases.cold.wallMs / 1000),
    pagesPerSecondRebuild: pages / (phases.noChange.wallMs / 1000),
    peakRssMiB: rss.length ? Math.max(...rss) : undefined,
    phases,
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

async function profileStele(steleBin: string, siteDir: string, options: BenchOptions): Promise<ProfileSummary> {
  const dir = join(OUT, 'profile');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await removeBuildCaches(siteDir);
  log('profiling a cold stele build (node --cpu-prof)…');
  const run = await measureCommand(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, steleBin, 'build', siteDir, '--quiet', ...(options.seal ? [] : ['--no-seal'])]);
  if (run.exitCode !== 0) throw new Error(`profiled build failed: ${describeFailure(run)}`);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('node --cpu-prof wrote no profile');
  // Positions map through the snapshot's dist/ source maps; show them as the repository's src/ paths.
  const summary = summarizeProfileFile(join(dir, file), ROOT, 30);
  for (const row of [...summary.bySelf, ...summary.byTotal]) row.location = row.location.replace(/^bench\/out\/snapshot\//, '');
  return summary;
}

/** Rows of a right-aligned text table (first column left-aligned). */
function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

const orNa = (v: number | undefined, f: (n: number) => string) => (v === undefined ? 'n/a' : f(v));

/** stele's three phases and their per-stage times (ms). */
export function formatPhaseTable(phases: NonNullable<ToolResult['phases']>): string[] {
  const list = [phases.cold, phases.firstRebuild, phases.noChange, phases.oneEdit];
  const header = ['stele', 'cold', 'first rebuild', 'no-change', 'one-edit'];
  const rows: string[][] = [
    ['wall s', ...list.map((p) => formatMs(p.wallMs))],
    ['CPU s', ...list.map((p) => orNa(p.cpuMs, formatMs))],
    ['peak RSS MiB (GNU time: the process tree, Pagefind included)', ...list.map((p) => orNa(p.peakRssMiB, (n) => n.toFixed(0)))],
    ['peak RSS MiB of the build process (max of stats.memory)', ...list.map((p) => (Object.keys(p.memory).length ? Math.max(...Object.values(p.memory)).toFixed(0) : 'n/a'))],
    ['cache', ...list.map((p) => p.cache ?? 'n/a')],
    ['entries rendered', ...list.map((p) => orNa(p.rendered, String))],
    ['search chunks indexed / all', ...list.map((p) => (p.searchChunks ? `${p.searchChunks.indexed} / ${p.searchChunks.chunks}` : 'n/a'))],
  ];
  const stageNames = [...new Set(list.flatMap((p) => Object.keys(p.stages)))];
  const stageRows = stageNames.map((name) => [`  ${name} ms`, ...list.map((p) => (p.stages[name] === undefined ? '-' : p.stages[name]!.toFixed(0)))]);
  const memoryRows = stageNames
    .filter((name) => list.some((p) => p.memory?.[name] !== undefined))
    .map((name) => [`  ${name} MiB`, ...list.map((p) => (p.memory?.[name] === undefined ? '-' : p.memory[name]!.toFixed(0)))]);
  return formatTable(header, [
    ...rows,
    ['stages (stats.stages):', '', '', '', ''],
    ...stageRows,
    ...(memoryRows.length ? [['peak RSS of the build process per stage (stats.memory; Pagefind not included):', '', '', '', ''], ...memoryRows] : []),
  ]);
}

/** The printed comparison tables. */
export function formatResultsTable(results: BenchResults): string {
  const header = ['tool', 'cold s', 'rebuild s', 'cold CPU s', 'rebuild CPU s', 'pages', 'pages/s (cold)', 'peak RSS MiB'];
  const rows = results.tools.map((t) => [
    `${t.tool} ${t.version}`,
    formatMs(t.coldMs),
    formatMs(t.rebuildMs),
    orNa(t.coldCpuMs, formatMs),
    orNa(t.rebuildCpuMs, formatMs),
    String(t.pages),
    t.pagesPerSecondCold.toFixed(0),
    orNa(t.peakRssMiB, (n) => n.toFixed(0)),
  ]);
  const out = [
    `corpus: ${results.corpus.postPairs} post pairs × ~${results.corpus.wordsPerPost} words (${results.corpus.sourceFiles} Markdown files); stele ${results.options.seal ? 'sealed' : 'unsealed (--no-seal)'}`,
    '',
    ...formatTable(header, rows),
    '("rebuild" = stele\'s no-change rebuild in a new process; Hugo run again with its output present)',
  ];
  const stele = results.tools.find((t) => t.tool === 'stele');
  if (stele?.phases) out.push('', ...formatPhaseTable(stele.phases));
  const rr = results.rebuildRatios;
  out.push(
    '',
    `stele rebuild/cold wall-time ratio: no-change ${rr.noChangeOverCold.toFixed(2)}×, one-edit ${rr.oneEditOverCold.toFixed(2)}×` +
      (rr.noChangeOverColdCpu !== undefined && rr.oneEditOverColdCpu !== undefined ? ` (CPU: ${rr.noChangeOverColdCpu.toFixed(2)}×, ${rr.oneEditOverColdCpu.toFixed(2)}×)` : '') +
      `; the first rebuild after the cold build (no kept output yet) ${rr.firstRebuildOverCold.toFixed(2)}×`,
  );
  if (results.ratios) {
    const r = results.ratios;
    out.push(`stele/hugo wall-time ratio: cold ${r.cold.toFixed(1)}×, rebuild ${r.rebuild.toFixed(1)}×`);
    if (r.coldCpu !== undefined && r.rebuildCpu !== undefined) out.push(`stele/hugo CPU-time ratio: cold ${r.coldCpu.toFixed(1)}×, rebuild ${r.rebuildCpu.toFixed(1)}×`);
  }
  if (results.verify) {
    const v = results.verify;
    out.push(
      '',
      `verify (${v.files} files, ${(v.bytes / 1048576).toFixed(1)} MiB listed in SHA256SUMS; whole processes, warm page cache, median of ${v.stele.runsMs.length}):`,
      ...formatTable(
        ['tool', 'wall s', 'CPU s', 'MiB/s', 'peak RSS MiB'],
        [
          ['stele verify --key', formatMs(v.stele.wallMs), orNa(v.stele.cpuMs, formatMs), v.stele.mibPerSecond.toFixed(1), orNa(v.stele.peakRssMiB, (n) => n.toFixed(0))],
          ['sha256sum -c', formatMs(v.sha256sum.wallMs), orNa(v.sha256sum.cpuMs, formatMs), v.sha256sum.mibPerSecond.toFixed(1), orNa(v.sha256sum.peakRssMiB, (n) => n.toFixed(0))],
        ],
      ),
      `stele verify / sha256sum throughput: ${v.throughputRatio.toFixed(2)} (whole processes); verify's start-up alone (\`stele verify --help\`) ${formatMs(v.cliStartupMs)} s, ` +
        `without it ${v.throughputRatioWithoutStartup.toFixed(2)}`,
    );
  }
  if (results.dev) {
    out.push(
      '',
      `dev edit latency (${results.dev.postPairs} post pairs): median ${results.dev.medianMs.toFixed(0)} ms over ${results.dev.samplesMs.length} edits ` +
        `[${results.dev.samplesMs.map((s) => s.toFixed(0)).join(', ')}]; server start ${formatMs(results.dev.startupMs)} s`,
    );
  }
  out.push('', 'targets (issue 19):');
  for (const t of results.targets) out.push(`  ${t.met ? 'met    ' : 'NOT met'}  ${t.name}: ${t.value.toFixed(2)} (target ${t.target})`);
  out.push('', `load average at start ${results.machine.loadAverageStart.map((l) => l.toFixed(2)).join(' ')}, at end ${results.machine.loadAverageEnd.map((l) => l.toFixed(2)).join(' ')} (${results.machine.cpus} CPUs)`);
  out.push('', ...results.notes.map((n) => `note: ${n}`));
  return out.join('\n');
}

/** The issue-19 targets this run can check. */
export function checkTargets(stele: ToolResult, hugo: ToolResult | undefined, rebuild: BenchResults['rebuildRatios'], verify?: VerifyOutputResult, dev?: BenchResults['dev']): TargetCheck[] {
  const targets: TargetCheck[] = [];
  if (hugo) targets.push({ name: 'cold build, stele/Hugo wall time', value: stele.coldMs / hugo.coldMs, target: '≤ 1.0', met: stele.coldMs / hugo.coldMs <= 1 });
  const rss = stele.phases?.cold.peakRssMiB;
  if (rss !== undefined) targets.push({ name: 'cold build peak RSS (MiB)', value: rss, target: '≤ 690', met: rss <= 690 });
  targets.push({ name: 'no-change rebuild / cold (wall)', value: rebuild.noChangeOverCold, target: '≤ 0.2', met: rebuild.noChangeOverCold <= 0.2 });
  targets.push({ name: 'one-edit rebuild / cold (wall)', value: rebuild.oneEditOverCold, target: '≤ 0.3', met: rebuild.oneEditOverCold <= 0.3 });
  if (verify) targets.push({ name: 'stele verify / sha256sum throughput', value: verify.throughputRatio, target: '≥ 0.8', met: verify.throughputRatio >= 0.8 });
  if (dev) targets.push({ name: `dev edit → page, median ms (${dev.postPairs} pairs)`, value: dev.medianMs, target: '≤ 100', met: dev.medianMs <= 100 });
  return targets;
}

function readCommit(): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head}+dirty-src` : head;
  } catch {
    return undefined;
  }
}

/** Run the whole benchmark; returns the results (also written to bench/out/results.json). */
export async function runBenchmark(options: BenchOptions): Promise<BenchResults> {
  const loadAverageStart = loadavg();
  // The commit the snapshot of dist/ was compiled from (npm run bench compiles first); a dirty tree is marked.
  const commit = readCommit();
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
  const publicKeyFile = options.seal ? createBenchKey(steleBin, siteDir) : undefined;

  const tools: ToolResult[] = [await benchStele(steleBin, siteDir, resolvePostFile(siteDir, corpus.first, 'en'), options)];
  if (options.hugo) tools.push(await benchHugo(hugoDir, options));
  else log('hugo not found at /usr/bin/hugo (or --no-hugo): skipping the comparison');

  let verify: VerifyOutputResult | undefined;
  if (options.verify && publicKeyFile) {
    log('stele verify against sha256sum on the sealed build…');
    verify = await measureVerifyOutput({ steleBin, outDir: join(siteDir, 'dist'), publicKeyFile, repeats: 3 });
  }

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
      profile = await profileStele(steleBin, siteDir, options);
    } catch (error) {
      profileError = (error as Error).message;
      log(`profiling failed: ${profileError}`);
    }
  }

  const stele = tools[0]!;
  const hugo = tools.find((t) => t.tool === 'hugo');
  const phases = stele.phases!;
  const rebuildRatios: BenchResults['rebuildRatios'] = {
    noChangeOverCold: phases.noChange.wallMs / phases.cold.wallMs,
    oneEditOverCold: phases.oneEdit.wallMs / phases.cold.wallMs,
    noChangeOverColdCpu: phases.noChange.cpuMs && phases.cold.cpuMs ? phases.noChange.cpuMs / phases.cold.cpuMs : undefined,
    oneEditOverColdCpu: phases.oneEdit.cpuMs && phases.cold.cpuMs ? phases.oneEdit.cpuMs / phases.cold.cpuMs : undefined,
    firstRebuildOverCold: phases.firstRebuild.wallMs / phases.cold.wallMs,
  };
  const largest = Object.entries(phases.cold.stages)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3);
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
    rebuildRatios,
    targets: checkTargets(stele, hugo, rebuildRatios, verify, dev),
    verify,
    dev,
    profile,
    notes: [
      'The work is not identical. stele also sanitizes all author HTML, derives a zh-Hant edition with OpenCC ' +
        '(3 languages of pages vs Hugo’s 2), writes Atom/JSON feeds, sitemap, preview cards and a Pagefind search index per language, hardens every page ' +
        '(CSP hashes, headers), runs its safety checks (links, withheld names, secrets) over every output byte' +
        (options.seal ? ', seals the build and verifies the written copy.' : '; these builds are not sealed (--no-seal).'),
      `Largest stages of the cold build: ${largest
        .map(([name, ms]) => `${name} ${formatMs(ms)} s (${((ms / phases.cold.wallMs) * 100).toFixed(0)}%)`)
        .join(', ')}. The search stage is Pagefind (one index per language, Chinese word segmentation included) and cards are the ` +
        'preview images (PNG) drawn per entry; Hugo makes neither.',
      'Hugo’s templates here are minimal (title, content, language switcher, tag links); stele renders its full theme.',
      'stele’s no-change and one-edit rebuilds are new processes that read the persistent cache (.stele/cache) the previous build wrote; ' +
        'every safety check still runs on every output byte. Hugo’s "rebuild" is a second full build with its output present.',
      'Wall time includes process start-up; peak RSS is the child’s maximum resident set size and CPU is user + system time (GNU time -v). ' +
        'Hugo uses every core; stele renders in worker threads but is mostly single-threaded. Other load on the machine inflates wall time more than CPU time: compare the load average with the core count.',
      ...(profileError ? [`profiling failed: ${profileError}`] : []),
      `stele ran from a snapshot of dist/ (${relative(ROOT, steleBin)}), built from the working tree at the start of the run.`,
    ],
  };
  await writeFile(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

/** `--scale`: cold builds at several sizes only; writes bench/out/scale.json. */
export async function runScaleBenchmark(options: BenchOptions): Promise<{ scale: ScaleResult; text: string }> {
  const loadAverageStart = loadavg();
  await mkdir(OUT, { recursive: true });
  const steleBin = createSnapshot();
  const scale = await runScaleStudy({ steleBin, outDir: OUT, sizes: options.scaleSizes!, words: options.words, seal: options.seal });
  const loadAverageEnd = loadavg();
  const load = `load average at start ${loadAverageStart.map((l) => l.toFixed(2)).join(' ')}, at end ${loadAverageEnd.map((l) => l.toFixed(2)).join(' ')} (${cpus().length} CPUs)`;
  await writeFile(join(OUT, 'scale.json'), `${JSON.stringify({ date: new Date().toISOString(), options, loadAverageStart, loadAverageEnd, ...scale }, null, 2)}\n`);
  return { scale, text: `${formatScaleResult(scale)}\n${load}` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const options = parseBenchArgs(process.argv.slice(2));
  try {
    if (options.scaleSizes) {
      const { text } = await runScaleBenchmark(options);
      process.stdout.write(`\n${text}\nresults: ${relative(process.cwd(), join(OUT, 'scale.json'))}\n`);
    } else {
      const results = await runBenchmark(options);
      process.stdout.write(`\n${formatResultsTable(results)}\n`);
      if (results.profile) process.stdout.write(`\n${formatProfileSummary(results.profile)}`);
      process.stdout.write(`\nresults: ${relative(process.cwd(), join(OUT, 'results.json'))}\n`);
    }
  } catch (error) {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  }
}
