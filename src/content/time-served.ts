/**
 * How long a person has been held, computed at build time from the record.
 *
 * Honesty rules:
 * - Counted only for people whose status says they are held (detained,
 *   arrested, imprisoned, disappeared, house arrest).
 * - Counted from `sentenceStart`, else the first detention/arrest/
 *   disappearance in the timeline (after the last release), else the
 *   sentencing date; for house arrest, from the latest house-arrest entry.
 * - When the start is only known to the month or year, the result is a
 *   range: `min` counts from the last possible day, `max` from the first.
 *   Texts say "at least <min>".
 * - When the sentence (or `expectedRelease`) has run out by `now` and no
 *   release is recorded, counting stops at the end of the sentence and
 *   `capped` is set: we must not claim someone is still held on no evidence.
 * - When the record has `statusAsOf` (the day a source last confirmed the
 *   status), counting stops there too (`asOfStatus`): after that day we do
 *   not know.
 */
import { type ContentLang, daysInMonth, type EdtfValue, resolveEdtf } from './edtf.js';
import { HELD_STATUSES, type PersonFields, type TimelineEventKind } from './collections/people.js';

/** A calendar duration. */
export interface Duration {
  years: number;
  months: number;
  days: number;
}

/** What the count starts from. */
export type TimeServedBasis = 'sentence-start' | 'detained' | 'arrested' | 'disappeared' | 'sentenced' | 'house-arrest';

/** Time held so far. */
export interface TimeServed {
  basis: TimeServedBasis;
  /** The start date as recorded. */
  from: EdtfValue;
  /** The day counting stopped: `now`, or the end of the sentence when `capped`. */
  through: Date;
  /** Counting from the last possible start day. */
  min: Duration;
  /** Counting from the first possible start day. */
  max: Duration;
  /** True when the start is a single known day (min = max) and not uncertain or approximate. */
  exact: boolean;
  /** True when the start date is marked uncertain (`?`) or approximate (`~`). */
  uncertain: boolean;
  /** True when the sentence has run out by `now` and no release is recorded. */
  capped: boolean;
  /** True when counting stopped at `statusAsOf` (the last confirmation), before `now`. */
  asOfStatus: boolean;
}

function dayStart(d: Date): Date {
  const out = new Date(d.getTime());
  out.setUTCHours(0, 0, 0, 0);
  return out;
}

function addMonthsClamped(date: Date, months: number): Date {
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const out = new Date(0);
  out.setUTCFullYear(year, month - 1, Math.min(date.getUTCDate(), daysInMonth(year, month)));
  out.setUTCHours(0, 0, 0, 0);
  return out;
}

/** Add a calendar duration to a UTC day (31 January + 1 month = the last day of February). */
export function addDuration(date: Date, d: Duration): Date {
  const out = addMonthsClamped(dayStart(date), d.years * 12 + d.months);
  out.setUTCDate(out.getUTCDate() + d.days);
  return out;
}

/** Calendar difference from `a` to `b`: whole months first (clamped to month ends), then days; zero when `b` is not after `a`. */
export function diffDuration(a: Date, b: Date): Duration {
  const from = dayStart(a);
  const to = dayStart(b);
  if (to <= from) return { years: 0, months: 0, days: 0 };
  let months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  if (addMonthsClamped(from, months) > to) months -= 1;
  const anchor = addMonthsClamped(from, months);
  const days = Math.round((to.getTime() - anchor.getTime()) / 86_400_000);
  return { years: Math.floor(months / 12), months: months % 12, days };
}

function sameDuration(a: Duration, b: Duration): boolean {
  return a.years === b.years && a.months === b.months && a.days === b.days;
}

const CUSTODY_STARTS: TimelineEventKind[] = ['detained', 'arrested', 'disappeared'];

function findStart(person: PersonFields): { basis: TimeServedBasis; from: EdtfValue } | undefined {
  const entries = (person.timeline ?? []).map((t) => ({ event: t.event, value: resolveEdtf(t.date) }));
  const byDate = (a: { value: EdtfValue }, b: { value: EdtfValue }) =>
    (a.value.earliest?.getTime() ?? Number.NEGATIVE_INFINITY) - (b.value.earliest?.getTime() ?? Number.NEGATIVE_INFINITY);
  entries.sort(byDate);
  if (person.status === 'house-arrest') {
    const last = entries.filter((e) => e.event === 'house-arrest').pop();
    return last ? { basis: 'house-arrest', from: last.value } : undefined;
  }
  if (person.sentenceStart !== undefined) return { basis: 'sentence-start', from: resolveEdtf(person.sentenceStart) };
  const lastRelease = entries.filter((e) => e.event === 'released').pop();
  const after = lastRelease ? entries.filter((e) => byDate(e, lastRelease) > 0) : entries;
  const custody = after.find((e) => CUSTODY_STARTS.includes(e.event));
  if (custody) return { basis: custody.event as TimeServedBasis, from: custody.value };
  const sentenced = after.find((e) => e.event === 'sentenced');
  return sentenced ? { basis: 'sentenced', from: sentenced.value } : undefined;
}

/**
 * Time served so far at `now`, or null when the person is not held or no
 * start date is recorded.
 */
export function computeTimeServed(person: PersonFields, now: Date): TimeServed | null {
  if (!HELD_STATUSES.has(person.status)) return null;
  const start = findStart(person);
  const earliest = start?.from.earliest;
  if (!start || !earliest) return null;
  const latest = start.from.latest ?? dayStart(now);
  const asOf = person.statusAsOf !== undefined ? new Date(`${person.statusAsOf}T00:00:00Z`) : undefined;
  const today = asOf && asOf < dayStart(now) ? asOf : dayStart(now);
  const sentence = person.sentence && !person.sentence.life && start.basis !== 'house-arrest' ? person.sentence : undefined;
  const expected = person.expectedRelease !== undefined ? resolveEdtf(person.expectedRelease).latest : null;
  const endFor = (s: Date): Date | undefined => expected ?? (sentence ? addDuration(s, sentence) : undefined);
  const capAt = (s: Date): Date => {
    const end = endFor(s);
    return end && end < today ? end : today;
  };
  const min = diffDuration(latest, capAt(latest));
  const max = diffDuration(earliest, capAt(earliest));
  const latestEnd = endFor(latest);
  const capped = person.actualRelease === undefined && latestEnd !== undefined && latestEnd < today;
  const uncertain = start.from.uncertain || start.from.approximate;
  return {
    basis: start.basis,
    from: start.from,
    through: capAt(latest),
    min,
    max,
    exact: sameDuration(min, max) && !uncertain,
    uncertain,
    capped,
    asOfStatus: asOf !== undefined && today === asOf && !capped,
  };
}

/** "7 years, 2 months and 3 days" / "7年2个月3天" / "7年2個月3天"; zero parts are left out. */
export function formatDuration(d: Duration, lang: ContentLang): string {
  if (lang !== 'en') {
    const month = lang === 'zh-Hant' ? '個月' : '个月';
    const parts = [d.years ? `${d.years}年` : '', d.months ? `${d.months}${month}` : '', d.days ? `${d.days}天` : ''];
    const s = parts.join('');
    return s || '0天';
  }
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  const parts = [d.years ? plural(d.years, 'year') : '', d.months ? plural(d.months, 'month') : '', d.days ? plural(d.days, 'day') : ''].filter(Boolean);
  if (parts.length === 0) return '0 days';
  if (parts.length === 1) return parts[0]!;
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * One line for a page: "7 years and 3 days", "at least 2 years and 1 month",
 * "at least 2 years (start date uncertain)", "至少2年1个月". Whether the
 * count was capped is left to the caller (see `capped`).
 */
export function formatTimeServed(t: TimeServed, lang: ContentLang): string {
  let s = formatDuration(t.min, lang);
  if (!t.exact) s = lang === 'en' ? `at least ${s}` : `至少${s}`;
  if (t.uncertain) s += lang === 'en' ? ' (start date uncertain)' : lang === 'zh-Hant' ? '（起始日期存疑）' : '（起始日期存疑）';
  return s;
}
