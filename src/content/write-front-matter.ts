/**
 * Writing content files: the kind → folder table and a front-matter writer
 * whose output `parseFrontMatter` reads back to the same data. Shared by
 * `stele new` and `stele import`.
 */

import type { LanguageCode } from '../config/languages.js';
import { suggestPinyin } from './chinese.js';

/** Kinds of content file `stele new` can create. */
export const CONTENT_KINDS = ['post', 'page', 'campaign', 'person', 'event'] as const;

/** One of {@link CONTENT_KINDS}. */
export type ContentKind = (typeof CONTENT_KINDS)[number];

/** The folder under `content/` where each kind lives. */
export const CONTENT_FOLDERS: Readonly<Record<ContentKind, string>> = {
  post: 'posts',
  page: 'pages',
  campaign: 'campaigns',
  person: 'people',
  event: 'events',
};

/** A value the front-matter writer can serialise. */
export type FrontMatterValue = string | number | boolean | null | readonly FrontMatterValue[] | { readonly [key: string]: FrontMatterValue | undefined };

/** Front-matter fields in the order they are written (`undefined` fields are left out). */
export type FrontMatterFields = { readonly [key: string]: FrontMatterValue | undefined };

/** Strings written without quotes: words, slugs, dates. Anything else is a JSON (YAML double-quoted) string. */
const PLAIN = /^(?:[a-z][a-z0-9-]*|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)$/;
/** Words YAML would read as something other than a string. */
const RESERVED = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n']);
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Remove lone UTF-16 surrogates, which YAML cannot represent. */
function stripLoneSurrogates(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function formatScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`front matter: cannot write ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (PLAIN.test(value) && !RESERVED.has(value)) return value;
  return JSON.stringify(stripLoneSurrogates(value));
}

function formatKey(key: string): string {
  return PLAIN_KEY.test(key) && !RESERVED.has(key.toLowerCase()) ? key : JSON.stringify(stripLoneSurrogates(key));
}

function isEmptyCollection(value: FrontMatterValue): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (value !== null && typeof value === 'object') return Object.values(value).every((v) => v === undefined);
  return false;
}

function formatMapping(fields: FrontMatterFields, indent: string): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    lines.push(...formatEntry(`${indent}${formatKey(key)}:`, value, indent));
  }
  return lines;
}

function formatEntry(head: string, value: FrontMatterValue, indent: string): string[] {
  if (value === null || typeof value !== 'object') return [`${head} ${formatScalar(value)}`];
  if (isEmptyCollection(value)) return [`${head} ${Array.isArray(value) ? '[]' : '{}'}`];
  if (Array.isArray(value)) return [head, ...formatSequence(value, `${indent}  `)];
  return [head, ...formatMapping(value as FrontMatterFields, `${indent}  `)];
}

function formatSequence(items: readonly FrontMatterValue[], indent: string): string[] {
  const lines: string[] = [];
  for (const item of items) {
    if (item === null || typeof item !== 'object' || isEmptyCollection(item)) {
      lines.push(...formatEntry(`${indent}-`, item, indent));
    } else if (Array.isArray(item)) {
      lines.push(`${indent}-`, ...formatSequence(item, `${indent}  `));
    } else {
      // A mapping inside a sequence: the first key shares the dash's line.
      const inner = formatMapping(item as FrontMatterFields, `${indent}  `);
      inner[0] = `${indent}- ${inner[0]!.slice(indent.length + 2)}`;
      lines.push(...inner);
    }
  }
  return lines;
}

/**
 * Serialise `fields` as a `---` front-matter block followed by `body`.
 * Keys keep their order; strings that are not plain words or dates are
 * double-quoted, so titles never change meaning in YAML.
 */
export function formatContentFile(fields: FrontMatterFields, body: string): string {
  const lines = formatMapping(fields, '');
  const text = body.length ? (body.startsWith('\n') ? body : `\n${body}`) : '';
  return `---\n${lines.join('\n')}\n---\n${text.endsWith('\n') || !text ? text : `${text}\n`}`;
}

/**
 * Front matter and placeholder body that `stele new` starts a file of `kind`
 * with, in `lang`: a draft whose required fields hold placeholders that pass
 * validation, so the site builds as soon as the draft flag is removed.
 */
export function createNewContent(kind: ContentKind, title: string, date: string, lang: LanguageCode = 'en'): string {
  const zh = lang !== 'en';
  const text = (value: string): FrontMatterFields => ({ [lang]: value });
  const names: FrontMatterFields = zh ? { en: suggestPinyin(title), [lang]: title } : { en: title };
  const extra: Record<ContentKind, FrontMatterFields> = {
    post: { date, tags: [] },
    page: {},
    campaign: { date, status: 'active', goal: text(title), subjects: [], actions: [] },
    person: { names, status: 'unknown', sources: [] },
    event: { date, kind: 'rally', start: date, place: { name: text(zh ? '待定' : 'To be announced') }, roster: [] },
  };
  return formatContentFile({ title, ...extra[kind], draft: true }, zh ? '在此写作。\n' : 'Write here.\n');
}

/**
 * The translation of an existing content file: the title (the original's
 * until translated), its translation key when the original sets one, a draft
 * flag, and the original's body to translate. Every other field is taken
 * from the original when the site is built.
 */
export function createTranslationContent(original: { title: string; translationKey?: string; body: string }, title?: string): string {
  return formatContentFile(
    { title: title ?? original.title, translationKey: original.translationKey, draft: true },
    original.body.replace(/^\n+/, ''),
  );
}
