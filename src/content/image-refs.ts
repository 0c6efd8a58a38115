/**
 * Every image the content refers to: covers, Markdown images, portraits and
 * event photos, as project-relative paths with the union of their blur regions.
 * The union matters for safety: if one page blurs a face, every use is blurred.
 */
import { posix } from 'node:path';
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
  /** Only referenced from Markdown bodies (render reports those with their line). */
  fromMarkdown: boolean;
}

const MARKDOWN_IMAGE = /!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/** Virtual path of a person's placeholder portrait. */
export function placeholderPortraitPath(key: string): string {
  return `placeholders/portrait-${key}.png`;
}

/** Collect image requests from all entries (derived entries share their source's images). */
export function collectImageRequests(content: ContentSet): ImageRequest[] {
  const out = new Map<string, ImageRequest>();
  const add = (file: string, src: string, blur: ImageRequest['blur'] = [], placeholderSeed?: string, fromMarkdown = false) => {
    if (!placeholderSeed && /^[a-z][a-z0-9+.-]*:|^\/\//i.test(src)) return; // external: reported by render
    const path = placeholderSeed ? src : posix.normalize(posix.join(posix.dirname(file), decodeURI(src.split(/[?#]/)[0]!)));
    const prev = out.get(path);
    if (prev) {
      prev.blur.push(...blur);
      prev.fromMarkdown &&= fromMarkdown;
    } else out.set(path, { path, blur: [...blur], file, fromMarkdown, ...(placeholderSeed ? { placeholderSeed } : {}) });
  };
  for (const e of content.entries) {
    if (e.derived) continue;
    const d = e.data as Record<string, unknown> & { cover?: { src: string; blur?: ImageRequest['blur'] } };
    if (d.cover) add(e.file, d.cover.src, d.cover.blur);
    const portrait = d.portrait as { src?: string; blur?: ImageRequest['blur']; placeholder?: boolean } | undefined;
    if (portrait?.src) add(e.file, portrait.src, portrait.blur);
    if (portrait?.placeholder) add(e.file, placeholderPortraitPath(e.key), [], e.key);
    const photos = d.photos as { src: string; blur?: ImageRequest['blur'] }[] | undefined;
    for (const p of photos ?? []) add(e.file, p.src, p.blur);
    for (const m of e.body.matchAll(MARKDOWN_IMAGE)) add(e.file, m[1]!, [], undefined, true);
  }
  return [...out.values()].sort((a, b) => a.path.localeCompare(b.path));
}
