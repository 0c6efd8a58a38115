/**
 * Tags and years: grouping chronological entries for archives and tag pages.
 */
import type { LanguageCode } from '../config/languages.js';
import { slugify } from '../content/names.js';
import type { RenderedEntry } from '../render/render-content.js';

/** A URL-safe slug for a tag in any script: Chinese tags become pinyin (`言论自由` → `yan-lun-zi-you`). */
export function slugifyTag(tag: string): string {
  let slug = TAG_SLUGS.get(tag);
  if (slug === undefined) {
    slug = slugify(tag) || `tag-${[...tag].map((c) => c.codePointAt(0)!.toString(16)).join('')}`.slice(0, 80);
    TAG_SLUGS.set(tag, slug);
  }
  return slug;
}

/** Tags repeat on every page that lists them; pinyin conversion is worth doing once per tag. */
const TAG_SLUGS = new Map<string, string>();

/** Sort newest first, by date then key (deterministic). */
export function sortByDateDesc(list: RenderedEntry[]): RenderedEntry[] {
  return [...list].sort(
    (a, b) => (b.entry.data.date ?? '').localeCompare(a.entry.data.date ?? '') || a.entry.key.localeCompare(b.entry.key),
  );
}

/** Group by tag slug → display name and entries. */
export function groupByTag(list: RenderedEntry[]): Map<string, { name: string; entries: RenderedEntry[] }> {
  const out = new Map<string, { name: string; entries: RenderedEntry[] }>();
  for (const r of sortByDateDesc(list)) {
    for (const tag of new Set(r.entry.data.tags)) {
      const slug = slugifyTag(tag);
      let g = out.get(slug);
      if (!g) {
        g = { name: tag, entries: [] };
        out.set(slug, g);
      }
      g.entries.push(r);
    }
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/** Group by year of `date` (entries without a date are left out). */
export function groupByYear(list: RenderedEntry[]): Map<string, RenderedEntry[]> {
  const out = new Map<string, RenderedEntry[]>();
  for (const r of sortByDateDesc(list)) {
    const year = r.entry.data.date?.slice(0, 4);
    if (!year) continue;
    let g = out.get(year);
    if (!g) {
      g = [];
      out.set(year, g);
    }
    g.push(r);
  }
  return out;
}

/** Entries of one language. */
export function entriesInLanguage(all: Iterable<RenderedEntry>, lang: LanguageCode): RenderedEntry[] {
  return [...all].filter((r) => r.entry.lang === lang);
}

/** Split `list` into pages of `size` entries; an empty list is one empty page. */
export function paginate<T>(list: readonly T[], size: number): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < list.length; i += size) pages.push(list.slice(i, i + size));
  return pages.length ? pages : [[]];
}

/** Number of pages `count` entries fill at `size` per page (at least one). */
export function countPages(count: number, size: number): number {
  return Math.max(1, Math.ceil(count / size));
}
