/**
 * Find the URLs a stylesheet makes the browser fetch: `url(...)`,
 * `@import "..."` and strings inside `image-set(...)`.
 */

/** A URL in CSS and its offset in the CSS text. */
export interface CssUrl {
  url: string;
  offset: number;
}

function decodeCssEscapes(text: string): string {
  return text.replace(/\\([0-9a-fA-F]{1,6})[ \t\n]?|\\(.)/g, (_m, hex: string | undefined, ch: string | undefined) =>
    hex ? String.fromCodePoint(Math.min(Number.parseInt(hex, 16), 0x10ffff)) : (ch ?? ''),
  );
}

/** Every fetched URL in `css` (comments ignored). */
export function findCssUrls(css: string): CssUrl[] {
  // Blank out comments, keeping offsets.
  const text = css.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, (m) => ' '.repeat(m.length));
  const out: CssUrl[] = [];
  const patterns = [
    /\b(?:url|src)\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)'"\s]*))\s*\)/gi,
    /@import\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')/gi,
  ];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const raw = m[1] ?? m[2] ?? m[3] ?? '';
      out.push({ url: decodeCssEscapes(raw).trim(), offset: m.index });
    }
  }
  for (const m of text.matchAll(/image-set\(([^)]*)\)/gi)) {
    for (const s of m[1].matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g)) {
      out.push({ url: decodeCssEscapes(s[1] ?? s[2] ?? '').trim(), offset: m.index + 'image-set('.length + s.index });
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}
