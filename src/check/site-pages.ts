/**
 * The parsed pages of a built site, shared by the checks so each page is
 * scanned once.
 */
import { isHtmlPath } from '../harden/harden-site.js';
import { type ScannedHtml, scanHtml } from '../harden/html-scan.js';
import { createOffsetLocator } from '../harden/text-location.js';
import type { OutputFiles } from '../site/output.js';

/** One parsed page. */
export interface SitePage {
  path: string;
  scanned: ScannedHtml;
  /** 1-based line/column of an offset in the page. */
  locate(offset: number): { line: number; column: number };
  /** Where the author wrote the element starting at `offset`, when it came from content (see `SourceMarks`). */
  source?: (offset: number) => SourceLocation | undefined;
}

/** A place in a source file (project-relative). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** Per page: elements of author content (by offset of their `<` in the page) and where the author wrote them. */
export type SourceMarks = ReadonlyMap<string, readonly ({ offset: number } & SourceLocation)[]>;

/** The source locator of one page, or undefined when the page has no marks. */
export function createSourceLocator(marks: SourceMarks | undefined, path: string): ((offset: number) => SourceLocation | undefined) | undefined {
  const list = marks?.get(path);
  if (!list?.length) return undefined;
  // Made when first asked (a page's problems are few; most pages have none).
  let byOffset: Map<number, SourceLocation> | undefined;
  return (offset) => {
    byOffset ??= new Map(list.map((m) => [m.offset, { file: m.file, line: m.line, column: m.column }]));
    return byOffset.get(offset);
  };
}

/** Paths of the files parsed as pages: HTML, and SVG (as XML), in path order. */
export function listPagePaths(output: OutputFiles): string[] {
  return [...output.keys()].filter((path) => isHtmlPath(path) || /\.svg$/i.test(path)).sort();
}

/** Parse one page of the output. Locations are computed on demand, from the bytes. */
export function createSitePage(output: OutputFiles, path: string, marks?: SourceMarks): SitePage {
  const text = new TextDecoder().decode(output.get(path)!);
  const source = createSourceLocator(marks, path);
  return { path, scanned: scanHtml(text, { xml: /\.svg$/i.test(path) }), locate: createPageLocator(output, path), ...(source ? { source } : {}) };
}

/** A line/column locator for a page that decodes it only when first asked. */
export function createPageLocator(output: OutputFiles, path: string): (offset: number) => { line: number; column: number } {
  let locator: ((offset: number) => { line: number; column: number }) | undefined;
  return (offset) => {
    locator ??= createOffsetLocator(new TextDecoder().decode(output.get(path)!));
    return locator(offset);
  };
}

/** Parse every HTML page (and SVG, as XML) of the output, in path order. */
export function createSitePages(output: OutputFiles): SitePage[] {
  return listPagePaths(output).map((path) => createSitePage(output, path));
}
