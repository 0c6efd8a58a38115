/**
 * No code outside the CSP: no inline event handlers, no javascript: URLs,
 * every page has a CSP meta, and every inline `<script>`/`<style>` is allowed
 * by that page's CSP hashes. `style=""` attributes are blocked by a hash-based
 * CSP, so they are reported as a warning (the style would silently not apply).
 */
import { createDiagnostic } from '../errors/catalogue.js';
import {
  CHECK_CSP_MISSING,
  CHECK_EVENT_HANDLER,
  CHECK_INLINE_NOT_IN_CSP,
  CHECK_JAVASCRIPT_URL,
  CHECK_STYLE_ATTRIBUTE,
} from '../errors/codes-harden.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { computeSha256Base64 } from '../harden/csp.js';
import { getAttribute } from '../harden/html-scan.js';
import { collectInlineCode } from '../harden/inline-code.js';
import { normalizeUrlText } from '../harden/site-url.js';
import type { SitePage } from './site-pages.js';

/** The hash sources allowed by one CSP directive. */
function directiveSources(policy: string, directive: string): Set<string> | undefined {
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name?.toLowerCase() === directive) return new Set(sources);
  }
  return undefined;
}

/** Check scripts, handlers, javascript: URLs and CSP coverage. */
export function checkScriptsAndCsp(pages: readonly SitePage[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const page of pages) {
    const isSvg = /\.svg$/i.test(page.path);
    const policies: string[] = [];
    for (const element of page.scanned.elements) {
      const at = (offset: number) => ({ file: page.path, ...page.locate(offset) });
      if (element.name === 'meta' && getAttribute(element, 'http-equiv')?.value.trim().toLowerCase() === 'content-security-policy') {
        policies.push(getAttribute(element, 'content')?.value ?? '');
      }
      for (const attribute of element.attributes) {
        const name = attribute.name.toLowerCase();
        if (/^on/.test(name) && name.length > 2) {
          diagnostics.push(createDiagnostic(CHECK_EVENT_HANDLER, at(attribute.start), attribute.name, element.name));
        } else if (/^(?:java|vb)script:/i.test(normalizeUrlText(attribute.value).replace(/[\u0000-\u0020]/g, ''))) {
          diagnostics.push(createDiagnostic(CHECK_JAVASCRIPT_URL, at(attribute.start), attribute.name, element.name));
        } else if (name === 'style' && !isSvg) {
          diagnostics.push(createDiagnostic(CHECK_STYLE_ATTRIBUTE, at(attribute.start), element.name));
        }
      }
    }
    if (isSvg) continue;
    const inline = collectInlineCode(page.scanned);
    if (policies.length === 0) {
      diagnostics.push(createDiagnostic(CHECK_CSP_MISSING, { file: page.path }));
      continue;
    }
    for (const code of inline) {
      const hash = computeSha256Base64(code.body);
      const directive = code.kind === 'style' ? 'style-src' : 'script-src';
      // Every policy must allow it (browsers enforce all of them).
      const allowed = policies.every((policy) => {
        const sources = directiveSources(policy, directive) ?? directiveSources(policy, 'default-src');
        return sources?.has(`'sha256-${hash}'`) ?? true;
      });
      if (!allowed) diagnostics.push(createDiagnostic(CHECK_INLINE_NOT_IN_CSP, { file: page.path, ...page.locate(code.element.start) }, code.kind, hash));
    }
  }
  return diagnostics;
}
