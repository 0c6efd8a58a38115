/**
 * `runChecks`: every check on the final output. Any error-severity diagnostic
 * must stop the build from sealing.
 */
import { type Diagnostic, sortDiagnostics } from '../errors/diagnostic.js';
import type { OutputFiles } from '../site/output.js';
import { checkImageAlt } from './image-alt.js';
import { checkImageMetadata } from './image-metadata.js';
import { checkLinks } from './links.js';
import { checkScriptsAndCsp } from './scripts-and-csp.js';
import { createSitePages } from './site-pages.js';
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
}

/** Run every check on the built output; diagnostics sorted by file, line, column, code. */
export async function runChecks(output: OutputFiles, options: CheckOptions = {}): Promise<Diagnostic[]> {
  const pages = createSitePages(output);
  const diagnostics: Diagnostic[] = [
    ...checkLinks(output, pages),
    ...checkImageAlt(pages),
    ...checkThirdParty(output, pages, { allowedOrigins: options.allowedOrigins ?? [] }),
    ...checkScriptsAndCsp(pages),
    ...checkWithheldNames(output, options.withheldNames ?? []),
    ...(options.skipImageMetadata ? [] : await checkImageMetadata(output)),
  ];
  return sortDiagnostics(diagnostics);
}
