import { type SafeHtml, unsafeRawHtml } from '../html.js';

/**
 * Serialise JSON-LD for a `<script type="application/ld+json">` block. Author
 * text cannot close the script element: `<`, `>`, `&` and line separators are
 * escaped as JSON unicode escapes.
 */
export function renderJsonLd(data: object): SafeHtml {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return unsafeRawHtml(`<script type="application/ld+json">${json}</script>`);
}
