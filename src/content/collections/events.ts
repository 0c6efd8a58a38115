/**
 * The `events` collection: rallies, vigils, hearings, statements. An event
 * may carry a roster of participants whose names are published only as
 * their recorded consent allows (see `../consent.ts`).
 *
 * `start` is either a full ISO date-time WITH a UTC offset
 * (`2012-02-14T10:00:00+08:00`) or an EDTF date (`2012-02-14`, `2012-02`).
 * A time without an offset is refused: readers in other zones would see the
 * wrong time. `timeZone` (IANA) is optional: leave it out when the place is
 * not known rather than guessing.
 */
import { z } from 'zod';
import { blurRegionSchema } from '../base-schema.js';
import { createDiagnostic } from '../../errors/catalogue.js';
import { EventTimeWithoutOffset, EventTimeZoneInvalid, PersonDatesInconsistent } from '../../errors/codes-advocacy.js';
import type { Diagnostic } from '../../errors/diagnostic.js';
import { checkRoster, rosterSchema } from '../consent.js';
import { type EdtfValue, formatEdtf, parseEdtf } from '../edtf.js';
import { localizedStringSchema } from './localized.js';
import { altTextSchema, type FieldLocator } from './people.js';

/** Kinds of events. */
export const EVENT_KINDS = ['rally', 'vigil', 'hearing', 'statement', 'other'] as const;
/** An event kind. */
export type EventKind = (typeof EVENT_KINDS)[number];

const DATE_TIME_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_TIME_NO_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An event time: an instant with offset, or an EDTF date. */
export type EventTime = { kind: 'instant'; iso: string; instant: Date } | { kind: 'date'; value: EdtfValue };

/** Resolve a validated `start`/`end` value. Throws (a bug) on unvalidated input. */
export function resolveEventTime(input: string | number): EventTime {
  if (typeof input === 'string' && DATE_TIME_OFFSET.test(input)) return { kind: 'instant', iso: input, instant: new Date(input) };
  const r = parseEdtf(input);
  if (!r.ok) throw new Error(`resolveEventTime: unvalidated event time: ${r.diagnostic.message}`);
  return { kind: 'date', value: r.value };
}

/** Zod schema for an event `start`/`end`. */
export const eventTimeSchema = z.union([z.string(), z.number().int()]).superRefine((input, ctx) => {
  if (typeof input === 'string' && DATE_TIME_OFFSET.test(input)) {
    if (Number.isNaN(Date.parse(input))) ctx.addIssue({ code: 'custom', message: `"${input}" is not a real date and time` });
    return;
  }
  if (typeof input === 'string' && DATE_TIME_NO_OFFSET.test(input)) {
    const d = createDiagnostic(EventTimeWithoutOffset, {}, input);
    ctx.addIssue({ code: 'custom', message: `${d.message} ${d.hint ?? ''}`.trim() });
    return;
  }
  const r = parseEdtf(input);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: `${r.diagnostic.message} ${r.diagnostic.hint ?? ''}`.trim() });
});

/** Where an event happened. Only `name` is required: record what the sources say, no more. */
export const eventPlaceSchema = z.strictObject({
  name: localizedStringSchema,
  address: localizedStringSchema.optional(),
  city: localizedStringSchema.optional(),
  country: localizedStringSchema.optional(),
  geo: z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
});

/** A photo of the event. */
export const eventPhotoSchema = z.strictObject({
  src: z.string().trim().min(1),
  alt: altTextSchema,
  blur: z.array(blurRegionSchema).optional(),
});

/** Front-matter fields of an event (merge into the base schema). */
export const eventFields = {
  kind: z.enum(EVENT_KINDS),
  start: eventTimeSchema,
  end: eventTimeSchema.optional(),
  timeZone: z
    .string()
    .superRefine((zone, ctx) => {
      if (!isValidTimeZone(zone)) {
        const d = createDiagnostic(EventTimeZoneInvalid, {}, zone);
        ctx.addIssue({ code: 'custom', message: `${d.message} ${d.hint ?? ''}`.trim() });
      }
    })
    .optional(),
  place: eventPlaceSchema,
  concerns: z
    .strictObject({
      people: z.array(z.string()).default([]),
      campaigns: z.array(z.string()).default([]),
    })
    .optional(),
  organizer: localizedStringSchema.optional(),
  photos: z.array(eventPhotoSchema).optional(),
  roster: rosterSchema.optional(),
};

/** Event fields as validated. */
export type EventFields = z.output<z.ZodObject<typeof eventFields>>;
/** Event fields as written. */
export type EventFieldsInput = z.input<z.ZodObject<typeof eventFields>>;

/** Zod object of the event fields alone (non-strict). */
export const eventFieldsSchema = z.object(eventFields);

function timeBounds(t: EventTime): { earliest: number; latest: number } {
  if (t.kind === 'instant') return { earliest: t.instant.getTime(), latest: t.instant.getTime() };
  return {
    earliest: t.value.earliest?.getTime() ?? Number.NEGATIVE_INFINITY,
    latest: (t.value.latest?.getTime() ?? Number.POSITIVE_INFINITY) + 86_399_999,
  };
}

function describe(t: EventTime): string {
  return t.kind === 'instant' ? t.iso : formatEdtf(t.value, 'en');
}

/** Cross-field checks on an event: end not before start, and the roster (consent, ids, pseudonyms). */
export function checkEvent(event: EventFields, locate: FieldLocator = () => ({})): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (event.end !== undefined) {
    const start = resolveEventTime(event.start);
    const end = resolveEventTime(event.end);
    if (timeBounds(end).latest < timeBounds(start).earliest) {
      out.push(createDiagnostic(PersonDatesInconsistent, locate(['end']), `end (${describe(end)})`, `start (${describe(start)})`));
    }
  }
  out.push(...checkRoster(event.roster ?? [], (path) => locate(['roster', ...path])));
  return out;
}
