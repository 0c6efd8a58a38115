/**
 * The cheap plain-string views used to rule files out must equal the text of
 * the offset-mapped views, or a withheld name could slip past the prefilter.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createMappedText, decodeEscapes, decodeEscapesText, foldPlainText, foldText, stripMarkup, stripMarkupText } from '../../src/check/mapped-text.js';
import { createSearchTexts, createSearchViews } from '../../src/check/withheld-names.js';

const tricky = fc.constantFrom('İ', 'Σ', 'ς', 'ß', 'Ｚｈｕ', 'é', 'ü', '\u200b', '\u00ad', '朱虞夫', '朱', '&#26417;', '%E6%9C%B1', '\\u6731', '<b>', '</i>', '<!-- x -->', 'ﬁ', '㈱', '\ud83d\ude00', 'ǅ', 'Ⅻ');
const text = fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), tricky), { maxLength: 30 }).map((a) => a.join(''));

describe('plain-string views equal the mapped views', () => {
  it('foldPlainText = foldText(...).text', () => {
    fc.assert(fc.property(text, (s) => foldPlainText(s) === foldText(createMappedText(s)).text), { numRuns: 500 });
  });
  it('decodeEscapesText and stripMarkupText match their mapped twins', () => {
    fc.assert(
      fc.property(text, (s) => {
        const m = createMappedText(s);
        return decodeEscapesText(s) === decodeEscapes(m).text && stripMarkupText(s) === stripMarkup(m).text;
      }),
      { numRuns: 500 },
    );
  });
  it('createSearchTexts holds every view createSearchViews searches', () => {
    fc.assert(
      fc.property(text, (s) => {
        const plain = new Set(createSearchTexts(s));
        return createSearchViews(s).every((v) => plain.has(v.text));
      }),
      { numRuns: 300 },
    );
  });
});
