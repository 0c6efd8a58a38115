/**
 * Markdown fixture pairs (micromark style): every `test/fixtures/markdown/<name>.md`
 * is rendered with `createMarkdownRenderer` and compared with `<name>.html`.
 * Files named `<name>.zh.md` are rendered as a Simplified Chinese page, the
 * others as English. Calls to the (fake) image and link resolvers are appended
 * to the expected file as an HTML comment, so the fixtures also pin the source
 * lines the renderer reports.
 *
 * `UPDATE=1 npx vitest run test/core/markdown-fixtures.test.ts` rewrites the
 * expected files instead of comparing; read the diff before committing it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LanguageCode } from '../../src/config/languages.js';
import { escapeHtml } from '../../src/render/html.js';
import { createMarkdownRenderer } from '../../src/render/markdown.js';

const DIR = join(import.meta.dirname, '../fixtures/markdown');
const UPDATE = process.env.UPDATE === '1';

/** Content files the fake link resolver knows, relative to the rendered file. */
const KNOWN_LINKS: Record<string, string> = {
  '../events/rally-2012.en.md': '../../events/rally-2012/index.html',
};

/** Render one fixture, returning the text the expected file must hold. */
function renderFixture(source: string, lang: LanguageCode): string {
  const calls: string[] = [];
  const md = createMarkdownRenderer();
  const out = md.render(source, {
    file: 'content/posts/fixture.en.md',
    bodyLine: 1,
    lang,
    diagnostics: [],
    resolveLink(href, line) {
      const [target, hash] = href.split('#');
      const found = KNOWN_LINKS[target!];
      calls.push(`resolveLink(${JSON.stringify(href)}) line ${line} -> ${found ? JSON.stringify(found) : 'unknown'}`);
      return found === undefined ? undefined : found + (hash ? `#${hash}` : '');
    },
    resolveImage(src, alt, line) {
      const external = /^[a-z][a-z0-9+.-]*:|^\/\//i.test(src);
      const accepted = !external && alt.trim() !== '';
      calls.push(`resolveImage(${JSON.stringify(src)}, ${JSON.stringify(alt)}) line ${line} -> ${accepted ? 'picture' : 'refused'}`);
      return accepted ? `<img src="images/${escapeHtml(src.replace(/^.*\//, ''))}" alt="${escapeHtml(alt)}">` : undefined;
    },
  });
  const log = calls.length ? `<!--\n${calls.join('\n')}\n-->\n` : '';
  return `${out.html.value}${log}`;
}

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.md'))
  .sort();

describe('Markdown fixtures', () => {
  it('has fixtures for every construct', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(18);
  });

  for (const name of fixtures) {
    it(name, () => {
      const source = readFileSync(join(DIR, name), 'utf8');
      const lang: LanguageCode = name.endsWith('.zh.md') ? 'zh-Hans' : 'en';
      const actual = renderFixture(source, lang);
      const expectedFile = join(DIR, name.replace(/\.md$/, '.html'));
      if (UPDATE) {
        writeFileSync(expectedFile, actual);
        return;
      }
      expect(existsSync(expectedFile), `${expectedFile} is missing; run with UPDATE=1 and review it`).toBe(true);
      expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
    });
  }
});

describe('Markdown renderer details the fixtures cannot show', () => {
  const md = createMarkdownRenderer();
  const render = (source: string, lang: LanguageCode = 'en', bodyLine = 1) =>
    md.render(source, { file: 'content/posts/x.en.md', bodyLine, lang, diagnostics: [] });

  it('reports headings with ids for a table of contents', () => {
    const { headings } = render('## One\n\n### 言论自由\n\n##### Five\n');
    expect(headings.map((h) => ({ level: h.level, id: h.id, text: h.text.trim() }))).toEqual([
      { level: 2, id: 'one', text: 'One' },
      { level: 3, id: '言论自由', text: '言论自由' },
    ]);
  });

  it('offsets link and image lines by the body line (front matter above the body)', () => {
    const lines: Record<string, number> = {};
    md.render('para\n\n![A](./a.png)\n\n[b](./b.en.md)\n', {
      file: 'content/posts/x.en.md',
      bodyLine: 10,
      lang: 'en',
      diagnostics: [],
      resolveImage: (_s, _a, line) => {
        lines.image = line;
        return '';
      },
      resolveLink: (_h, line) => {
        lines.link = line;
        return undefined;
      },
    });
    expect(lines).toEqual({ image: 12, link: 14 });
  });

  it('renders images to nothing when no resolver is given (never a raw remote src)', () => {
    expect(render('![x](https://example.org/x.png)').html.value).toBe('<p></p>\n');
  });
});
