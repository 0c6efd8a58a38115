/**
 * The collections stele knows: where their files live, their URL prefix and
 * their front-matter schema (shared base fields + the collection's own).
 */
import { z } from 'zod';
import { baseFields, isoDateSchema } from './base-schema.js';

/** Name of a content collection (= its folder under `content/`). */
export type CollectionName = 'posts' | 'pages' | 'campaigns' | 'people' | 'events';

export interface CollectionDefinition {
  name: CollectionName;
  /** URL folder; `''` puts pages at the language root. */
  urlPrefix: string;
  /** Full schema for an original file. */
  schema: z.ZodObject;
  /** Schema for a translation: every field optional but `title`; missing structured fields come from the original. */
  translationSchema: z.ZodObject;
  /** Whether entries appear in feeds, archives and tag pages. */
  chronological: boolean;
}

function defineCollection(
  name: CollectionName,
  urlPrefix: string,
  fields: z.ZodRawShape,
  chronological: boolean,
  requireDate: boolean,
): CollectionDefinition {
  const shape = { ...baseFields, ...(requireDate ? { date: isoDateSchema } : {}), ...fields };
  const schema = z.object(shape).strict();
  const translationSchema = schema.partial().required({ title: true }).strict();
  return { name, urlPrefix, schema, translationSchema, chronological };
}

/** Registry of collections, in the order their pages are built. */
export function createCollectionRegistry(extra: {
  campaigns?: z.ZodRawShape;
  people?: z.ZodRawShape;
  events?: z.ZodRawShape;
} = {}): Map<CollectionName, CollectionDefinition> {
  const list = [
    defineCollection('posts', 'posts', {}, true, true),
    defineCollection('pages', '', {}, false, false),
    defineCollection('campaigns', 'campaigns', extra.campaigns ?? {}, true, false),
    defineCollection('people', 'people', extra.people ?? {}, false, false),
    defineCollection('events', 'events', extra.events ?? {}, true, false),
  ];
  return new Map(list.map((c) => [c.name, c]));
}

/** Slugs a page may not take, because generated pages live there. */
export const RESERVED_SLUGS = new Set([
  'posts', 'tags', 'archive', 'campaigns', 'people', 'events', 'assets', 'verify', 'en', 'zh-hans', 'zh-hant',
  'feed', 'index', '404', 'sitemap', 'robots', 'well-known', '.well-known', 'search',
]);
