/**
 * Word boundaries for the search index, from the same segmenter the reader's
 * browser uses.
 *
 * Pagefind's search code splits a Chinese, Japanese or Thai query into words
 * with the browser's `Intl.Segmenter` (ICU) and looks each word up in the
 * index. Its indexer segments the pages with a different library, so the two
 * can disagree about where a word ends, and that segmentation is most of the
 * time Pagefind spends on a Chinese site. Before a page is handed to the
 * indexer, stele therefore marks the word boundaries of that page's text with
 * U+200B ZERO WIDTH SPACE, found by Node's `Intl.Segmenter` for the page's
 * language: the index then holds the words a query is split into, and the
 * indexer has almost nothing left to segment. Only the copy given to the
 * indexer is changed, never a page of the site; the search page removes the
 * marks from the excerpts it shows.
 */

/** The mark put between two words: Pagefind splits on it and browsers do not show it. */
export const WORD_MARK = '\u200b';

/** Primary languages whose queries Pagefind segments with `Intl.Segmenter` (its `needsWordSegmentation`). */
const SEGMENTED_LANGUAGES = new Set(['zh', 'ja', 'th']);

/** Runs of the scripts written without spaces between words. */
const UNSPACED_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\u30fc]+/gu;

/** A text node: what lies between a tag's `>` and the next `<`. */
const TEXT_NODE = />([^<]+)</g;

/**
 * A function that marks the word boundaries in the text of a page of
 * language `lang` (its `<html lang>`, e.g. `zh-hans`) from `marker` on (the
 * indexed part of the page), or `undefined` when queries in that language are
 * not segmented and the page is indexed as it is.
 */
export function createSearchSegmenter(lang: string, marker: string): ((html: string) => string) | undefined {
  if (!SEGMENTED_LANGUAGES.has(lang.split('-')[0]!.toLowerCase())) return undefined;
  let locale: string;
  try {
    locale = Intl.getCanonicalLocales(lang)[0]!;
  } catch {
    return undefined;
  }
  const segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
  const markRun = (run: string): string => {
    if (run.length < 2) return run;
    let out = '';
    for (const { segment } of segmenter.segment(run)) out = out ? out + WORD_MARK + segment : segment;
    return out;
  };
  const markText = (_: string, text: string): string => `>${text.replace(UNSPACED_RUN, markRun)}<`;
  return (html) => {
    const at = html.indexOf(marker);
    if (at < 0) return html;
    return html.slice(0, at) + html.slice(at).replace(TEXT_NODE, markText);
  };
}
