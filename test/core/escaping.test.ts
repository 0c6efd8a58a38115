/**
 * Escaping: the `html` template, JSON-LD inside `<script>`, feed XML, and a
 * built site whose author wrote markup into the title, summary and tags: it
 * must come out as text everywhere (title, meta description, headings, feeds,
 * JSON-LD, search index, sitemap), never as elements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildProject } from '../../src/build/build-project.js';
import type { ResolvedConfig } from '../../src/config/resolve-config.js';
import type { ContentEntry } from '../../src/content/load-content.js';
import { escapeHtml, html, join, unsafeRawHtml } from '../../src/render/html.js';
import type { RenderedEntry } from '../../src/render/render-content.js';
import { renderJsonLd } from '../../src/render/theme/json-ld.js';
import { escapeXml, renderAtomFeed, renderJsonFeed } from '../../src/site/feeds.js';
import { readOutputText } from '../../src/site/output.js';
import { collectElementText } from '../helpers/html-urls.js';
import { createTempSite, createTestHost, removeTempDirs } from '../helpers/temp-site.js';

const EVIL = '</title><script>alert("x")</script> & \'co\' <!--';

describe('html template', () => {
  it('escapes every interpolation in text and attribute positions', () => {
    const out = html`<a title="${'" onmouseover="alert(1)'}" href="${"javascript:'x'"}">${'<b>bold</b> & more'}</a>`;
    expect(out.value).toBe('<a title="&quot; onmouseover=&quot;alert(1)" href="javascript:&#39;x&#39;">&lt;b&gt;bold&lt;/b&gt; &amp; more</a>');
  });

  it('passes SafeHtml through, joins arrays and drops null, undefined and false', () => {
    const inner = html`<em>${'<i>'}</em>`;
    expect(html`<p>${inner}${[html`<br>`, '<x>', 1, null, undefined, false]}${0}</p>`.value).toBe('<p><em>&lt;i&gt;</em><br>&lt;x&gt;10</p>');
    expect(join(['<a>', html`<b>`], '|').value).toBe('&lt;a&gt;|<b>');
  });

  it('does not treat look-alike objects as safe', () => {
    const fake = { value: '<script>alert(1)</script>', toString: () => '<script>alert(1)</script>' };
    expect(html`${fake as unknown as string}`.value).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('escapeHtml covers the five special characters', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});

describe('JSON-LD', () => {
  it('cannot close its <script> element, and still parses to the same data', () => {
    const data = { headline: EVIL, text: 'line\u2028separator\u2029 </SCRIPT > <script>', nested: ['</script>'] };
    const out = renderJsonLd(data).value;
    const m = /^<script type="application\/ld\+json">([\s\S]*)<\/script>$/.exec(out);
    expect(m).not.toBeNull();
    expect(m![1]).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(m![1]!)).toEqual(data);
  });
});

describe('feed XML', () => {
  it('escapeXml escapes markup and drops characters XML 1.0 forbids', () => {
    expect(escapeXml('a<b & "c" \'d\' \u0000\u0001\u0008\u000b\u000c\u001f\ufffe\uffff\ttab\nnl')).toBe(
      'a&lt;b &amp; &quot;c&quot; &apos;d&apos; \ttab\nnl',
    );
  });

  it('escapes titles, summaries, tags and content in Atom and JSON Feed', () => {
    const config = { siteId: 'esc', baseUrl: 'https://esc.example/', defaultLanguage: 'en' } as ResolvedConfig;
    const entry = {
      id: 'posts/x/en',
      collection: 'posts',
      key: 'x',
      lang: 'en',
      file: 'content/posts/x.en.md',
      slug: 'x',
      data: { title: `Title ${EVIL}\u0001`, date: '2012-02-14', tags: ['<tag>&'], draft: false },
      body: '',
      bodyLine: 1,
      derived: false,
    } as ContentEntry;
    const r: RenderedEntry = { entry, path: 'posts/x/index.html', html: unsafeRawHtml('<p>a &amp; b</p>'), headings: [], summary: 'Sum <i>&' };
    const input = { config, lang: 'en' as const, title: 'Site <&>', homePath: 'index.html', entries: [r], atomPath: 'atom.xml', jsonPath: 'feed.json' };
    const atom = renderAtomFeed(input);
    expect(atom).toContain('<title>Site &lt;&amp;&gt;</title>');
    expect(atom).toContain('<title>Title &lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos; &lt;!--</title>');
    expect(atom).toContain('<summary>Sum &lt;i&gt;&amp;</summary>');
    expect(atom).toContain('<category term="&lt;tag&gt;&amp;"/>');
    expect(atom).toContain('<content type="html" xml:base="https://esc.example/posts/x/">&lt;p&gt;a &amp;amp; b&lt;/p&gt;</content>');
    expectWellFormedXmlText(atom);
    const json = JSON.parse(renderJsonFeed(input));
    expect(json.items[0].title).toBe(`Title ${EVIL}\u0001`);
    expect(json.items[0].content_html).toBe('<p>a &amp; b</p>');
  });
});

/** No forbidden control characters, every `&` starts an entity, and no element comes from author text. */
function expectWellFormedXmlText(xml: string): void {
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  expect(xml).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i);
  expect(xml).not.toMatch(/<script|<\/title><script/i);
}

describe('a built site with markup in its front matter', () => {
  const TITLE = '</title><script>alert("x")</script> & \'co\' <!--';
  const SUMMARY = '"><script>alert(1)</script> summary & <b>more</b>';
  const TAG = '<img src=x onerror=alert(1)>';
  let result: BuildResult;
  const page = (path: string) => readOutputText(result.output!, path)!;

  beforeAll(async () => {
    const root = await createTempSite({
      'content/posts/2012-02-14-evil.en.md': `---\ntitle: '${TITLE.replace(/'/g, "''")}'\ndate: 2012-02-14\nsummary: '${SUMMARY}'\ntags: ['${TAG}']\n---\n\nBody text.\n`,
      'content/posts/2012-02-14-evil.zh.md': `---\ntitle: '中文 ${TITLE.replace(/'/g, "''")}'\n---\n\n正文。\n`,
    });
    result = await buildProject({ root, host: createTestHost(), mode: 'production', write: false, noSeal: true });
  });
  afterAll(removeTempDirs);

  it('builds', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('shows the title as text in <title>, <h1> and cards, and adds no script elements', () => {
    const post = page('posts/evil/index.html');
    expect(collectElementText(post, 'title')).toEqual([`${TITLE} · Test site`]);
    expect(collectElementText(post, 'h1')).toEqual([TITLE]);
    expect(post).toContain('<title>&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39; &lt;!-- · Test site</title>');
    for (const [path] of result.output!) {
      if (!path.endsWith('.html')) continue;
      const text = page(path);
      const scripts = text.match(/<script\b[^>]*>/gi) ?? [];
      // Only the search page runs a script: stele's own bootstrap (see render/theme/search.ts).
      const allowed = path.endsWith('search/index.html') ? ['<script type="application/ld+json">', '<script>'] : ['<script type="application/ld+json">'];
      expect(scripts.every((s) => allowed.includes(s)), path).toBe(true);
      expect(text, path).not.toContain('<img src=x');
      expect(text, path).not.toContain('<b>more</b>');
    }
    expect(collectElementText(page('index.html'), 'h3')).toContain(TITLE);
  });

  it('keeps the summary inside the meta description attribute', () => {
    const post = page('posts/evil/index.html');
    const meta = /<meta name="description" content="([^"]*)">/.exec(post);
    expect(meta![1]).toBe('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; summary &amp; &lt;b&gt;more&lt;/b&gt;');
  });

  it('escapes the title inside JSON-LD', () => {
    const post = page('posts/evil/index.html');
    const blocks = [...post.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).not.toMatch(/[<>]/);
    const data = JSON.parse(blocks[0]!);
    expect(data.headline).toBe(TITLE);
    expect(data.description).toBe(SUMMARY);
    expect(data.keywords).toBe(TAG);
  });

  it('escapes the title, summary and tag in every feed and in the search index', () => {
    for (const path of ['atom.xml', 'zh-hans/atom.xml', 'zh-hant/atom.xml']) {
      const atom = page(path);
      expectWellFormedXmlText(atom);
      expect(atom, path).toContain('&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos; &lt;!--</title>');
      expect(atom, path).toContain('<category term="&lt;img src=x onerror=alert(1)&gt;"/>');
    }
    expect(page('atom.xml')).toContain('<summary>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; summary &amp; &lt;b&gt;more&lt;/b&gt;</summary>');
    const feed = JSON.parse(page('feed.json'));
    expect(feed.items[0].title).toBe(TITLE);
    const index = JSON.parse(page('search-index.json'));
    expect(index.docs.find((d: { title: string }) => d.title === TITLE)).toMatchObject({ summary: SUMMARY, tags: [TAG] });
  });

  it('keeps author text out of the sitemap, which lists escaped URLs only', () => {
    const sitemap = page('sitemap.xml');
    expectWellFormedXmlText(sitemap);
    expect(sitemap).not.toMatch(/<script|<img|onerror=|&lt;/);
    expect(sitemap).toContain('<loc>https://test.example.org/posts/evil/</loc>');
    // The tag becomes a safe URL segment.
    expect(sitemap).toContain('<loc>https://test.example.org/tags/img-src-x-onerror-alert-1/</loc>');
  });
});
