import { describe, expect, it } from 'vitest';
import {
  applyVerifyReport,
  createEmptyMirrorState,
  describeProblems,
  fingerprintProblems,
  formatDuration,
  formatWatchEvent,
  isNotableWatchEvent,
  parseWatchInterval,
} from '../../src/watch/index.js';
import { DEFACEMENT } from './helpers.js';

describe('parseWatchInterval', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5m', 90_000],
    ['10s', 10_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseWatchInterval(text)).toEqual({ ok: true, ms });
  });

  it('refuses intervals under 10 seconds with STELE5501', () => {
    const r = parseWatchInterval('9s');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.diagnostic.code).toBe('STELE5501');
  });

  it.each(['5', 'm5', '5 minutes', '', '-5m', '5d'])('refuses %j with STELE5500', (text) => {
    const r = parseWatchInterval(text);
    expect(!r.ok && r.diagnostic.code).toBe('STELE5500');
  });
});

describe('formatting', () => {
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(12 * 60_000 + 3_000)).toBe('12m 3s');
    expect(formatDuration(26 * 3_600_000)).toBe('1d 2h');
  });

  it('fingerprints ignore messages and order', () => {
    const reordered = [...DEFACEMENT].reverse().map((p) => ({ ...p, message: 'other words' }));
    expect(fingerprintProblems(reordered)).toBe(fingerprintProblems(DEFACEMENT));
    expect(fingerprintProblems(DEFACEMENT.slice(1))).not.toBe(fingerprintProblems(DEFACEMENT));
  });

  it('describes problems by kind, capping long file lists', () => {
    expect(describeProblems(DEFACEMENT)).toBe('modified: index.html; missing: about/index.html; added: evil.js');
    const many = Array.from({ length: 12 }, (_, i) => ({ kind: 'added' as const, path: `x${String(i).padStart(2, '0')}.js`, message: '' }));
    expect(describeProblems(many, 2)).toBe('added: x00.js, x01.js and 10 more');
  });

  it('neutralises terminal escapes from attacker-chosen file names in log lines', () => {
    const { events } = applyVerifyReport(
      'https://example.org/',
      createEmptyMirrorState(),
      {
        source: 'https://example.org/',
        status: 'not-genuine',
        problems: [{ kind: 'added', path: 'evil\u001b]0;pwned\u0007.js', message: 'unlisted' }],
        checkedFiles: 0,
      },
      new Date('2025-03-01T12:00:00Z'),
      { errorThreshold: 2, updatePolicy: 'any-change', channels: [] },
    );
    const lines = events.map(formatWatchEvent);
    expect(lines[0]).toBe('2025-03-01T12:00:00.000Z https://example.org/ NOT GENUINE: added: evil?]0;pwned?.js [inc-20250301T120000Z-8198d1ba]');
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f]/);
    expect(events.map(isNotableWatchEvent)).toEqual([false, true]);
  });
});
