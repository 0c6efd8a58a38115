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
}

/** Paths of the files parsed as pages: HTML, and SVG (as XML), in path order. */
export function listPagePaths(output: OutputFiles): string[] {
  return [...output.keys()].filter((path) => isHtmlPath(path) || /\.svg$/i.test(path)).sort();
}

/** Parse one page of the output. Locations are computed on demand, from the bytes. */
export function createSitePage(output: OutputFiles, path: string): SitePage {
  const text = new TextDecoder().decode(output.get(path)!);
  return { path, scanned: scanHtml(text, { xml: /\.svg$/i.test(path) }), locate: createPageLocator(output, path) };
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
