/**
 * Word marks for the search index (`createSearchSegmenter`): Chinese pages get
 * U+200B between the words `Intl.Segmenter` reads, in the indexed part of the
 * page only, and removing the marks gives back the page byte for byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSearchSegmenter, WORD_MARK } from '../../src/site/search-segment.js';

const MARKER = 'data-pagefind-body';
/** The words of `text` as the browser's segmenter reads them, joined by the mark. */
const words = (locale: string, text: string) => [...new Intl.Segmenter(locale, { granularity: 'word' }).segment(text)].map((s) => s.segment).join(WORD_MARK);
const page = (lang: string, title: string, body: string) =>
  `<!doctype html><html lang="${lang}"><head><title>${title}</title></head><body><nav>${title}</nav><main ${MARKER}><h1>${title}</h1>${body}</main></body></html>`;

describe('createSearchSegmenter', () => {
  it('marks word boundaries in the indexed text of a Chinese page, and nowhere else', () => {
    const segment = createSearchSegmenter('zh-hans', MARKER)!;
    const html = page('zh-hans', '中国人权捍卫者', '<p title="人权捍卫者">他们在2008年成立，记录被拘留的人。</p>');
    const marked = segment(html);
    const [head, main] = [marked.slice(0, marked.indexOf(MARKER)), marked.slice(marked.indexOf(MARKER))];
    expect(head).toBe(html.slice(0, html.indexOf(MARKER)));
    expect(main).toContain(`<h1>${words('zh-Hans', '中国人权捍卫者')}</h1>`);
    expect(main).toContain(`中国${WORD_MARK}人权`);
    // Attributes are not text: left as they are.
    expect(main).toContain('title="人权捍卫者"');
    // Digits, Latin and punctuation are not touched; only runs of Han characters are split.
    expect(main).toContain('2008');
    expect(main.replaceAll(WORD_MARK, '')).toBe(html.slice(html.indexOf(MARKER)));
  });

  it('uses the Traditional Chinese segmenter for zh-hant pages', () => {
    const segment = createSearchSegmenter('zh-hant', MARKER)!;
    const marked = segment(page('zh-hant', '維權網', '<p>中國人權捍衛者</p>'));
    expect(marked).toContain(`<p>${words('zh-Hant', '中國人權捍衛者')}</p>`);
    expect(marked).toContain(`中國${WORD_MARK}人權`);
  });

  it('leaves pages in spaced languages, and unknown ones, to the indexer', () => {
    expect(createSearchSegmenter('en', MARKER)).toBeUndefined();
    expect(createSearchSegmenter('ko', MARKER)).toBeUndefined();
    expect(createSearchSegmenter('unknown', MARKER)).toBeUndefined();
    expect(createSearchSegmenter('ja', MARKER)).toBeTypeOf('function');
  });

  it('leaves a page without the marker as it is', () => {
    const html = '<html lang="zh-hans"><body><p>中国人权捍卫者</p></body></html>';
    expect(createSearchSegmenter('zh-hans', MARKER)!(html)).toBe(html);
  });

  it('only ever adds word marks: removing them gives back the page', () => {
    const segment = createSearchSegmenter('zh-hans', MARKER)!;
    const chunk = fc.constantFrom('中国', '人权', '捍卫者', '的', '<p>', '</p>', '<a href="/x">', '</a>', 'abc', ' ', '，', '。', '2008', '&amp;', '<br>', '>', '石爱钦');
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 40 }), fc.array(chunk, { maxLength: 10 }), (body, head) => {
        const html = `<html lang="zh-hans"><head>${head.join('')}</head><body><main ${MARKER}>${body.join('')}</main></body></html>`;
        const marked = segment(html);
        expect(marked.replaceAll(WORD_MARK, '')).toBe(html);
        expect(marked.slice(0, marked.indexOf(MARKER))).toBe(html.slice(0, html.indexOf(MARKER)));
      }),
    );
  });
});
