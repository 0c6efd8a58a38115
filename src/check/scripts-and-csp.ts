/**
 * No code outside the CSP: no executable `<script>` in production pages (JSON
 * data blocks such as JSON-LD are not executed), no inline event handlers, no
 * javascript: URLs, every page has a CSP meta, and every inline
 * `<script>`/`<style>` is allowed by that page's CSP hashes. `style=""` attributes are blocked by a hash-based
 * CSP, so they are reported as a warning (the style would silently not apply).
 */
import { createDiagnostic } from '../errors/catalogue.js';
import {
  CHECK_CSP_MISSING,
  CHECK_EVENT_HANDLER,
  CHECK_INLINE_NOT_IN_CSP,
  CHECK_JAVASCRIPT_URL,
  CHECK_SCRIPT_IN_PRODUCTION,
  CHECK_STYLE_ATTRIBUTE,
} from '../errors/codes-harden.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { computeSha256Base64 } from '../harden/csp.js';
import { getAttribute, type ScannedElement } from '../harden/html-scan.js';
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

/** `<script>` types a browser does not run: JSON data blocks (JSON-LD). Anything else counts as executable (fail closed). */
const DATA_SCRIPT_TYPE = /^application\/(?:[\w.-]+\+)?json$/;

/** What a `<script>` element would run, for the report, or undefined for a data block. */
function describeExecutableScript(element: ScannedElement): string | undefined {
  const type = (getAttribute(element, 'type')?.value ?? '').split(';')[0]!.trim().toLowerCase();
  if (DATA_SCRIPT_TYPE.test(type)) return undefined;
  const src = getAttribute(element, 'src')?.value;
  const typeText = type ? ` type="${type}"` : '';
  return src !== undefined ? `<script${typeText} src="${src}">` : `an inline <script${typeText}>`;
}

/** Options of {@link checkScriptsAndCsp}. */
export interface ScriptCheckOptions {
  /** Allow executable scripts covered by the CSP (`stele dev` and its live-reload script only). Default: every executable script is an error. */
  allowScripts?: boolean;
}

/**
 * Check scripts, handlers, javascript: URLs and CSP coverage. Production pages
 * (the default) may carry no executable script at all, CSP-covered or not.
 */
export function checkScriptsAndCsp(pages: readonly SitePage[], options: ScriptCheckOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const page of pages) {
    const isSvg = /\.svg$/i.test(page.path);
    const policies: string[] = [];
    for (const element of page.scanned.elements) {
      const at = (offset: number) => ({ file: page.path, ...page.locate(offset) });
      if (element.name === 'script' && !options.allowScripts) {
        const what = describeExecutableScript(element);
        if (what) diagnostics.push(createDiagnostic(CHECK_SCRIPT_IN_PRODUCTION, at(element.start), what));
      }
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
