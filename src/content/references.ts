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
import { type ContentEntry, type ContentSet, entryGroupKey, resolveGroupOriginal } from './load-content.js';

/** Check references between advocacy entries, as written in their originals. */
export function checkContentReferences(content: ContentSet, languages: readonly LanguageCode[], defaultLanguage: LanguageCode): Diagnostic[] {
  const originals = listOriginals(content, languages, defaultLanguage);
  const pick = <T>(collection: string) =>
    new Map(originals.filter((e) => e.collection === collection).map((e) => [e.key, e.data as unknown as T]));
  const files = new Map(originals.map((e) => [entryGroupKey(e.collection, e.key), e.file]));
  return checkAdvocacyReferences(
    { people: pick<PersonFields>('people'), campaigns: pick<CampaignFields>('campaigns'), events: pick<EventFields>('events') },
    (collection, key) => ({ file: files.get(entryGroupKey(collection, key)) }),
  );
}

/** The original entry of every translation group (see `resolveGroupOriginal`). */
export function listOriginals(content: ContentSet, languages: readonly LanguageCode[], defaultLanguage: LanguageCode): ContentEntry[] {
  const out: ContentEntry[] = [];
  for (const group of content.byKey.values()) {
    const e = resolveGroupOriginal(group, languages, defaultLanguage);
    if (e) out.push(e);
  }
  return out;
}
