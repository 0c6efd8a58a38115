/**
 * The `people` collection: records of detained, imprisoned, disappeared or
 * harassed people. Fields follow the established political-prisoner
 * databases (the CECC Political Prisoner Database: names in both scripts,
 * sex, ethnic group, religion, occupation, detention status, place of
 * detention, charges, court, sentence, dates of detention and release;
 * Dui Hua's Political Prisoners Database, which records the same facts with
 * a legal-process timeline). Dates are EDTF so vague sources stay vague.
 *
 * Structured fields live in the original-language (`en`) file; translations
 * carry title/summary/body and may override localized strings.
 */
import { z } from 'zod';
import { blurRegionSchema } from '../base-schema.js';
import { createDiagnostic, type Location } from '../../errors/catalogue.js';
import {
  NameLatinMissing,
  PersonDatesInconsistent,
  PersonNameMissing,
  PersonReleaseDateMissing,
  PersonSentenceEmpty,
  PersonSentenceUndated,
  PersonSourceDuplicate,
  PersonSourceUnknown,
  PersonStatusUnsupported,
} from '../../errors/codes-advocacy.js';
import type { Diagnostic } from '../../errors/diagnostic.js';
import { suggestPinyin } from '../chinese.js';
import { isoDaySchema } from '../consent.js';
import { type EdtfInput, edtfInputSchema, formatEdtf, resolveEdtf } from '../edtf.js';
import { localizedStringSchema } from './localized.js';

/** Where a person is now, as far as the record knows. */
export const PERSON_STATUSES = [
  'detained', 'arrested', 'imprisoned', 'disappeared', 'house-arrest', 'released', 'exiled', 'deceased', 'unknown',
] as const;
/** A person's status. */
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** Kinds of timeline events (the legal process and what happened around it). */
export const TIMELINE_EVENTS = [
  'detained', 'arrested', 'charged', 'indicted', 'tried', 'sentenced', 'appealed', 'appeal-rejected', 'released',
  'house-arrest', 'disappeared', 'exiled', 'died', 'other',
] as const;
/** A timeline event kind. */
export type TimelineEventKind = (typeof TIMELINE_EVENTS)[number];

/** Statuses in which a person is held (time served is counted). */
export const HELD_STATUSES: ReadonlySet<PersonStatus> = new Set(['detained', 'arrested', 'imprisoned', 'disappeared', 'house-arrest']);

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** Names in each script; at least one. */
export const personNamesSchema = z
  .strictObject({ en: nonEmpty.optional(), 'zh-Hans': nonEmpty.optional(), 'zh-Hant': nonEmpty.optional() })
  .refine((n) => n.en !== undefined || n['zh-Hans'] !== undefined || n['zh-Hant'] !== undefined, {
    message: 'give the name in at least one script: { en: "Zhu Yufu", zh-Hans: "朱虞夫" }',
  });

/** Alt text: one string, or per language. */
export const altTextSchema = z.union([nonEmpty, localizedStringSchema]);

const httpUrl = z
  .string()
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

/** A cited source. */
export const personSourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a short id of lowercase letters, digits, dots, hyphens'),
  title: nonEmpty,
  url: httpUrl,
  publisher: nonEmpty,
  /** When the citing editor last read it. */
  accessed: isoDaySchema,
  /** An archived copy (e.g. the Wayback Machine), in case the original is taken down. */
  archived: httpUrl.optional(),
});

/** One entry of the legal-process timeline. */
export const timelineEntrySchema = z.strictObject({
  date: edtfInputSchema,
  event: z.enum(TIMELINE_EVENTS),
  note: localizedStringSchema.optional(),
  court: localizedStringSchema.optional(),
  sources: z.array(z.string()).default([]),
});

/** A charge, with the article of law when known. */
export const chargeSchema = z.strictObject({
  name: localizedStringSchema,
  law: z.string().trim().min(1).optional(),
});

/** A sentence length. All parts are non-negative whole numbers. */
export const sentenceSchema = z.strictObject({
  years: z.number().int().min(0, 'must not be negative').default(0),
  months: z.number().int().min(0, 'must not be negative').default(0),
  days: z.number().int().min(0, 'must not be negative').default(0),
  /** Life imprisonment or death sentence, where years mean nothing. */
  life: z.boolean().optional(),
});

/** A portrait: a real image, or a neutral placeholder the theme generates. */
export const portraitSchema = z.union([
  z.strictObject({ src: nonEmpty, alt: altTextSchema, blur: z.array(blurRegionSchema).optional() }),
  z.strictObject({ placeholder: z.literal(true), alt: altTextSchema }),
]);

/** Front-matter fields of a person (merge into the base schema). */
export const personFields = {
  names: personNamesSchema,
  gender: z.enum(['female', 'male', 'other', 'unknown']).optional(),
  born: edtfInputSchema.optional(),
  occupation: localizedStringSchema.optional(),
  /** Home town or place of residence. */
  place: localizedStringSchema.optional(),
  ethnicity: localizedStringSchema.optional(),
  religion: localizedStringSchema.optional(),
  status: z.enum(PERSON_STATUSES),
  /** ISO date the status was last confirmed by a source. */
  statusAsOf: isoDaySchema.optional(),
  /** Where the person is held (prison, detention centre), when known. */
  placeOfDetention: localizedStringSchema.optional(),
  timeline: z.array(timelineEntrySchema).optional(),
  charges: z.array(chargeSchema).optional(),
  court: localizedStringSchema.optional(),
  sentence: sentenceSchema.optional(),
  sentenceStart: edtfInputSchema.optional(),
  expectedRelease: edtfInputSchema.optional(),
  actualRelease: edtfInputSchema.optional(),
  sources: z.array(personSourceSchema).optional(),
  portrait: portraitSchema.optional(),
  /** Record numbers in other databases, for cross-reference. */
  externalIds: z.strictObject({ cecc: z.string().optional(), duiHua: z.string().optional() }).optional(),
};

/** Person fields as validated (structured part only). */
export type PersonFields = z.output<z.ZodObject<typeof personFields>>;
/** A person's fields as written in front matter. */
export type PersonFieldsInput = z.input<z.ZodObject<typeof personFields>>;
/** One timeline entry. */
export type TimelineEntry = z.output<typeof timelineEntrySchema>;
/** One cited source. */
export type PersonSource = z.output<typeof personSourceSchema>;
/** A sentence length. */
export type Sentence = z.output<typeof sentenceSchema>;
/** A portrait reference. */
export type Portrait = z.output<typeof portraitSchema>;

/** Zod object of the person fields alone (non-strict; the lead's registry makes the merged schema strict). */
export const personFieldsSchema = z.object(personFields);

/** Locates a path inside the front matter (line/column); defaults to the file only. */
export type FieldLocator = (path: readonly PropertyKey[]) => Location;

function edtfText(input: EdtfInput | undefined): string {
  return input === undefined ? '' : formatEdtf(resolveEdtf(input), 'en');
}

/**
 * Cross-field checks on a validated person: timeline source ids exist,
 * source ids unique, sentence not empty, release status backed by a date,
 * dates in order, status backed by the timeline, Latin name present.
 */
export function checkPerson(person: PersonFields, locate: FieldLocator = () => ({})): Diagnostic[] {
  const out: Diagnostic[] = [];
  const sources = person.sources ?? [];
  const timeline = person.timeline ?? [];
  const ids = new Set<string>();
  sources.forEach((s, i) => {
    if (ids.has(s.id)) out.push(createDiagnostic(PersonSourceDuplicate, locate(['sources', i, 'id']), s.id));
    ids.add(s.id);
  });
  const known = [...ids].join(', ');
  timeline.forEach((entry, i) => {
    entry.sources.forEach((id, j) => {
      if (!ids.has(id)) {
        out.push(createDiagnostic(PersonSourceUnknown, locate(['timeline', i, 'sources', j]), `Timeline entry ${i + 1} (${entry.event})`, id, known));
      }
    });
  });
  const s = person.sentence;
  if (s && !s.life && s.years === 0 && s.months === 0 && s.days === 0) out.push(createDiagnostic(PersonSentenceEmpty, locate(['sentence'])));
  const events = new Set(timeline.map((t) => t.event));
  if (person.status === 'released' && person.actualRelease === undefined && !events.has('released')) {
    out.push(createDiagnostic(PersonReleaseDateMissing, locate(['status'])));
  }
  const backing: Partial<Record<PersonStatus, TimelineEventKind>> = {
    deceased: 'died',
    'house-arrest': 'house-arrest',
    disappeared: 'disappeared',
    exiled: 'exiled',
  };
  const needed = backing[person.status];
  if (needed && !events.has(needed)) out.push(createDiagnostic(PersonStatusUnsupported, locate(['status']), person.status, needed));
  if (s && person.sentenceStart === undefined && !events.has('sentenced')) out.push(createDiagnostic(PersonSentenceUndated, locate(['sentence'])));

  // Dates that must not precede each other (compare latest possible of the earlier with earliest of the later).
  const start = person.sentenceStart === undefined ? undefined : resolveEdtf(person.sentenceStart);
  const pairs: [string, EdtfInput | undefined][] = [
    ['expectedRelease', person.expectedRelease],
    ['actualRelease', person.actualRelease],
  ];
  for (const [field, value] of pairs) {
    if (value === undefined || !start) continue;
    const v = resolveEdtf(value);
    if (v.latest && start.earliest && v.latest < start.earliest) {
      out.push(
        createDiagnostic(PersonDatesInconsistent, locate([field]), `${field} (${edtfText(value)})`, `sentenceStart (${edtfText(person.sentenceStart)})`),
      );
    }
  }
  if (person.born !== undefined) {
    const born = resolveEdtf(person.born);
    timeline.forEach((entry, i) => {
      const d = resolveEdtf(entry.date);
      if (d.latest && born.earliest && d.latest < born.earliest) {
        out.push(
          createDiagnostic(PersonDatesInconsistent, locate(['timeline', i, 'date']), `Timeline entry ${i + 1} (${edtfText(entry.date)})`, `born (${edtfText(person.born)})`),
        );
      }
    });
  }
  const han = person.names['zh-Hans'] ?? person.names['zh-Hant'];
  if (!person.names.en && han) out.push(createDiagnostic(NameLatinMissing, locate(['names']), 'This person', suggestPinyin(han)));
  if (!person.names.en && !han) out.push(createDiagnostic(PersonNameMissing, locate(['names'])));
  return out;
}
