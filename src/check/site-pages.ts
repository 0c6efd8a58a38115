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

/** Parse every HTML page (and SVG, as XML) of the output, in path order. */
export function createSitePages(output: OutputFiles): SitePage[] {
  const decoder = new TextDecoder();
  const pages: SitePage[] = [];
  for (const path of [...output.keys()].sort()) {
    const svg = /\.svg$/i.test(path);
    if (!isHtmlPath(path) && !svg) continue;
    const text = decoder.decode(output.get(path)!);
    pages.push({ path, scanned: scanHtml(text, { xml: svg }), locate: createOffsetLocator(text) });
  }
  return pages;
}
