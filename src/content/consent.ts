/**
 * Consent-aware names. People who attend a rally or sign a statement may be
 * put at risk by having their names online. Every roster entry records how
 * the person agreed to be named, and the build publishes only that.
 *
 * - `full`: the name as written.
 * - `initials`: English "Z. Y." (first letter of each word of the Latin
 *   name, surname first as written); Chinese surname + 某 ("朱某"), the usual
 *   way Chinese media refer to a person without naming them. Compound
 *   surnames are kept whole (欧阳某). Note that initials and surname still say
 *   something; for anyone at real risk use `pseudonym` or `withheld`.
 * - `pseudonym`: the given localized pseudonym.
 * - `withheld`: nothing.
 *
 * Without a `consent` record the name is never published (and `checkRoster`
 * reports an error unless the entry is `withheld`, which needs no consent). A `withdrawn` date on or before the build date withholds
 * the name from that build on.
 *
 * For every entry that is not published in full, the full name is secret:
 * {@link collectWithheldNames} expands every spelling of it so the build and
 * `stele check` can scan the output for leaks.
 *
 * Roster ids end up in diagnostics and possibly HTML; they must not contain
 * names (use m01, m02, …).
 */
import { z } from 'zod';
import { createDiagnostic, type Location } from '../errors/catalogue.js';
import {
  NameLatinMissing,
  PersonNameMissing,
  RosterConsentMissing,
  RosterIdDuplicate,
  RosterPseudonymMissing,
  RosterWithdrawalBeforeConsent,
} from '../errors/codes-advocacy.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import {
  containsHan,
  convertPersonName,
  createTraditionalConverter,
  splitChineseName,
  suggestPinyin,
  type TextConverter,
  toPinyinSyllables,
} from './chinese.js';
import { type LocalizedString, localizedStringSchema, type PersonNames, resolveLocalizedText } from './collections/localized.js';
import type { ContentLang } from './edtf.js';

/** How a person agreed to be named. */
export type PublishMode = 'full' | 'initials' | 'pseudonym' | 'withheld';

/** Who recorded the person's consent, and when. */
export interface ConsentRecord {
  recordedBy: string;
  /** ISO date `YYYY-MM-DD`. */
  date: string;
}

/** One person on an event's roster. */
export interface RosterEntry {
  /** Opaque id, unique within the event; never the person's name. */
  id: string;
  names: PersonNames;
  publish: PublishMode;
  pseudonym?: LocalizedString;
  consent?: ConsentRecord;
  /** ISO date the person withdrew consent. */
  withdrawn?: string;
  /** Internal note; never rendered. */
  note?: string;
}

function isValidIsoDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** Zod schema for an ISO calendar date `YYYY-MM-DD`. */
export const isoDaySchema = z.string().refine(isValidIsoDay, { message: 'must be a calendar date like 2012-02-14' });

/** Zod schema for a {@link ConsentRecord}. */
export const consentRecordSchema = z.strictObject({
  recordedBy: z.string().trim().min(1, 'say who recorded the consent'),
  date: isoDaySchema,
});

/** Zod schema for a {@link RosterEntry}. `consent` is optional here so a missing record becomes a catalogued error from {@link checkRoster}. */
export const rosterEntrySchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a short opaque id such as m01 (lowercase letters, digits, hyphens)'),
  names: z.strictObject({
    en: z.string().trim().min(1).optional(),
    'zh-Hans': z.string().trim().min(1).optional(),
    'zh-Hant': z.string().trim().min(1).optional(),
  }),
  publish: z.enum(['full', 'initials', 'pseudonym', 'withheld']),
  pseudonym: localizedStringSchema.optional(),
  consent: consentRecordSchema.optional(),
  withdrawn: isoDaySchema.optional(),
  note: z.string().optional(),
});

/** Zod schema for a roster. */
export const rosterSchema = z.array(rosterEntrySchema);

/** `YYYY-MM-DD` of `now` in UTC. */
function isoDayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** True when the entry's name must not be shown at build time `now` at all (withheld, withdrawn, or no consent). */
export function isRosterEntryHidden(entry: RosterEntry, now: Date): boolean {
  if (!entry.consent) return true;
  if (entry.publish === 'withheld') return true;
  if (entry.withdrawn !== undefined && entry.withdrawn <= isoDayOf(now)) return true;
  return false;
}

/** True when the entry's full name is secret at `now` (every mode but `full`, and hidden entries). */
export function isFullNameSecret(entry: RosterEntry, now: Date): boolean {
  return entry.publish !== 'full' || isRosterEntryHidden(entry, now);
}

/** English initials of a Latin name: "Zhu Yufu" → "Z. Y.", "Jean-Paul Sartre" → "J.-P. S.". */
export function formatLatinInitials(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) =>
      word
        .split('-')
        .filter(Boolean)
        .map((part) => `${[...part][0]!.toUpperCase()}.`)
        .join('-'),
    )
    .join(' ');
}

/** Chinese anonymised form: surname + 某 ("朱虞夫" → "朱某"). */
export function formatChineseSurnameForm(hanzi: string): string {
  const { surname } = splitChineseName(hanzi);
  return surname ? `${surname}某` : '';
}

let defaultConverter: TextConverter | undefined;
function traditional(options?: { toTraditional?: TextConverter }): TextConverter {
  if (options?.toTraditional) return options.toTraditional;
  const existing = defaultConverter;
  if (existing) return existing;
  const created: TextConverter = createTraditionalConverter();
  defaultConverter = created;
  return created;
}

function latinName(names: PersonNames): string | undefined {
  if (names.en) return names.en;
  const han = names['zh-Hans'] ?? names['zh-Hant'];
  return han ? suggestPinyin(han) || undefined : undefined;
}

/**
 * The name to display for a roster entry on a page in `lang`, or null when
 * it must not be shown (withheld, withdrawn on or before `now`, no consent).
 */
export function resolveRosterName(
  entry: RosterEntry,
  lang: ContentLang,
  now: Date,
  options?: { toTraditional?: TextConverter },
): string | null {
  if (isRosterEntryHidden(entry, now)) return null;
  const { names } = entry;
  const hans = names['zh-Hans'];
  const hant = names['zh-Hant'] ?? (hans ? convertPersonName(hans, traditional(options)) : undefined);
  switch (entry.publish) {
    case 'full': {
      const text = lang === 'en' ? (names.en ?? hans ?? hant) : lang === 'zh-Hans' ? (hans ?? hant ?? names.en) : (hant ?? names.en);
      return text ?? null;
    }
    case 'initials': {
      if (lang !== 'en') {
        const han = lang === 'zh-Hans' ? (hans ?? hant) : hant;
        if (han) return formatChineseSurnameForm(han) || null;
      }
      const latin = latinName(names);
      return latin ? formatLatinInitials(latin) : null;
    }
    case 'pseudonym': {
      const text = resolveLocalizedText(entry.pseudonym, lang, traditional(options));
      return text || null;
    }
    default:
      return null;
  }
}

/** A spelling of a secret name, and a label that does not contain the name (safe for CI logs). */
export interface WithheldName {
  name: string;
  label: string;
}

function latinVariants(name: string): string[] {
  const parts = name.trim().split(/[\s-]+/).filter(Boolean);
  if (parts.length === 0) return [];
  const out = [name.trim(), parts.join(' '), parts.join(''), parts.join('-')];
  if (parts.length > 1) {
    const reversed = [...parts.slice(1), parts[0]!];
    out.push(reversed.join(' '), reversed.join(''), reversed.join('-'));
  }
  return out;
}

/** ü spellings: as ü, as v (input-method style) and as u (passport style). */
function umlautVariants(s: string): string[] {
  if (!/[üÜ]/.test(s)) return [s];
  return [s, s.replace(/ü/g, 'v').replace(/Ü/g, 'V'), s.replace(/ü/g, 'u').replace(/Ü/g, 'U')];
}

function capitalise(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function pinyinVariants(hanzi: string): string[] {
  const { surname, given } = splitChineseName(hanzi);
  const out: string[] = [];
  for (const tones of [false, true]) {
    const s = toPinyinSyllables(surname, { tones });
    const g = given ? toPinyinSyllables(given, { tones }) : [];
    const sur = capitalise(s.join(''));
    const giv = capitalise(g.join(''));
    const syllables = [...s, ...g].map(capitalise);
    const forms = [
      `${sur} ${giv}`.trim(),
      `${sur}${giv}`,
      syllables.join(' '),
      `${sur} ${g.map((x, i) => (i === 0 ? capitalise(x) : x)).join('-')}`.trim(),
      `${giv} ${sur}`.trim(),
      `${giv}${sur}`,
    ];
    for (const f of forms) out.push(...umlautVariants(f));
  }
  return out;
}

/**
 * Every spelling of every secret full name among `entries` at `now`:
 * English as written, reversed, with and without spaces and hyphens;
 * Simplified and Traditional (given and converted), also with spaces between
 * characters; pinyin with and without tone marks, with and without spaces,
 * both name orders, ü as ü/v/u. Scan output case-insensitively
 * (see {@link scanForWithheldNames}).
 */
export function collectWithheldNames(
  entries: readonly RosterEntry[],
  options: { now: Date; toTraditional?: TextConverter; labelPrefix?: string },
): WithheldName[] {
  const seen = new Set<string>();
  const out: WithheldName[] = [];
  const prefix = options.labelPrefix ? `${options.labelPrefix} ` : '';
  const add = (name: string, label: string) => {
    const n = name.normalize('NFC').trim();
    const minLength = containsHan(n) ? 2 : 4;
    if ([...n.replace(/\s/g, '')].length < minLength) return;
    const key = n.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ name: n, label });
  };
  for (const entry of entries) {
    if (!isFullNameSecret(entry, options.now)) continue;
    const base = `${prefix}roster ${entry.id}`;
    const { names } = entry;
    if (names.en) for (const v of latinVariants(names.en)) add(v, `${base}: English name`);
    const hanForms = new Set<string>();
    if (names['zh-Hans']) {
      hanForms.add(names['zh-Hans']);
      // both the name-aware form and the plain prose conversion (朴 → 朴 and 樸), in case either reaches output
      hanForms.add(convertPersonName(names['zh-Hans'], traditional(options)));
      hanForms.add(traditional(options)(names['zh-Hans']));
    }
    if (names['zh-Hant']) hanForms.add(names['zh-Hant']);
    for (const han of hanForms) {
      const compact = han.replace(/\s+/g, '');
      add(compact, `${base}: Chinese name`);
      add([...compact].join(' '), `${base}: Chinese name, spaced`);
    }
    const pinyinSource = names['zh-Hans'] ?? names['zh-Hant'];
    if (pinyinSource) for (const v of pinyinVariants(pinyinSource)) add(v, `${base}: pinyin`);
  }
  return out;
}

/** A secret name found in some text. */
export interface WithheldNameMatch extends WithheldName {
  /** Index in the text (of the case-folded, NFC-normalised text). */
  index: number;
}

/** Find secret names in `text`, case-insensitively, after NFC normalisation. */
export function scanForWithheldNames(text: string, names: readonly WithheldName[]): WithheldNameMatch[] {
  const haystack = text.normalize('NFC').toLowerCase();
  const out: WithheldNameMatch[] = [];
  for (const n of names) {
    const index = haystack.indexOf(n.name.toLowerCase());
    if (index >= 0) out.push({ ...n, index });
  }
  return out;
}

/**
 * Cross-field checks for a roster: missing consent for a name that would be
 * shown (error; `withheld` entries need none), pseudonym missing, duplicate
 * ids, withdrawal before consent, no name, and a pinyin suggestion for
 * published Chinese names without a Latin form. Each problem is located at
 * the entry (and field) at fault: `locate` receives paths relative to the
 * roster, such as `[2, 'publish']`; a plain location is used for all.
 */
export function checkRoster(
  entries: readonly RosterEntry[],
  locate: ((path: (string | number)[]) => Location) | Location = {},
): Diagnostic[] {
  const at = typeof locate === 'function' ? locate : () => locate;
  const out: Diagnostic[] = [];
  const ids = new Set<string>();
  entries.forEach((entry, i) => {
    if (ids.has(entry.id)) out.push(createDiagnostic(RosterIdDuplicate, at([i, 'id']), entry.id));
    ids.add(entry.id);
    const { names } = entry;
    if (!names.en && !names['zh-Hans'] && !names['zh-Hant']) {
      const d = createDiagnostic(PersonNameMissing, at([i, 'names']));
      d.message = `Roster entry "${entry.id}": ${d.message}`;
      out.push(d);
    }
    if (!entry.consent && entry.publish !== 'withheld') out.push(createDiagnostic(RosterConsentMissing, at([i, 'publish']), entry.id, entry.publish));
    if (entry.publish === 'pseudonym' && !entry.pseudonym) out.push(createDiagnostic(RosterPseudonymMissing, at([i, 'publish']), entry.id));
    if (entry.consent && entry.withdrawn && entry.withdrawn < entry.consent.date) {
      out.push(createDiagnostic(RosterWithdrawalBeforeConsent, at([i, 'withdrawn']), entry.id));
    }
    const han = names['zh-Hans'] ?? names['zh-Hant'];
    if (entry.publish === 'full' && entry.consent && !names.en && han) {
      out.push(createDiagnostic(NameLatinMissing, at([i, 'names']), `Roster entry "${entry.id}"`, suggestPinyin(han)));
    }
  });
  return out;
}
