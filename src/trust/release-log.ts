/**
 * The release log: an append-only record of every sealed build of a site,
 * published in the site under `.well-known/stele/log/` and checked by verify,
 * watch and `stele log`.
 *
 * Design (see ARCHITECTURE.md "Release log"): a Merkle tree as in RFC 9162 over
 * one text line per build, laid out as static files in the manner of C2SP
 * tlog-tiles so a verifier fetches a few kilobytes, not the whole history:
 * - `log/checkpoint` — the signed tree head (origin, size, base64 root), signed
 *   by the site key in `log/checkpoint.minisig`;
 * - `log/entries/NNNN` — bundles of 256 entry lines (the last one partial);
 * - `log/tiles` — the Merkle hash of every full bundle, one hex line each.
 * Each entry also names the hash of the entry before it, so the history reads as
 * a chain too. Pure and browser-safe.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import {
  createConsistencyProof,
  createLeafRangeHasher,
  createTiledRangeHasher,
  hashLeaf,
  hashNodes,
  MissingLogDataError,
  verifyConsistencyProof,
} from './merkle.js';
import { STELE_DIR } from './paths.js';

/** Folder of the release log in the site. */
export const RELEASE_LOG_DIR = `${STELE_DIR}/log`;
/** The signed tree head. */
export const LOG_CHECKPOINT_PATH = `${RELEASE_LOG_DIR}/checkpoint`;
/** minisign signature of the checkpoint (by the key that signed the manifest). */
export const LOG_CHECKPOINT_SIG_PATH = `${LOG_CHECKPOINT_PATH}.minisig`;
/** Hashes of the full entry bundles. */
export const LOG_TILES_PATH = `${RELEASE_LOG_DIR}/tiles`;
/** Entries per bundle file (C2SP tlog-tiles' tile width). */
export const LOG_BUNDLE_SIZE = 256;
/** `previous` of the first entry. */
export const NO_PREVIOUS_ENTRY = '0'.repeat(64);

/** The path of entry bundle `index` (`log/entries/0000`, `0001`, …). */
export function resolveLogBundlePath(index: number): string {
  return `${RELEASE_LOG_DIR}/entries/${String(index).padStart(4, '0')}`;
}

/** True for a path the release log publishes (they are not listed in the manifest). */
export function isReleaseLogPath(path: string): boolean {
  return (
    path === LOG_CHECKPOINT_PATH ||
    path === LOG_CHECKPOINT_SIG_PATH ||
    path === LOG_TILES_PATH ||
    /^\.well-known\/stele\/log\/entries\/\d{4,}$/.test(path)
  );
}

/** One sealed build. */
export interface ReleaseLogEntry {
  version: number;
  /** ISO build time of the manifest. */
  buildTime: string;
  /** Key that signed the manifest (16 uppercase hex). */
  keyId: string;
  /** Lowercase hex SHA-256 of the manifest file's bytes. */
  manifestSha256: string;
  /** Lowercase hex leaf hash of the previous entry ({@link NO_PREVIOUS_ENTRY} for the first). */
  previous: string;
}

/** A tree head: how many entries, and the Merkle root over them (lowercase hex). */
export interface LogHead {
  size: number;
  root: string;
}

const ENTRY_PATTERN =
  /^(0|[1-9][0-9]{0,14}) ([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{3})?Z) ([0-9A-F]{16}) ([0-9a-f]{64}) ([0-9a-f]{64})$/;

/** The entry's line: `version buildTime keyId manifestSha256 previous`. */
export function formatLogEntry(entry: ReleaseLogEntry): string {
  const line = `${entry.version} ${entry.buildTime} ${entry.keyId} ${entry.manifestSha256} ${entry.previous}`;
  if (!ENTRY_PATTERN.test(line)) throw new RangeError(`not a valid release log entry: ${line}`);
  return line;
}

/** Parse one entry line (strict: the exact form {@link formatLogEntry} writes). */
export function parseLogEntry(line: string): ReleaseLogEntry | undefined {
  const m = ENTRY_PATTERN.exec(line);
  if (!m || Number.isNaN(Date.parse(m[2]))) return undefined;
  return { version: Number(m[1]), buildTime: m[2], keyId: m[3], manifestSha256: m[4], previous: m[5] };
}

/** Lowercase hex leaf hash of an entry line. */
export function hashLogEntry(line: string): string {
  return bytesToHex(hashLeaf(utf8ToBytes(line)));
}

/** Lowercase hex SHA-256 of bytes (the manifest hash in an entry). */
export function hashSha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/** A whole log in memory (what seal and `stele log` hold). */
export interface ReleaseLog {
  siteId: string;
  /** Entry lines, oldest first. */
  lines: readonly string[];
}

/** The head of a whole log. */
export function computeLogHead(lines: readonly string[]): LogHead {
  const leaves = lines.map((l) => hashLeaf(utf8ToBytes(l)));
  return { size: lines.length, root: bytesToHex(hashNodes(leaves)) };
}

/** A problem found in a release log. */
export interface ReleaseLogProblem {
  /**
   * `log-invalid`: the log is not well formed or does not hash to its signed head;
   * `log-mismatch`: the manifest being checked is not the log's last entry;
   * `history-rewritten`: the log does not extend a head seen before.
   */
  kind: 'log-invalid' | 'log-mismatch' | 'history-rewritten';
  path?: string;
  message: string;
  expected?: string;
  actual?: string;
}

/**
 * Check entry lines `lines` that sit at positions `first…` of a log: each parses,
 * versions strictly increase, and each names the hash of the entry before it
 * (`previousLine` is the entry before `lines[0]`, when known).
 */
export function checkLogEntries(
  lines: readonly string[],
  first: number,
  previousLine?: string,
): { entries: ReleaseLogEntry[]; problems: ReleaseLogProblem[] } {
  const problems: ReleaseLogProblem[] = [];
  const entries: ReleaseLogEntry[] = [];
  let prevLine = previousLine;
  let prevEntry = previousLine === undefined ? undefined : parseLogEntry(previousLine);
  for (let i = 0; i < lines.length; i++) {
    const at = first + i;
    const entry = parseLogEntry(lines[i]);
    if (!entry) {
      problems.push({ kind: 'log-invalid', path: resolveLogBundlePath(Math.floor(at / LOG_BUNDLE_SIZE)), message: `entry ${at + 1} of the release log is unreadable` });
      prevLine = undefined;
      prevEntry = undefined;
      continue;
    }
    entries.push(entry);
    const wantPrevious = at === 0 ? NO_PREVIOUS_ENTRY : prevLine === undefined ? undefined : hashLogEntry(prevLine);
    if (wantPrevious !== undefined && entry.previous !== wantPrevious) {
      problems.push({
        kind: 'log-invalid',
        path: resolveLogBundlePath(Math.floor(at / LOG_BUNDLE_SIZE)),
        message: `entry ${at + 1} (version ${entry.version}) does not name the entry before it`,
        expected: wantPrevious,
        actual: entry.previous,
      });
    }
    if (prevEntry && entry.version <= prevEntry.version) {
      problems.push({
        kind: 'log-invalid',
        path: resolveLogBundlePath(Math.floor(at / LOG_BUNDLE_SIZE)),
        message: `entry ${at + 1} has version ${entry.version}, not higher than version ${prevEntry.version} before it`,
      });
    }
    prevLine = lines[i];
    prevEntry = entry;
  }
  return { entries, problems };
}

/** The next entry of a log for a newly sealed manifest. */
export function createNextLogEntry(
  lines: readonly string[],
  build: { version: number; buildTime: string; keyId: string; manifestSha256: string },
): string {
  const last = lines.length > 0 ? lines[lines.length - 1] : undefined;
  const lastEntry = last === undefined ? undefined : parseLogEntry(last);
  if (last !== undefined && !lastEntry) throw new RangeError('the last entry of the release log is unreadable');
  if (lastEntry && build.version <= lastEntry.version) {
    throw new RangeError(`version ${build.version} is not higher than version ${lastEntry.version} in the release log`);
  }
  return formatLogEntry({ ...build, previous: last === undefined ? NO_PREVIOUS_ENTRY : hashLogEntry(last) });
}

/**
 * Whether `next` only appends to `previous` (same entries, same order, possibly
 * more). `undefined` when it does; otherwise the first rewritten position and why.
 */
export function findHistoryRewrite(
  previous: readonly string[],
  next: readonly string[],
): { index: number; reason: string } | undefined {
  if (next.length < previous.length) {
    return { index: next.length, reason: `the log would shrink from ${previous.length} to ${next.length} entries` };
  }
  for (let i = 0; i < previous.length; i++) {
    if (previous[i] !== next[i]) return { index: i, reason: `entry ${i + 1} would change` };
  }
  return undefined;
}

// ---------------------------------------------------------------- checkpoint

/** The origin line of a site's checkpoint. */
export function formatLogOrigin(siteId: string): string {
  return `stele release log ${siteId}`;
}

/** Checkpoint text (C2SP tlog-checkpoint body): origin, size, base64 root. */
export function formatCheckpoint(siteId: string, head: LogHead): string {
  return `${formatLogOrigin(siteId)}\n${head.size}\n${hexToBase64(head.root)}\n`;
}

/** The trusted comment of the checkpoint signature. */
export function formatCheckpointTrustedComment(siteId: string, head: LogHead): string {
  return `stele log site=${siteId} size=${head.size} root=${head.root}`;
}

/** The untrusted comment of the checkpoint signature (verify requires exactly this, so no byte of the file can change). */
export function formatCheckpointUntrustedComment(siteId: string): string {
  return `stele release log checkpoint for ${siteId}`;
}

/** Parse checkpoint text (exactly the form {@link formatCheckpoint} writes). */
export function parseCheckpoint(text: string): { siteId: string; head: LogHead } | undefined {
  const m = /^stele release log (\S{1,200})\n(0|[1-9][0-9]{0,14})\n([A-Za-z0-9+/]{43}=)\n$/.exec(text);
  if (!m) return undefined;
  const root = base64ToHex(m[3]);
  if (!root) return undefined;
  return { siteId: m[1], head: { size: Number(m[2]), root } };
}

function hexToBase64(hex: string): string {
  const bytes = hexToBytes(hex);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function base64ToHex(b64: string): string | undefined {
  try {
    const binary = atob(b64);
    if (binary.length !== 32) return undefined;
    return bytesToHex(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** Show a head to people: `4 versions, root 3f2a…9c01`. */
export function formatLogHead(head: LogHead): string {
  return `${head.size} ${head.size === 1 ? 'version' : 'versions'}, root ${head.root.slice(0, 8)}…${head.root.slice(-8)}`;
}

// ---------------------------------------------------------------- files

/** Text of a bundle file: its lines, each ending in a newline. */
export function formatLogBundle(lines: readonly string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

/** Every file of the log except the checkpoint signature: path → text. */
export function createReleaseLogFiles(log: ReleaseLog): { files: Map<string, string>; head: LogHead } {
  const files = new Map<string, string>();
  const tiles: string[] = [];
  for (let b = 0; b * LOG_BUNDLE_SIZE < log.lines.length; b++) {
    const lines = log.lines.slice(b * LOG_BUNDLE_SIZE, (b + 1) * LOG_BUNDLE_SIZE);
    files.set(resolveLogBundlePath(b), formatLogBundle(lines));
    if (lines.length === LOG_BUNDLE_SIZE) tiles.push(bytesToHex(hashNodes(lines.map((l) => hashLeaf(utf8ToBytes(l))))));
  }
  files.set(LOG_TILES_PATH, tiles.map((t) => `${t}\n`).join(''));
  const head = computeLogHead(log.lines);
  files.set(LOG_CHECKPOINT_PATH, formatCheckpoint(log.siteId, head));
  return { files, head };
}

/** Split a bundle or tiles file into lines; undefined unless every line ends in a newline. */
function splitLines(text: string): string[] | undefined {
  if (text === '') return [];
  if (!text.endsWith('\n')) return undefined;
  return text.slice(0, -1).split('\n');
}

/** The number of lines bundle `index` must have in a log of `size` entries. */
export function resolveBundleLength(index: number, size: number): number {
  return Math.max(0, Math.min(LOG_BUNDLE_SIZE, size - index * LOG_BUNDLE_SIZE));
}

/**
 * The bundles a verifier fetches for a log of `size` entries: the last one only on
 * first sight (the signed root commits to the rest), or every bundle from the one
 * holding entry `rememberedSize` on, so each new entry is checked exactly once.
 */
export function resolveBundlesToFetch(size: number, rememberedSize?: number): number[] {
  if (size === 0) return [];
  const last = Math.floor((size - 1) / LOG_BUNDLE_SIZE);
  const from =
    rememberedSize === undefined || rememberedSize > size
      ? last
      : Math.min(last, Math.floor(Math.max(0, rememberedSize - 1) / LOG_BUNDLE_SIZE));
  const out: number[] = [];
  for (let b = from; b <= last; b++) out.push(b);
  return out;
}

/** Parse a whole log read from files (`stele log`, the build's previous log). */
export function readReleaseLogFiles(input: {
  checkpoint: string;
  tiles: string;
  bundles: ReadonlyMap<number, string>;
}): { ok: true; siteId: string; head: LogHead; lines: string[] } | { ok: false; reason: string } {
  const cp = parseCheckpoint(input.checkpoint);
  if (!cp) return { ok: false, reason: 'the log checkpoint is unreadable' };
  const lines: string[] = [];
  for (let b = 0; b * LOG_BUNDLE_SIZE < cp.head.size; b++) {
    const text = input.bundles.get(b);
    const bundle = text === undefined ? undefined : splitLines(text);
    if (!bundle) return { ok: false, reason: `log bundle ${resolveLogBundlePath(b)} is missing or unreadable` };
    if (bundle.length !== resolveBundleLength(b, cp.head.size)) {
      return { ok: false, reason: `log bundle ${resolveLogBundlePath(b)} has ${bundle.length} entries, expected ${resolveBundleLength(b, cp.head.size)}` };
    }
    lines.push(...bundle);
  }
  const head = computeLogHead(lines);
  if (head.root !== cp.head.root) return { ok: false, reason: 'the log entries do not hash to the checkpoint' };
  const checked = checkLogEntries(lines, 0);
  if (checked.problems.length > 0) return { ok: false, reason: checked.problems[0].message };
  return { ok: true, siteId: cp.siteId, head, lines };
}

// ---------------------------------------------------------------- verification

/** What a verifier read from a copy (the checkpoint's signature is checked by the caller). */
export interface ReleaseLogInput {
  siteId: string;
  checkpoint: string;
  tiles: string;
  /** The bundles listed by {@link resolveBundlesToFetch} (others may be present). */
  bundles: ReadonlyMap<number, string>;
  /** The verified manifest this log must end with (omit to check the log alone). */
  manifest?: { version: number; buildTime: string; keyId: string; sha256: string };
  /** Heads seen before: this log must extend each (or equal it). */
  knownHeads?: readonly { head: LogHead; label: string }[];
}

/** The result of {@link checkReleaseLog}. */
export interface ReleaseLogCheck {
  /** The checkpoint's head when the log data matched it. */
  head?: LogHead;
  /** The entries read (bundles fetched), with their positions. */
  entries: { index: number; entry: ReleaseLogEntry }[];
  problems: ReleaseLogProblem[];
}

function describeHead(head: LogHead): string {
  return `size ${head.size} root ${head.root}`;
}

/**
 * Check a copy's release log against its (already signature-checked) checkpoint:
 * bundles and tiles hash to the signed root, entries are well formed and chained,
 * the last entry is the verified manifest, and the log extends every known head
 * (an RFC 9162 consistency proof built from the tiles and bundles).
 */
export function checkReleaseLog(input: ReleaseLogInput): ReleaseLogCheck {
  const problems: ReleaseLogProblem[] = [];
  const invalid = (message: string, path?: string): ReleaseLogCheck => ({
    entries: [],
    problems: [{ kind: 'log-invalid', message, ...(path ? { path } : {}) }],
  });
  const cp = parseCheckpoint(input.checkpoint);
  if (!cp) return invalid('the release log checkpoint is unreadable', LOG_CHECKPOINT_PATH);
  if (cp.siteId !== input.siteId) {
    return invalid(`the release log is for site "${cp.siteId}", not "${input.siteId}"`, LOG_CHECKPOINT_PATH);
  }
  const { size } = cp.head;
  if (size === 0) return invalid('the release log is empty', LOG_CHECKPOINT_PATH);
  const tileLines = splitLines(input.tiles);
  const fullBundles = Math.floor(size / LOG_BUNDLE_SIZE);
  if (!tileLines || tileLines.length !== fullBundles || tileLines.some((t) => !/^[0-9a-f]{64}$/.test(t))) {
    return invalid(`the release log tiles do not list ${fullBundles} bundle hashes`, LOG_TILES_PATH);
  }
  const tiles = tileLines.map((t) => hexToBytes(t));
  const leafBundles = new Map<number, Uint8Array[]>();
  const linesByBundle = new Map<number, string[]>();
  for (const [b, text] of input.bundles) {
    const want = resolveBundleLength(b, size);
    if (want === 0) continue;
    const lines = splitLines(text);
    if (!lines || lines.length !== want) {
      return invalid(
        `release log bundle ${b} has ${lines ? lines.length : 'unreadable'} entries, the checkpoint says ${want}`,
        resolveLogBundlePath(b),
      );
    }
    const leaves = lines.map((l) => hashLeaf(utf8ToBytes(l)));
    if (want === LOG_BUNDLE_SIZE && bytesToHex(hashNodes(leaves)) !== tileLines[b]) {
      return invalid(`release log bundle ${b} does not match its tile hash`, resolveLogBundlePath(b));
    }
    leafBundles.set(b, leaves);
    linesByBundle.set(b, lines);
  }
  const hashRange = createTiledRangeHasher({ bundleSize: LOG_BUNDLE_SIZE, tiles, bundles: leafBundles });
  let root: string;
  try {
    root = bytesToHex(hashRange(0, size));
  } catch (error) {
    if (error instanceof MissingLogDataError) return invalid(`release log data is missing: ${error.message}`);
    throw error;
  }
  if (root !== cp.head.root) {
    return invalid('the release log entries do not hash to the signed checkpoint', LOG_CHECKPOINT_PATH);
  }

  // Entries: well formed and chained inside every run of consecutive bundles read.
  const entries: { index: number; entry: ReleaseLogEntry }[] = [];
  const bundleIds = [...linesByBundle.keys()].sort((a, b) => a - b);
  let previousLine: string | undefined;
  let previousBundle = -2;
  for (const b of bundleIds) {
    const lines = linesByBundle.get(b) ?? [];
    const checked = checkLogEntries(lines, b * LOG_BUNDLE_SIZE, previousBundle === b - 1 ? previousLine : undefined);
    problems.push(...checked.problems);
    lines.forEach((line, i) => {
      const entry = parseLogEntry(line);
      if (entry) entries.push({ index: b * LOG_BUNDLE_SIZE + i, entry });
    });
    previousLine = lines[lines.length - 1];
    previousBundle = b;
  }

  // The manifest is the last entry.
  if (input.manifest) {
    const last = entries.find((e) => e.index === size - 1)?.entry;
    const m = input.manifest;
    if (!last) {
      problems.push({ kind: 'log-mismatch', path: LOG_CHECKPOINT_PATH, message: 'the last entry of the release log was not read' });
    } else if (
      last.manifestSha256 !== m.sha256 ||
      last.version !== m.version ||
      last.keyId !== m.keyId ||
      last.buildTime !== m.buildTime
    ) {
      const listed = entries.find((e) => e.entry.manifestSha256 === m.sha256);
      problems.push({
        kind: 'log-mismatch',
        path: LOG_CHECKPOINT_PATH,
        message: listed
          ? `version ${m.version} is entry ${listed.index + 1} of the release log, not its last entry (version ${last.version}): an older copy presented as current`
          : `version ${m.version} is missing from the release log (its last entry is version ${last.version})`,
        expected: `version ${m.version} manifest sha256 ${m.sha256}`,
        actual: `version ${last.version} manifest sha256 ${last.manifestSha256}`,
      });
    }
  }

  // Consistency with every head seen before.
  for (const known of input.knownHeads ?? []) {
    const result = checkLogExtends(known.head, cp.head, hashRange);
    if (result === 'unknown') {
      problems.push({
        kind: 'log-invalid',
        path: LOG_CHECKPOINT_PATH,
        message: `the release log data read does not reach the head ${known.label} (${formatLogHead(known.head)})`,
      });
    } else if (result !== 'consistent') {
      problems.push({
        kind: 'history-rewritten',
        path: LOG_CHECKPOINT_PATH,
        message:
          result === 'shorter'
            ? `HISTORY REWRITTEN: the release log has ${size} entries, fewer than the ${known.head.size} ${known.label}`
            : `HISTORY REWRITTEN: the release log (${formatLogHead(cp.head)}) does not extend the one ${known.label} (${formatLogHead(known.head)})`,
        expected: describeHead(known.head),
        actual: describeHead(cp.head),
      });
    }
  }
  return { head: cp.head, entries, problems };
}

/**
 * Whether the tree `next` (whose data `hashRange` holds) extends the tree `older`:
 * an RFC 9162 consistency proof is built from the data and verified against both roots.
 */
export function checkLogExtends(
  older: LogHead,
  next: LogHead,
  hashRange: (start: number, end: number) => Uint8Array,
): 'consistent' | 'shorter' | 'inconsistent' | 'unknown' {
  if (older.size > next.size) return 'shorter';
  if (older.size === 0) return 'consistent';
  if (older.size === next.size) return older.root === next.root ? 'consistent' : 'inconsistent';
  let proof: Uint8Array[];
  try {
    proof = createConsistencyProof(older.size, next.size, hashRange);
  } catch (error) {
    if (error instanceof MissingLogDataError) return 'unknown';
    throw error;
  }
  return verifyConsistencyProof(older.size, next.size, hexToBytes(older.root), hexToBytes(next.root), proof)
    ? 'consistent'
    : 'inconsistent';
}

/** Whether two heads can belong to one history given a whole log holding the longer one. */
export function checkHeadsAgainstLog(
  older: LogHead,
  lines: readonly string[],
): 'consistent' | 'shorter' | 'inconsistent' | 'unknown' {
  const leaves = lines.map((l) => hashLeaf(utf8ToBytes(l)));
  return checkLogExtends(older, computeLogHead(lines), createLeafRangeHasher(leaves));
}
