/**
 * Languages stele knows how to build. Authors write `en` and `zh-Hans`; `zh-Hant`
 * is derived from `zh-Hans` unless a `.zh-Hant.md` file exists.
 */

/** A BCP 47 language tag stele supports. */
export type LanguageCode = 'en' | 'zh-Hans' | 'zh-Hant';

export interface LanguageInfo {
  code: LanguageCode;
  /** Name of the language in itself, for the switcher. */
  label: string;
  /** File-name suffixes that select this language: `post.en.md`, `post.zh.md`. */
  suffixes: string[];
  /** URL folder for non-default languages. */
  dir: string;
  /** `lang` attribute value. */
  htmlLang: string;
}

/** Every supported language. */
export const LANGUAGES: Record<LanguageCode, LanguageInfo> = {
  en: { code: 'en', label: 'English', suffixes: ['en'], dir: 'en', htmlLang: 'en' },
  'zh-Hans': { code: 'zh-Hans', label: '简体中文', suffixes: ['zh', 'zh-Hans', 'zh-hans'], dir: 'zh-hans', htmlLang: 'zh-Hans' },
  'zh-Hant': { code: 'zh-Hant', label: '繁體中文', suffixes: ['zh-Hant', 'zh-hant'], dir: 'zh-hant', htmlLang: 'zh-Hant' },
};

/** Find the language a file-name suffix selects. */
export function resolveLanguageSuffix(suffix: string): LanguageCode | undefined {
  for (const info of Object.values(LANGUAGES)) if (info.suffixes.includes(suffix)) return info.code;
  return undefined;
}

/** True for Chinese languages. */
export function isChinese(lang: LanguageCode): boolean {
  return lang !== 'en';
}
