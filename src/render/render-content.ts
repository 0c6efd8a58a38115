/**
 * Stage `render`: turn every entry's Markdown into sanitized HTML, resolving
 * links between content files and local images. Pure apart from the injected
 * image lookup; produces diagnostics for broken links and images.
 */
import { posix } from 'node:path';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { decodeReferencePath, isExternalReference, resolveContentFolder, resolveContentReference } from '../content/content-path.js';
import { createContentPathDiagnostic } from '../content/image-refs.js';
import { type ContentEntry, type ContentSet, entryGroupKey } from '../content/load-content.js';
import { entryPath, relativeUrl } from '../content/urls.js';
import { createDiagnostic } from '../errors/catalogue.js';
import { ContentBrokenLink, ContentExternalImage, ContentMalformedPath, ContentMissingAlt, ContentMissingImage } from '../errors/codes-core.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { hashKey, joinKey, type Memo } from '../io/memo.js';
import { createMarkdownRenderer, type Heading } from './markdown.js';
import type { SafeHtml } from './html.js';

/** Renders a processed local image as `<picture>` markup for a page; undefined when unknown. */
export type ImageResolver = (projectPath: string, alt: string, pagePath: string, loading: 'lazy' | 'eager') => string | undefined;

export interface RenderedEntry {
  entry: ContentEntry;
  /** Output path of the entry's page. */
  path: string;
  html: SafeHtml;
  headings: Heading[];
  /** Plain-text summary: front-matter `summary` or the first paragraph. */
  summary: string;
}

/** What the render memo keeps per entry. */
export interface RenderMemoValue {
  html: SafeHtml;
  headings: Heading[];
  diagnostics: Diagnostic[];
}

export interface RenderResult {
  rendered: Map<string, RenderedEntry>;
  diagnostics: Diagnostic[];
}

/** Options for `renderContent`. */
export interface RenderOptions {
  onProgress?: (done: number, total: number) => void;
  /** Results of earlier builds in this process (`stele dev`), valid for one site structure (`context`). */
  memo?: { table: Memo<RenderMemoValue>; context: string; bodyDigests?: Memo<string> };
  /** Memo keys already computed (`resolveRenderMemoKey`), by entry id. */
  memoKeys?: ReadonlyMap<string, string>;
  /** Render only these entries (a worker's share); links still resolve against all of `content`. */
  entries?: readonly ContentEntry[];
}

/** Render all entries. `resolveImage` comes from the assets stage. */
export function renderContent(config: ResolvedConfig, content: ContentSet, resolveImage: ImageResolver, options: RenderOptions = {}): RenderResult {
  const { onProgress, memo } = options;
  const md = createMarkdownRenderer();
  const diagnostics: Diagnostic[] = [];
  const rendered = new Map<string, RenderedEntry>();
  // Source file → entries (by language) for link resolution.
  const byFile = new Map<string, ContentEntry>();
  for (const e of content.entries) if (!e.derived) byFile.set(e.file, e);
  const knownFiles = new Set(content.files);
  const contentFolder = resolveContentFolder(config.root, config.contentDirAbs);

  const todo = options.entries ?? content.entries;
  for (const [index, entry] of todo.entries()) {
    if (onProgress && index % 100 === 0) onProgress(index, todo.length);
    const path = entryPath(entry, config.defaultLanguage);
    // Same body, place and site structure → same HTML (`stele dev` rebuilds).
    const key = memo ? (options.memoKeys?.get(entry.id) ?? resolveRenderMemoKey(memo.context, entry, memo.bodyDigests)) : '';
    const hit = memo?.table.get(key);
    if (hit) {
      if (!entry.derived) diagnostics.push(...hit.diagnostics);
      rendered.set(entry.id, { entry, path, html: hit.html, headings: hit.headings, summary: summarize(entry, hit.html.value) });
      continue;
    }
    const dir = posix.dirname(entry.file);
    const ctxDiagnostics: Diagnostic[] = [];
    const out = md.render(entry.body, {
      file: entry.file,
      bodyLine: entry.bodyLine,
      lang: entry.lang,
      diagnostics: ctxDiagnostics,
      resolveLink(href, line) {
        const [target, hash] = href.split('#');
        const decoded = decodeReferencePath(target!);
        if (decoded === undefined) {
          ctxDiagnostics.push(createDiagnostic(ContentMalformedPath, { file: entry.file, line }, href));
          return undefined;
        }
        const targetFile = posix.normalize(posix.join(dir, decoded));
        const found = byFile.get(targetFile);
        if (!found) {
          // A file that exists but has errors of its own is not reported again.
          if (!knownFiles.has(targetFile)) ctxDiagnostics.push(createDiagnostic(ContentBrokenLink, { file: entry.file, line }, href));
          return undefined;
        }
        // Prefer the page in the current language when it exists.
        const group = content.byKey.get(entryGroupKey(found.collection, found.key));
        const target2 = group?.get(entry.lang) ?? found;
        return relativeUrl(path, entryPath(target2, config.defaultLanguage)) + (hash ? `#${hash}` : '');
      },
      resolveImage(src, alt, line) {
        if (isExternalReference(src)) {
          ctxDiagnostics.push(createDiagnostic(ContentExternalImage, { file: entry.file, line }, src));
          return undefined;
        }
        if (!alt.trim()) {
          ctxDiagnostics.push(createDiagnostic(ContentMissingAlt, { file: entry.file, line }, src));
          return undefined;
        }
        const resolved = resolveContentReference(entry.file, src, contentFolder);
        if (!resolved.ok) {
          ctxDiagnostics.push(createContentPathDiagnostic(resolved.problem, src, { file: entry.file, line }));
          return undefined;
        }
        const projectPath = resolved.path;
        const markup = resolveImage(projectPath, alt, path, 'lazy');
        if (markup === undefined) ctxDiagnostics.push(createDiagnostic(ContentMissingImage, { file: entry.file, line }, src));
        return markup;
      },
    });
    // Derived (Traditional) entries repeat their source's problems; report once.
    if (!entry.derived) diagnostics.push(...ctxDiagnostics);
    memo?.table.set(key, { html: out.html, headings: out.headings, diagnostics: ctxDiagnostics });
    rendered.set(entry.id, { entry, path, html: out.html, headings: out.headings, summary: summarize(entry, out.html.value) });
  }
  return { rendered, diagnostics };
}

/**
 * The render memo's key for `entry`: same body, place and site structure
 * (`context`) → same HTML. `bodyDigests` (`stele dev`) keeps the digest of each
 * body text, so an unchanged body (the same string, kept with its file's
 * parse) is not hashed again on every rebuild.
 */
export function resolveRenderMemoKey(context: string, entry: ContentEntry, bodyDigests?: Memo<string>): string {
  let digest = bodyDigests?.get(entry.body);
  if (digest === undefined) {
    digest = hashKey(entry.body);
    bodyDigests?.set(entry.body, digest);
  }
  return joinKey(context, entry.file, entry.lang, String(entry.bodyLine), entry.derived ? 'd' : '', digest);
}

/** Front-matter summary, or the first paragraph's text (tags removed, entities decoded), up to 280 chars. */
export function summarize(entry: ContentEntry, htmlText: string): string {
  if (entry.data.summary) return entry.data.summary;
  const m = /<p>([\s\S]*?)<\/p>/.exec(htmlText);
  if (!m) return '';
  const text = m[1]!
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 280 ? `${text.slice(0, 279)}…` : text;
}
