import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkHeadsAgainstLog,
  checkLogEntries,
  checkReleaseLog,
  computeLogHead,
  createNextLogEntry,
  createReleaseLogFiles,
  findHistoryRewrite,
  formatCheckpoint,
  isReleaseLogPath,
  LOG_BUNDLE_SIZE,
  LOG_CHECKPOINT_PATH,
  LOG_TILES_PATH,
  parseCheckpoint,
  parseLogEntry,
  readReleaseLogFiles,
  resolveBundlesToFetch,
  resolveLogBundlePath,
} from '../../src/trust/release-log.js';

const KEY = '8E69A5A6C64D0D0F';
const sha = (n: number) => n.toString(16).padStart(64, '0');

function buildLog(count: number, start = 1): string[] {
  const lines: string[] = [];
  for (let v = start; v < start + count; v++) {
    lines.push(
      createNextLogEntry(lines, {
        version: v,
        buildTime: new Date(Date.UTC(2026, 0, 1) + v * 3_600_000).toISOString(),
        keyId: KEY,
        manifestSha256: sha(v),
      }),
    );
  }
  return lines;
}

/** What a verifier would read from a site holding `lines`. */
function siteRead(lines: string[], rememberedSize?: number) {
  const { files, head } = createReleaseLogFiles({ siteId: 'cfcr', lines });
  const bundles = new Map<number, string>();
  for (const b of resolveBundlesToFetch(lines.length, rememberedSize)) bundles.set(b, files.get(resolveLogBundlePath(b)) ?? '');
  return { files, head, checkpoint: files.get(LOG_CHECKPOINT_PATH) ?? '', tiles: files.get(LOG_TILES_PATH) ?? '', bundles };
}

const manifestOf = (lines: string[]) => {
  const e = parseLogEntry(lines[lines.length - 1]);
  if (!e) throw new Error('bad');
  return { version: e.version, buildTime: e.buildTime, keyId: e.keyId, sha256: e.manifestSha256 };
};

describe('release log entries', () => {
  it('round-trips an entry line and chains each entry to the one before', () => {
    const lines = buildLog(3);
    const first = parseLogEntry(lines[0]);
    expect(first?.previous).toBe('0'.repeat(64));
    expect(first?.version).toBe(1);
    expect(checkLogEntries(lines, 0).problems).toEqual([]);
    expect(parseLogEntry(`${lines[0]} `)).toBeUndefined();
    expect(parseLogEntry(lines[0].replace(KEY, KEY.toLowerCase()))).toBeUndefined();
  });

  it('refuses to append a version that does not go up', () => {
    const lines = buildLog(2);
    expect(() => createNextLogEntry(lines, { version: 2, buildTime: '2026-02-01T00:00:00.000Z', keyId: KEY, manifestSha256: sha(9) })).toThrow(
      /not higher/,
    );
  });

  it('finds broken links, versions going down and unreadable lines', () => {
    const lines = buildLog(4);
    const swapped = [lines[0], lines[2], lines[1], lines[3]];
    expect(checkLogEntries(swapped, 0).problems.map((p) => p.kind)).toContain('log-invalid');
    expect(checkLogEntries([lines[0], 'garbage'], 0).problems[0].message).toMatch(/entry 2 .*unreadable/);
    const detached = checkLogEntries(lines.slice(1), 1, 'x');
    expect(detached.problems.length).toBeGreaterThan(0);
  });

  it('findHistoryRewrite: appends pass, shrinking or changing fails', () => {
    const lines = buildLog(5);
    expect(findHistoryRewrite(lines.slice(0, 3), lines)).toBeUndefined();
    expect(findHistoryRewrite(lines, lines.slice(0, 4))?.reason).toMatch(/shrink/);
    const changed = lines.slice();
    changed[1] = buildLog(2, 7)[1];
    expect(findHistoryRewrite(lines, changed)).toEqual({ index: 1, reason: 'entry 2 would change' });
  });
});

describe('checkpoint and files', () => {
  it('formats and parses the checkpoint strictly', () => {
    const head = computeLogHead(buildLog(3));
    const text = formatCheckpoint('cfcr', head);
    expect(text.split('\n')[0]).toBe('stele release log cfcr');
    expect(parseCheckpoint(text)).toEqual({ siteId: 'cfcr', head });
    expect(parseCheckpoint(`${text}\n`)).toBeUndefined();
    expect(parseCheckpoint(text.replace('\n3\n', '\n03\n'))).toBeUndefined();
  });

  it('lays out bundles of 256 entries and one tile per full bundle', () => {
    const lines = buildLog(LOG_BUNDLE_SIZE * 2 + 5);
    const { files } = createReleaseLogFiles({ siteId: 'cfcr', lines });
    expect([...files.keys()].filter((p) => p.includes('/entries/'))).toEqual([
      resolveLogBundlePath(0),
      resolveLogBundlePath(1),
      resolveLogBundlePath(2),
    ]);
    expect(files.get(LOG_TILES_PATH)?.trim().split('\n')).toHaveLength(2);
    for (const p of files.keys()) expect(isReleaseLogPath(p)).toBe(true);
    expect(isReleaseLogPath('.well-known/stele/log/entries/../x')).toBe(false);
    const read = readReleaseLogFiles({
      checkpoint: files.get(LOG_CHECKPOINT_PATH) ?? '',
      tiles: files.get(LOG_TILES_PATH) ?? '',
      bundles: new Map([0, 1, 2].map((b) => [b, files.get(resolveLogBundlePath(b)) ?? ''])),
    });
    expect(read.ok && read.lines).toEqual(lines);
  });

  it('verifier fetches the last bundle on first sight, and from the remembered one on', () => {
    expect(resolveBundlesToFetch(1)).toEqual([0]);
    expect(resolveBundlesToFetch(10_000)).toEqual([39]);
    expect(resolveBundlesToFetch(10_000, 9_990)).toEqual([39]);
    expect(resolveBundlesToFetch(10_000, 9_000)).toEqual([35, 36, 37, 38, 39]);
    expect(resolveBundlesToFetch(512, 256)).toEqual([0, 1]);
    expect(resolveBundlesToFetch(5, 9)).toEqual([0]);
  });
});

describe('checkReleaseLog', () => {
  it('an untouched log ending with the manifest passes and reports its head', () => {
    const lines = buildLog(3);
    const read = siteRead(lines);
    const result = checkReleaseLog({ siteId: 'cfcr', ...read, manifest: manifestOf(lines) });
    expect(result.problems).toEqual([]);
    expect(result.head).toEqual(read.head);
  });

  it('a manifest that is not the last entry: missing from the log, or an older entry', () => {
    const lines = buildLog(3);
    const read = siteRead(lines);
    const missing = checkReleaseLog({ siteId: 'cfcr', ...read, manifest: { ...manifestOf(lines), version: 4, sha256: sha(4) } });
    expect(missing.problems).toMatchObject([{ kind: 'log-mismatch', message: expect.stringMatching(/version 4 is missing/) }]);
    const older = checkReleaseLog({ siteId: 'cfcr', ...read, manifest: manifestOf(lines.slice(0, 2)) });
    expect(older.problems).toMatchObject([{ kind: 'log-mismatch', message: expect.stringMatching(/entry 2 .*not its last/) }]);
  });

  it('a bundle with an entry removed or a wrong tile is log-invalid', () => {
    const lines = buildLog(3);
    const read = siteRead(lines);
    const cut = new Map([[0, read.bundles.get(0)?.split('\n').slice(1).join('\n') ?? '']]);
    expect(checkReleaseLog({ siteId: 'cfcr', ...read, bundles: cut }).problems[0]).toMatchObject({ kind: 'log-invalid' });
    const big = siteRead(buildLog(300));
    const badTiles = `${'0'.repeat(64)}\n`;
    expect(checkReleaseLog({ siteId: 'cfcr', ...big, tiles: badTiles }).problems[0].kind).toBe('log-invalid');
    expect(checkReleaseLog({ siteId: 'other', ...read }).problems[0].message).toMatch(/site "cfcr"/);
  });

  it('history rewritten: truncated, changed past entry, or a different branch', () => {
    const lines = buildLog(6);
    const known = { head: computeLogHead(lines.slice(0, 5)), label: 'seen before' };
    // Truncated to 4 entries (re-signed by whoever holds the key).
    const truncated = siteRead(lines.slice(0, 4));
    expect(checkReleaseLog({ siteId: 'cfcr', ...truncated, knownHeads: [known] }).problems).toMatchObject([
      { kind: 'history-rewritten', expected: `size 5 root ${known.head.root}` },
    ]);
    // Entry 2 rewritten, then the rest rebuilt on top.
    const rewritten = lines.slice(0, 1);
    rewritten.push(createNextLogEntry(rewritten, { version: 2, buildTime: '2026-03-01T00:00:00.000Z', keyId: KEY, manifestSha256: sha(99) }));
    for (let v = 3; v <= 6; v++) {
      rewritten.push(createNextLogEntry(rewritten, { version: v, buildTime: '2026-03-01T00:00:00.000Z', keyId: KEY, manifestSha256: sha(v) }));
    }
    const r = checkReleaseLog({ siteId: 'cfcr', ...siteRead(rewritten, 5), knownHeads: [known] });
    expect(r.problems.map((p) => p.kind)).toEqual(['history-rewritten']);
    // The genuine continuation passes.
    expect(checkReleaseLog({ siteId: 'cfcr', ...siteRead(lines, 5), knownHeads: [known] }).problems).toEqual([]);
  });

  it('property: every append-only extension is consistent; any rewrite of the remembered prefix is caught', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 0, max: 300 }),
        fc.nat(),
        (m, extra, which) => {
          const lines = buildLog(m + extra);
          const known = { head: computeLogHead(lines.slice(0, m)), label: 'seen before' };
          const read = siteRead(lines, m);
          const ok = checkReleaseLog({ siteId: 'cfcr', ...read, manifest: manifestOf(lines), knownHeads: [known] });
          expect(ok.problems).toEqual([]);
          const forged = lines.slice();
          const i = which % m;
          forged[i] = forged[i].replace(/ [0-9a-f]{64} /, ` ${sha(123456)} `);
          expect(checkHeadsAgainstLog(known.head, forged)).toBe('inconsistent');
        },
      ),
      { numRuns: 40 },
    );
  });

  it('stays small at 10,000 versions: a returning verifier reads the tiles and one or two bundles', () => {
    const lines = buildLog(10_000);
    const before = { head: computeLogHead(lines.slice(0, 9_990)), label: 'seen before' };
    const read = siteRead(lines, 9_990);
    const bytes = read.checkpoint.length + read.tiles.length + [...read.bundles.values()].reduce((n, t) => n + t.length, 0);
    expect(read.bundles.size).toBe(1);
    expect(bytes).toBeLessThan(60_000);
    expect(checkReleaseLog({ siteId: 'cfcr', ...read, manifest: manifestOf(lines), knownHeads: [before] }).problems).toEqual([]);
  });
});
