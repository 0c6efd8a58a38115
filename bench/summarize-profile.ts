/**
 * Summarise a V8 `.cpuprofile` (from `node --cpu-prof`): top functions by self
 * time and by total (inclusive) time, with positions mapped back to `src/*.ts`
 * through the `dist/*.js.map` source maps when they exist.
 *
 *   npx tsx bench/summarize-profile.ts <file.cpuprofile> [--top 30]
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One row of the summary. */
export interface HotspotRow {
  /** Function name (or `(anonymous)`, `(garbage collector)`, …). */
  name: string;
  /** `file:line` (source-mapped to src/ when possible, relative to `root`). */
  location: string;
  selfMs: number;
  totalMs: number;
  selfPercent: number;
  totalPercent: number;
}

/** The whole summary. */
export interface ProfileSummary {
  totalMs: number;
  bySelf: HotspotRow[];
  byTotal: HotspotRow[];
}

const mapCache = new Map<string, SourceMap | null>();

function loadSourceMap(file: string): SourceMap | null {
  if (mapCache.has(file)) return mapCache.get(file)!;
  let map: SourceMap | null = null;
  const mapFile = `${file}.map`;
  if (existsSync(mapFile)) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
    } catch {
      map = null;
    }
  }
  mapCache.set(file, map);
  return map;
}

/** `file:line` for a call frame, mapped to the original source when a map exists. */
function resolveLocation(frame: CallFrame, root: string): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? '' : '(native)';
  let file = frame.url;
  if (file.startsWith('file://')) file = fileURLToPath(file);
  else if (!file.startsWith('/')) return `${file}:${frame.lineNumber + 1}`;
  let line = frame.lineNumber + 1;
  const map = loadSourceMap(file);
  if (map) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number };
    if (entry?.originalSource) {
      const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : new URL(entry.originalSource, `file://${file}`).pathname;
      file = source;
      line = (entry.originalLine ?? 0) + 1;
    }
  }
  return `${relative(root, file)}:${line}`;
}

/** Aggregate self and inclusive time per function (name + location). */
export function summarizeProfile(profile: CpuProfile, root: string, top = 30): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const keyOf = new Map<number, string>();
  const rows = new Map<string, { name: string; location: string; self: number; total: number }>();
  const keyFor = (id: number): string => {
    const cached = keyOf.get(id);
    if (cached) return cached;
    const frame = byId.get(id)!.callFrame;
    const name = frame.functionName || '(anonymous)';
    const location = resolveLocation(frame, root);
    const key = `${name}\0${location}`;
    if (!rows.has(key)) rows.set(key, { name, location, self: 0, total: 0 });
    keyOf.set(id, key);
    return key;
  };
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    totalUs += dt;
    let id: number | undefined = profile.samples[i]!;
    rows.get(keyFor(id))!.self += dt;
    const seen = new Set<string>();
    while (id !== undefined) {
      const key = keyFor(id);
      if (!seen.has(key)) {
        seen.add(key);
        rows.get(key)!.total += dt;
      }
      id = parent.get(id);
    }
  }
  const toRow = (r: { name: string; location: string; self: number; total: number }): HotspotRow => ({
    name: r.name,
    location: r.location,
    selfMs: r.self / 1000,
    totalMs: r.total / 1000,
    selfPercent: totalUs ? (100 * r.self) / totalUs : 0,
    totalPercent: totalUs ? (100 * r.total) / totalUs : 0,
  });
  const all = [...rows.values()];
  const bySelf = all
    .sort((a, b) => b.self - a.self)
    .slice(0, top)
    .map(toRow);
  const byTotal = all
    .filter((r) => r.name !== '(root)' && r.location !== '')
    .sort((a, b) => b.total - a.total)
    .slice(0, top)
    .map(toRow);
  return { totalMs: totalUs / 1000, bySelf, byTotal };
}

/** Plain-text table of a summary. */
export function formatProfileSummary(summary: ProfileSummary): string {
  const line = (r: HotspotRow, which: 'self' | 'total') =>
    `${(which === 'self' ? r.selfMs : r.totalMs).toFixed(0).padStart(8)} ms ${(which === 'self' ? r.selfPercent : r.totalPercent).toFixed(1).padStart(5)}%  ${r.name}  ${r.location}`;
  return [
    `profile: ${(summary.totalMs / 1000).toFixed(1)} s sampled`,
    '',
    'top by self time:',
    ...summary.bySelf.map((r) => line(r, 'self')),
    '',
    'top by total (inclusive) time:',
    ...summary.byTotal.map((r) => line(r, 'total')),
    '',
  ].join('\n');
}

/** Read and summarise a `.cpuprofile` file. */
export function summarizeProfileFile(file: string, root: string, top = 30): ProfileSummary {
  return summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, root, top);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: npx tsx bench/summarize-profile.ts <file.cpuprofile> [--top N]\n');
    process.exitCode = 2;
  } else {
    const topAt = process.argv.indexOf('--top');
    const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 30;
    const root = fileURLToPath(new URL('..', import.meta.url));
    process.stdout.write(formatProfileSummary(summarizeProfileFile(file, root, top)));
  }
}
