/**
 * A render worker (see `render-parallel.ts`): renders its share of the entries
 * with `renderContent` and posts the results back. Runs only from dist/.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LanguageCode } from '../config/languages.js';
import { type ContentEntry, type ContentSet, entryGroupKey } from '../content/load-content.js';
import { renderPicture } from './picture.js';
import type { RenderJob, RenderJobResult } from './render-parallel.js';
import { renderContent } from './render-content.js';

const job = workerData as RenderJob;
const byKey = new Map<string, Map<LanguageCode, ContentEntry>>();
for (const e of job.entries) {
  const k = entryGroupKey(e.collection, e.key);
  let group = byKey.get(k);
  if (!group) {
    group = new Map();
    byKey.set(k, group);
  }
  group.set(e.lang, e);
}
const content: ContentSet = { entries: job.entries, byKey, assets: [], files: job.files, diagnostics: [] };
const images = new Map(job.images);
const wanted = new Set(job.ids);
const mine = job.entries.filter((e) => wanted.has(e.id));
const out = renderContent(
  job.config,
  content,
  (projectPath, alt, pagePath, loading) => {
    const r = images.get(projectPath);
    return r?.files.length ? renderPicture(r, { alt, pagePath, loading }) : undefined;
  },
  { entries: mine },
);
const results: RenderJobResult['results'] = mine.map((entry) => {
  const r = out.rendered.get(entry.id)!;
  return { id: entry.id, html: r.html.value, marks: r.html.marks ?? [], headings: r.headings, summary: r.summary };
});
parentPort!.postMessage({ results, diagnostics: out.diagnostics } satisfies RenderJobResult);
