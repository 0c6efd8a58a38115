/**
 * Localized strings inside structured (non-prose) front matter:
 * `{ en: "...", "zh-Hans": "..." }`. `zh-Hant` is optional and is otherwise
 * generated from `zh-Hans` with the site's Traditional converter.
 */
import { z } from 'zod';
import type { ContentLang } from '../edtf.js';

/** A string in one or more languages. */
export interface LocalizedString {
  en?: string;
  'zh-Hans'?: string;
  'zh-Hant'?: string;
}

/** A person's name in each script; same shape as {@link LocalizedString}. */
export type PersonNames = LocalizedString;

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** Zod schema for a {@link LocalizedString}; at least one language is required. */
export const localizedStringSchema = z
  .strictObject({ en: nonEmpty.optional(), 'zh-Hans': nonEmpty.optional(), 'zh-Hant': nonEmpty.optional() })
  .refine((v) => v.en !== undefined || v['zh-Hans'] !== undefined || v['zh-Hant'] !== undefined, {
    message: 'give the text in at least one language: { en: "...", zh-Hans: "..." }',
  });

/** A localized string resolved for one page: the text and the language it is actually in. */
export interface ResolvedText {
  text: string;
  /** The language of `text`; differs from the page language on fallback, so templates can set `lang`. */
  lang: ContentLang;
}

/**
 * Pick the text for `lang`. zh-Hant falls back to converting zh-Hans (when a
 * converter is given), then to zh-Hans, then English; zh-Hans falls back to
 * zh-Hant, then English; English falls back to zh-Hans, then zh-Hant.
 */
export function resolveLocalized(
  value: LocalizedString | undefined,
  lang: ContentLang,
  toTraditional?: (s: string) => string,
): ResolvedText | undefined {
  if (!value) return undefined;
  const en = value.en;
  const hans = value['zh-Hans'];
  const hant = value['zh-Hant'];
  if (lang === 'en') {
    if (en) return { text: en, lang: 'en' };
    if (hans) return { text: hans, lang: 'zh-Hans' };
    if (hant) return { text: hant, lang: 'zh-Hant' };
    return undefined;
  }
  if (lang === 'zh-Hant') {
    if (hant) return { text: hant, lang: 'zh-Hant' };
    if (hans && toTraditional) return { text: toTraditional(hans), lang: 'zh-Hant' };
    if (hans) return { text: hans, lang: 'zh-Hans' };
    if (en) return { text: en, lang: 'en' };
    return undefined;
  }
  if (hans) return { text: hans, lang: 'zh-Hans' };
  if (hant) return { text: hant, lang: 'zh-Hant' };
  if (en) return { text: en, lang: 'en' };
  return undefined;
}

/** {@link resolveLocalized} returning just the text ('' when missing). */
export function resolveLocalizedText(
  value: LocalizedString | undefined,
  lang: ContentLang,
  toTraditional?: (s: string) => string,
): string {
  return resolveLocalized(value, lang, toTraditional)?.text ?? '';
}
