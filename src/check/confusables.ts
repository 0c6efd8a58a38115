/**
 * Skeletons for the withheld-name scan: letters that look alike in other
 * scripts (Cyrillic, Greek, small capitals, Latin variants) fold to the Latin
 * letter they imitate, and Traditional Chinese characters fold to their
 * Simplified form, so a name written with look-alikes or in the other script
 * variant is the same name to the scanner. Both the names and the scanned
 * text are folded the same way.
 */
import { Converter } from 'opencc-js/t2cn';

/** Look-alike → Latin letter (after NFKD; upper and lower case). */
const LOOK_ALIKES: Record<string, string> = {
  // Cyrillic
  А: 'a', В: 'b', Е: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', У: 'y', Х: 'x', Ѕ: 's', І: 'i', Ј: 'j',
  Ԛ: 'q', Ԝ: 'w', Ү: 'y', Һ: 'h', Ӏ: 'l', Ԁ: 'd', Ь: 'b',
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j',
  ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ү: 'y', ɡ: 'g', ѵ: 'v', ԍ: 'g', ѡ: 'w', ъ: 'b', ь: 'b',
  // Greek
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ϲ: 'c', ϳ: 'j',
  // Armenian
  օ: 'o', ս: 'u', հ: 'h', ո: 'n', ց: 'g', զ: 'q',
  // Small capitals and Latin variants
  ᴀ: 'a', ʙ: 'b', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ꜰ: 'f', ɢ: 'g', ʜ: 'h', ɪ: 'i', ᴊ: 'j', ᴋ: 'k', ʟ: 'l', ᴍ: 'm', ɴ: 'n', ᴏ: 'o',
  ᴘ: 'p', ʀ: 'r', ꜱ: 's', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ʏ: 'y', ᴢ: 'z', ı: 'i', ȷ: 'j', ɑ: 'a', ǀ: 'l', ɩ: 'i', ʋ: 'u',
  ɒ: 'a', ɛ: 'e', ɔ: 'o', ꞵ: 'b', ƅ: 'b', ɯ: 'w', ʍ: 'm', ſ: 's',
};

/** The Latin letter a character imitates, or the character itself. */
export function foldLookAlike(ch: string): string {
  return LOOK_ALIKES[ch] ?? ch;
}

let simplified: Map<number, string> | undefined;

/**
 * Traditional → Simplified, character by character (OpenCC's Taiwan table).
 * Built once per process, on first use: one conversion of every CJK
 * ideograph, each on its own line so no phrase rule applies.
 */
function getSimplifiedTable(): Map<number, string> {
  if (simplified) return simplified;
  const convert = Converter({ from: 'tw', to: 'cn' });
  let all = '';
  for (let c = 0x3400; c <= 0x9fff; c++) all += `${String.fromCharCode(c)}\n`;
  const out = convert(all).split('\n');
  const table = new Map<number, string>();
  for (let c = 0x3400, i = 0; c <= 0x9fff; c++, i++) {
    const s = out[i]!;
    if (s.length === 1 && s.charCodeAt(0) !== c) table.set(c, s);
  }
  // One step to the end: folding twice gives what folding once gives.
  for (const [c, s] of table) {
    let end = s;
    for (let k = 0; k < 4 && table.has(end.charCodeAt(0)); k++) end = table.get(end.charCodeAt(0))!;
    table.set(c, end);
  }
  simplified = table;
  return table;
}

/** The Simplified form of one CJK ideograph (itself when it has none). */
export function foldHanVariant(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x3400 || code > 0x9fff) return ch;
  return getSimplifiedTable().get(code) ?? ch;
}

/** Every Traditional character that has a different Simplified form, as a global regex. */
let traditionalPattern: RegExp | undefined;
export function getTraditionalPattern(): RegExp {
  traditionalPattern ??= new RegExp(`[${[...getSimplifiedTable().keys()].map((c) => String.fromCharCode(c)).join('')}]`, 'g');
  return traditionalPattern;
}
