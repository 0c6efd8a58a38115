/**
 * The persistent build cache (`.stele/cache/`): the memo tables of the last
 * successful build, so that a build in a new process does again only what
 * changed. Safe to delete at any time; a build without it makes the same bytes.
 *
 * What is kept, and why it may be:
 * - parsed front matter (without its locator, made again from the front
 *   matter's text when a diagnostic needs one; never of a file with a roster),
 *   rendered Markdown bodies, Traditional conversions, laid-out pages and
 *   feeds, hardened pages, the search index per language, preview cards and
 *   processed images: results of pure functions, keyed by a hash of everything
 *   they depend on (the layout's key: `SiteInput.memo` in `create-site.ts`);
 * - never the safety checks' results (`check`, `names`): every check runs on
 *   the final bytes of every build, cached or not, so a cache that was tampered
 *   with cannot put into a sealed site anything the checks refuse;
 * - never a text in which the redactor finds a protected name (a withheld
 *   roster member or forbidden term): the cache must not become a second copy of
 *   what the withheld-name check keeps out of the site. A build that failed
 *   saves nothing. When the protected names change, every entry is checked again.
 *
 * Layout on disk, per build mode: segments `<mode>-<random>.seg`, each a run of records (table id, key, value: a
 * `node:v8` serialization whose byte arrays are read back as views, not
 * copies; a laid-out page is written as its differences from the hardened page
 * made of it, checked by applying them before they are written), and an index `build-<mode>.idx` (JSON: format, the code id of the
 * stele that wrote it, V8's serialization version, a fingerprint of the
 * protected names, and per segment its name, size and the offsets of its live
 * records, and their checksum: CRC-32, or SHA-1 on a Node without
 * `zlib.crc32`; it guards against damage, not tampering, which the checks that
 * run on every byte of every build do). A build reads the index and the
 * segments, checks each segment's size and checksum, and decodes a record only when the build asks for it. Saving
 * writes only what the build made new, as one more segment, then the index
 * (through a temporary file and a rename), then deletes segments the index no
 * longer names: a build killed at any point leaves the old cache or the new
 * one. When less than half of the segments' bytes are live, or there are too
 * many segments, the live records are copied into one new segment. An index
 * that does not match, a segment missing, of another size or checksum, or a
 * record that does not parse is a miss, never an error: the build then starts
 * cold and writes a new cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

import type { Redactor } from '../errors/redact.js';
import type { HardenedPage } from '../harden/harden-site.js';
import type { FileSystem } from '../io/host.js';
import { crc32, digestBytes, Memo } from '../io/memo.js';
import { type SafeHtml, unsafeRawHtml } from '../render/html.js';
import type { RenderMemoValue } from '../render/render-content.js';
import type { LaidOutPage } from '../site/create-site.js';
import { createLazyLocator } from '../content/front-matter.js';
import type { ParsedSource } from '../content/load-content.js';
import { STELE_VERSION } from '../version.js';
import type { BuildCache } from './build-project.js';

/** The cache folder, relative to the project root. */
export const BUILD_CACHE_DIR = '.stele/cache';

const MAGIC = 'stele-build-cache';
const FORMAT = 5;

/** The tables the cache keeps, by their id in a record (the position). */
const TABLES = ['traditional', 'render', 'harden', 'search', 'cards', 'processed', 'layout', 'frontMatter'] as const;
type TableName = (typeof TABLES)[number];

/** Record header: table id (u8), key length (u32), value length (u32), little-endian. */
const RECORD_HEAD = 9;
/** Bytes written to a segment at a time. */
const STAGING = 4 << 20;
/** More segments than this are copied into one. */
const MAX_SEGMENTS = 8;

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

interface SegmentInfo {
  /** File name in the cache folder: `<mode>-<16 random hex digits>.seg`. */
  name: string;
  bytes: number;
  /** `crc32:<hex>` or `sha1:<hex>` of the segment's bytes. */
  check: string;
  /** Offsets of the live records, ascending. */
  records: number[];
}

interface Index {
  magic: string;
  format: number;
  codeId: string;
  v8: string;
  /** Fingerprint of the protected names the entries were checked against (`saveBuildCache`'s `namesKey`). */
  names: string;
  segments: SegmentInfo[];
}

/** Where a record read from the cache lies: its segment (position in the loaded list), offset and length. */
interface RecordRef {
  segment: number;
  offset: number;
  length: number;
}

/** What a loaded cache remembers for its save: the segments read, and where each of its records lies. */
interface LoadedState {
  names: string;
  segments: { info: SegmentInfo; data: Uint8Array }[];
  /** By table, then key. */
  records: Map<TableName, Map<string, RecordRef>>;
  /** Records read, to skip writing a cache that would not change. */
  count: number;
  /** The remembered laid-out page `key`, decoded afresh from its record (a page `createLayoutPacker` let go of is made again this way). */
  loadLayout: (key: string) => LaidOutPage | undefined;
}

const loadedStates = new WeakMap<BuildCache, LoadedState>();

function resolveIndexFile(options: PersistentCacheOptions, mode: string): string {
  return join(options.dir, `build-${mode}.idx`);
}

function resolveCodeId(options: PersistentCacheOptions): string {
  return options.codeId ?? `stele ${STELE_VERSION}`;
}

/** A running checksum of a segment: CRC-32 where Node has it (several times faster than SHA-1), else SHA-1. */
function createChecksum(algorithm: string = crc32 ? 'crc32' : 'sha1'): { update(data: Uint8Array): void; digest(): string } | undefined {
  const compute = crc32;
  if (algorithm === 'crc32' && compute) {
    let crc = 0;
    return {
      update: (data) => {
        crc = compute(data, crc);
      },
      digest: () => `crc32:${crc.toString(16)}`,
    };
  }
  if (algorithm !== 'sha1') return undefined;
  const hash = createHash('sha1');
  return { update: (data) => void hash.update(data), digest: () => `sha1:${hash.digest('hex')}` };
}

/** A fresh cache with every table the persistent cache keeps. */
function createEmptyCache(): BuildCache {
  return {
    traditional: new Memo(),
    render: new Memo(),
    harden: new Memo(),
    search: new Memo(),
    layout: new Memo(),
    frontMatter: new Memo(),
    cards: new Map(),
    processed: new Map(),
  };
}

/**
 * Read the cache a previous build of the same mode left, as a fresh
 * `BuildCache`; `undefined` when there is none, or it is unusable (another
 * stele, another Node, damaged): the build then starts cold.
 */
export async function loadBuildCache(fs: FileSystem, options: PersistentCacheOptions, mode: string): Promise<BuildCache | undefined> {
  let index: Index;
  try {
    const file = resolveIndexFile(options, mode);
    if (!(await fs.exists(file))) return undefined;
    index = JSON.parse(await fs.readText(file)) as Index;
  } catch {
    return undefined;
  }
  if (
    index?.magic !== MAGIC ||
    index.format !== FORMAT ||
    index.codeId !== resolveCodeId(options) ||
    index.v8 !== process.versions.v8 ||
    typeof index.names !== 'string' ||
    !Array.isArray(index.segments) ||
    !index.segments.every((s) => typeof s?.name === 'string' && new RegExp(`^${mode}-[0-9a-f]{16}\\.seg$`).test(s.name) && typeof s.check === 'string' && Number.isInteger(s.bytes) && Array.isArray(s.records))
  ) {
    return undefined;
  }
  let datas: Uint8Array[];
  try {
    datas = await Promise.all(index.segments.map((s) => fs.readFile(join(options.dir, s.name))));
  } catch {
    return undefined;
  }
  const cache = createEmptyCache();
  /** The value bytes of a record (a view of its segment). */
  const readValue = (ref: RecordRef): Buffer => {
    const data = state.segments[ref.segment]!.data as Buffer;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    return data.subarray(ref.offset + RECORD_HEAD + view.getUint32(ref.offset + 1, true), ref.offset + ref.length);
  };
  /** The hardened bytes of the remembered page `key` (a view of its segment), read without asking the memo. */
  const resolveBase = (key: string): Uint8Array | undefined => {
    const ref = state.records.get('harden')!.get(key);
    if (!ref) return undefined;
    try {
      const html = (deserialize(readValue(ref)) as { html?: unknown }).html;
      return html instanceof Uint8Array ? html : undefined;
    } catch {
      return undefined;
    }
  };
  const state: LoadedState = {
    names: index.names,
    segments: [],
    records: new Map(TABLES.map((t) => [t, new Map()])),
    count: 0,
    loadLayout: (key) => {
      const ref = state.records.get('layout')!.get(key);
      return ref ? decodeLaidOutPage(readValue(ref), resolveBase) : undefined;
    },
  };
  try {
    for (const [i, info] of index.segments.entries()) {
      const data = datas[i]!;
      // A segment damaged or replaced is a miss.
      const checksum = createChecksum(info.check.split(':')[0]);
      checksum?.update(data);
      if (data.byteLength !== info.bytes || checksum?.digest() !== info.check) return undefined;
      state.segments.push({ info, data });
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      for (const offset of info.records) {
        if (!Number.isInteger(offset) || offset < 0 || offset + RECORD_HEAD > data.byteLength) return undefined;
        const table = TABLES[view.getUint8(offset)];
        const keyLength = view.getUint32(offset + 1, true);
        const valueLength = view.getUint32(offset + 5, true);
        const valueAt = offset + RECORD_HEAD + keyLength;
        if (!table || valueAt + valueLength > data.byteLength) return undefined;
        const key = TEXT.decode(data.subarray(offset + RECORD_HEAD, valueAt));
        const value = (data as Buffer).subarray(valueAt, valueAt + valueLength);
        state.records.get(table)!.set(key, { segment: i, offset, length: RECORD_HEAD + keyLength + valueLength });
        state.count++;
        const records = state.records.get(table)!;
        // A record that does not parse is a miss, and is not written again by reference.
        restoreRecord(cache, table, key, value, () => records.delete(key), resolveBase);
      }
    }
  } catch {
    return undefined;
  }
  loadedStates.set(cache, state);
  return cache;
}

const TEXT = new TextDecoder();

/** Put one record in its table: memo entries decoded on first use; cards and images now (their bytes stay views of the segment). */
function restoreRecord(
  cache: BuildCache,
  table: TableName,
  key: string,
  value: Buffer,
  onBroken: () => void,
  resolveBase: (hardenKey: string) => Uint8Array | undefined,
): void {
  /** The value, or undefined (a miss) when it does not parse. */
  const decode = <T>(): T | undefined => {
    try {
      return deserialize(value) as T;
    } catch {
      onBroken();
      return undefined;
    }
  };
  switch (table) {
    case 'traditional':
      cache.traditional!.restoreLazy(key, () => decode<string>());
      break;
    case 'render':
      cache.render!.restoreLazy(key, () => {
        const v = decode<EncodedRenderValue>();
        return v && decodeRenderValue(v);
      });
      break;
    case 'harden':
      cache.harden!.restoreLazy(key, () => decode());
      break;
    case 'search':
      cache.search!.restoreLazy(key, () => decode());
      break;
    case 'layout':
      cache.layout!.restoreLazy(key, () => {
        const page = decodeLaidOutPage(value, resolveBase);
        if (!page) onBroken();
        return page;
      });
      break;
    case 'frontMatter':
      cache.frontMatter!.restoreLazy(key, () => {
        const v = decode<EncodedParsedSource>();
        // The key is the file's path, NUL, and its bytes' digest (`loadContent`).
        return v && decodeParsedSource(v, key.slice(0, key.indexOf('\u0000')));
      });
      break;
    case 'cards': {
      const v = decode<Uint8Array>();
      if (v) cache.cards!.set(key, v);
      break;
    }
    case 'processed': {
      const v = decode<never>();
      if (v) cache.processed!.set(key, v);
      break;
    }
  }
}

/** A laid-out page from its record's value (see `EncodedLaidOutPage`); undefined when it does not parse or its base is missing. */
function decodeLaidOutPage(value: Uint8Array, resolveBase: (key: string) => Uint8Array | undefined): LaidOutPage | undefined {
  let v: EncodedLaidOutPage;
  try {
    v = deserialize(value) as EncodedLaidOutPage;
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object') return undefined;
  // A page of its own either way: laid-out pages go to the search workers, and a view would take the whole segment with it.
  const bytes = 'base' in v ? applyLayoutDiff(v.parts, resolveBase(v.base)) : v.bytes instanceof Uint8Array ? new Uint8Array(v.bytes) : undefined;
  if (!bytes) return undefined;
  return { bytes, ...(v.marks ? { marks: v.marks } : {}) };
}

/** A laid-out page `createLayoutPacker` let go of: the value the save writes for it, or `REFERENCE` when the save writes the record it was read from. */
type PackedLayout = Uint8Array | typeof REFERENCE;
const REFERENCE = Symbol('written by reference');

/** Laid-out pages `createLayoutPacker` let go of, by cache and layout key. */
const packedLayouts = new WeakMap<BuildCache, Map<string, PackedLayout>>();

/** What {@link createLayoutPacker} gives the build. */
export interface LayoutPacker {
  /** For `HardenOptions.onPage`: lets go of the laid-out page the hardened page was made of. */
  onPage: (page: HardenedPage) => void;
  /**
   * For `SearchIndexOptions.rereadPage`: a way to read the laid-out page at
   * `path` (these bytes) again later, before or after it is hardened; undefined
   * for a page the layout memo does not hold.
   */
  rereadPage: (path: string, bytes: Uint8Array) => (() => Uint8Array | undefined) | undefined;
}

/**
 * Let go of each laid-out page as soon as the hardened page made of it exists
 * (`onPage`, for `hardenSite`), for a build whose cache is saved at its end and
 * then dropped (`stele build`; not `stele dev`, whose next build wants its
 * pages as they are). Instead of the page, the cache keeps what
 * `saveBuildCache` will write for it: its differences from the hardened page,
 * already serialized (a few KB instead of the page's tens), or nothing when
 * the save writes the record it was read from. The layout memo makes the page
 * again (from those, or from the record) if a build asks for it, and so does
 * `rereadPage` for the search index's chunks that wait their turn. A page that
 * holds a protected name, has no hardened page in the memo, or differs from it
 * too much stays as it is, and the save handles it as before.
 */
export function createLayoutPacker(cache: BuildCache, build: { redactor: Redactor | undefined; namesKey?: string }): LayoutPacker {
  const layout = cache.layout;
  if (!layout) return { onPage: () => undefined, rereadPage: () => undefined };
  const loaded = loadedStates.get(cache);
  const reusable = loaded && loaded.names === (build.namesKey ?? '') ? loaded : undefined;
  // The laid-out pages of this build not let go of, by layout key, and the key of each by its bytes
  // (the arrays `createSite` put in the output; weakly, so that a page let go of is not held here).
  const pages = new Map<string, LaidOutPage>();
  const keyOf = new WeakMap<Uint8Array, string>();
  for (const [key, page] of layout.usedEntries()) {
    pages.set(key, page);
    keyOf.set(page.bytes, key);
  }
  let packed = packedLayouts.get(cache);
  if (!packed) {
    packed = new Map();
    packedLayouts.set(cache, packed);
  }
  const kept = packed;
  /** How to make again each page let go of. */
  const again = new Map<string, () => LaidOutPage | undefined>();
  const release = (key: string, value: PackedLayout, load: () => LaidOutPage | undefined) => {
    kept.set(key, value);
    again.set(key, load);
    pages.delete(key);
    layout.release(key, load);
  };
  const onPage = ({ input, html, memoKey }: HardenedPage) => {
    const key = keyOf.get(input);
    const page = key === undefined ? undefined : pages.get(key);
    if (key === undefined || !page || memoKey === undefined) return;
    if (reusable?.records.get('layout')?.has(key)) {
      release(key, REFERENCE, () => reusable.loadLayout(key));
      return;
    }
    if (build.redactor && build.redactor.findLines(TEXT.decode(input)).size > 0) return;
    const parts = createLayoutDiff(input, html);
    if (!parts) return;
    const value = encodeLaidOutPage(page, memoKey, parts);
    release(key, value, () => decodeLaidOutPage(value, (base) => (base === memoKey ? html : undefined)));
  };
  // Read without asking the memo, which would then hold the page again.
  const rereadPage = (_path: string, bytes: Uint8Array) => {
    const key = keyOf.get(bytes);
    if (key === undefined || !pages.has(key)) return undefined;
    return () => pages.get(key)?.bytes ?? again.get(key)?.()?.bytes;
  };
  return { onPage, rereadPage };
}

/** The record value of a laid-out page as its differences (`parts`) from the hardened page `base` (a harden key): serialized, in an array of its own. */
function encodeLaidOutPage(page: LaidOutPage, base: string, parts: LayoutDiffPart[]): Uint8Array {
  const encoded: EncodedLaidOutPage = { base, parts, ...(page.marks ? { marks: page.marks } : {}) };
  // Copied out of the serializer's buffer, which may be larger than what it holds; the page's own
  // bytes in `parts` are views of the page, which are copied here and so not kept.
  return new Uint8Array(serialize(encoded));
}

/** One record to write: new bytes, or one already in a loaded segment. */
type PendingRecord = { table: TableName; key: string; value: unknown } | { ref: RecordRef };

/**
 * Write what a successful build used (not yet pruned) to the cache: the entries
 * it made as a new segment, then the index naming every live record (through a
 * temporary file and a rename, so a reader never sees half a cache), then remove
 * the segments no longer named. Entries whose text holds a protected name are
 * left out; `namesKey` fingerprints the protected names, and when it is not the
 * one the loaded entries were checked against, every entry is checked again.
 * Returns false when the cache could not be written; the build's result does not depend on it.
 */
export async function saveBuildCache(
  fs: FileSystem,
  options: PersistentCacheOptions,
  mode: string,
  cache: BuildCache,
  build: { redactor: Redactor | undefined; output: ReadonlyMap<string, Uint8Array>; namesKey?: string },
): Promise<boolean> {
  const { redactor } = build;
  const namesKey = build.namesKey ?? '';
  const loaded = loadedStates.get(cache);
  // Records read with the same protected names were checked when they were written.
  const reusable = loaded && loaded.names === namesKey ? loaded : undefined;
  // Cards and images are kept while their bytes are in the site (the same objects).
  const live = new Set(build.output.values());
  /** True when `text` holds no protected name. */
  const clean = (text: string) => !redactor || redactor.findLines(text).size === 0;
  const pending: PendingRecord[] = [];
  let reused = 0;
  /** Queue one entry: by reference when it was read from the cache, else encoded (when `keep` allows it). */
  const add = (table: TableName, key: string, value: unknown, keep: () => boolean) => {
    const ref = reusable?.records.get(table)?.get(key);
    if (ref) {
      pending.push({ ref });
      reused++;
    } else if (keep()) pending.push({ table, key, value });
  };
  for (const [k, v] of cache.traditional?.usedEntries() ?? []) add('traditional', k, v, () => clean(k) && clean(v));
  for (const [k, v] of cache.render?.usedEntries() ?? []) add('render', k, v, () => clean(v.html.value));
  const laidOut = new Set<string>();
  for (const [k, v] of cache.layout?.usedEntries() ?? []) {
    laidOut.add(k);
    add('layout', k, v, () => clean(TEXT.decode(v.bytes)));
  }
  // Pages let go of as they were hardened (unless asked for again since): already checked and encoded (`createLayoutPacker`).
  for (const [k, v] of packedLayouts.get(cache) ?? []) if (!laidOut.has(k)) add('layout', k, v, () => v !== REFERENCE);
  // A file with a roster, or whose text holds a protected name, is parsed again in every build.
  for (const [k, v] of cache.frontMatter?.usedEntries() ?? []) {
    if (v.head !== undefined && !v.rosterLines.length) add('frontMatter', k, v, () => clean(v.head!) && clean(v.fm.body));
  }
  for (const [k, v] of cache.harden?.usedEntries() ?? []) add('harden', k, v, () => true);
  for (const [k, v] of cache.search?.usedEntries() ?? []) add('search', k, v, () => true);
  for (const [k, v] of cache.cards ?? []) if (live.has(v)) add('cards', k, v, () => true);
  for (const [k, v] of cache.processed ?? []) if (v.files.length > 0 && v.files.every((f) => live.has(f.data))) add('processed', k, v, () => true);
  // A laid-out page is written as its differences from the hardened page made of it (the hardening
  // adds attributes and a few elements), which the cache holds anyway: 70 MB less to read at 1000 pairs.
  const hardenedByInput = new Map<string, [string, Uint8Array]>();
  for (const [k, v] of cache.harden?.usedEntries() ?? []) hardenedByInput.set(k.slice(k.lastIndexOf('\u0000') + 1), [k, v.html]);
  const encodeLayout = (page: LaidOutPage): EncodedLaidOutPage => {
    const base = hardenedByInput.get(`\u0001${digestBytes(page.bytes)}`);
    const parts = base && createLayoutDiff(page.bytes, base[1]);
    const marks = page.marks ? { marks: page.marks } : {};
    return parts ? { base: base[0], parts, ...marks } : { bytes: page.bytes, ...marks };
  };

  // Nothing learned and nothing dropped: the files on disk already hold exactly this.
  if (reusable && reused === pending.length && reused === reusable.count) return true;

  // Copy the live records into the new segment too when the old ones are mostly dead or too many.
  const segmentsUsed = new Set<number>();
  let liveBytes = 0;
  for (const r of pending) {
    if ('ref' in r) {
      segmentsUsed.add(r.ref.segment);
      liveBytes += r.ref.length;
    }
  }
  const usedBytes = [...segmentsUsed].reduce((n, i) => n + reusable!.segments[i]!.info.bytes, 0);
  const compact = segmentsUsed.size > 0 && (liveBytes * 2 < usedBytes || segmentsUsed.size + 1 > MAX_SEGMENTS);

  const kept = new Map<number, number[]>();
  const fresh: number[] = [];
  let at = 0;
  const hash = createChecksum()!;
  /**
   * The new segment, in chunks of about `STAGING` bytes: records are copied into one staging
   * buffer, reused once the file has taken it (the writer asks for a chunk only after writing the
   * one before). Values are serialized only here, one at a time.
   */
  function* writeRecords(): Generator<Uint8Array> {
    const staging = Buffer.allocUnsafe(STAGING);
    let used = 0;
    function* put(part: Uint8Array): Generator<Uint8Array> {
      hash.update(part);
      at += part.byteLength;
      if (used + part.byteLength > STAGING && used > 0) {
        yield staging.subarray(0, used);
        used = 0;
      }
      if (part.byteLength > STAGING) yield part;
      else {
        staging.set(part, used);
        used += part.byteLength;
      }
    }
    for (const r of pending) {
      if ('ref' in r) {
        if (!compact) {
          const offsets = kept.get(r.ref.segment) ?? [];
          offsets.push(r.ref.offset);
          kept.set(r.ref.segment, offsets);
          continue;
        }
        fresh.push(at);
        yield* put(reusable!.segments[r.ref.segment]!.data.subarray(r.ref.offset, r.ref.offset + r.ref.length));
        continue;
      }
      const key = new TextEncoder().encode(r.key);
      let value: Uint8Array;
      try {
        value =
          r.value instanceof Uint8Array && r.table === 'layout'
            ? r.value
            : serialize(r.table === 'layout' ? encodeLayout(r.value as LaidOutPage) : encodeValue(r.table, r.value));
      } catch {
        // Something V8 cannot serialize (front matter is the author's data): not kept.
        continue;
      }
      const head = new Uint8Array(RECORD_HEAD);
      const view = new DataView(head.buffer);
      view.setUint8(0, TABLES.indexOf(r.table));
      view.setUint32(1, key.byteLength, true);
      view.setUint32(5, value.byteLength, true);
      fresh.push(at);
      yield* put(head);
      yield* put(key);
      yield* put(value);
    }
    if (used > 0) yield staging.subarray(0, used);
  }
  const temp = join(options.dir, `${mode}-${process.pid}.tmp`);
  const indexFile = resolveIndexFile(options, mode);
  const indexTemp = `${indexFile}.${process.pid}.tmp`;
  try {
    await fs.mkdir(options.dir);
    const segments: SegmentInfo[] = [];
    await fs.writeFile(temp, writeRecords());
    if (at > 0) {
      const name = `${mode}-${randomBytes(8).toString('hex')}.seg`;
      await fs.rename(temp, join(options.dir, name));
      segments.push({ name, bytes: at, check: hash.digest(), records: fresh });
    } else await fs.rm(temp);
    for (const [i, offsets] of [...kept].sort(([a], [b]) => a - b)) {
      segments.push({ ...reusable!.segments[i]!.info, records: offsets.sort((a, b) => a - b) });
    }
    const index: Index = { magic: MAGIC, format: FORMAT, codeId: resolveCodeId(options), v8: process.versions.v8, names: namesKey, segments };
    await fs.writeFile(indexTemp, JSON.stringify(index));
    await fs.rename(indexTemp, indexFile);
    // Segments the index no longer names (and the single file of earlier formats) go only now, with
    // the temporary files of a save that was killed before its renames.
    const named = new Set(segments.map((s) => s.name));
    for (const entry of await fs.listEntries(options.dir)) {
      const stale =
        (entry.name.startsWith(`${mode}-`) && (entry.name.endsWith('.seg') ? !named.has(entry.name) : entry.name.endsWith('.tmp'))) ||
        (entry.name.startsWith(`build-${mode}.idx.`) && entry.name.endsWith('.tmp')) ||
        entry.name === `build-${mode}.bin`;
      if (stale && entry.kind === 'file') await fs.rm(join(options.dir, entry.name)).catch(() => undefined);
    }
    return true;
  } catch {
    await fs.rm(temp).catch(() => undefined);
    await fs.rm(indexTemp).catch(() => undefined);
    return false;
  }
}

/** A laid-out page as written: whole, or as its differences from a remembered hardened page (`base`, a harden key). */
type EncodedLaidOutPage = ({ bytes: Uint8Array } | { base: string; parts: LayoutDiffPart[] }) & { marks?: LaidOutPage['marks'] };

/** A run of the base's bytes (`[start, length]`) or bytes of the page's own. */
type LayoutDiffPart = [number, number] | Uint8Array;

/** Shortest run of the base copied by reference (shorter ones are written out). */
const DIFF_ANCHOR = 16;
/** How far ahead in the base a difference is looked past. */
const DIFF_WINDOW = 8192;

/**
 * `page` as runs of `base` and bytes of its own, or undefined when that would not
 * save much. Greedy: where the two differ, the base is searched a little way
 * ahead for the page's next bytes (what hardening inserted); failing that, page
 * bytes are written out. Checked by applying it: a diff that does not give back
 * `page` exactly is never written.
 */
export function createLayoutDiff(page: Uint8Array, base: Uint8Array): LayoutDiffPart[] | undefined {
  const b = Buffer.from(base.buffer, base.byteOffset, base.byteLength);
  const parts: LayoutDiffPart[] = [];
  let own = 0;
  let ownBytes = 0;
  let i = 0;
  let j = 0;
  const flush = () => {
    if (own < i) {
      parts.push(page.subarray(own, i));
      ownBytes += i - own;
    }
  };
  while (i < page.length) {
    let n = 0;
    while (i + n < page.length && j + n < base.length && page[i + n] === base[j + n]) n++;
    if (n >= DIFF_ANCHOR || (n > 0 && i + n === page.length)) {
      flush();
      parts.push([j, n]);
      i += n;
      j += n;
      own = i;
      continue;
    }
    const needle = page.subarray(i, Math.min(page.length, i + DIFF_ANCHOR));
    const k = j < base.length ? b.subarray(j, j + DIFF_WINDOW + needle.length).indexOf(needle) : -1;
    if (k > 0) {
      // The base has bytes here the page has not (hardening added them): skip them.
      j += k;
      continue;
    }
    i++;
    // Mostly its own bytes: not worth a diff (and each of them costs a search).
    if ((i - own + ownBytes) * 4 > page.length) return undefined;
  }
  flush();
  if (ownBytes * 4 > page.length || parts.length * 16 > page.length) return undefined;
  const back = applyLayoutDiff(parts, base);
  return back && Buffer.compare(back, page) === 0 ? parts : undefined;
}

/** The page a diff describes, in a buffer of its own; undefined when it does not fit `base`. */
export function applyLayoutDiff(parts: readonly LayoutDiffPart[], base: Uint8Array | undefined): Uint8Array | undefined {
  if (!base || !Array.isArray(parts)) return undefined;
  let length = 0;
  for (const p of parts) {
    if (p instanceof Uint8Array) length += p.byteLength;
    else if (Array.isArray(p) && Number.isInteger(p[0]) && Number.isInteger(p[1]) && p[0] >= 0 && p[1] >= 0 && p[0] + p[1] <= base.byteLength) length += p[1];
    else return undefined;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    const run = p instanceof Uint8Array ? p : base.subarray(p[0], p[0] + p[1]);
    out.set(run, at);
    at += run.byteLength;
  }
  return out;
}

/** The form a value is written in (`render` and `frontMatter` values hold what `node:v8` cannot write). */
function encodeValue(table: TableName, value: unknown): unknown {
  if (table === 'render') return encodeRenderValue(value as RenderMemoValue);
  if (table === 'frontMatter') {
    const v = value as ParsedSource;
    return { rosterLines: v.rosterLines, head: v.head!, data: v.fm.data, body: v.fm.body, bodyLine: v.fm.bodyLine } satisfies EncodedParsedSource;
  }
  return value;
}

interface EncodedParsedSource {
  rosterLines: ParsedSource['rosterLines'];
  head: string;
  data: ParsedSource['fm']['data'];
  body: string;
  bodyLine: number;
}

/** A parse as it was stored: its locator is made again, by parsing the front matter alone, only when a diagnostic needs it. */
function decodeParsedSource(v: EncodedParsedSource, file: string): ParsedSource {
  return {
    rosterLines: v.rosterLines,
    head: v.head,
    fm: { data: v.data, body: v.body, bodyLine: v.bodyLine, diagnostics: [], locate: createLazyLocator(v.head, file) },
  };
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
