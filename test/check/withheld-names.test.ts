import { describe, expect, it } from 'vitest';
import { checkWithheldNames, type WithheldName } from '../../src/check/withheld-names.js';
import type { OutputFiles } from '../../src/site/output.js';

const NAMES: WithheldName[] = [
  { name: 'Zhu Yufu', label: 'person A' },
  { name: '朱虞夫', label: 'person A' },
  { name: '朱虞夫', label: 'person A' },
  { name: 'Zhū Yúfū', label: 'person A' },
  { name: '劉曉波', label: 'person B' },
  { name: '刘晓波', label: 'person B' },
  { name: 'Liu Xiaobo', label: 'person B' },
];

function site(files: Record<string, string | Uint8Array>): OutputFiles {
  const enc = new TextEncoder();
  return new Map(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? enc.encode(v) : v]));
}

function found(files: Record<string, string | Uint8Array>) {
  return checkWithheldNames(site(files), NAMES);
}

const CLEAN_PAGE = '<!doctype html><html><head><title>Campaign</title></head><body><p>A lawyer was detained.</p></body></html>';

describe('withheld names', () => {
  it('finds nothing in a clean site, and nothing for similar but different names', () => {
    expect(found({ 'index.html': CLEAN_PAGE, 'a.html': '<p>Zhuyufuabc Zhu Yufeng; Oliu Xiaobox</p>' })).toEqual([]);
  });

  it('reports plain text with file, line and column of the original text', () => {
    const d = found({ 'index.html': '<html><body>\n<p>Hello\n  world, Zhu Yufu was here</p></body></html>' });
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: 'STELE4501', severity: 'error', file: 'index.html', line: 3, column: 10 });
    expect(d[0].message).toContain('person A');
    expect(JSON.stringify(d)).not.toMatch(/zhu/i);
  });

  const places: [string, Record<string, string>][] = [
    ['alt attribute', { 'p.html': '<img src="x.png" alt="Portrait of Zhu Yufu">' }],
    ['title attribute', { 'p.html': '<a href="x" title="zhu yufu">x</a>' }],
    ['meta content', { 'p.html': '<meta name="description" content="News about ZHU YUFU">' }],
    ['JSON-LD', { 'p.html': '<script type="application/ld+json">{"@type":"Person","name":"Zhu Yufu"}</script>' }],
    ['JSON-LD with \\u escapes', { 'p.html': '<script type="application/ld+json">{"name":"\\u005ahu Yufu"}</script>' }],
    ['Atom feed (escaped HTML)', { 'feed.atom': '<feed><entry><content type="html">&lt;p&gt;Zhu&lt;b&gt;&lt;/b&gt; Yufu&lt;/p&gt;</content></entry></feed>' }],
    ['Atom feed (double-escaped entity)', { 'feed.atom': '<feed><entry><title>Zh&amp;#117; Yufu</title></entry></feed>' }],
    ['sitemap URL slug', { 'sitemap.xml': '<urlset><url><loc>https://example.org/people/zhu-yufu/</loc></url></urlset>' }],
    ['JSON search index', { 'search-index.json': '[{"t":"Profile","b":"zhu_yufu is a poet"}]' }],
    ['entity-encoded', { 'p.html': '<p>Z&#104;u Yuf&#x75;</p>' }],
    ['named entity', { 'p.html': '<p>Zh&uacute; Yufu</p>' }],
    ['split by tags', { 'p.html': '<p>Zhu<b></b> Yufu</p>' }],
    ['split inside a word by tags', { 'p.html': '<p>Zh<span>u</span> Y<i>ufu</i></p>' }],
    ['percent-encoded in a URL', { 'p.html': '<a href="https://example.org/?q=Zhu%20Yufu">x</a>' }],
    ['percent-encoded Chinese', { 'p.html': '<a href="../%E6%9C%B1%E8%99%9E%E5%A4%AB/">x</a>' }],
    ['pinyin with tone marks', { 'p.html': '<p>Zhū Yúfū</p>' }],
    ['full-width letters', { 'p.txt': 'Ｚｈｕ Ｙｕｆｕ' }],
    ['zero-width space inside', { 'p.txt': 'Zh\u200bu Yufu' }],
    ['name across a line break', { 'p.html': '<p>Zhu\n        Yufu</p>' }],
    ['Simplified Chinese', { 'p.html': '<p>诗人刘晓波获奖</p>' }],
    ['Traditional Chinese', { 'p.html': '<p>詩人劉曉波獲獎</p>' }],
    ['Chinese split by tags and spaces', { 'p.html': '<p>朱<em>虞</em> 夫</p>' }],
    ['Chinese as numeric entities', { 'p.html': '<p>&#26417;&#34398;&#22827;</p>' }],
    ['CSS content', { 'a.css': '.x::after{content:"\\5a hu Yufu"}' }],
  ];
  for (const [where, files] of places) {
    it(`finds a name planted in: ${where}`, () => {
      const d = found(files);
      expect(d.length).toBeGreaterThan(0);
      expect(d[0].code).toBe('STELE4501');
      expect(d[0].file).toBe(Object.keys(files)[0]);
      expect(d[0].line).toBe(1);
    });
  }

  it('reports the column of an entity-encoded name at its first source character', () => {
    const d = found({ 'p.html': '<p>xx Z&#104;u Yufu</p>' });
    expect(d[0]).toMatchObject({ line: 1, column: 7 });
  });

  it('finds names in file paths and redacts the path segment', () => {
    const d = found({ 'people/zhu-yufu/index.html': CLEAN_PAGE, 'assets/%E5%88%98%E6%99%93%E6%B3%A2.jpg': new Uint8Array([1, 2, 3]) });
    const paths = d.filter((x) => x.code === 'STELE4502');
    expect(paths.map((x) => x.file).sort()).toEqual(['assets/[withheld]', 'people/[withheld]/index.html']);
    expect(paths.map((x) => x.message).join(' ')).toContain('person A');
    expect(paths.map((x) => x.message).join(' ')).toContain('person B');
  });

  it('finds a name inside a binary file (image XMP) and in UTF-16 text', () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0, 40, ...new TextEncoder().encode('<dc:creator>劉曉波</dc:creator>'), 0xff, 0x00, 0xfe]);
    const utf16 = new Uint8Array([0x80, 0x81, ...[...'Zhu Yufu'].flatMap((c) => [c.charCodeAt(0), 0])]);
    const d = found({ 'a.jpg': bytes, 'b.bin': utf16 });
    expect(d.map((x) => [x.file, x.message.includes('person B') ? 'B' : 'A'])).toEqual([
      ['a.jpg', 'B'],
      ['b.bin', 'A'],
    ]);
  });

  it('reports each occurrence once even though several views see it', () => {
    const d = found({ 'p.html': '<p>Zhu Yufu</p>\n<p>Zhu Yufu</p>' });
    expect(d.map((x) => x.line)).toEqual([1, 2]);
  });

  it('does nothing without names', () => {
    expect(checkWithheldNames(site({ 'p.html': '<p>Zhu Yufu</p>' }), [])).toEqual([]);
  });
});
