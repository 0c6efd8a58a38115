/**
 * Broken internal links and anchors: every relative URL in a page must name
 * a file of the site (not a folder: pages must work from file://), and every
 * `#fragment` an id in the target page. 404 pages are the one exception to
 * "relative only": servers answer any missing address with them, so they link
 * root-relative under the site's path (`not-found-page.ts`), and their links
 * are resolved from that path.
 */
import { createDiagnostic } from '../errors/catalogue.js';
import {
  CHECK_ANCHOR_MISSING,
  CHECK_LINK_BROKEN,
  CHECK_LINK_ESCAPES_ROOT,
  CHECK_LINK_FOLDER,
  CHECK_LINK_FOLDER_NO_SLASH,
  CHECK_LINK_ROOT_RELATIVE,
} from '../errors/codes-harden.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { isHtmlPath } from '../harden/harden-site.js';
import { isNotFoundPagePath, resolveNotFoundLinkRoot } from '../harden/not-found-page.js';
import type { ScannedAttribute } from '../harden/html-scan.js';
import { type ClassifiedUrl, classifyUrl, parseSrcset } from '../harden/site-url.js';
import type { OutputFiles } from '../site/output.js';
import type { SitePage, SourceLocation } from './site-pages.js';

/** Attributes holding one URL, by element ('*' = any element). */
const URL_ATTRIBUTES: Record<string, string[]> = {
  a: ['href'],
  area: ['href'],
  link: ['href'],
  img: ['src'],
  script: ['src'],
  iframe: ['src'],
  frame: ['src'],
  source: ['src'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  embed: ['src'],
  object: ['data'],
  input: ['src'],
  form: ['action'],
  image: ['href', 'xlink:href'],
  use: ['href', 'xlink:href'],
};
const SRCSET_ATTRIBUTES = ['srcset', 'imagesrcset'];

/** Every URL in a page: attribute, raw URL. */
export function collectPageUrls(page: SitePage): { element: string; elementStart: number; attribute: ScannedAttribute; url: string }[] {
  const out: { element: string; elementStart: number; attribute: ScannedAttribute; url: string }[] = [];
  for (const element of page.scanned.elements) {
    const names = URL_ATTRIBUTES[element.name] ?? [];
    for (const attribute of element.attributes) {
      if (names.includes(attribute.name)) out.push({ element: element.name, elementStart: element.start, attribute, url: attribute.value });
      if (SRCSET_ATTRIBUTES.includes(attribute.name)) {
        for (const url of parseSrcset(attribute.value)) out.push({ element: element.name, elementStart: element.start, attribute, url });
      }
    }
  }
  return out;
}

/** What the link check keeps of a page once it is parsed: its ids and its URLs. */
export interface PageLinks {
  path: string;
  ids: Set<string>;
  /**
   * Each URL, the offset of its attribute and of its element, and what it
   * points at (`classifyUrl` against this page's path, filled in when first
   * checked and kept with the page's memoised link data).
   */
  urls: { url: string; start: number; element: number; target?: ClassifiedUrl }[];
  /** 1-based line/column of an offset in the page (only called to report a problem). */
  locate(offset: number): { line: number; column: number };
  /** Where the author wrote an element of content, by its offset (see `SitePage.source`). */
  source?: (offset: number) => SourceLocation | undefined;
}

/**
 * Extract the link data of a parsed page, so the parse tree can be dropped.
 * The ids and URLs are copied out of the page's text: the parser's values are
 * slices of it, and V8 keeps the whole decoded page alive for as long as one
 * slice lives (for a site's link data, several times the size of its HTML).
 * With `strings` (one table for the pages of a check), a text already copied
 * for another page is shared: most URLs (navigation, footer, tags) are the same
 * on every page at the same depth, and a site's link data is kept whole until
 * the site-wide link check.
 */
export function collectPageLinks(page: SitePage, strings?: Map<string, string>): PageLinks {
  const copy = strings ? (text: string) => internString(text, strings) : copyString;
  const ids = new Set<string>();
  for (const e of page.scanned.elements) {
    for (const a of e.attributes) {
      if (a.name === 'id' || (a.name === 'name' && e.name === 'a')) ids.add(copy(a.value));
    }
  }
  return {
    path: page.path,
    ids,
    urls: collectPageUrls(page).map((u) => ({ url: copy(u.url), start: u.attribute.start, element: u.elementStart })),
    locate: page.locate,
    ...(page.source ? { source: page.source } : {}),
  };
}

/**
 * A string that holds its own characters rather than a slice of a larger one.
 * V8 copies slices shorter than 13 characters; a longer one is joined to a
 * character (one new flat string) and sliced again, which refers only to that copy.
 */
function copyString(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

/** `text`, copied the first time `strings` sees it and shared after that. */
function internString(text: string, strings: Map<string, string>): string {
  let kept = strings.get(text);
  if (kept === undefined) {
    kept = copyString(text);
    strings.set(kept, kept);
  }
  return kept;
}

/** Check internal links and anchors. */
export function checkLinks(output: OutputFiles, pages: readonly SitePage[]): Diagnostic[] {
  const strings = new Map<string, string>();
  return checkPageLinks(output, pages.map((page) => collectPageLinks(page, strings)));
}

/** Check internal links and anchors from extracted link data (see `collectPageLinks`). */
export function checkPageLinks(output: OutputFiles, pages: readonly PageLinks[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const ids = new Map(pages.map((p) => [p.path, p.ids]));
  const linkRoot = pages.some((p) => isNotFoundPagePath(p.path)) ? resolveNotFoundLinkRoot(output) : undefined;
  for (const page of pages) {
    // A 404 page's `/campaign/about/index.html` is checked as `about/index.html`, from the site root.
    const fromRoot = linkRoot !== undefined && isNotFoundPagePath(page.path);
    for (const u of page.urls) {
      const { url: written, start, element } = u;
      const url = fromRoot && written.startsWith(linkRoot) ? `./${written.slice(linkRoot.length)}` : written;
      // Classified once per page and URL: the target is kept with the page's memoised link data.
      if (!(fromRoot && url !== written)) u.target ??= classifyUrl(page.path, url);
      const target = fromRoot && url !== written ? classifyUrl('index.html', url) : u.target!;
      if (target.kind === 'external' || target.kind === 'scheme') continue;
      // Located only when reported: most links are fine, and locating costs a scan of the line.
      // A link the author wrote is reported where it was written.
      const at = () => page.source?.(element) ?? { file: page.path, ...page.locate(start) };
      let targetPath = page.path;
      let fragment: string | undefined;
      if (target.kind === 'fragment') {
        fragment = target.fragment;
      } else {
        if (target.rootRelative) {
          diagnostics.push(createDiagnostic(CHECK_LINK_ROOT_RELATIVE, at(), written));
          continue;
        }
        if (target.escapesRoot) {
          diagnostics.push(createDiagnostic(CHECK_LINK_ESCAPES_ROOT, at(), written));
          continue;
        }
        targetPath = target.path;
        fragment = target.fragment;
        // Every internal URL names a file: `posts/` works on a web server but not from file://.
        if (target.folder && output.has(targetPath)) diagnostics.push(createDiagnostic(CHECK_LINK_FOLDER, at(), written));
        if (!output.has(targetPath)) {
          if (!target.folder && output.has(`${targetPath}/index.html`)) {
            diagnostics.push(createDiagnostic(CHECK_LINK_FOLDER_NO_SLASH, at(), written));
            targetPath = `${targetPath}/index.html`;
          } else {
            diagnostics.push(createDiagnostic(CHECK_LINK_BROKEN, at(), written, targetPath));
            continue;
          }
        }
      }
      if (!fragment || fragment === 'top' || !isHtmlPath(targetPath)) continue;
      if (!ids.get(targetPath)?.has(fragment)) {
        diagnostics.push(createDiagnostic(CHECK_ANCHOR_MISSING, at(), written, fragment, targetPath));
      }
    }
  }
  return diagnostics;
}
