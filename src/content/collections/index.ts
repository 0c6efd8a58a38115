/**
 * The advocacy collections (people, campaigns, events): field shapes for the
 * collection registry, per-entry checks and cross-collection reference checks.
 *
 * Wiring: `createCollectionRegistry(advocacyCollectionFields)`; after
 * validation call `checkPerson` / `checkCampaign` / `checkEvent` on each
 * original-language entry and `checkAdvocacyReferences` once per site.
 */
import { createDiagnostic, type Location } from '../../errors/catalogue.js';
import { CampaignSubjectUnknown, EventReferenceUnknown } from '../../errors/codes-advocacy.js';
import type { Diagnostic } from '../../errors/diagnostic.js';
import { suggestName } from '../../errors/zod-issues.js';
import { type CampaignFields, campaignFields, checkCampaign } from './campaigns.js';
import { checkEvent, type EventFields, eventFields } from './events.js';
import { checkPerson, type FieldLocator, type PersonFields, personFields } from './people.js';

export * from './campaigns.js';
export * from './events.js';
export * from './localized.js';
export * from './people.js';

/** Field shapes for `createCollectionRegistry`. */
export const advocacyCollectionFields = {
  campaigns: campaignFields,
  people: personFields,
  events: eventFields,
};

/** Validated original-language entries by key (file name without the language suffix). */
export interface AdvocacyEntries {
  people: ReadonlyMap<string, PersonFields>;
  campaigns: ReadonlyMap<string, CampaignFields>;
  events: ReadonlyMap<string, EventFields>;
}

/** Locates a field of one entry; defaults to no location. */
export type EntryLocator = (collection: 'people' | 'campaigns' | 'events', key: string, path: readonly PropertyKey[]) => Location;

/** Check that campaign subjects and event concerns name existing people and campaigns. */
export function checkAdvocacyReferences(entries: AdvocacyEntries, locate: EntryLocator = () => ({})): Diagnostic[] {
  const out: Diagnostic[] = [];
  const people = [...entries.people.keys()];
  const campaigns = [...entries.campaigns.keys()];
  for (const [key, campaign] of entries.campaigns) {
    (campaign.subjects ?? []).forEach((subject, i) => {
      if (!entries.people.has(subject)) {
        out.push(createDiagnostic(CampaignSubjectUnknown, locate('campaigns', key, ['subjects', i]), subject, suggestName(subject, people)));
      }
    });
  }
  for (const [key, event] of entries.events) {
    (event.concerns?.people ?? []).forEach((p, i) => {
      if (!entries.people.has(p)) {
        out.push(createDiagnostic(EventReferenceUnknown, locate('events', key, ['concerns', 'people', i]), 'person', p, suggestName(p, people)));
      }
    });
    (event.concerns?.campaigns ?? []).forEach((c, i) => {
      if (!entries.campaigns.has(c)) {
        out.push(createDiagnostic(EventReferenceUnknown, locate('events', key, ['concerns', 'campaigns', i]), 'campaign', c, suggestName(c, campaigns)));
      }
    });
  }
  return out;
}

/** The slice of a loaded content entry that {@link validateAdvocacyEntry} needs. */
export interface AdvocacyEntryLike {
  collection: string;
  data: Record<string, unknown>;
  /** The entry's language; when given, only entries in the original language are checked. */
  lang?: string;
  derived?: boolean;
}

/**
 * Per-entry cross-field checks for the loader's `validateEntry` hook.
 * Structured fields live in the original-language file (`en` by default), so
 * only entries in that language are checked: translations (which may carry
 * the original's fields after merging) and derived zh-Hant entries are
 * skipped, and every problem is reported once, against the file that holds
 * the field.
 */
export function validateAdvocacyEntry(
  entry: AdvocacyEntryLike,
  locate: FieldLocator = () => ({}),
  options: { originalLang?: string } = {},
): Diagnostic[] {
  if (entry.derived) return [];
  if (entry.lang !== undefined && entry.lang !== (options.originalLang ?? 'en')) return [];
  const d = entry.data;
  switch (entry.collection) {
    case 'people':
      return d.names !== undefined && d.status !== undefined ? checkPerson(d as unknown as PersonFields, locate) : [];
    case 'campaigns':
      return d.goal !== undefined && d.status !== undefined ? checkCampaign(d as unknown as CampaignFields, locate) : [];
    case 'events':
      return d.kind !== undefined && d.start !== undefined ? checkEvent(d as unknown as EventFields, locate) : [];
    default:
      return [];
  }
}
