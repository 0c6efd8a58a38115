/**
 * Every image the content refers to: covers, Markdown images, portraits and
 * event photos, as project-relative paths with the union of their blur regions.
 * The union matters for safety: if one page blurs a face, every use is blurred.
 *
 * References must stay inside the content folder (`resolveContentReference`):
 * front-matter references that do not are reported here with their line;
 * Markdown images are reported by render, which knows which ones are real
 * images (not text in a code block).
 */
import { posix } from 'node:path';
import { createDiagnostic } from '../errors/catalogue.js';
import { ContentImageOutside, ContentMalformedPath } from '../errors/codes-core.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { type ContentPathProblem, isExternalReference, resolveContentReference } from './content-path.js';
import type { ContentSet } from './load-content.js';

/** A source image to process. */
export interface ImageRequest {
  /** Project-relative path of the source file; for placeholders a virtual path. */
  path: string;
  blur: { x: number; y: number; w: number; h: number }[];
  /** Generate a neutral placeholder portrait with this seed instead of reading a file. */
  placeholderSeed?: string;
  /** Where it was referenced first (for diagnostics). */
  file: string;
  /** Line of that first reference, when known. */
  line?: number;
  /** The reference as written there. */
  src: string;
  /** Only referenced from Markdown bodies (render reports those with their line). */
  fromMarkdown: boolean;
}

/** The image requests of a content set, and the references refused. */
export interface ImageRequests {
  requests: ImageRequest[];
  diagnostics: Diagnostic[];
}

const MARKDOWN_IMAGE = /!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/** Virtual path of a person's placeholder portrait. */
export function placeholderPortraitPath(key: string): string {
  return `placeholders/portrait-${key}.png`;
}

/** The diagnostic for a refused reference. */
export function createContentPathDiagnostic(problem: ContentPathProblem, src: string, location: { file: string; line?: number }): Diagnostic {
  if (problem === 'malformed') return createDiagnostic(ContentMalformedPath, location, src);
  return createDiagnostic(ContentImageOutside, location, src, problem === 'absolute' ? 'is an absolute path' : 'points outside the content folder');
}

/**
 * Collect image requests from all entries (derived entries share their
 * source's images). `contentFolder` is the project-relative content folder.
 */
export function collectImageRequests(content: ContentSet, contentFolder: string): ImageRequests {
  const out = new Map<string, ImageRequest>();
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const add = (file: string, src: string, line: number | undefined, blur: ImageRequest['blur'] = [], placeholderSeed?: string, fromMarkdown = false) => {
    let path = src;
    if (!placeholderSeed) {
      if (isExternalReference(src)) return; // external: reported by render
      const resolved = resolveContentReference(file, src, contentFolder);
      if (!resolved.ok) {
        // Translations inherit their original's front matter: report each reference once.
        const key = `${posix.dirname(file)}\u0000${src}`;
        if (!fromMarkdown && !reported.has(key)) {
          reported.add(key);
          diagnostics.push(createContentPathDiagnostic(resolved.problem, src, { file, ...(line ? { line } : {}) }));
        }
        return;
      }
      path = resolved.path;
    }
    const prev = out.get(path);
    if (prev) {
      prev.blur.push(...blur);
      prev.fromMarkdown &&= fromMarkdown;
    } else {
      out.set(path, { path, src, blur: [...blur], file, ...(line ? { line } : {}), fromMarkdown, ...(placeholderSeed ? { placeholderSeed } : {}) });
    }
  };
  for (const e of content.entries) {
    if (e.derived) continue;
    const lineOf = (src: string) => e.srcLines?.[src];
    const d = e.data as Record<string, unknown> & { cover?: { src: string; blur?: ImageRequest['blur'] } };
    if (d.cover) add(e.file, d.cover.src, lineOf(d.cover.src), d.cover.blur);
    const portrait = d.portrait as { src?: string; blur?: ImageRequest['blur']; placeholder?: boolean } | undefined;
    if (portrait?.src) add(e.file, portrait.src, lineOf(portrait.src), portrait.blur);
    if (portrait?.placeholder) add(e.file, placeholderPortraitPath(e.key), undefined, [], e.key);
    const photos = d.photos as { src: string; blur?: ImageRequest['blur'] }[] | undefined;
    for (const p of photos ?? []) add(e.file, p.src, lineOf(p.src), p.blur);
    let line = e.bodyLine;
    let counted = 0;
    for (const m of e.body.matchAll(MARKDOWN_IMAGE)) {
      line += countNewlines(e.body, counted, m.index);
      counted = m.index;
      // As markdown-it does: a `%` that starts no escape stands for itself.
      add(e.file, m[1]!.replace(/%(?![0-9a-fA-F]{2})/g, '%25'), line, [], undefined, true);
    }
  }
  return { requests: [...out.values()].sort((a, b) => a.path.localeCompare(b.path)), diagnostics };
}

function countNewlines(text: string, from: number, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
