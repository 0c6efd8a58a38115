/**
 * Blog HTML → clean Markdown (turndown). What Markdown cannot express (tables,
 * sub/superscript, underline, definition lists) stays as HTML that stele's
 * sanitizer allows; scripts, styles, forms and embeds never survive. Jump
 * breaks (`<!-- more -->`, Blogger's `<a name="more">`) become the summary,
 * Gutenberg block comments are dropped, `[caption]` shortcodes become an image
 * with its caption, and every image goes through `resolveImage` (local media
 * or a plain link: nothing is loaded from the old host).
 */
import { decodeHTML } from 'entities';
import TurndownService from 'turndown';

/** What to write for an image found in the HTML. */
export type ImageResolver = (src: string, alt: string) => string;

/** The result of a conversion. */
export interface ConvertedHtml {
  markdown: string;
  /** Plain text before the jump break, when there is one. */
  summary?: string;
  /** Absolute links in the text (to pair translations that link to each other). */
  links: string[];
}

const MORE = /<!--\s*more\b[^>]*-->|<a\s+name\s*=\s*["']?more["']?\s*>\s*<\/a>|<span\s+id\s*=\s*["']more-\d+["']\s*>\s*<\/span>/i;

/** Text of an HTML fragment: tags removed, entities decoded, white space collapsed. */
export function htmlToText(html: string): string {
  return decodeHTML(
    html
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|li|h[1-6]|blockquote)>/gi, '\n\n')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** `[caption id="x" align="y" width="300"]<img …/> Text[/caption]` → a figure the image rule understands. */
function expandCaptions(html: string): string {
  return html.replace(/\[caption\b[^\]]*\]([\s\S]*?)\[\/caption\]/gi, (_m, inner: string) => {
    const image = /(<a\b[^>]*>\s*)?<img\b[^>]*>(\s*<\/a>)?/i.exec(inner);
    if (!image) return inner;
    const caption = inner.replace(image[0], '').trim();
    return `<figure>${image[0]}<figcaption>${caption}</figcaption></figure>`;
  });
}

let shared: { td: TurndownService; resolve: ImageResolver } | undefined;

function createTurndown(): { td: TurndownService; resolve: ImageResolver } {
  const state: { td?: TurndownService; resolve: ImageResolver } = { resolve: () => '' };
  const td = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '*', hr: '---' });
  td.remove(['script', 'style', 'noscript', 'form', 'input', 'button', 'select', 'textarea', 'object', 'embed', 'head', 'title', 'meta', 'link']);
  td.keep(['table', 'sub', 'sup', 'u', 'ins', 'mark', 'dl', 'abbr', 'kbd', 'details']);
  td.addRule('image', {
    filter: 'img',
    replacement: (_content, node) => {
      const el = node as unknown as { getAttribute(name: string): string | null };
      const src = (el.getAttribute('src') ?? '').trim();
      if (!src || src.startsWith('data:')) return '';
      const alt = (el.getAttribute('alt') ?? el.getAttribute('title') ?? '').replace(/\s+/g, ' ').trim();
      return state.resolve(src, alt);
    },
  });
  // Blogger wraps every image in a link to its full-size version: the image alone is enough.
  td.addRule('image-link', {
    filter: (node) => {
      if (node.nodeName !== 'A') return false;
      const children = [...node.childNodes].filter((c) => c.nodeType !== 3 || (c.textContent ?? '').trim());
      return children.length === 1 && children[0]!.nodeName === 'IMG';
    },
    replacement: (content) => content,
  });
  td.addRule('figure', {
    filter: 'figure',
    replacement: (content, node) => {
      const caption = (node as unknown as { querySelector(s: string): { textContent: string } | null }).querySelector('figcaption')?.textContent?.trim();
      const image = content.replace(caption ? caption : '\u0000', '').trim();
      return `\n\n${image}${caption ? `\n\n*${caption.replace(/([*_\\])/g, '\\$1')}*` : ''}\n\n`;
    },
  });
  td.addRule('figcaption', { filter: 'figcaption', replacement: (content) => content });
  td.addRule('iframe', {
    filter: 'iframe',
    replacement: (_content, node) => {
      const src = (node as unknown as { getAttribute(name: string): string | null }).getAttribute('src') ?? '';
      const url = src.startsWith('//') ? `https:${src}` : src;
      return /^https?:\/\//i.test(url) ? `\n\n[Embedded content: ${url}](${url})\n\n` : '';
    },
  });
  state.td = td;
  return state as { td: TurndownService; resolve: ImageResolver };
}

/**
 * Convert one post's HTML. `resolveImage` decides what each image becomes;
 * the summary is the text before a jump break (at most 500 characters).
 */
export function convertHtmlToMarkdown(html: string, resolveImage: ImageResolver): ConvertedHtml {
  let source = html.replace(/<!--\s*\/?wp:[\s\S]*?-->/g, '');
  let summary: string | undefined;
  const more = MORE.exec(source);
  if (more) {
    const before = htmlToText(source.slice(0, more.index)).replace(/\s+/g, ' ').trim();
    if (before) summary = before.length > 500 ? `${before.slice(0, 499)}…` : before;
    source = source.slice(0, more.index) + source.slice(more.index + more[0].length);
  }
  source = expandCaptions(source);
  const links = [...source.matchAll(/<a\b[^>]*\bhref\s*=\s*["']([^"']+)["']/gi)].map((m) => decodeHTML(m[1]!)).filter((u) => /^https?:\/\//i.test(u));
  shared ??= createTurndown();
  shared.resolve = resolveImage;
  const markdown = source.trim() ? shared.td.turndown(source).trim() : '';
  return { markdown: markdown ? `${markdown}\n` : '', ...(summary ? { summary } : {}), links: links.slice(0, 50) };
}
