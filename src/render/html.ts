/**
 * Typed, escape-by-default HTML templates. Every interpolation in an `html`
 * template is escaped unless it is already `SafeHtml`; there is no way to build
 * markup by string concatenation of untrusted text.
 *
 * Invariant: the only producers of `SafeHtml` from arbitrary strings are
 * `html` (escaping), `unsafeRawHtml` (for sanitizer output and stele's own
 * constants) and `join`.
 */

const SAFE = Symbol('stele.safe-html');

/** A string known to be safe to place in HTML. */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
  toString(): string;
}

function makeSafe(value: string): SafeHtml {
  return { [SAFE]: true, value, toString: () => value };
}

/** True when `x` is `SafeHtml`. */
export function isSafeHtml(x: unknown): x is SafeHtml {
  return typeof x === 'object' && x !== null && (x as Partial<SafeHtml>)[SAFE] === true;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** Interpolation values allowed in templates. Arrays are joined; null/undefined/false render nothing. */
export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function renderValue(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(renderValue).join('');
  if (isSafeHtml(v)) return v.value;
  return escapeHtml(String(v));
}

/** Tagged template: `html\`<p>${text}</p>\`` escapes `text`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += renderValue(values[i]!) + strings[i + 1]!;
  return makeSafe(out);
}

/** Mark trusted markup (sanitizer output, stele constants) as safe. Never pass author input. */
export function unsafeRawHtml(markup: string): SafeHtml {
  return makeSafe(markup);
}

/** Join fragments with an optional safe separator. */
export function join(parts: readonly HtmlValue[], separator = ''): SafeHtml {
  return makeSafe(parts.map(renderValue).join(separator));
}
