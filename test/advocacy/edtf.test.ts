import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareEdtf,
  type ContentLang,
  type EdtfValue,
  formatEdtf,
  formatMachineDate,
  parseEdtf,
  resolveEdtf,
  serializeEdtf,
} from '../../src/content/edtf.js';

const iso = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const ok = (input: Parameters<typeof parseEdtf>[0]): EdtfValue => {
  const r = parseEdtf(input);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(input)} to parse: ${r.diagnostic.message}`);
  return r.value;
};

describe('parseEdtf', () => {
  it.each([
    ['2012', 'year', '2012-01-01', '2012-12-31'],
    ['2012-02', 'month', '2012-02-01', '2012-02-29'],
    ['2011-02', 'month', '2011-02-01', '2011-02-28'],
    ['2012-02-14', 'day', '2012-02-14', '2012-02-14'],
    ['2012-02-XX', 'month', '2012-02-01', '2012-02-29'],
    ['2012-XX-XX', 'year', '2012-01-01', '2012-12-31'],
    ['201X', 'decade', '2010-01-01', '2019-12-31'],
    ['20XX', 'century', '2000-01-01', '2099-12-31'],
    ['2012-21', 'season', '2012-03-01', '2012-05-31'],
    ['2012-24', 'season', '2012-12-01', '2013-02-28'],
  ])('%s → %s [%s, %s]', (text, precision, earliest, latest) => {
    const v = ok(text);
    expect(v.precision).toBe(precision);
    expect(iso(v.earliest)).toBe(earliest);
    expect(iso(v.latest)).toBe(latest);
  });

  it('reads qualification flags', () => {
    expect(ok('2009?')).toMatchObject({ uncertain: true, approximate: false });
    expect(ok('2011~')).toMatchObject({ uncertain: false, approximate: true });
    expect(ok('2011%')).toMatchObject({ uncertain: true, approximate: true });
    expect(ok('2012-02?')).toMatchObject({ uncertain: true, precision: 'month' });
  });

  it('marks unspecified digits', () => {
    expect(ok('2012-02-XX')).toMatchObject({ unspecified: true });
    expect(ok('2012-02')).toMatchObject({ unspecified: false });
  });

  it('parses intervals, open and unknown ends', () => {
    const closed = ok('2010/2012');
    expect(closed.kind).toBe('interval');
    expect(iso(closed.earliest)).toBe('2010-01-01');
    expect(iso(closed.latest)).toBe('2012-12-31');
    const open = ok('2010-05/..');
    expect(iso(open.earliest)).toBe('2010-05-01');
    expect(open.latest).toBeNull();
    expect(open.kind === 'interval' && open.end.kind).toBe('open');
    const unknown = ok('2010-05/');
    expect(unknown.kind === 'interval' && unknown.end.kind).toBe('unknown');
    const openStart = ok('../2012');
    expect(openStart.earliest).toBeNull();
  });

  it('accepts a YAML number year and the qualifier object', () => {
    expect(ok(2009).source).toBe('2009');
    const early = ok({ edtf: '2012-02', qualifier: 'early' });
    expect(early.qualifier).toBe('early');
    expect(iso(early.earliest)).toBe('2012-02-01');
    expect(iso(early.latest)).toBe('2012-02-29');
  });

  it.each([
    ['2012-02-30', /has no day 30/],
    ['2012-13', /month 13 does not exist/],
    ['12', /four digits/],
    ['14/02/2012', /YYYY-MM-DD/],
    ['2012-xx', /capital X/],
    ['2012-25', /level 2/],
    ['2012-21-01', /season has no day/],
    ['../..', /at least one end/],
    ['soon', /does not match/],
    ['2012-02-14T10:00', /times of day/],
    ['', /empty/],
  ])('rejects %s with a reason and the valid forms as hint', (text, reason) => {
    const r = parseEdtf(text, { file: 'people/x.en.md', line: 3 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.code).toBe('STELE6001');
    expect(r.diagnostic.message).toMatch(reason);
    expect(r.diagnostic.hint).toContain('2012-02-XX');
    expect(r.diagnostic.file).toBe('people/x.en.md');
  });

  it('rejects reversed intervals and misplaced qualifiers', () => {
    const rev = parseEdtf('2012/2010');
    expect(!rev.ok && rev.diagnostic.code).toBe('STELE6003');
    const q = parseEdtf({ edtf: '2012-02-14', qualifier: 'early' });
    expect(!q.ok && q.diagnostic.code).toBe('STELE6002');
  });
});

describe('formatEdtf', () => {
  const cases: [Parameters<typeof parseEdtf>[0], ContentLang, string][] = [
    ['2012-02-14', 'en', '14 February 2012'],
    ['2012-02', 'en', 'February 2012'],
    [{ edtf: '2012-02', qualifier: 'early' }, 'en', 'early February 2012'],
    [{ edtf: '2012-02', qualifier: 'mid' }, 'en', 'mid-February 2012'],
    [{ edtf: 2012, qualifier: 'late' }, 'en', 'late 2012'],
    ['2011~', 'en', 'around 2011'],
    ['2009?', 'en', '2009 (uncertain)'],
    ['2011%', 'en', 'around 2011 (uncertain)'],
    ['2012-21', 'en', 'spring 2012'],
    ['2012-02-XX', 'en', 'a day in February 2012'],
    ['201X', 'en', 'the 2010s'],
    ['2010/2012', 'en', '2010 to 2012'],
    ['2010-05/..', 'en', 'since May 2010'],
    ['2010-05/', 'en', 'from May 2010 (end date unknown)'],
    ['2012-02', 'zh-Hans', '2012年2月'],
    ['2012-02-14', 'zh-Hans', '2012年2月14日'],
    ['2011~', 'zh-Hans', '约2011年'],
    ['2011~', 'zh-Hant', '約2011年'],
    ['2009?', 'zh-Hans', '2009年（存疑）'],
    [{ edtf: '2012-02', qualifier: 'early' }, 'zh-Hans', '2012年2月初'],
    ['2010-05/..', 'zh-Hans', '2010年5月起'],
    ['2010-05/', 'zh-Hant', '2010年5月起（結束日期不詳）'],
    ['2012-23', 'zh-Hans', '2012年秋季'],
  ];
  it.each(cases)('%j in %s → %s', (input, lang, expected) => {
    expect(formatEdtf(ok(input), lang)).toBe(expected);
  });

  it('gives machine dates only for plain dates', () => {
    expect(formatMachineDate(ok('2012-02'))).toBe('2012-02');
    expect(formatMachineDate(ok('2012-02-XX'))).toBeUndefined();
    expect(formatMachineDate(ok('2010/2012'))).toBeUndefined();
  });
});

describe('compareEdtf', () => {
  it('sorts by earliest, then coarser precision first', () => {
    const values = ['2012-02-14', '2012', '2011~', '2012-02', '2012-01-01', '2010/2013'].map((s) => resolveEdtf(s));
    const sorted = [...values].sort(compareEdtf).map((v) => v.source);
    expect(sorted).toEqual(['2010/2013', '2011~', '2012', '2012-01-01', '2012-02', '2012-02-14']);
  });
});

// --- property tests ---------------------------------------------------------

const yearArb = fc.integer({ min: 1, max: 2999 }).map((y) => String(y).padStart(4, '0'));
const qualArb = fc.constantFrom('', '?', '~', '%');
const dateArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(yearArb, qualArb).map(([y, q]) => y + q),
  fc.tuple(yearArb, fc.integer({ min: 1, max: 12 }), qualArb).map(([y, m, q]) => `${y}-${String(m).padStart(2, '0')}${q}`),
  fc
    .tuple(yearArb, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), qualArb)
    .map(([y, m, d, q]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}${q}`),
  fc.tuple(yearArb, fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}-XX`),
  yearArb.map((y) => `${y}-XX-XX`),
  fc.tuple(fc.integer({ min: 1, max: 299 }), qualArb).map(([d, q]) => `${String(d).padStart(3, '0')}X${q}`),
  fc.tuple(yearArb, fc.integer({ min: 21, max: 24 }), qualArb).map(([y, s, q]) => `${y}-${s}${q}`),
);
const edtfArb: fc.Arbitrary<string> = fc.oneof(
  dateArb,
  fc.tuple(dateArb, dateArb).map(([a, b]) => `${a}/${b}`),
  dateArb.map((a) => `${a}/..`),
  dateArb.map((a) => `${a}/`),
  dateArb.map((b) => `../${b}`),
);

describe('EDTF properties', () => {
  it('parsing arbitrary text never throws', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseEdtf(s);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });

  it('earliest ≤ latest, formatting never throws and is non-empty, serialisation round-trips', () => {
    fc.assert(
      fc.property(edtfArb, (text) => {
        const r = parseEdtf(text);
        if (!r.ok) {
          // only reversed intervals may fail
          expect(r.diagnostic.code).toBe('STELE6003');
          return;
        }
        const v = r.value;
        if (v.earliest && v.latest) expect(v.earliest.getTime()).toBeLessThanOrEqual(v.latest.getTime());
        for (const lang of ['en', 'zh-Hans', 'zh-Hant'] as const) expect(formatEdtf(v, lang).length).toBeGreaterThan(0);
        const again = parseEdtf(serializeEdtf(v));
        expect(again.ok).toBe(true);
        if (!again.ok) return;
        expect(serializeEdtf(again.value)).toBe(serializeEdtf(v));
        expect(again.value.earliest?.getTime()).toBe(v.earliest?.getTime());
        expect(again.value.latest?.getTime()).toBe(v.latest?.getTime());
        expect(again.value.precision).toBe(v.precision);
        expect([again.value.uncertain, again.value.approximate]).toEqual([v.uncertain, v.approximate]);
      }),
      { numRuns: 500 },
    );
  });

  it('compareEdtf is antisymmetric and consistent with earliest', () => {
    fc.assert(
      fc.property(edtfArb, edtfArb, (a, b) => {
        const ra = parseEdtf(a);
        const rb = parseEdtf(b);
        if (!ra.ok || !rb.ok) return;
        const ab = compareEdtf(ra.value, rb.value);
        expect(Math.sign(ab)).toBe(-Math.sign(compareEdtf(rb.value, ra.value)) || 0);
        const ea = ra.value.earliest?.getTime() ?? Number.NEGATIVE_INFINITY;
        const eb = rb.value.earliest?.getTime() ?? Number.NEGATIVE_INFINITY;
        if (ea < eb) expect(ab).toBeLessThan(0);
      }),
    );
  });
});
