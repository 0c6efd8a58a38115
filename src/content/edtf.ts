/**
 * Extended Date/Time Format (EDTF, ISO 8601-2) levels 0 and 1, the subset
 * advocacy records need: dates known only to the year or month, unspecified
 * digits (`2012-02-XX`), uncertain (`?`), approximate (`~`) or both (`%`),
 * seasons (`2012-21` = spring) and intervals (`2010/2012`, `2010-05/..`).
 *
 * Records about detained people are often vague; the point of this module is
 * to keep the vagueness visible instead of inventing a day. Bounds are
 * calendar days in UTC: `earliest` is the first possible day and `latest` the
 * last possible day (both at 00:00Z), so `2012-02` spans 2012-02-01..2012-02-29.
 *
 * Not supported (a diagnostic says so): years before 0001, `Y`-prefixed long
 * years, times of day, level-2 features (sets, partial qualification,
 * seasons 25–41).
 *
 * Seasons use northern-hemisphere meteorological bounds: spring = March–May,
 * summer = June–August, autumn = September–November, winter = December of
 * the year through the end of February of the next year.
 *
 * "Early/mid/late" is not EDTF. When a source says "early February 2012",
 * write `{ edtf: "2012-02", qualifier: "early" }`: the qualifier changes the
 * wording only; the bounds stay the whole month, because "early" has no
 * agreed number of days.
 */
import { z } from 'zod';
import { createDiagnostic, type Location } from '../errors/catalogue.js';
import { EdtfIntervalReversed, EdtfInvalid, EdtfQualifierInvalid, EDTF_VALID_FORMS } from '../errors/codes-advocacy.js';
import type { Diagnostic } from '../errors/diagnostic.js';

/** Languages stele writes. */
export type ContentLang = 'en' | 'zh-Hans' | 'zh-Hant';

/** Granularity of a date, coarsest last. */
export type EdtfPrecision = 'day' | 'month' | 'season' | 'year' | 'decade' | 'century';

/** A wording qualifier the source gives ("early February 2012"). */
export type EdtfQualifier = 'early' | 'mid' | 'late';

/** Season names for EDTF codes 21–24. */
export type EdtfSeason = 'spring' | 'summer' | 'autumn' | 'winter';

/** A single EDTF date. */
export interface EdtfDate {
  kind: 'date';
  /** Canonical EDTF text. */
  source: string;
  /** The year; for `201X` the first year of the decade, for `20XX` of the century. */
  year: number;
  /** 1–12 when the month is known. */
  month?: number;
  /** 1–31 when the day is known. */
  day?: number;
  season?: EdtfSeason;
  precision: EdtfPrecision;
  /**
   * True when the source marks digits as unspecified with X (`2012-02-XX`):
   * one particular day inside the bounds, not known to us. `2012-02` instead
   * means the month as a whole.
   */
  unspecified: boolean;
  /** `?`: the source is not sure of the date. */
  uncertain: boolean;
  /** `~`: the date is approximate. */
  approximate: boolean;
  qualifier?: EdtfQualifier;
  /** First possible day, 00:00 UTC. */
  earliest: Date;
  /** Last possible day, 00:00 UTC. */
  latest: Date;
}

/** An interval endpoint that is not a date: `..` (open: still going / from any time) or empty (unknown). */
export interface EdtfOpenEnd {
  kind: 'open' | 'unknown';
}

/** An EDTF interval `start/end`. */
export interface EdtfInterval {
  kind: 'interval';
  source: string;
  start: EdtfDate | EdtfOpenEnd;
  end: EdtfDate | EdtfOpenEnd;
  /** Coarsest precision of the two endpoints (`year` when neither is a date). */
  precision: EdtfPrecision;
  uncertain: boolean;
  approximate: boolean;
  qualifier?: undefined;
  /** Start's earliest day; null when the start is open or unknown. */
  earliest: Date | null;
  /** End's latest day; null when the end is open or unknown. */
  latest: Date | null;
}

/** A parsed EDTF value. */
export type EdtfValue = EdtfDate | EdtfInterval;

/** How EDTF appears in front matter: text, a bare year (YAML reads `2012` as a number), or text with a qualifier. */
export type EdtfInput = string | number | { edtf: string | number; qualifier?: EdtfQualifier };

/** Result of parsing: a value, or a diagnostic explaining what is wrong. */
export type EdtfParseResult = { ok: true; value: EdtfValue } | { ok: false; diagnostic: Diagnostic };

const PRECISION_RANK: Record<EdtfPrecision, number> = { day: 0, month: 1, season: 2, year: 3, decade: 4, century: 5 };
const SEASONS: Record<number, EdtfSeason> = { 21: 'spring', 22: 'summer', 23: 'autumn', 24: 'winter' };
const SEASON_CODE: Record<EdtfSeason, number> = { spring: 21, summer: 22, autumn: 23, winter: 24 };

/** A UTC midnight date that also works for years 1–99 (Date.UTC maps those to 19xx). */
function utcDay(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(0, 0, 0, 0);
  return d;
}

/** Days in a month (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return utcDay(year, month + 1, 0).getUTCDate();
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

class EdtfError extends Error {}

const DATE_RE = /^(\d{4}|\d{3}X|\d{2}XX)(?:-(\d{2}|XX)(?:-(\d{2}|XX))?)?([?~%])?$/;

function parseDate(text: string): EdtfDate {
  if (text === '') throw new EdtfError('it is empty');
  if (/^Y/i.test(text)) throw new EdtfError('long years (Y…) are not supported');
  if (text.startsWith('-')) throw new EdtfError('years before 0001 are not supported');
  if (/[Tt]\d/.test(text)) throw new EdtfError('times of day are not EDTF dates here; event start times go in `start` with a UTC offset');
  const m = DATE_RE.exec(text);
  if (!m) {
    if (/^\d{1,3}$/.test(text) || /^\d{5,}$/.test(text)) throw new EdtfError('a year must have exactly four digits');
    if (/^\d{4}\/\d{1,2}/.test(text) || /^\d{1,2}[./]\d{1,2}[./]\d{4}$/.test(text))
      throw new EdtfError('use YYYY-MM-DD order with hyphens');
    if (/[xu]/.test(text) && /^[\dxuXU-]+[?~%]?$/.test(text)) throw new EdtfError('unspecified digits are written with a capital X');
    throw new EdtfError('it does not match any supported form');
  }
  const [, yearText, monthText, dayText, qual] = m as unknown as [string, string, string | undefined, string | undefined, string | undefined];
  const uncertain = qual === '?' || qual === '%';
  const approximate = qual === '~' || qual === '%';
  const base = { kind: 'date' as const, uncertain, approximate, unspecified: false };
  if (yearText.includes('X')) {
    if (monthText !== undefined) throw new EdtfError('when year digits are unspecified, leave out the month and day');
    const xs = yearText.length - yearText.replace(/X/g, '').length;
    const first = Number(yearText.replace(/X/g, '0'));
    const last = Number(yearText.replace(/X/g, '9'));
    if (first === 0 && last < 1) throw new EdtfError('years before 0001 are not supported');
    const year = Math.max(first, 1);
    return {
      ...base,
      source: yearText + (qual ?? ''),
      year,
      precision: xs === 1 ? 'decade' : 'century',
      unspecified: true,
      earliest: utcDay(year, 1, 1),
      latest: utcDay(last, 12, 31),
    };
  }
  const year = Number(yearText);
  if (year < 1) throw new EdtfError('years before 0001 are not supported');
  if (monthText === undefined) {
    return { ...base, source: text, year, precision: 'year', earliest: utcDay(year, 1, 1), latest: utcDay(year, 12, 31) };
  }
  if (monthText === 'XX') {
    if (dayText !== undefined && dayText !== 'XX') throw new EdtfError('a day cannot be known when the month is not (write 2012-XX-XX)');
    return {
      ...base,
      source: text,
      year,
      precision: 'year',
      unspecified: true,
      earliest: utcDay(year, 1, 1),
      latest: utcDay(year, 12, 31),
    };
  }
  const monthNumber = Number(monthText);
  if (monthNumber >= 21 && monthNumber <= 24) {
    if (dayText !== undefined) throw new EdtfError('a season has no day');
    const season = SEASONS[monthNumber]!;
    const [fromM, toY, toM] =
      season === 'spring' ? [3, year, 5] : season === 'summer' ? [6, year, 8] : season === 'autumn' ? [9, year, 11] : [12, year + 1, 2];
    return {
      ...base,
      source: text,
      year,
      season,
      precision: 'season',
      earliest: utcDay(year, fromM, 1),
      latest: utcDay(toY, toM, daysInMonth(toY, toM)),
    };
  }
  if (monthNumber < 1 || monthNumber > 12) {
    throw new EdtfError(
      monthNumber >= 25 && monthNumber <= 41
        ? `season code ${monthText} is EDTF level 2, which stele does not support (use 21–24)`
        : `month ${monthText} does not exist (01–12, or 21–24 for seasons)`,
    );
  }
  const month = monthNumber;
  if (dayText === undefined) {
    return {
      ...base,
      source: text,
      year,
      month,
      precision: 'month',
      earliest: utcDay(year, month, 1),
      latest: utcDay(year, month, daysInMonth(year, month)),
    };
  }
  if (dayText === 'XX') {
    return {
      ...base,
      source: text,
      year,
      month,
      precision: 'month',
      unspecified: true,
      earliest: utcDay(year, month, 1),
      latest: utcDay(year, month, daysInMonth(year, month)),
    };
  }
  const day = Number(dayText);
  const dim = daysInMonth(year, month);
  if (day < 1 || day > dim) throw new EdtfError(`${yearText}-${monthText} has no day ${dayText} (it has ${dim} days)`);
  const at = utcDay(year, month, day);
  return { ...base, source: text, year, month, day, precision: 'day', earliest: at, latest: at };
}

function parseEndpoint(text: string): EdtfDate | EdtfOpenEnd {
  if (text === '..') return { kind: 'open' };
  if (text === '') return { kind: 'unknown' };
  return parseDate(text);
}

function normalizeInput(input: EdtfInput): { text: string; qualifier?: EdtfQualifier } {
  if (typeof input === 'number') return { text: Number.isInteger(input) ? pad(input, 4) : String(input) };
  if (typeof input === 'string') return { text: input.trim() };
  const text = typeof input.edtf === 'number' ? (Number.isInteger(input.edtf) ? pad(input.edtf, 4) : String(input.edtf)) : input.edtf.trim();
  return input.qualifier ? { text, qualifier: input.qualifier } : { text };
}

/**
 * Parse EDTF. Accepts the front-matter forms of {@link EdtfInput}. Never
 * throws: problems come back as a diagnostic at `location`.
 */
export function parseEdtf(input: EdtfInput, location: Location = {}): EdtfParseResult {
  const { text, qualifier } = normalizeInput(input);
  try {
    let value: EdtfValue;
    if (/^\d{1,2}[./]\d{1,2}[./]\d{4}$/.test(text) || /^\d{4}[./]\d{1,2}[./]\d{1,2}$/.test(text)) {
      throw new EdtfError('write the date as YYYY-MM-DD with hyphens (14 February 2012 is 2012-02-14)');
    }
    const slash = text.indexOf('/');
    if (slash >= 0) {
      if (text.indexOf('/', slash + 1) >= 0) throw new EdtfError('an interval has exactly one "/"');
      const start = parseEndpoint(text.slice(0, slash));
      const end = parseEndpoint(text.slice(slash + 1));
      if (start.kind !== 'date' && end.kind !== 'date') throw new EdtfError('at least one end of an interval must be a date');
      if (start.kind === 'date' && end.kind === 'date' && end.latest < start.earliest) {
        return { ok: false, diagnostic: createDiagnostic(EdtfIntervalReversed, location, text) };
      }
      const dates = [start, end].filter((e): e is EdtfDate => e.kind === 'date');
      const precision = dates.reduce<EdtfPrecision>(
        (p, d) => (PRECISION_RANK[d.precision] > PRECISION_RANK[p] ? d.precision : p),
        dates[0]!.precision,
      );
      value = {
        kind: 'interval',
        source: `${start.kind === 'date' ? start.source : start.kind === 'open' ? '..' : ''}/${end.kind === 'date' ? end.source : end.kind === 'open' ? '..' : ''}`,
        start,
        end,
        precision,
        uncertain: dates.some((d) => d.uncertain),
        approximate: dates.some((d) => d.approximate),
        earliest: start.kind === 'date' ? start.earliest : null,
        latest: end.kind === 'date' ? end.latest : null,
      };
    } else {
      value = parseDate(text);
    }
    if (qualifier) {
      if (value.kind !== 'date' || value.unspecified || (value.precision !== 'month' && value.precision !== 'year')) {
        return { ok: false, diagnostic: createDiagnostic(EdtfQualifierInvalid, location, text, qualifier) };
      }
      value = { ...value, qualifier };
    }
    return { ok: true, value };
  } catch (error) {
    if (error instanceof EdtfError) return { ok: false, diagnostic: createDiagnostic(EdtfInvalid, location, text, error.message) };
    throw error;
  }
}

/** Parse EDTF that schema validation has already accepted; throws (a bug) if it is invalid. */
export function resolveEdtf(input: EdtfInput): EdtfValue {
  const result = parseEdtf(input);
  if (!result.ok) throw new Error(`resolveEdtf: unvalidated EDTF reached the renderer: ${result.diagnostic.message}`);
  return result.value;
}

/** Canonical EDTF text for a value (the qualifier, which is not EDTF, is left out). */
export function serializeEdtf(value: EdtfValue): string {
  if (value.kind === 'interval') {
    const end = (e: EdtfDate | EdtfOpenEnd) => (e.kind === 'date' ? serializeEdtf(e) : e.kind === 'open' ? '..' : '');
    return `${end(value.start)}/${end(value.end)}`;
  }
  const q = value.uncertain && value.approximate ? '%' : value.uncertain ? '?' : value.approximate ? '~' : '';
  const y = pad(value.year, 4);
  if (value.precision === 'decade') return `${y.slice(0, 3)}X${q}`;
  if (value.precision === 'century') return `${y.slice(0, 2)}XX${q}`;
  if (value.season) return `${y}-${SEASON_CODE[value.season]}${q}`;
  if (value.month === undefined) return value.unspecified ? `${y}-XX-XX${q}` : `${y}${q}`;
  const m = pad(value.month, 2);
  if (value.day === undefined) return value.unspecified ? `${y}-${m}-XX${q}` : `${y}-${m}${q}`;
  return `${y}-${m}-${pad(value.day, 2)}${q}`;
}

/**
 * Order for sorting timelines: by earliest possible day (open starts first),
 * then coarser precision first (a "2012" entry before "2012-01-01"), then by
 * latest day (open ends last), then by text so the order is total.
 */
export function compareEdtf(a: EdtfValue, b: EdtfValue): number {
  const ea = a.earliest?.getTime() ?? Number.NEGATIVE_INFINITY;
  const eb = b.earliest?.getTime() ?? Number.NEGATIVE_INFINITY;
  if (ea !== eb) return ea < eb ? -1 : 1;
  const pa = PRECISION_RANK[a.precision];
  const pb = PRECISION_RANK[b.precision];
  if (pa !== pb) return pb - pa;
  const la = a.latest?.getTime() ?? Number.POSITIVE_INFINITY;
  const lb = b.latest?.getTime() ?? Number.POSITIVE_INFINITY;
  if (la !== lb) return la < lb ? -1 : 1;
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

const EN_MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

interface Words {
  season: Record<EdtfSeason, string>;
  around: (s: string) => string;
  uncertain: (s: string) => string;
  range: (a: string, b: string) => string;
  since: (a: string) => string;
  fromUnknownEnd: (a: string) => string;
  until: (b: string) => string;
  untilUnknownStart: (b: string) => string;
}

const WORDS: Record<ContentLang, Words> = {
  en: {
    season: { spring: 'spring', summer: 'summer', autumn: 'autumn', winter: 'winter' },
    around: (s) => `around ${s}`,
    uncertain: (s) => `${s} (uncertain)`,
    range: (a, b) => `${a} to ${b}`,
    since: (a) => `since ${a}`,
    fromUnknownEnd: (a) => `from ${a} (end date unknown)`,
    until: (b) => `until ${b}`,
    untilUnknownStart: (b) => `until ${b} (start date unknown)`,
  },
  'zh-Hans': {
    season: { spring: '春季', summer: '夏季', autumn: '秋季', winter: '冬季' },
    around: (s) => `约${s}`,
    uncertain: (s) => `${s}（存疑）`,
    range: (a, b) => `${a}至${b}`,
    since: (a) => `${a}起`,
    fromUnknownEnd: (a) => `${a}起（结束日期不详）`,
    until: (b) => `至${b}`,
    untilUnknownStart: (b) => `至${b}（起始日期不详）`,
  },
  'zh-Hant': {
    season: { spring: '春季', summer: '夏季', autumn: '秋季', winter: '冬季' },
    around: (s) => `約${s}`,
    uncertain: (s) => `${s}（存疑）`,
    range: (a, b) => `${a}至${b}`,
    since: (a) => `${a}起`,
    fromUnknownEnd: (a) => `${a}起（結束日期不詳）`,
    until: (b) => `至${b}`,
    untilUnknownStart: (b) => `至${b}（起始日期不詳）`,
  },
};

function formatCore(d: EdtfDate, lang: ContentLang): string {
  const w = WORDS[lang];
  const y = d.year;
  if (lang === 'en') {
    if (d.precision === 'century') {
      const from = Math.floor(y / 100) * 100;
      return `between ${Math.max(from, 1)} and ${from + 99}`;
    }
    if (d.precision === 'decade') return `the ${y - (y % 10)}s`;
    if (d.season) return `${w.season[d.season]} ${y}`;
    if (d.month === undefined) {
      if (d.unspecified) return `a date in ${y}`;
      if (d.qualifier === 'early') return `early ${y}`;
      if (d.qualifier === 'mid') return `mid-${y}`;
      if (d.qualifier === 'late') return `late ${y}`;
      return String(y);
    }
    const month = EN_MONTHS[d.month - 1]!;
    if (d.day === undefined) {
      if (d.unspecified) return `a day in ${month} ${y}`;
      if (d.qualifier === 'early') return `early ${month} ${y}`;
      if (d.qualifier === 'mid') return `mid-${month} ${y}`;
      if (d.qualifier === 'late') return `late ${month} ${y}`;
      return `${month} ${y}`;
    }
    return `${d.day} ${month} ${y}`;
  }
  const hant = lang === 'zh-Hant';
  if (d.precision === 'century') {
    const from = Math.floor(y / 100) * 100;
    return hant ? `${Math.max(from, 1)}年至${from + 99}年間` : `${Math.max(from, 1)}年至${from + 99}年间`;
  }
  if (d.precision === 'decade') return `${y - (y % 10)}年代`;
  if (d.season) return `${y}年${w.season[d.season]}`;
  if (d.month === undefined) {
    if (d.unspecified) return `${y}年某日`;
    if (d.qualifier === 'early') return `${y}年初`;
    if (d.qualifier === 'mid') return `${y}年年中`;
    if (d.qualifier === 'late') return `${y}年底`;
    return `${y}年`;
  }
  if (d.day === undefined) {
    if (d.unspecified) return `${y}年${d.month}月某日`;
    if (d.qualifier === 'early') return `${y}年${d.month}月初`;
    if (d.qualifier === 'mid') return `${y}年${d.month}月中旬`;
    if (d.qualifier === 'late') return `${y}年${d.month}月底`;
    return `${y}年${d.month}月`;
  }
  return `${y}年${d.month}月${d.day}日`;
}

function formatDate(d: EdtfDate, lang: ContentLang): string {
  const w = WORDS[lang];
  let s = formatCore(d, lang);
  if (d.approximate) s = w.around(s);
  if (d.uncertain) s = w.uncertain(s);
  return s;
}

/**
 * Human text for an EDTF value that says no more than the source does:
 * "14 February 2012", "early February 2012", "around 2011", "2009 (uncertain)",
 * "2012年2月", "约2011年", "2009年（存疑）". Never throws for a parsed value.
 */
export function formatEdtf(value: EdtfValue, lang: ContentLang): string {
  if (value.kind === 'date') return formatDate(value, lang);
  const w = WORDS[lang];
  const { start, end } = value;
  if (start.kind === 'date' && end.kind === 'date') return w.range(formatDate(start, lang), formatDate(end, lang));
  if (start.kind === 'date') return end.kind === 'open' ? w.since(formatDate(start, lang)) : w.fromUnknownEnd(formatDate(start, lang));
  if (end.kind === 'date') return start.kind === 'open' ? w.until(formatDate(end, lang)) : w.untilUnknownStart(formatDate(end, lang));
  return '';
}

/** ISO `YYYY-MM-DD` of a bound (for `<time datetime>` and JSON-LD), or undefined. */
export function formatIsoDay(date: Date | null | undefined): string | undefined {
  if (!date) return undefined;
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/**
 * The most precise machine-readable form for `<time datetime>`: `2012`,
 * `2012-02`, `2012-02-14`, or undefined when the value is not a single
 * plain date (seasons, unspecified digits, intervals).
 */
export function formatMachineDate(value: EdtfValue): string | undefined {
  if (value.kind !== 'date' || value.unspecified || value.season) return undefined;
  const y = pad(value.year, 4);
  if (value.month === undefined) return y;
  if (value.day === undefined) return `${y}-${pad(value.month, 2)}`;
  return `${y}-${pad(value.month, 2)}-${pad(value.day, 2)}`;
}

/**
 * Zod schema for an EDTF field in front matter. Keeps the input as written
 * (JSON-friendly; resolve it with {@link resolveEdtf}) and reports invalid
 * dates with the list of valid forms in the message.
 */
export const edtfInputSchema = z
  .union([
    z.string(),
    z.number().int(),
    z.strictObject({ edtf: z.union([z.string(), z.number().int()]), qualifier: z.enum(['early', 'mid', 'late']).optional() }),
  ])
  .superRefine((input, ctx) => {
    const result = parseEdtf(input as EdtfInput);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: `${result.diagnostic.message} ${result.diagnostic.hint ?? EDTF_VALID_FORMS}` });
    }
  });
