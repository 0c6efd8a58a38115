/**
 * Markdown → sanitized HTML: CommonMark + GFM tables, strikethrough, task lists,
 * footnotes and heading anchors (markdown-it), then the sanitizer, always.
 */
import MarkdownIt from 'markdown-it';
import anchor from 'markdown-it-anchor';
import footnote from 'markdown-it-footnote';
import taskLists from 'markdown-it-task-lists';
import type { StateCore, Token } from 'markdown-it';
import type { LanguageCode } from '../config/languages.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { SafeHtml } from './html.js';
import { sanitizeAuthorHtml } from './sanitize.js';

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

  // Resolve links to other content files, track lines for image diagnostics,
  // and mark CJK runs in English pages with their language.
  md.core.ruler.push('stele_links', (state) => {
    const env = state.env as unknown as MarkdownContext & { line: number };
    for (const block of state.tokens) {
      const line = env.bodyLine + (block.map?.[0] ?? 0);
      if (block.type !== 'inline' || !block.children) continue;
      const children: Token[] = [];
      for (const t of block.children) {
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

  return {
    render(source, ctx) {
      const env = { ...ctx, line: ctx.bodyLine };
      const tokens = md.parse(source, env as never);
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
      return { html: sanitizeAuthorHtml(raw), headings };
    },
  };
}

function textToken(state: StateCore, content: string): Token {
  const t = new state.Token('text', '', 0);
  t.content = content;
  return t;
}
