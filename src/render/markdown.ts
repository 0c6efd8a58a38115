/**
 * Markdown → sanitized HTML: CommonMark + GFM tables, strikethrough, task lists,
 * footnotes and heading anchors (markdown-it), then the sanitizer, always.
 */
import MarkdownIt from 'markdown-it';
import anchor from 'markdown-it-anchor';
import footnote from 'markdown-it-footnote';
import taskLists from 'markdown-it-task-lists';
import type { StateCore, Token } from 'markdown-it';
import { Parser, Tokenizer } from 'htmlparser2';
import type { LanguageCode } from '../config/languages.js';
import { createDiagnostic } from '../errors/catalogue.js';
import { ContentHtmlTooDeep } from '../errors/codes-core.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { type SafeHtml, unsafeRawHtml } from './html.js';
import { createSourceMarkAttribute, extractSourceMarks, isMarkedTag, sanitizeAuthorHtml } from './sanitize.js';

/** What the renderer needs from the rest of the build, per document. */
export interface MarkdownContext {
  /** Project-relative source file, for diagnostics. */
  file: string;
  /** Line of the body's first line in the file. */
  bodyLine: number;
  lang: LanguageCode;
  /** Map a relative link (`../events/rally.en.md#roster`) to a page URL; undefined when the target is unknown (the link loses its href). */
  resolveLink?(href: string, line: number): string | undefined;
  /** Produce markup for a local image, or undefined after reporting a diagnostic. */
  resolveImage?(src: string, alt: string, line: number): string | undefined;
  /** Collected problems. */
  diagnostics: Diagnostic[];
}

/** A heading in the document, for tables of contents. */
export interface Heading {
  level: number;
  id: string;
  text: string;
}

export interface RenderedMarkdown {
  html: SafeHtml;
  headings: Heading[];
}

// A run of CJK text; digits and spaces between CJK characters belong to the run (抗议判处朱虞夫7年监禁).
const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+(?:[\s·・0-9]*[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+)*/g;

/** Heading ids keep letters of any script, so Chinese headings get readable anchors. */
export function slugifyHeading(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s+/g, '-')
      .slice(0, 80) || 'section'
  );
}

/** Create a renderer. One instance is reused for the whole build. */
export function createMarkdownRenderer(): { render(source: string, ctx: MarkdownContext): RenderedMarkdown } {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  md.use(footnote);
  // Checkboxes are wrapped in their <label> so screen readers announce the item text.
  md.use(taskLists, { enabled: false, label: true });
  // The heading text itself is the link to its anchor: nothing extra for screen readers to read.
  md.use(anchor, {
    level: [2, 3, 4],
    slugify: slugifyHeading,
    permalink: anchor.permalink.headerLink({ safariReaderFix: false }),
  });

  // GFM table alignment uses inline styles, which the CSP forbids: use classes.
  for (const rule of ['th_open', 'td_open'] as const) {
    md.renderer.rules[rule] = (tokens, idx, options, _env, self) => {
      const t = tokens[idx]!;
      const style = t.attrGet('style');
      if (style) {
        const m = /text-align:\s*(left|center|right)/.exec(String(style));
        t.attrs = (t.attrs ?? []).filter(([k]) => k !== 'style');
        if (m) t.attrJoin('class', `align-${m[1]}`);
      }
      return self.renderToken(tokens, idx, options);
    };
  }

  md.renderer.rules.image = (tokens, idx, _options, rawEnv) => {
    const env = rawEnv as unknown as MarkdownContext & { line: number };
    const t = tokens[idx]!;
    env.line = (t.meta as { line?: number } | null)?.line ?? env.bodyLine;
    const src = String(t.attrGet('src') ?? '');
    const alt = t.children ? md.renderer.renderInlineAsText(t.children, md.options, rawEnv) : t.content;
    const out = env.resolveImage?.(src, alt, env.line);
    return out ?? '';
  };

  // Author raw HTML deeper than the limit is refused before anything else
  // reads it: the sanitizer and the page scanners would take quadratic time.
  md.core.ruler.push('stele_depth', (state) => {
    const env = state.env as unknown as { tooDeep?: number; bodyLine: number };
    const counter = createDepthCounter(MAX_HTML_DEPTH);
    for (const block of state.tokens) {
      const line = block.map?.[0] ?? 0;
      const chunks = block.type === 'html_block' ? [block] : block.type === 'inline' ? (block.children ?? []).filter((c) => c.type === 'html_inline') : [];
      for (const chunk of chunks) {
        const at = counter.feed(chunk.content);
        if (at !== undefined) {
          env.tooDeep = env.bodyLine + line + (chunk === block ? countLines(chunk.content, at) : 0);
          return;
        }
      }
    }
  });

  // Resolve links to other content files, track lines for image diagnostics,
  // mark links and raw-HTML images with their source position (see `SourceMark`),
  // and mark CJK runs in English pages with their language.
  md.core.ruler.push('stele_links', (state) => {
    const env = state.env as unknown as MarkdownContext & { line: number; marks: SourceMarkTable; tooDeep?: number };
    if (env.tooDeep !== undefined) return;
    const marks = env.marks;
    for (const block of state.tokens) {
      const line = env.bodyLine + (block.map?.[0] ?? 0);
      if (block.type === 'html_block' && block.map) {
        block.content = markRawHtml(block.content, marks, block.map[0]);
        continue;
      }
      if (block.type !== 'inline' || !block.children) continue;
      const cursor = { line: block.map?.[0] ?? 0, index: 0, end: block.map?.[1] ?? 0 };
      const children: Token[] = [];
      for (const t of block.children) {
        if (t.type === 'html_inline') {
          const at = marks.find(cursor, t.content);
          if (at) t.content = markRawHtml(t.content, marks, at.line, at.index);
        }
        if (t.type === 'link_open' && !String(t.attrGet('class') ?? '').includes('header-anchor')) {
          const href = String(t.attrGet('href') ?? '');
          const at = marks.find(cursor, href) ?? marks.find(cursor, safeDecode(href));
          t.attrSet(MARK_PLACEHOLDER, String(marks.add(at?.line ?? cursor.line, at?.index ?? marks.indent(cursor.line))));
        }
        if (t.type === 'link_open') {
          const href = String(t.attrGet('href') ?? '');
          if (env.resolveLink && /^(?![a-z][a-z0-9+.-]*:|\/\/|#)[^?#]*\.md(#.*)?$/i.test(href)) {
            const resolved = env.resolveLink(href, line);
            if (resolved !== undefined) t.attrSet('href', resolved);
            else t.attrs = (t.attrs ?? []).filter(([k]) => k !== 'href');
          }
        }
        if (t.type === 'image') {
          // Carry the line for the image renderer.
          t.meta = { ...(t.meta ?? {}), line };
        }
        if (t.type === 'text' && env.lang === 'en' && CJK_RUN.test(t.content)) {
          CJK_RUN.lastIndex = 0;
          let last = 0;
          for (const m of t.content.matchAll(CJK_RUN)) {
            if (m.index! > last) children.push(textToken(state, t.content.slice(last, m.index)));
            const open = new state.Token('html_inline', '', 0);
            open.content = '<span lang="zh">';
            children.push(open, textToken(state, m[0]));
            const close = new state.Token('html_inline', '', 0);
            close.content = '</span>';
            children.push(close);
            last = m.index! + m[0].length;
          }
          if (last < t.content.length) children.push(textToken(state, t.content.slice(last)));
          continue;
        }
        children.push(t);
      }
      block.children = children;
    }
  });

  // The placeholder attribute becomes the real (nonce-carrying) mark attribute as the link is written.
  const renderLinkOpen = md.renderer.rules.link_open;
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const t = tokens[idx]!;
    const index = t.attrGet(MARK_PLACEHOLDER);
    t.attrs = (t.attrs ?? []).filter(([k]) => k !== MARK_PLACEHOLDER);
    const out = renderLinkOpen ? renderLinkOpen(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
    return index === null ? out : out.replace(/^<a/, `<a${createSourceMarkAttribute(Number(index))}`);
  };

  return {
    render(source, ctx) {
      const marks = createSourceMarkTable(source, ctx.bodyLine);
      const env: Record<string, unknown> = { ...ctx, line: ctx.bodyLine, marks };
      const tokens = md.parse(source, env as never);
      if (typeof env.tooDeep === 'number') {
        ctx.diagnostics.push(createDiagnostic(ContentHtmlTooDeep, { file: ctx.file, line: env.tooDeep }, MAX_HTML_DEPTH));
        return { html: unsafeRawHtml(''), headings: [] };
      }
      const headings: Heading[] = [];
      tokens.forEach((t, i) => {
        if (t.type === 'heading_open') {
          const inline = tokens[i + 1]!;
          const text = (inline.children ?? [])
            .filter((c) => c.type === 'text' || c.type === 'code_inline')
            .map((c) => c.content)
            .join('');
          const id = t.attrGet('id');
          if (id) headings.push({ level: Number(t.tag.slice(1)), id: String(id), text });
        }
      });
      const raw = md.renderer.render(tokens, md.options, env as never);
      return { html: extractSourceMarks(sanitizeAuthorHtml(raw).value, ctx.file, (i) => marks.get(i)), headings };
    },
  };
}

function textToken(state: StateCore, content: string): Token {
  const t = new state.Token('text', '', 0);
  t.content = content;
  return t;
}

/** Token attribute carrying a mark index until the renderer writes the element. */
const MARK_PLACEHOLDER = 'data-stele-mark';

/** Positions of marked elements in one document's Markdown, and a search over its lines. */
interface SourceMarkTable {
  /** Record a position (0-based body line, UTF-16 index in it); returns its index. */
  add(line: number, index: number): number;
  /** File line and 1-based column of mark `i`. */
  get(i: number): { line: number; column: number } | undefined;
  /** Find `needle` from the cursor within its block's lines and move the cursor past it. */
  find(cursor: { line: number; index: number; end: number }, needle: string): { line: number; index: number } | undefined;
  /** Index of the first non-blank character of a body line. */
  indent(line: number): number;
  /** The text of a body line. */
  lineText(line: number): string;
}

function createSourceMarkTable(source: string, bodyLine: number): SourceMarkTable {
  const lines = source.split('\n');
  const positions: { line: number; index: number }[] = [];
  return {
    add(line, index) {
      positions.push({ line, index });
      return positions.length - 1;
    },
    get(i) {
      const p = positions[i];
      if (!p) return undefined;
      return { line: bodyLine + p.line, column: Array.from((lines[p.line] ?? '').slice(0, p.index)).length + 1 };
    },
    find(cursor, needle) {
      if (!needle) return undefined;
      for (let l = cursor.line; l < Math.max(cursor.end, cursor.line + 1) && l < lines.length; l++) {
        const at = lines[l]!.indexOf(needle, l === cursor.line ? cursor.index : 0);
        if (at >= 0) {
          cursor.line = l;
          cursor.index = at + needle.length;
          return { line: l, index: at };
        }
      }
      return undefined;
    },
    indent(line) {
      return Math.max(0, (lines[line] ?? '').search(/\S/));
    },
    lineText(line) {
      return lines[line] ?? '';
    },
  };
}

/**
 * Add a source mark to every `a`, `img` and `source` start tag of a piece of
 * raw HTML that starts at body line `line`, index `index` (a block: at the
 * start of a line, which may have lost its indentation). Tags are found with
 * the tokenizer the sanitizer uses, so text, comments and attribute values are left alone.
 */
function markRawHtml(markup: string, marks: SourceMarkTable, line: number, index?: number): string {
  if (!/<(?:a|img|source)[\s/>]/i.test(markup)) return markup;
  const inserts: { at: number; text: string }[] = [];
  // Line starts inside the markup, to turn an offset into a body line and index.
  const starts = [0];
  for (let i = markup.indexOf('\n'); i >= 0; i = markup.indexOf('\n', i + 1)) starts.push(i + 1);
  const parser: Parser = new Parser(
    {
      onopentag(name) {
        if (!isMarkedTag(name)) return;
        const offset = parser.startIndex;
        let k = 0;
        while (k + 1 < starts.length && starts[k + 1]! <= offset) k++;
        // Lines of a block may have lost indentation (lists, quotes): align on the source line's end.
        const own = markup.slice(starts[k]!, k + 1 < starts.length ? starts[k + 1]! - 1 : markup.length);
        const text = marks.lineText(line + k);
        const shift = k === 0 && index !== undefined ? index : text.endsWith(own) ? text.length - own.length : 0;
        inserts.push({ at: offset + 1 + name.length, text: createSourceMarkAttribute(marks.add(line + k, shift + offset - starts[k]!)) });
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(markup);
  let out = '';
  let last = 0;
  for (const i of inserts) {
    out += markup.slice(last, i.at) + i.text;
    last = i.at;
  }
  return out + markup.slice(last);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Deepest nesting of raw HTML elements an entry may have (browsers cap theirs at 512). */
export const MAX_HTML_DEPTH = 256;

/** Elements that never nest (void) or that the parser closes by itself (p, li, …): not counted. */
const NOT_NESTING = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
  'p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'rt', 'rp',
]);

/**
 * Count the nesting depth of raw HTML fed chunk by chunk, in one linear pass
 * (htmlparser2's tokenizer; no tree, no stack search). `feed` returns the
 * offset in the chunk where the depth first passes `limit`.
 */
function createDepthCounter(limit: number): { feed(chunk: string): number | undefined } {
  let depth = 0;
  return {
    feed(chunk) {
      let name = '';
      let over: number | undefined;
      let tagStart = 0;
      const noop = () => {};
      const tokenizer = new Tokenizer(
        { decodeEntities: false },
        {
          onopentagname(start, end) {
            name = chunk.slice(start, end).toLowerCase();
            tagStart = start - 1;
          },
          onopentagend() {
            if (NOT_NESTING.has(name)) return;
            depth++;
            if (depth > limit && over === undefined) over = tagStart;
          },
          onselfclosingtag: noop,
          onclosetag(start, end) {
            const closing = chunk.slice(start, end).toLowerCase();
            if (!NOT_NESTING.has(closing) && depth > 0) depth--;
          },
          onattribdata: noop,
          onattribentity: noop,
          onattribend: noop,
          onattribname: noop,
          oncdata: noop,
          oncomment: noop,
          ondeclaration: noop,
          onend: noop,
          onprocessinginstruction: noop,
          ontext: noop,
          ontextentity: noop,
        },
      );
      tokenizer.write(chunk);
      tokenizer.end();
      return over;
    },
  };
}

/** Newlines in `text` before `offset`. */
function countLines(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
