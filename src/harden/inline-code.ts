/**
 * Which inline `<style>` / `<script>` bodies of a page the browser would run,
 * normalised the way browsers hash them for CSP.
 */
import { getAttribute, getElementContent, type ScannedElement, type ScannedHtml } from './html-scan.js';

const SCRIPT_TYPES = new Set([
  '',
  'module',
  'importmap',
  'speculationrules',
  'text/javascript',
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/x-ecmascript',
  'text/ecmascript',
  'text/jscript',
  'text/livescript',
  'text/x-ecmascript',
  'text/x-javascript',
  'text/javascript1.0',
  'text/javascript1.1',
  'text/javascript1.2',
  'text/javascript1.3',
  'text/javascript1.4',
  'text/javascript1.5',
]);

/** True for a `<script>` the browser executes (or treats as code for CSP); false for data blocks like JSON-LD. */
export function isExecutableScript(element: ScannedElement): boolean {
  const type = getAttribute(element, 'type')?.value.trim().toLowerCase();
  if (type === undefined) return true;
  return SCRIPT_TYPES.has(type.split(';')[0].trim());
}

/** An inline body and where it is. */
export interface InlineCode {
  element: ScannedElement;
  kind: 'style' | 'script';
  /** Body as the browser hashes it (newlines normalised to LF). */
  body: string;
}

/** Normalise newlines as the HTML input stream does before any hashing. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Every inline style and executable inline script in the page, in document order. */
export function collectInlineCode(scanned: ScannedHtml): InlineCode[] {
  const out: InlineCode[] = [];
  for (const element of scanned.elements) {
    if (element.name === 'style') {
      out.push({ element, kind: 'style', body: normalizeNewlines(getElementContent(scanned, element) ?? '') });
    } else if (element.name === 'script' && !getAttribute(element, 'src') && isExecutableScript(element)) {
      out.push({ element, kind: 'script', body: normalizeNewlines(getElementContent(scanned, element) ?? '') });
    }
  }
  return out;
}
