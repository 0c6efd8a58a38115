/**
 * The front-matter writer shared by `stele new` and `stele import`: whatever it
 * writes, `parseFrontMatter` reads back as the same data.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../../src/content/front-matter.js';
import { CONTENT_FOLDERS, CONTENT_KINDS, createNewContent, type FrontMatterValue, formatContentFile } from '../../src/content/write-front-matter.js';

describe('formatContentFile', () => {
  it('writes nested maps, lists of maps and empty collections', () => {
    const text = formatContentFile(
      { title: 'A: "quoted" title', date: '2012-02-14', tags: ['rights', '言论自由'], empty: [], comments: [{ author: 'Ann', date: '2012-02-15T10:00:00Z', body: 'Hi\nthere' }], draft: true, skip: undefined },
      'Body\n',
    );
    expect(text).toBe(
      '---\ntitle: "A: \\"quoted\\" title"\ndate: 2012-02-14\ntags:\n  - rights\n  - "言论自由"\nempty: []\ncomments:\n  - author: "Ann"\n    date: 2012-02-15T10:00:00Z\n    body: "Hi\\nthere"\ndraft: true\n---\n\nBody\n',
    );
    const parsed = parseFrontMatter(text, 'x.md');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.data).toEqual({ title: 'A: "quoted" title', date: '2012-02-14', tags: ['rights', '言论自由'], empty: [], comments: [{ author: 'Ann', date: '2012-02-15T10:00:00Z', body: 'Hi\nthere' }], draft: true });
    expect(parsed.body).toBe('\nBody\n');
  });

  it('round-trips any strings, including YAML keywords and lone surrogates', () => {
    const value: fc.Arbitrary<FrontMatterValue> = fc.letrec<{ v: FrontMatterValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'grapheme' }),
        fc.constantFrom('true', 'null', 'no', '2012-01-01', '-', '#', '', ' a', 'a '),
        fc.integer(),
        fc.boolean(),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(fc.string({ minLength: 1 }), tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), value, { minKeys: 1, maxKeys: 5 }), (fields) => {
        const parsed = parseFrontMatter(formatContentFile(fields, 'x'), 'x.md');
        expect(parsed.diagnostics).toEqual([]);
        expect(parsed.data).toEqual(fields);
      }),
    );
    const lone = parseFrontMatter(formatContentFile({ title: 'a\ud800b' }, ''), 'x.md');
    expect(lone.data).toEqual({ title: 'a\ufffdb' });
  });

  it('has a folder for every kind that `stele new` creates, and valid starter files', () => {
    for (const kind of CONTENT_KINDS) {
      expect(CONTENT_FOLDERS[kind]).toMatch(/^[a-z]+$/);
      const parsed = parseFrontMatter(createNewContent(kind, 'T', '2026-01-02'), 'x.md');
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.data).toMatchObject({ title: 'T', draft: true });
    }
  });
});
