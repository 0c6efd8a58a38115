/**
 * Simplified → Traditional conversion and pinyin suggestions.
 *
 * Conversion uses OpenCC's `cn → tw` preset: Simplified characters to
 * Traditional characters in Taiwan-standard glyph forms, character by
 * character with OpenCC's phrase tables for one-to-many characters (发 → 發/髮).
 * We deliberately do NOT use `twp`, which also swaps vocabulary (软件 → 軟體,
 * 网络 → 網路): rewriting words changes the authors' voice, can change the
 * meaning of quoted statements, and can alter proper nouns. Where a site
 * wants a different word or a pinned spelling of a name, it lists the term in
 * `overrides` (Simplified → Traditional); overrides are applied first, as
 * whole terms, longest first, and OpenCC never touches their output.
 *
 * The converter is Markdown-aware: code spans, fenced code, link and image
 * destinations, autolinks, bare URLs, HTML tags and reference definitions
 * are left byte-for-byte alone (a URL with 发 in its path must keep working).
 */
import { Converter } from 'opencc-js/cn2t';
import { pinyin } from 'pinyin-pro';

/** Converts one string. */
export type TextConverter = (text: string) => string;

let baseConverter: TextConverter | undefined;

/**
 * Let go of OpenCC's dictionaries (about 40 MB of tries once loaded): for a
 * process that converts nothing more (a `stele build` past its site stage).
 * A conversion after this loads them again.
 */
export function releaseTraditionalDictionaries(): void {
  baseConverter = undefined;
}

function getBaseConverter(): TextConverter {
  const existing = baseConverter;
  if (existing) return existing;
  const created: TextConverter = Converter({ from: 'cn', to: 'tw' });
  baseConverter = created;
  return created;
}

/**
 * Regions of Markdown/HTML that must not be converted, in priority order.
 * Each alternative consumes a whole protected region.
 */
const PROTECTED = new RegExp(
  [
    // fenced code blocks (``` or ~~~), to the closing fence or end of text
    String.raw`(?:^|\n)[ \t]{0,3}(\`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:\n[ \t]{0,3}\1[ \t]*(?=\n|$)|$)`,
    // inline code spans (same-length backtick runs)
    String.raw`(\`+)[\s\S]*?\2`,
    // link / image destinations: ](url "title")
    String.raw`\]\([^)\s]*(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)`,
    // reference definitions: the destination of `[label]: url` (the label is converted like its uses).
    // The cheap lookahead runs first, so the variable-length lookbehind is only tried at `]:`.
    String.raw`(?=\]:)(?<=(?:^|\n)[ \t]{0,3}\[[^\]\n]+)\]:[ \t]*\S+`,
    // HTML comments
    String.raw`<!--[\s\S]*?-->`,
    // autolinks and HTML tags (attributes may hold URLs)
    String.raw`<[A-Za-z/!][^<>\n]*>`,
    // bare URLs
    String.raw`\b(?:https?|ftp|mailto):[^\s<>()\[\]]+`,
  ].join('|'),
  'g',
);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Create a Simplified → Traditional converter for Markdown or prose.
 * `overrides` maps Simplified terms to the exact Traditional text to use.
 */
export function createTraditionalConverter(overrides: Record<string, string> = {}): TextConverter {
  // OpenCC's dictionaries load on the first text that needs them: a rebuild whose conversions all
  // come from the cache never loads them (about 0.3 s). Not kept here, so that they can be let go of.
  const convert = (text: string) => getBaseConverter()(text);
  const keys = Object.keys(overrides)
    .filter((k) => k.length > 0)
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const overrideRe = keys.length ? new RegExp(keys.map(escapeRegExp).join('|'), 'g') : undefined;
  const convertProse = (text: string): string => {
    if (!overrideRe) return convert(text);
    let out = '';
    let last = 0;
    for (const m of text.matchAll(overrideRe)) {
      out += convert(text.slice(last, m.index)) + overrides[m[0]]!;
      last = m.index + m[0].length;
    }
    return out + convert(text.slice(last));
  };
  return (text: string): string => {
    if (!/[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u.test(text)) return text;
    let out = '';
    let last = 0;
    for (const m of text.matchAll(PROTECTED)) {
      out += convertProse(text.slice(last, m.index)) + m[0];
      last = m.index + m[0].length;
    }
    return out + convertProse(text.slice(last));
  };
}

/** Two-character surnames pinyin-pro must read as one unit, for splitting given names. */
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '诸葛', '上官', '皇甫', '令狐', '东方', '慕容', '尉迟', '公孙', '夏侯', '长孙', '宇文', '司徒',
  '端木', '澹台', '轩辕', '西门', '南宫', '呼延', '万俟', '闻人', '申屠', '百里', '独孤', '东郭', '太史', '赫连',
  '歐陽', '司馬', '諸葛', '東方', '尉遲', '公孫', '長孫', '軒轅', '西門', '南宮', '聞人', '獨孤', '東郭', '赫連',
]);

/** Split a Chinese personal name into surname and given name (compound surnames recognised). */
export function splitChineseName(hanzi: string): { surname: string; given: string } {
  const chars = [...hanzi.replace(/[\s·・]/g, '')];
  const two = chars.slice(0, 2).join('');
  if (chars.length > 2 && COMPOUND_SURNAMES.has(two)) return { surname: two, given: chars.slice(2).join('') };
  return { surname: chars[0] ?? '', given: chars.slice(1).join('') };
}

function capitalise(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** Pinyin syllables of a name, reading the surname with surname readings (单 → Shan). */
export function toPinyinSyllables(hanzi: string, options: { tones?: boolean } = {}): string[] {
  const clean = hanzi.replace(/[\s·・]/g, '');
  return pinyin(clean, {
    type: 'array',
    toneType: options.tones ? 'symbol' : 'none',
    mode: 'surname',
    surname: 'head',
    v: false,
    nonZh: 'removed',
  }) as string[];
}

/**
 * Suggest a Latin form of a Chinese name: surname first, given name joined,
 * both capitalised ("朱虞夫" → "Zhu Yufu", "欧阳修" → "Ouyang Xiu"). Only a
 * suggestion for `stele check`; names are never inserted without a person
 * confirming the spelling. Returns '' when the text has no Chinese characters.
 */
export function suggestPinyin(hanzi: string): string {
  const { surname, given } = splitChineseName(hanzi);
  if (!surname) return '';
  const s = toPinyinSyllables(surname).join('');
  const g = given ? toPinyinSyllables(given).join('') : '';
  return [capitalise(s), capitalise(g)].filter(Boolean).join(' ');
}

/**
 * Surnames that keep their form in Traditional Chinese although the same
 * character is converted in prose (朴素 → 樸素, but the surname 朴 stays 朴;
 * 余 → 餘 in prose, but the writer 余华 is 余華).
 */
const SURNAMES_KEPT = new Set(['朴', '余', '于', '范', '党', '种', '干', '后', '台', '丑', '郁', '占', '涂', '岳', '姜', '谷', '沈', '仇']);

/**
 * Convert a Chinese personal name to Traditional: the surname with
 * surname-specific rules (see `SURNAMES_KEPT`), the given name with the
 * prose converter. Use this, not the prose converter, for `names.zh-Hans`;
 * a hand-written `names.zh-Hant` always wins over either.
 */
export function convertPersonName(hanzi: string, toTraditional: TextConverter): string {
  const { surname, given } = splitChineseName(hanzi);
  if (!surname) return toTraditional(hanzi);
  const sur = surname.length === 1 && SURNAMES_KEPT.has(surname) ? surname : toTraditional(surname);
  return sur + (given ? toTraditional(given) : '');
}

/** True when the text contains Han characters. */
export function containsHan(text: string): boolean {
  return /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u.test(text);
}
