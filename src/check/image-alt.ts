/**
 * Every `<img>` has an alt attribute; an empty alt is only allowed on images
 * marked decorative (role="presentation"/"none" or aria-hidden="true").
 */
import { createDiagnostic } from '../errors/catalogue.js';
import { CHECK_IMG_ALT_EMPTY, CHECK_IMG_ALT_MISSING } from '../errors/codes-harden.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { getAttribute, getAttributeTokens } from '../harden/html-scan.js';
import type { SitePage } from './site-pages.js';

/** Check alt attributes of every image. */
export function checkImageAlt(pages: readonly SitePage[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const page of pages) {
    for (const element of page.scanned.elements) {
      if (element.name !== 'img') continue;
      const at = () => page.source?.(element.start) ?? { file: page.path, ...page.locate(element.start) };
      const src = getAttribute(element, 'src')?.value ?? '';
      const alt = getAttribute(element, 'alt');
      if (!alt) {
        diagnostics.push(createDiagnostic(CHECK_IMG_ALT_MISSING, at(), src));
        continue;
      }
      if (alt.value.trim() !== '') continue;
      const role = getAttributeTokens(element, 'role');
      const decorative =
        role.includes('presentation') || role.includes('none') || getAttribute(element, 'aria-hidden')?.value.trim().toLowerCase() === 'true';
      if (!decorative) diagnostics.push(createDiagnostic(CHECK_IMG_ALT_EMPTY, at(), src));
    }
  }
  return diagnostics;
}
