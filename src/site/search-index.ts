/**
 * A small JSON search index per language (title, summary, tags, URL relative
 * to the index file). Consumed by tools and optional client-side search; the
 * site never requires it.
 */
import { relativeUrl } from '../content/urls.js';
import type { RenderedEntry } from '../render/render-content.js';

/** Render the search index for one language. */
export function renderSearchIndex(entries: RenderedEntry[], indexPath: string): string {
  const docs = [...entries]
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((r) => ({
      url: relativeUrl(indexPath, r.path),
      title: r.entry.data.title,
      summary: r.summary,
      tags: r.entry.data.tags,
      collection: r.entry.collection,
      ...(r.entry.data.date ? { date: r.entry.data.date } : {}),
    }));
  return `${JSON.stringify({ version: 1, docs })}\n`;
}
