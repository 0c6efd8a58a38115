/**
 * Atom and JSON Feed per language. Text is XML-escaped; entry content is the
 * already-sanitized HTML with `xml:base` set so relative links resolve.
 */
import type { ResolvedConfig } from '../config/resolve-config.js';
import type { LanguageCode } from '../config/languages.js';
import { absoluteUrl, relativeUrl } from '../content/urls.js';
import type { RenderedEntry } from '../render/render-content.js';

/** Escape text for XML content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    // Characters not allowed in XML 1.0.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

function toRfc3339(date: string): string {
  return /T/.test(date) ? new Date(date).toISOString().replace('.000Z', 'Z') : `${date}T00:00:00Z`;
}

interface FeedInput {
  config: ResolvedConfig;
  lang: LanguageCode;
  title: string;
  /** Output path of the language home page. */
  homePath: string;
  entries: RenderedEntry[];
  /** Where the feed files go. */
  atomPath: string;
  jsonPath: string;
}

function link(config: ResolvedConfig, feedPath: string, target: string): string {
  return config.baseUrl ? absoluteUrl(config.baseUrl, target) : relativeUrl(feedPath, target);
}

function entryId(config: ResolvedConfig, r: RenderedEntry): string {
  return config.baseUrl ? absoluteUrl(config.baseUrl, r.path) : `urn:stele:${config.siteId}:${r.entry.collection}:${r.entry.key}:${r.entry.lang}`;
}

/** Render an Atom feed (RFC 4287). */
export function renderAtomFeed(f: FeedInput): string {
  const updated = f.entries.reduce((m, r) => {
    const d = r.entry.data.updated ?? r.entry.data.date ?? '';
    return d > m ? d : m;
  }, '1970-01-01');
  const feedId = f.config.baseUrl ? absoluteUrl(f.config.baseUrl, f.atomPath) : `urn:stele:${f.config.siteId}:feed:${f.lang}`;
  const entries = f.entries.map((r) => {
    const href = link(f.config, f.atomPath, r.path);
    return `<entry>
<title>${escapeXml(r.entry.data.title)}</title>
<link rel="alternate" type="text/html" href="${escapeXml(href)}"/>
<id>${escapeXml(entryId(f.config, r))}</id>
<published>${toRfc3339(r.entry.data.date ?? updated)}</published>
<updated>${toRfc3339(r.entry.data.updated ?? r.entry.data.date ?? updated)}</updated>
${r.summary ? `<summary>${escapeXml(r.summary)}</summary>\n` : ''}${r.entry.data.tags.map((t) => `<category term="${escapeXml(t)}"/>`).join('')}
<content type="html" xml:base="${escapeXml(href)}">${escapeXml(r.html.value)}</content>
</entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${f.lang}">
<title>${escapeXml(f.title)}</title>
<id>${escapeXml(feedId)}</id>
<updated>${toRfc3339(updated)}</updated>
<link rel="self" type="application/atom+xml" href="${escapeXml(link(f.config, f.atomPath, f.atomPath))}"/>
<link rel="alternate" type="text/html" href="${escapeXml(link(f.config, f.atomPath, f.homePath))}"/>
<author><name>${escapeXml(f.title)}</name></author>
${entries.join('\n')}
</feed>
`;
}

/** Render a JSON Feed 1.1. */
export function renderJsonFeed(f: FeedInput): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: f.title,
    language: f.lang,
    home_page_url: link(f.config, f.jsonPath, f.homePath),
    feed_url: link(f.config, f.jsonPath, f.jsonPath),
    items: f.entries.map((r) => ({
      id: entryId(f.config, r),
      url: link(f.config, f.jsonPath, r.path),
      title: r.entry.data.title,
      content_html: r.html.value,
      ...(r.summary ? { summary: r.summary } : {}),
      ...(r.entry.data.date ? { date_published: toRfc3339(r.entry.data.date) } : {}),
      ...(r.entry.data.updated ? { date_modified: toRfc3339(r.entry.data.updated) } : {}),
      tags: r.entry.data.tags,
      language: r.entry.lang,
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
