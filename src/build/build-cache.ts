/**
 * The persistent build cache (`.stele/cache/`): the memo tables of the last
 * successful build, so that a build in a new process does again only what
 * changed. Safe to delete at any time; a build without it makes the same bytes.
 *
 * What is kept, and why it may be:
 * - rendered Markdown bodies, Traditional conversions, hardened pages, the
 *   search index per language, preview cards and processed images: results of
 *   pure functions, keyed by a hash of everything they depend on;
 * - never the safety checks' results (`check`, `names`): every check runs on
 *   the final bytes of every build, cached or not, so a cache that was tampered
 *   with cannot put into a sealed site anything the checks refuse;
 * - never a text in which the redactor finds a protected name (a withheld
 *   roster member or forbidden term): the cache must not become a second copy of
 *   what the withheld-name check keeps out of the site. A build that failed
 *   saves nothing.
 *
 * The file is one versioned blob: a payload of `node:v8` serializations, each
 * of a slice of one table's entries, then a header line (format, the code id of
 * the stele that wrote it, V8's serialization version, the SHA-256 of the
 * payload, the table and length of each slice) as its last line. The header
 * comes last so that the file is written as it is serialized, one slice at a
 * time: the build never holds a serialized copy of the whole cache (it would be
 * the build's peak memory). A header that does not match, a checksum that does
 * not match or a payload that does not parse is a miss, never an error: the
 * build then starts cold and writes a new cache.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Redactor } from '../errors/redact.js';
import type { FileSystem } from '../io/host.js';
import { Memo } from '../io/memo.js';
import { type SafeHtml, unsafeRawHtml } from '../render/html.js';
import type { RenderMemoValue } from '../render/render-content.js';
import { STELE_VERSION } from '../version.js';
import type { BuildCache } from './build-project.js';

/** The cache folder, relative to the project root. */
export const BUILD_CACHE_DIR = '.stele/cache';

const MAGIC = 'stele-build-cache';
const FORMAT = 3;

/** Entries serialized at a time: a slice of the largest table (hardened pages) is a few MB. */
const SLICE = 256;

/** The tables the cache keeps. */
const TABLES = new Set(['traditional', 'render', 'harden', 'search', 'cards', 'processed']);

/** Where and for which code the cache is kept. */
export interface PersistentCacheOptions {
  /** Absolute cache folder (usually `<root>/.stele/cache`). */
  dir: string;
  /**
   * The code that may read it: results made by other code are not used. The CLI
   * passes the id of its compiled files (`dist/code-id.txt`), so that a changed
   * stele never reuses its old results; defaults to stele's version.
   */
  codeId?: string;
}

interface Header {
  magic: string;
  format: number;
  codeId: string;
  v8: string;
  sha256: string;
  bytes: number;
  /** The payload's `node:v8` serializations, in order: the table each holds entries of, and its byte length. */
  tables: [string, number][];
}

type Tables = Record<string, [string, unknown][]>;

/** The cache file of one build mode. */
function resolveCacheFile(options: PersistentCacheOptions, mode: string): string {
  return join(options.dir, `build-${mode}.bin`);
}

function resolveCodeId(options: PersistentCacheOptions): string {
  return options.codeId ?? `stele ${STELE_VERSION}`;
}

/**
 * Read the cache a previous build of the same mode left, as a fresh
 * `BuildCache`; `undefined` when there is none, or it is unusable (another
 * stele, another Node, damaged): the build then starts cold.
 */
export async function loadBuildCache(fs: FileSystem, options: PersistentCacheOptions, mode: string): Promise<BuildCache | undefined> {
  const file = resolveCacheFile(options, mode);
  let bytes: Uint8Array;
  try {
    if (!(await fs.exists(file))) return undefined;
    bytes = await fs.readFile(file);
  } catch {
    return undefined;
  }
  // The header is the last line (JSON has no raw newline); the payload is everything before it.
  const newline = bytes.byteLength > 1 && bytes[bytes.byteLength - 1] === 10 ? bytes.lastIndexOf(10, bytes.byteLength - 2) : -1;
  if (newline < 0) return undefined;
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(newline + 1, bytes.byteLength - 1))) as Header;
  } catch {
    return undefined;
  }
  const payload = bytes.subarray(0, newline);
  if (
    header.magic !== MAGIC ||
    header.format !== FORMAT ||
    header.codeId !== resolveCodeId(options) ||
    header.v8 !== process.versions.v8 ||
    header.bytes !== payload.byteLength ||
    !Array.isArray(header.tables) ||
    header.tables.reduce((n, [, size]) => n + size, 0) !== payload.byteLength ||
    header.sha256 !== createHash('sha256').update(payload).digest('hex')
  ) {
    return undefined;
  }
  const tables: Tables = {};
  if (!header.tables.every(([name]) => TABLES.has(name))) return undefined;
  try {
    let at = 0;
    for (const [name, size] of header.tables) {
      const entries = deserialize(payload.subarray(at, at + size)) as Tables[string];
      const table = tables[name];
      if (table) for (const entry of entries) table.push(entry);
      else tables[name] = entries;
      at += size;
    }
  } catch {
    return undefined;
  }
  const cache: BuildCache = {
    traditional: new Memo(),
    render: new Memo(),
    harden: new Memo(),
    search: new Memo(),
    cards: new Map(),
    processed: new Map(),
  };
  cache.traditional!.restore((tables.traditional ?? []) as [string, string][]);
  cache.render!.restore((tables.render ?? []).map(([k, v]) => [k, decodeRenderValue(v as EncodedRenderValue)] as const));
  cache.harden!.restore((tables.harden ?? []) as [string, never][]);
  cache.search!.restore((tables.search ?? []) as [string, never][]);
  for (const [k, v] of tables.cards ?? []) cache.cards!.set(k, v as Uint8Array);
  for (const [k, v] of tables.processed ?? []) cache.processed!.set(k, v as never);
  loadedKeys.set(cache, new Map(Object.entries(tables).map(([name, entries]) => [name, new Set(entries.map(([k]) => k))])));
  return cache;
}

/** The keys each table held when it was read, to skip writing a cache that would not change. */
const loadedKeys = new WeakMap<BuildCache, Map<string, Set<string>>>();

/** True when `tables` holds exactly the keys `cache` was read with (the values are pure functions of them). */
function isUnchanged(cache: BuildCache, tables: Tables): boolean {
  const loaded = loadedKeys.get(cache);
  if (!loaded) return false;
  return Object.entries(tables).every(([name, entries]) => {
    const keys = loaded.get(name) ?? new Set();
    return entries.length === keys.size && entries.every(([k]) => keys.has(k));
  });
}

/**
 * Write what a successful build used (not yet pruned) to the cache (through a temporary file and
 * a rename, so a reader never sees half a cache). Entries whose text holds a
 * protected name are left out. Returns false when the cache could not be
 * written; the build's result does not depend on it.
 */
export async function saveBuildCache(
  fs: FileSystem,
  options: PersistentCacheOptions,
  mode: string,
  cache: BuildCache,
  build: { redactor: Redactor | undefined; output: ReadonlyMap<string, Uint8Array> },
): Promise<boolean> {
  const { redactor } = build;
  // Cards and images are kept while their bytes are in the site (the same objects).
  const live = new Set(build.output.values());
  /** True when `text` holds no protected name. */
  const clean = (text: string) => !redactor || redactor.findLines(text).size === 0;
  const tables: Tables = {
    traditional: [...(cache.traditional?.usedEntries() ?? [])].filter(([k, v]) => clean(k) && clean(v)),
    render: [...(cache.render?.usedEntries() ?? [])].filter(([, v]) => clean(v.html.value)).map(([k, v]) => [k, encodeRenderValue(v)]),
    harden: [...(cache.harden?.usedEntries() ?? [])],
    search: [...(cache.search?.usedEntries() ?? [])],
    cards: [...(cache.cards?.entries() ?? [])].filter(([, png]) => live.has(png)),
    processed: [...(cache.processed?.entries() ?? [])].filter(([, r]) => r.files.length > 0 && r.files.every((f) => live.has(f.data))),
  };
  // Nothing learned and nothing dropped: the file on disk already holds exactly this.
  if (isUnchanged(cache, tables)) return true;
  const file = resolveCacheFile(options, mode);
  const temp = `${file}.${process.pid}.tmp`;
  const hash = createHash('sha256');
  const slices: [string, number][] = [];
  /** The payload, one slice of one table at a time, each serialized only when the file is ready for it. */
  function* serializeSlices(): Generator<Uint8Array> {
    for (const [name, entries] of Object.entries(tables)) {
      for (let at = 0; at < Math.max(entries.length, 1); at += SLICE) {
        const part = serialize(entries.slice(at, at + SLICE));
        hash.update(part);
        slices.push([name, part.byteLength]);
        yield part;
      }
    }
    const header: Header = {
      magic: MAGIC,
      format: FORMAT,
      codeId: resolveCodeId(options),
      v8: process.versions.v8,
      sha256: hash.digest('hex'),
      bytes: slices.reduce((n, [, size]) => n + size, 0),
      tables: slices,
    };
    yield new TextEncoder().encode(`\n${JSON.stringify(header)}\n`);
  }
  try {
    await fs.mkdir(options.dir);
    await fs.writeFile(temp, serializeSlices());
    await fs.rename(temp, file);
    return true;
  } catch {
    await fs.rm(temp).catch(() => undefined);
    return false;
  }
}

interface EncodedRenderValue {
  html: { value: string; marks?: SafeHtml['marks'] };
  headings: RenderMemoValue['headings'];
  diagnostics: RenderMemoValue['diagnostics'];
}

function encodeRenderValue(v: RenderMemoValue): EncodedRenderValue {
  return { html: { value: v.html.value, ...(v.html.marks ? { marks: v.html.marks } : {}) }, headings: v.headings, diagnostics: v.diagnostics };
}

function decodeRenderValue(v: EncodedRenderValue): RenderMemoValue {
  // The value was sanitized when it was made; the cache is the project's own folder.
  return { html: unsafeRawHtml(v.html.value, v.html.marks), headings: v.headings, diagnostics: v.diagnostics };
}
