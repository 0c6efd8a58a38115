/**
 * The sanitizer allowlist. Every piece of author HTML (Markdown output and raw
 * HTML inside it) passes through here, always; there is no option to turn it off.
 *
 * Invariant: author markup reaches output only through `sanitizeAuthorHtml`.
 */
import { randomBytes } from 'node:crypto';
import sanitizeHtml from 'sanitize-html';
import { type SafeHtml, type SourceMark, unsafeRawHtml } from './html.js';

/**
 * The renderer marks author elements with their Markdown position in this
 * attribute; the value starts with a nonce drawn per process, so an author
 * cannot write one the sanitizer keeps. `extractSourceMarks` removes every one
 * before the markup leaves the renderer: the marks never reach output bytes.
 */
export const SOURCE_MARK_ATTRIBUTE = 'data-stele-src';
const SOURCE_MARK_NONCE = randomBytes(12).toString('hex');
const MARKED_TAGS = ['a', 'img', 'source'];

/** The attribute text (with a leading space) that marks an element with `index` in the renderer's table. */
export function createSourceMarkAttribute(index: number): string {
  return ` ${SOURCE_MARK_ATTRIBUTE}="${SOURCE_MARK_NONCE}:${index}"`;
}

/** True for tags the renderer marks (the elements the link and alt checks report on). */
export function isMarkedTag(name: string): boolean {
  return MARKED_TAGS.includes(name.toLowerCase());
}

/** Drop a source-mark attribute the renderer did not write. */
function keepOwnMark(attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  const mark = attribs[SOURCE_MARK_ATTRIBUTE];
  if (mark === undefined || /^[0-9a-f]+:[0-9]+$/.test(mark) && mark.startsWith(`${SOURCE_MARK_NONCE}:`)) return attribs;
  const { [SOURCE_MARK_ATTRIBUTE]: _dropped, ...rest } = attribs;
  return rest;
}

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
const SAFE_ID = /^[\p{L}\p{N}_-][\p{L}\p{N}_:.-]{0,120}$/u;

/** A URL without a scheme and not protocol-relative: it stays on this site. */
const LOCAL_URL = /^(?![a-z][a-z0-9+.-]*:|[\\/]{2})/i;

/**
 * sanitize-html checks `srcset` candidates against the global schemes, not the
 * tag's, so a second candidate could load from another site. Keep a srcset
 * only when every candidate is local.
 */
function keepLocalSrcset(tagName: string, dirty: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const attribs = keepOwnMark(dirty);
  if (attribs.srcset === undefined) return { tagName, attribs };
  const urls = attribs.srcset.split(',').map((c) => c.replace(/[\u0000-\u0020]+/g, ' ').trim().split(' ')[0] ?? '');
  if (urls.every((u) => LOCAL_URL.test(u))) return { tagName, attribs };
  const { srcset: _dropped, ...rest } = attribs;
  return { tagName, attribs: rest };
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...HEADINGS, 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'em', 'strong', 'b', 'i', 'u', 'del', 's', 'ins',
    'sub', 'sup', 'ul', 'ol', 'li', 'a', 'img', 'picture', 'source', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th',
    'td', 'caption', 'figure', 'figcaption', 'section', 'span', 'div', 'kbd', 'abbr', 'mark', 'small', 'dl', 'dt',
    'dd', 'details', 'summary', 'input', 'label', 'q', 'cite', 'time', 'ruby', 'rt', 'rp', 'bdi', 'wbr',
  ],
  allowedAttributes: {
    '*': ['lang', 'title'],
    a: ['href', 'id', 'class', 'rel', 'hreflang', SOURCE_MARK_ATTRIBUTE],
    img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading', 'decoding', 'class', SOURCE_MARK_ATTRIBUTE],
    source: ['srcset', 'type', 'sizes', 'media', SOURCE_MARK_ATTRIBUTE],
    th: ['class', 'colspan', 'rowspan', 'scope'],
    td: ['class', 'colspan', 'rowspan'],
    ol: ['start', 'reversed', 'class'],
    ul: ['class'],
    li: ['id', 'class'],
    sup: ['id', 'class'],
    section: ['class'],
    hr: ['class'],
    input: [{ name: 'type', multiple: false, values: ['checkbox'] }, 'checked', 'disabled', 'class'],
    label: ['class'],
    time: ['datetime'],
    span: ['class'],
    div: ['class'],
    abbr: ['title'],
    ...Object.fromEntries(HEADINGS.map((h) => [h, ['id']])),
  },
  allowedClasses: {
    '*': ['footnotes', 'footnotes-sep', 'footnotes-list', 'footnote-item', 'footnote-ref', 'footnote-backref',
      'task-list-item', 'task-list-item-checkbox', 'task-list-item-label', 'contains-task-list', 'header-anchor', 'align-left',
      'align-center', 'align-right', 'cjk', 'name', 'figure', 'note'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [], source: [] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'srcset'],
  allowProtocolRelative: false,
  allowedIframeHostnames: [],
  disallowedTagsMode: 'discard',
  nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'template', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext'],
  enforceHtmlBoundary: false,
  parseStyleAttributes: false,
  transformTags: {
    a: (tagName, attribs) => {
      const out = { ...keepOwnMark(attribs) };
      if (out.id && !SAFE_ID.test(out.id)) delete out.id;
      if (out.href && /^https?:/i.test(out.href.trim())) out.rel = 'noopener noreferrer';
      else delete out.rel;
      return { tagName, attribs: out };
    },
    input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, type: 'checkbox', disabled: '' } }),
    img: keepLocalSrcset,
    source: keepLocalSrcset,
    ...Object.fromEntries(
      HEADINGS.map((h) => [
        h,
        (tagName: string, attribs: sanitizeHtml.Attributes) => {
          const out = { ...attribs };
          if (out.id && !SAFE_ID.test(out.id)) delete out.id;
          return { tagName, attribs: out };
        },
      ]),
    ),
  },
};

// sanitize-html honours value-restricted attributes only when listed per tag (not under '*'),
// so `dir` is added to every allowed tag here.
const DIR_ATTRIBUTE: sanitizeHtml.AllowedAttribute = { name: 'dir', multiple: false, values: ['ltr', 'rtl', 'auto'] };
for (const tag of OPTIONS.allowedTags as string[]) {
  const attributes = OPTIONS.allowedAttributes as Record<string, sanitizeHtml.AllowedAttribute[]>;
  attributes[tag] = [...(attributes[tag] ?? []), DIR_ATTRIBUTE];
}

/**
 * Remove the source-mark attributes from sanitized markup and return it with
 * its marks: `at(index)` gives the Markdown position the renderer recorded.
 */
export function extractSourceMarks(clean: string, file: string, at: (index: number) => { line: number; column: number } | undefined): SafeHtml {
  const pattern = new RegExp(` ${SOURCE_MARK_ATTRIBUTE}="${SOURCE_MARK_NONCE}:([0-9]+)"`, 'g');
  const marks: SourceMark[] = [];
  let out = '';
  let last = 0;
  for (const m of clean.matchAll(pattern)) {
    out += clean.slice(last, m.index);
    last = m.index! + m[0].length;
    // The sanitizer escapes "<" in attribute values: the last "<" is the element's.
    const offset = out.lastIndexOf('<');
    const where = at(Number(m[1]));
    if (offset >= 0 && where) marks.push({ offset, file, ...where });
  }
  if (!marks.length && last === 0) return unsafeRawHtml(clean);
  out += clean.slice(last);
  out.charCodeAt(0);
  return unsafeRawHtml(out, marks);
}

/** Sanitize author HTML against stele's allowlist. */
export function sanitizeAuthorHtml(dirty: string): SafeHtml {
  const clean = sanitizeHtml(dirty, OPTIONS);
  // sanitize-html builds its result by concatenation; reading a character makes
  // V8 flatten that rope once, here, instead of keeping thousands of nodes per page.
  clean.charCodeAt(0);
  return unsafeRawHtml(clean);
}
