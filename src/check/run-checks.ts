/**
 * `runChecks`: every check on the final output. Any error-severity diagnostic
 * must stop the build from sealing.
 */
import { type Diagnostic, sortDiagnostics } from '../errors/diagnostic.js';
import type { OutputFiles } from '../site/output.js';
import { checkImageAlt } from './image-alt.js';
import { checkImageMetadata } from './image-metadata.js';
import { checkPageLinks, collectPageLinks, type PageLinks } from './links.js';
import { checkScriptsAndCsp } from './scripts-and-csp.js';
import { createSitePage, listPagePaths } from './site-pages.js';
import { checkThirdParty } from './third-party.js';
import { checkWithheldNames, type WithheldName } from './withheld-names.js';

/** Options for {@link runChecks}. */
export interface CheckOptions {
  /** Names that must not appear anywhere (all spellings expanded by the caller). */
  withheldNames?: readonly WithheldName[];
  /** Origins pages may contact (e.g. a form target). Default none. */
  allowedOrigins?: readonly string[];
  /** Skip the image metadata check (e.g. when only HTML changed in watch mode). */
  skipImageMetadata?: boolean;
  /** Called after each chunk of pages: pages checked, total pages. */
  onProgress?: (done: number, total: number) => void;
}

/** Pages parsed at a time: parse trees are large, so they are dropped chunk by chunk. */
const CHUNK = 200;

/**
 * Run every check on the built output; diagnostics sorted by file, line,
 * column, code. Pages are parsed in chunks and only their link data is kept,
 * so memory stays flat on sites with thousands of pages.
 */
export async function runChecks(output: OutputFiles, options: CheckOptions = {}): Promise<Diagnostic[]> {
  const paths = listPagePaths(output);
  const links: PageLinks[] = [];
  const diagnostics: Diagnostic[] = [];
  for (let i = 0; i < paths.length; i += CHUNK) {
    const pages = paths.slice(i, i + CHUNK).map((path) => createSitePage(output, path));
    diagnostics.push(
      ...checkImageAlt(pages),
      ...checkThirdParty(output, pages, { allowedOrigins: options.allowedOrigins ?? [], skipCssFiles: i > 0 }),
      ...checkScriptsAndCsp(pages),
    );
    for (const page of pages) links.push(collectPageLinks(page));
    options.onProgress?.(Math.min(i + CHUNK, paths.length), paths.length);
  }
  diagnostics.push(
    ...checkPageLinks(output, links),
    ...checkWithheldNames(output, options.withheldNames ?? []),
    ...(options.skipImageMetadata ? [] : await checkImageMetadata(output)),
  );
  return sortDiagnostics(diagnostics);
}
