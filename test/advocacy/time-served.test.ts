import { describe, expect, it } from 'vitest';
import { type PersonFieldsInput, personFieldsSchema } from '../../src/content/collections/people.js';
import { computeTimeServed, diffDuration, formatDuration, formatTimeServed } from '../../src/content/time-served.js';

const person = (over: Partial<PersonFieldsInput>) => personFieldsSchema.parse({ names: { en: 'A B' }, status: 'imprisoned', ...over });
const day = (s: string) => new Date(`${s}T00:00:00Z`);

describe('diffDuration', () => {
  it('counts calendar years, months and days', () => {
    expect(diffDuration(day('2012-02-14'), day('2013-02-14'))).toEqual({ years: 1, months: 0, days: 0 });
    expect(diffDuration(day('2012-01-31'), day('2012-03-01'))).toEqual({ years: 0, months: 1, days: 1 });
    expect(diffDuration(day('2011-12-15'), day('2012-01-10'))).toEqual({ years: 0, months: 0, days: 26 });
    expect(diffDuration(day('2012-05-01'), day('2012-04-01'))).toEqual({ years: 0, months: 0, days: 0 });
  });
});

describe('computeTimeServed (fixed clock)', () => {
  const now = new Date('2015-06-20T15:00:00Z');

  it('exact when the sentence start is a known day', () => {
    const t = computeTimeServed(person({ sentenceStart: '2012-02-14', sentence: { years: 7 } }), now)!;
    expect(t.basis).toBe('sentence-start');
    expect(t.exact).toBe(true);
    expect(t.min).toEqual({ years: 3, months: 4, days: 6 });
    expect(formatTimeServed(t, 'en')).toBe('3 years, 4 months and 6 days');
    expect(formatTimeServed(t, 'zh-Hans')).toBe('3年4个月6天');
    expect(formatTimeServed(t, 'zh-Hant')).toBe('3年4個月6天');
  });

  it('a range ("at least") when only the month is known', () => {
    const t = computeTimeServed(person({ timeline: [{ date: { edtf: '2012-02', qualifier: 'early' }, event: 'sentenced' }] }), now)!;
    expect(t.basis).toBe('sentenced');
    expect(t.exact).toBe(false);
    expect(t.min).toEqual({ years: 3, months: 3, days: 22 }); // from 2012-02-29
    expect(t.max).toEqual({ years: 3, months: 4, days: 19 }); // from 2012-02-01
    expect(formatTimeServed(t, 'en')).toBe('at least 3 years, 3 months and 22 days');
    expect(formatTimeServed(t, 'zh-Hans')).toBe('至少3年3个月22天');
  });

  it('says so when the start date is uncertain', () => {
    const t = computeTimeServed(person({ timeline: [{ date: '2011-03-05?', event: 'detained' }] }), now)!;
    expect(t.uncertain).toBe(true);
    expect(formatTimeServed(t, 'en')).toBe('at least 4 years, 3 months and 15 days (start date uncertain)');
  });

  it('counts from detention after the last release, not from an earlier spell', () => {
    const t = computeTimeServed(
      person({
        timeline: [
          { date: '2005-01-01', event: 'detained' },
          { date: '2007-01-01', event: 'released' },
          { date: '2014-06-20', event: 'detained' },
        ],
      }),
      now,
    )!;
    expect(t.basis).toBe('detained');
    expect(t.min).toEqual({ years: 1, months: 0, days: 0 });
  });

  it('stops at the end of the sentence when no release is recorded', () => {
    const t = computeTimeServed(person({ sentenceStart: '2009-01-01', sentence: { years: 2 } }), now)!;
    expect(t.capped).toBe(true);
    expect(t.min).toEqual({ years: 2, months: 0, days: 0 });
  });

  it('stops at statusAsOf', () => {
    const t = computeTimeServed(person({ sentenceStart: '2012-02-14', statusAsOf: '2013-02-14' }), now)!;
    expect(t.asOfStatus).toBe(true);
    expect(t.min).toEqual({ years: 1, months: 0, days: 0 });
  });

  it('house arrest counts from the latest house-arrest entry; released people have no time served', () => {
    const p = person({ status: 'house-arrest', timeline: [{ date: '2014-06-20', event: 'house-arrest' }] });
    expect(computeTimeServed(p, now)!.min).toEqual({ years: 1, months: 0, days: 0 });
    expect(computeTimeServed(person({ status: 'released', actualRelease: '2014', sentenceStart: '2010' }), now)).toBeNull();
    expect(computeTimeServed(person({}), now)).toBeNull();
  });
});

describe('formatDuration', () => {
  it('omits zero parts and uses singulars', () => {
    expect(formatDuration({ years: 1, months: 0, days: 1 }, 'en')).toBe('1 year and 1 day');
    expect(formatDuration({ years: 0, months: 0, days: 0 }, 'en')).toBe('0 days');
    expect(formatDuration({ years: 4, months: 3, days: 0 }, 'zh-Hans')).toBe('4年3个月');
  });
});
