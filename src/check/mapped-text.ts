/**
 * Text transforms that remember, for every output character, the offset of
 * the source character it came from. The withheld-names check searches the
 * transformed text (entities and escapes decoded, tags stripped, case and
 * accents folded) and reports the position in the original file.
 */
import { decodeHTML } from 'entities';
import { foldHanVariant, foldLookAlike, getTraditionalPattern } from './confusables.js';

/** A text plus, for each UTF-16 unit, its offset in the original source. */
export interface MappedText {
  text: string;
  map: number[];
}

/** The identity mapping of `text`. */
export function createMappedText(text: string): MappedText {
  const map = new Array<number>(text.length);
  for (let i = 0; i < text.length; i++) map[i] = i;
  return { text, map };
}

/** Replace matches of `pattern` (global) with `replace(match)`; replaced chars map to the match start. */
function replaceMapped(input: MappedText, pattern: RegExp, replace: (match: string) => string): MappedText {
  let text = '';
  const map: number[] = [];
  let last = 0;
  for (const m of input.text.matchAll(pattern)) {
    const start = m.index;
    for (let i = last; i < start; i++) map.push(input.map[i]);
    text += input.text.slice(last, start);
    const replacement = replace(m[0]);
    if (replacement === m[0]) {
      for (let i = start; i < start + m[0].length; i++) map.push(input.map[i]);
    } else {
      // Spread the replacement over the source: each output unit maps to the
      // proportional source position, so runs like %E6%9C%B1%E8%99%9E stay ordered.
      for (let k = 0; k < replacement.length; k++) {
        const at = start + Math.floor((k * m[0].length) / Math.max(1, replacement.length));
        map.push(input.map[at]);
      }
    }
    text += replacement;
    last = start + m[0].length;
  }
  for (let i = last; i < input.text.length; i++) map.push(input.map[i]);
  text += input.text.slice(last);
  return { text, map };
}

function decodePercentRun(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    // Decode what is valid UTF-8, byte by byte where needed.
    return run.replace(/%([0-9a-fA-F]{2})/g, (m, hex: string) => {
      const byte = Number.parseInt(hex, 16);
      return byte < 0x80 ? String.fromCharCode(byte) : m;
    });
  }
}

const ESCAPES =
  /&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});?|(?:%[0-9a-fA-F]{2})+|\\u\{[0-9a-fA-F]{1,6}\}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\[0-9a-fA-F]{1,6}[ ]?/g;

/**
 * Decode, in one pass: HTML/XML character references, percent-encoding,
 * JavaScript/JSON `\uXXXX`, `\u{…}` and `\xXX` escapes, and CSS `\hex` escapes.
 */
export function decodeEscapes(input: MappedText): MappedText {
  return replaceMapped(input, ESCAPES, decodeEscape);
}

/** `decodeEscapes` on plain text (same result, no offset map). */
export function decodeEscapesText(text: string): string {
  return text.replace(ESCAPES, decodeEscape);
}

/** Decode one match of `ESCAPES`. */
function decodeEscape(m: string): string {
  if (m.startsWith('&')) return decodeHTML(m);
  if (m.startsWith('%')) return decodePercentRun(m);
  let hex: string;
  if (m.startsWith('\\u{')) hex = m.slice(3, -1);
  else if (m.startsWith('\\u') || m.startsWith('\\x')) hex = m.slice(2);
  else hex = m.slice(1).trim();
  const code = Number.parseInt(hex, 16);
  if (!Number.isFinite(code) || code > 0x10ffff) return m;
  return m.startsWith('\\u') && !m.startsWith('\\u{') ? String.fromCharCode(code) : String.fromCodePoint(code);
}

/** Remove markup: comments, tags, CDATA brackets (text between tags stays). */
export function stripMarkup(input: MappedText): MappedText {
  return replaceMapped(input, MARKUP, () => '');
}

/** `stripMarkup` on plain text. */
export function stripMarkupText(text: string): string {
  return text.replace(MARKUP, '');
}

// Ruby annotations (<rt>, <rp>) go with their tags: "李<rt>lǐ</rt>伟" reads 李伟.
const MARKUP = /<r[tp]\b[^<>]*>[^<]{0,200}<\/r[tp]\s*>|<!--[\s\S]*?-->|<!\[CDATA\[|\]\]>|<\/?[A-Za-z!?][^<>]*>/gi;

/** Letters spaced out one by one ("L i  W e i", "Z.h.u"): a run of 3+ single letters. */
const SPACED_LETTERS = /(?<![\p{L}\p{N}])\p{L}(?:[\s\p{Z}\p{Cf}.·・_-]{1,4}\p{L}(?![\p{L}\p{N}])){2,}/gu;
const LETTER_GAP = /[\s\p{Z}\p{Cf}.·・_-]/gu;
const closeGaps = (m: string) => m.replace(LETTER_GAP, '');

/** Close the gaps in letter-spaced runs ("L i W e i" → "LiWei"). */
export function collapseLetterSpacing(input: MappedText): MappedText {
  return replaceMapped(input, SPACED_LETTERS, closeGaps);
}

/** `collapseLetterSpacing` on plain text. */
export function collapseLetterSpacingText(text: string): string {
  return text.replace(SPACED_LETTERS, closeGaps);
}

/** Text after a right-to-left override or isolate, up to its end: shown reversed. */
const RTL_RUN = /[\u202e\u2067][^\u202c\u2069\n]*/g;
const reverseRun = (m: string) => Array.from(m).reverse().join('');

/** True when `text` has right-to-left overrides (only then is the reversed view needed). */
export function hasDirectionOverrides(text: string): boolean {
  return /[\u202e\u2067]/.test(text);
}

/** Reverse the runs a right-to-left override displays backwards ("\u202eieW iL" shows "Li Wei"). */
export function reverseOverrides(input: MappedText): MappedText {
  return replaceMapped(input, RTL_RUN, reverseRun);
}

/** `reverseOverrides` on plain text. */
export function reverseOverridesText(text: string): string {
  return text.replace(RTL_RUN, reverseRun);
}

const IGNORABLE_RANGES: [number, number][] = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xe0000, 0xe0fff],
];

/** Default-ignorable characters (zero-width, bidi controls, variation selectors, soft hyphen). */
function isIgnorable(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  return IGNORABLE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);
}
const MARK = /\p{M}/u;

/**
 * Fold for comparison: compatibility decomposition (full-width → ASCII),
 * accents and other marks removed, invisible characters removed, lower case.
 * ASCII and CJK ideographs (which NFKD leaves alone) take a fast path: this
 * runs over every byte of every built file.
 */
export function foldText(input: MappedText): MappedText {
  const src = input.text;
  const parts: string[] = [];
  const map: number[] = [];
  let i = 0;
  while (i < src.length) {
    const code = src.charCodeAt(i);
    const origin = input.map[i];
    if (code < 0x80) {
      parts.push(code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : src[i]!);
      map.push(origin);
      i++;
      continue;
    }
    if (code >= 0x4e00 && code <= 0x9fff) {
      parts.push(foldHanVariant(src[i]!));
      map.push(origin);
      i++;
      continue;
    }
    const cp = src.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    let folded = FOLD_CACHE.get(cp);
    if (folded === undefined) {
      folded = foldCharacter(String.fromCodePoint(cp));
      FOLD_CACHE.set(cp, folded);
    }
    if (!folded) continue;
    parts.push(folded);
    for (let k = 0; k < folded.length; k++) map.push(origin);
  }
  return { text: parts.join(''), map };
}

const FOLD_CACHE = new Map<number, string>();
const NOT_FAST = /[^\u0000-\u007f\u4e00-\u9fff]/gu;

/**
 * `foldText` on plain text, with the same result: characters outside the fast
 * ranges are folded one by one (cached), then ASCII capitals lowered. Used to
 * rule out files quickly; positions come from `foldText` only when needed.
 */
export function foldPlainText(text: string): string {
  return text
    .replace(NOT_FAST, (ch) => {
      const cp = ch.codePointAt(0)!;
      let folded = FOLD_CACHE.get(cp);
      if (folded === undefined) {
        folded = foldCharacter(ch);
        FOLD_CACHE.set(cp, folded);
      }
      return folded;
    })
    .replace(/[A-Z]+/g, (m) => m.toLowerCase())
    .replace(/[\u4e00-\u9fff]/.test(text) ? getTraditionalPattern() : NEVER, foldHanVariant);
}

const NEVER = /(?!)/g;

/**
 * Fold one character: '' when ignorable, else NFKD without marks, look-alikes
 * from other scripts to the Latin letter they imitate, Traditional ideographs
 * to Simplified, lower-cased.
 */
function foldCharacter(ch: string): string {
  if (isIgnorable(ch)) return '';
  let out = '';
  for (const part of foldLookAlike(ch).normalize('NFKD')) if (!MARK.test(part)) out += foldHanVariant(foldLookAlike(part)).toLowerCase();
  return out;
}
