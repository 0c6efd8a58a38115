/**
 * Defence in depth, no browser: every corpus payload goes through the Markdown
 * renderer (and its sanitizer); the output, parsed as HTML, must carry no
 * script, no event handler, no dangerous element and no URL with a scheme
 * other than http, https or mailto.
 */
import { decodeHTML } from 'entities';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { renderPicture } from '../../src/render/picture.js';
import type { Diagnostic } from '../../src/errors/diagnostic.js';
import { createMarkdownRenderer } from '../../src/render/markdown.js';
import { expandPayload, XSS_PAYLOADS } from '../fixtures/xss/payloads.js';

const ORIGIN = 'http://127.0.0.1:9';

/** Elements the sanitizer must never let through. */
const FORBIDDEN_TAGS = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'base', 'form', 'button', 'meta', 'link',
  'svg', 'math', 'template', 'noscript', 'textarea', 'select', 'option', 'xmp', 'noembed', 'plaintext', 'title',
  'isindex', 'portal', 'video', 'audio', 'marquee', 'body', 'html', 'head', 'applet', 'animate', 'set', 'use',
]);
const URL_ATTRS = new Set(['href', 'src', 'srcset', 'action', 'formaction', 'data', 'poster', 'background', 'xlink:href', 'dynsrc', 'lowsrc', 'cite']);

/** The scheme a browser would see: entities decoded, controls and whitespace removed. */
function resolveScheme(value: string): string | undefined {
  const cleaned = decodeHTML(value).replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  return /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase();
}

/** The parts of htmlparser2's DOM nodes used here (elements have `attribs`). */
interface ParsedNode {
  name?: string;
  attribs?: Record<string, string>;
  children?: ParsedNode[];
}

/** Problems in rendered HTML, judged on the parsed tree (text may mention `<script>`, escaped). */
function findProblems(output: string): string[] {
  const problems: string[] = [];
  if (/<\s*script/i.test(output)) problems.push('literal <script');
  const walk = (nodes: ParsedNode[]) => {
    for (const el of nodes) {
      if (!el.attribs || !el.name) continue;
      if (FORBIDDEN_TAGS.has(el.name.toLowerCase())) problems.push(`<${el.name}> element`);
      for (const [name, value] of Object.entries(el.attribs)) {
        const n = name.toLowerCase();
        if (n.startsWith('on')) problems.push(`${n} attribute`);
        if (n === 'style') problems.push('style attribute');
        if (n === 'id' && !/^[\p{L}\p{N}_:.-]+$/u.test(value)) problems.push(`odd id ${JSON.stringify(value)}`);
        if (URL_ATTRS.has(n)) {
          for (const part of n === 'srcset' ? value.split(',').map((s) => s.trim().split(/\s+/)[0] ?? '') : [value]) {
            const scheme = resolveScheme(part);
            if (scheme && !['http', 'https', 'mailto'].includes(scheme)) problems.push(`${n} with ${scheme}:`);
            const stripped = decodeHTML(part).replace(/[\u0000-\u0020]/g, '');
            if (/^[\\/]{2}/.test(stripped)) problems.push(`${n} protocol-relative ${JSON.stringify(part)}`);
            if (['src', 'srcset', 'poster', 'background'].includes(n) && scheme) problems.push(`${n} loads from ${scheme}:`);
          }
        }
      }
      walk(el.children ?? []);
    }
  };
  walk(parseDocument(output, { decodeEntities: true }).children as ParsedNode[]);
  return problems;
}

/** Render a payload the way the build renders a post body. */
function renderPayload(text: string): { html: string; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const md = createMarkdownRenderer();
  const out = md.render(text, {
    file: 'content/posts/2026-01-01-xss.en.md',
    bodyLine: 4,
    lang: 'en',
    diagnostics,
    resolveLink: (href) => (href.startsWith('../no-such-page.md') ? undefined : '../other/index.html'),
    // Local images render as the assets stage renders them: a <picture> with escaped alt text.
    resolveImage: (src, alt) =>
      /^[a-z][a-z0-9+.-]*:|^\/\//i.test(src)
        ? undefined
        : renderPicture(
            { files: [{ path: 'media/photo-64.0123abcd.png', data: new Uint8Array(), width: 64, height: 48, format: 'png' }], width: 64, height: 48, diagnostics: [] },
            { alt, loading: 'lazy', pagePath: 'posts/xss/index.html' },
          ),
  });
  return { html: out.html.value, diagnostics };
}

describe('XSS corpus through the Markdown renderer', () => {
  it('has at least 100 payloads with unique ids, covering every family', () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(XSS_PAYLOADS.map((p) => p.id)).size).toBe(XSS_PAYLOADS.length);
    const families = new Set(XSS_PAYLOADS.map((p) => p.family));
    for (const f of ['script', 'event-handler', 'url-scheme', 'markdown-link', 'markdown-image', 'svg', 'mathml', 'embed', 'css', 'mxss', 'front-matter']) {
      expect(families, f).toContain(f);
    }
  });

  it('the checker itself flags unsanitized payloads (so the assertions below can fail)', () => {
    expect(findProblems('<img src=x onerror=__xss(1)>')).toContain('onerror attribute');
    expect(findProblems('<a href="&#x6A;avascript:__xss(1)">x</a>')).toContain('href with javascript:');
    expect(findProblems('<a href="jav&#x09;ascript:x">x</a>')).toContain('href with javascript:');
    expect(findProblems('<img alt="" src="//xss.invalid/x">')).toContain('src protocol-relative "//xss.invalid/x"');
    expect(findProblems('<svg><animate></animate></svg>')).toEqual(['<svg> element', '<animate> element']);
    expect(findProblems('<p>&lt;script&gt;__xss(1)&lt;/script&gt;</p>')).toEqual([]);
  });

  for (const payload of XSS_PAYLOADS) {
    const text = expandPayload(payload, ORIGIN);
    const name = `#${payload.id} ${payload.family} (${payload.source}): ${JSON.stringify(text).slice(0, 90)}`;
    // A known bypass is expected to fail here until the sanitizer is fixed (see `knownBypass`).
    (payload.knownBypass ? it.fails : it)(name, () => {
      // Front-matter payloads are also rendered as body text: the renderer must hold wherever text lands.
      const { html } = renderPayload(text);
      expect(findProblems(html), html).toEqual([]);
      // Rendering the output again (a second sanitizer pass, as a feed reader or a re-import would) must not change its meaning.
      const again = renderPayload(html).html;
      expect(findProblems(again), again).toEqual([]);
    });
  }
});
