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

/**
 * Where an element of author content came from: `offset` is the element's `<`
 * in the markup, `file:line:column` the Markdown the author wrote. Marks travel
 * with `SafeHtml` through templates (never as bytes), so checks on a built page
 * can report a problem at the author's line.
 */
export interface SourceMark {
  offset: number;
  file: string;
  line: number;
  column: number;
}

/** A string known to be safe to place in HTML. */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
  /** Source marks of author elements in `value`, by offset (absent: none). */
  readonly marks?: readonly SourceMark[];
  toString(): string;
}

function makeSafe(value: string, marks?: readonly SourceMark[]): SafeHtml {
  return marks?.length ? { [SAFE]: true, value, marks, toString: () => value } : { [SAFE]: true, value, toString: () => value };
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

/** Render `v`; source marks it carries are added to `marks`, shifted by `at` (where it lands). */
function renderValue(v: HtmlValue, marks?: SourceMark[], at = 0): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) {
    let out = '';
    for (const part of v as readonly HtmlValue[]) out += renderValue(part, marks, at + out.length);
    return out;
  }
  if (isSafeHtml(v)) {
    if (marks && v.marks) for (const m of v.marks) marks.push({ ...m, offset: m.offset + at });
    return v.value;
  }
  return escapeHtml(String(v));
}

/** Tagged template: `html\`<p>${text}</p>\`` escapes `text`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  const marks: SourceMark[] = [];
  for (let i = 0; i < values.length; i++) out += renderValue(values[i]!, marks, out.length) + strings[i + 1]!;
  return makeSafe(out, marks);
}

/** Mark trusted markup (sanitizer output, stele constants) as safe. Never pass author input. */
export function unsafeRawHtml(markup: string, marks?: readonly SourceMark[]): SafeHtml {
  return makeSafe(markup, marks);
}

/** Join fragments with an optional safe separator. */
export function join(parts: readonly HtmlValue[], separator = ''): SafeHtml {
  let out = '';
  const marks: SourceMark[] = [];
  parts.forEach((part, i) => {
    if (i > 0) out += separator;
    out += renderValue(part, marks, out.length);
  });
  return makeSafe(out, marks);
}

/**
 * Apply `replace` to every match of `pattern` (global) in `h`, keeping its
 * source marks on the elements they belong to (matches must not cut an element's `<`).
 */
export function replaceSafeHtml(h: SafeHtml, pattern: RegExp, replacement: string): SafeHtml {
  if (!h.marks?.length) return makeSafe(h.value.replace(pattern, replacement));
  const marks = [...h.marks].sort((a, b) => a.offset - b.offset);
  const out: SourceMark[] = [];
  let text = '';
  let last = 0;
  let k = 0;
  for (const m of h.value.matchAll(pattern)) {
    const index = m.index!;
    while (k < marks.length && marks[k]!.offset < index + m[0].length) {
      const mark = marks[k++]!;
      if (mark.offset >= last && mark.offset < index) out.push({ ...mark, offset: text.length + (mark.offset - last) });
    }
    text += h.value.slice(last, index) + replacement;
    last = index + m[0].length;
  }
  for (; k < marks.length; k++) out.push({ ...marks[k]!, offset: text.length + (marks[k]!.offset - last) });
  text += h.value.slice(last);
  return makeSafe(text, out);
}
