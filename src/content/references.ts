/**
 * Cross-collection references: campaign subjects and event concerns must name
 * people and campaigns that exist. Reported against the original file.
 */
import type { LanguageCode } from '../config/languages.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import {
  type CampaignFields,
  checkAdvocacyReferences,
  type EventFields,
  type PersonFields,
} from './collections/index.js';
import { type ContentSet, entryGroupKey } from './load-content.js';

/** Check references between advocacy entries of the default language. */
export function checkContentReferences(content: ContentSet, defaultLanguage: LanguageCode): Diagnostic[] {
  const originals = content.entries.filter((e) => e.lang === defaultLanguage);
  const pick = <T>(collection: string) =>
    new Map(originals.filter((e) => e.collection === collection).map((e) => [e.key, e.data as unknown as T]));
  const files = new Map(originals.map((e) => [entryGroupKey(e.collection, e.key), e.file]));
  return checkAdvocacyReferences(
    { people: pick<PersonFields>('people'), campaigns: pick<CampaignFields>('campaigns'), events: pick<EventFields>('events') },
    (collection, key) => ({ file: files.get(entryGroupKey(collection, key)) }),
  );
}
