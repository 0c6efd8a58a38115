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
import { type CampaignFields, campaignFields } from './campaigns.js';
import { type EventFields, eventFields } from './events.js';
import { type PersonFields, personFields } from './people.js';

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
    campaign.subjects.forEach((subject, i) => {
      if (!entries.people.has(subject)) {
        out.push(createDiagnostic(CampaignSubjectUnknown, locate('campaigns', key, ['subjects', i]), subject, suggestName(subject, people)));
      }
    });
  }
  for (const [key, event] of entries.events) {
    event.concerns.people.forEach((p, i) => {
      if (!entries.people.has(p)) {
        out.push(createDiagnostic(EventReferenceUnknown, locate('events', key, ['concerns', 'people', i]), 'person', p, suggestName(p, people)));
      }
    });
    event.concerns.campaigns.forEach((c, i) => {
      if (!entries.campaigns.has(c)) {
        out.push(createDiagnostic(EventReferenceUnknown, locate('events', key, ['concerns', 'campaigns', i]), 'campaign', c, suggestName(c, campaigns)));
      }
    });
  }
  return out;
}
