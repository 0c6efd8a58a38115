/**
 * Stage `content`: read every Markdown file under `content/`, parse and
 * validate its front matter, pair translations, derive Traditional Chinese,
 * and return typed entries plus every problem found (all of them, in one run).
 */
import type { ResolvedConfig } from '../config/resolve-config.js';
import { type LanguageCode, LANGUAGES, resolveLanguageSuffix } from '../config/languages.js';
import { createDiagnostic } from '../errors/catalogue.js';
import {
  ContentBadFileName,
  ContentDuplicateLanguage,
  ContentDuplicateSlug,
  ContentLanguageNotConfigured,
  ContentMissingTranslation,
  ContentNotUtf8,
  ContentOrphanTranslation,
  ContentReservedSlug,
  ContentUnknownCollection,
  ContentUnsafeName,
} from '../errors/codes-core.js';
import { type Diagnostic, sortDiagnostics } from '../errors/diagnostic.js';
import { mapZodIssues, type PathLocator } from '../errors/zod-issues.js';
import type { Host } from '../io/host.js';
import { joinKey, type Memo } from '../io/memo.js';
import type { BaseFrontMatter } from './base-schema.js';
import { type CollectionDefinition, type CollectionName, RESERVED_SLUGS } from './collection-registry.js';
import { containsHan } from './chinese.js';
import { collectWithheldNames, type WithheldName } from './consent.js';
import { resolveContentReferenceLink } from './content-reference.js';
import { createLazyLocator, isLazyLocator, type ParsedFrontMatter, parseFrontMatter } from './front-matter.js';
import { explainUnsafeSlug, splitContentFileName, stripDatePrefix } from './names.js';

/** Validated front matter: base fields plus the collection's own. */
export type EntryData = BaseFrontMatter & Record<string, unknown>;

/** One page's source in one language. */
export interface ContentEntry {
  /** `collection/key/lang`, unique. */
  id: string;
  collection: CollectionName;
  /** Translation key shared by all languages of the same page. */
  key: string;
  lang: LanguageCode;
  /** Project-relative source path (for diagnostics); the zh-Hans source for derived entries. */
  file: string;
  slug: string;
  data: EntryData;
  /** Markdown body. */
  body: string;
  /** 1-based line of the body's first line in `file`. */
  bodyLine: number;
  /** True when generated (Traditional Chinese from Simplified). */
  derived: boolean;
  /** Line of each front-matter `src:` value (covers, portraits, photos), for diagnostics about the file it names. */
  srcLines?: Record<string, number>;
}

/** The content stage's result. */
export interface ContentSet {
  entries: ContentEntry[];
  /** Lookup: collection → key → lang → entry. */
  byKey: Map<string, Map<LanguageCode, ContentEntry>>;
  /** Non-Markdown files under content/ (images and attachments), project-relative. */
  assets: string[];
  /** Every Markdown file found, valid or not, project-relative (links to a file with errors are not reported twice). */
  files: string[];
  diagnostics: Diagnostic[];
  /**
   * Every name written in a roster entry that is not plainly published in full
   * (in every spelling), read from the raw front matter of every file, valid
   * or not: diagnostics must never print them (see `createNameRedactor`).
   */
  protectedNames?: WithheldName[];
  /** Line ranges (1-based, inclusive) of roster blocks by file: code frames never show them. */
  protectedLines?: Record<string, [number, number][]>;
}

/** Options for `loadContent`. */
export interface LoadContentOptions {
  collections: Map<CollectionName, CollectionDefinition>;
  /** Converts Simplified to Traditional Chinese text (zh-Hant derivation). */
  toTraditional?: (text: string) => string;
  /**
   * Extra cross-field validation per entry (advocacy collections); `original`
   * is true for the entry that holds the group's structured fields.
   */
  validateEntry?: (entry: ContentEntry, locate: PathLocator, info: { original: boolean }) => Diagnostic[];
  /**
   * Files read by earlier builds in this process (`stele dev`), by path and
   * bytes: an unchanged file is not decoded, scanned or parsed again. Its data
   * is only read (validation makes new objects), so sharing it between builds is safe.
   */
  frontMatterMemo?: Memo<ParsedSource>;
  /**
   * What `toTraditional` converts with (its overrides), when one conversion
   * gives the same text in every build (\`stele dev\`): a zh-Hant entry derived
   * from the very same zh-Hans entry object with the same key is reused.
   */
  traditionalKey?: string;
}

/** Derived zh-Hant entries by their zh-Hans entry object (entries are never changed once made). */
const DERIVED = new WeakMap<ContentEntry, { key: string; entry: ContentEntry }>();

/** A content file as read before validation: its roster lines and its parsed front matter. */
export interface ParsedSource {
  rosterLines: [number, number][];
  fm: ParsedFrontMatter;
  /**
   * The entry validation made of this file the last time, and the memo key of
   * the original it was validated against ('' for an original): the same
   * bytes against the same original validate to the same entry. Kept only
   * when validation reported nothing.
   */
  validated?: { originalKey: string; entry: ContentEntry };
  /**
   * The file's text up to its body (front matter and delimiters), kept so that
   * `.stele/cache` can store the parse without its locator and make the locator
   * again, by parsing only this, when a diagnostic needs it.
   */
  head?: string;
}

interface RawFile {
  file: string;
  collection: CollectionName;
  base: string;
  lang: LanguageCode;
  key: string;
  data: Record<string, unknown>;
  body: string;
  bodyLine: number;
  locate: PathLocator;
  /** The file as remembered between builds (`frontMatterMemo`), with its memo key. */
  source?: { key: string; parsed: ParsedSource };
}

/**
 * The original of a translation group: the default-language entry, or, for a
 * page written only in other languages, the first one written by hand in the
 * order of `languages`.
 */
export function resolveGroupOriginal(
  group: ReadonlyMap<LanguageCode, ContentEntry>,
  languages: readonly LanguageCode[],
  defaultLanguage: LanguageCode,
): ContentEntry | undefined {
  const def = group.get(defaultLanguage);
  if (def) return def;
  for (const lang of languages) {
    const e = group.get(lang);
    if (e && !e.derived) return e;
  }
  return [...group.values()].find((e) => !e.derived);
}

/** Group key for translations. */
export function entryGroupKey(collection: CollectionName, key: string): string {
  return `${collection}/${key}`;
}

/** Load and validate all content. Never throws for bad content. */
export async function loadContent(config: ResolvedConfig, host: Host, options: LoadContentOptions): Promise<ContentSet> {
  const diagnostics: Diagnostic[] = [];
  const contentRel = config.contentDirAbs.startsWith(`${config.root}/`)
    ? config.contentDirAbs.slice(config.root.length + 1)
    : config.contentDirAbs;
  const files = await host.fs.listFiles(config.contentDirAbs);
  const assets: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const suffixList = config.languages.flatMap((l) => LANGUAGES[l].suffixes.slice(0, 1)).join(', ');

  // Read in parallel; parse in order (deterministic diagnostics).
  const mdFiles = files.filter((f) => f.endsWith('.md'));
  for (const f of files) if (!f.endsWith('.md') && !f.split('/').some((s) => s.startsWith('.'))) assets.push(`${contentRel}/${f}`);
  const mdPaths = mdFiles.map((f) => `${config.contentDirAbs}/${f}`);
  const sources = host.fs.readFiles ? await host.fs.readFiles(mdPaths) : await Promise.all(mdPaths.map((p) => host.fs.readFile(p)));

  const raws: RawFile[] = [];
  const protectedNames: WithheldName[] = [];
  const protectedLines: Record<string, [number, number][]> = {};
  mdFiles.forEach((rel, i) => {
    const file = `${contentRel}/${rel}`;
    const parts = rel.split('/');
    const folder = parts[0]!;
    const collection = options.collections.get(folder as CollectionName);
    if (!collection || parts.length < 2) {
      diagnostics.push(
        createDiagnostic(ContentUnknownCollection, { file }, parts.length < 2 ? '(top level)' : folder, [...options.collections.keys()].join(', ')),
      );
      return;
    }
    const fileName = parts[parts.length - 1]!;
    const { base, suffix } = splitContentFileName(fileName);
    const lang = suffix ? resolveLanguageSuffix(suffix) : undefined;
    if (!lang) {
      diagnostics.push(createDiagnostic(ContentBadFileName, { file }, fileName, suffixList));
      return;
    }
    if (!config.languages.includes(lang)) {
      diagnostics.push(createDiagnostic(ContentLanguageNotConfigured, { file }, lang));
      return;
    }
    const unsafe = explainUnsafeSlug(base);
    if (unsafe) {
      diagnostics.push(createDiagnostic(ContentUnsafeName, { file }, base, unsafe));
      return;
    }
    // The same file with the same bytes: decoded, scanned and parsed by an earlier build (`stele dev`).
    const memoKey = options.frontMatterMemo ? joinKey(file, sources[i]!) : '';
    let parsed = options.frontMatterMemo?.get(memoKey);
    if (!parsed) {
      let text: string;
      try {
        text = decoder.decode(sources[i]);
      } catch {
        diagnostics.push(createDiagnostic(ContentNotUtf8, { file, line: 1, column: 1 }));
        return;
      }
      const fm = parseFrontMatter(text, file);
      parsed = { rosterLines: findRosterLines(text), fm, ...(text.endsWith(fm.body) ? { head: text.slice(0, text.length - fm.body.length) } : {}) };
      // Only clean parses are kept: a file with errors is read again until fixed.
      if (!parsed.fm.diagnostics.length) options.frontMatterMemo?.set(memoKey, parsed);
    }
    const { rosterLines, fm } = parsed;
    if (rosterLines.length) protectedLines[file] = rosterLines;
    if (rosterLines.length) protectedNames.push(...collectRosterNames(fm.data.roster, file, options.toTraditional));
    diagnostics.push(...fm.diagnostics);
    if (fm.diagnostics.length) return;
    const tk = fm.data.translationKey;
    const key = typeof tk === 'string' && !explainUnsafeSlug(tk) ? tk : base;
    const source = memoKey && !fm.diagnostics.length ? { key: memoKey, parsed } : undefined;
    raws.push({ file, collection: collection.name, base, lang, key, data: fm.data, body: fm.body, bodyLine: fm.bodyLine, locate: fm.locate, ...(source ? { source } : {}) });
  });

  // Group by translation key.
  const groups = new Map<string, Map<LanguageCode, RawFile>>();
  for (const raw of raws) {
    const gk = entryGroupKey(raw.collection, raw.key);
    let g = groups.get(gk);
    if (!g) {
      g = new Map();
      groups.set(gk, g);
    }
    const other = g.get(raw.lang);
    if (other) {
      diagnostics.push(createDiagnostic(ContentDuplicateLanguage, { file: raw.file, line: 1, column: 1 }, raw.key, raw.lang, other.file));
      continue;
    }
    g.set(raw.lang, raw);
  }

  const entries: ContentEntry[] = [];
  const byKey = new Map<string, Map<LanguageCode, ContentEntry>>();
  const defaultLang = config.defaultLanguage;
  for (const [gk, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const collection = options.collections.get([...group.values()][0]!.collection)!;
    // The original is the default-language file; without one, an entry written
    // in another language only stands on its own (a page in that language
    // alone). A file that names its original with `translationKey:` is a
    // translation whose original is missing: that is an error, not a new page.
    let original = group.get(defaultLang);
    if (!original) {
      const claimed = [...group.values()].filter((raw) => typeof raw.data.translationKey === 'string');
      if (claimed.length) {
        for (const raw of claimed) {
          diagnostics.push(createDiagnostic(ContentOrphanTranslation, raw.locate(['translationKey']), raw.lang, raw.key, defaultLang));
        }
        continue;
      }
      original = config.languages.map((l) => group.get(l)).find((raw) => raw !== undefined)!;
    }
    /** Validate `raw` (against `originalRaw`'s entry), or reuse the entry its unchanged bytes gave last time. */
    const validate = (raw: RawFile, originalRaw?: RawFile, originalEntry?: ContentEntry): ContentEntry | undefined => {
      const originalKey = originalRaw ? (originalRaw.source?.key ?? '') : '';
      const last = raw.source?.parsed.validated;
      if (last && last.originalKey === originalKey && (!originalRaw || originalKey)) return last.entry;
      const before = diagnostics.length;
      const e = validateRaw(raw, collection, originalEntry, options, diagnostics);
      if (e && raw.source && diagnostics.length === before && (!originalRaw || originalKey)) raw.source.parsed.validated = { originalKey, entry: e };
      return e;
    };
    const originalEntry = validate(original);
    if (!originalEntry) continue;
    const built = new Map<LanguageCode, ContentEntry>([[original.lang, originalEntry]]);
    for (const [lang, raw] of group) {
      if (lang === original.lang) continue;
      const e = validate(raw, original, originalEntry);
      if (e) built.set(lang, e);
    }
    // Traditional Chinese derived from Simplified unless written by hand.
    const hans = built.get('zh-Hans');
    if (config.languages.includes('zh-Hant') && hans && !built.has('zh-Hant') && options.toTraditional) {
      const key = options.traditionalKey;
      const last = key === undefined ? undefined : DERIVED.get(hans);
      let derived = last?.key === key ? last?.entry : undefined;
      if (!derived) {
        derived = deriveTraditional(hans, options.toTraditional);
        if (key !== undefined) DERIVED.set(hans, { key, entry: derived });
      }
      built.set('zh-Hant', derived);
    }
    if (config.mode === 'production' && originalEntry.data.draft) continue;
    for (const lang of config.languages) {
      const e = built.get(lang);
      if (!e) {
        // zh-Hant is derived from zh-Hans: its absence is reported once, as zh-Hans.
        if (lang !== 'zh-Hant' || !config.traditional.enabled)
          diagnostics.push(createDiagnostic(ContentMissingTranslation, { file: original.file }, original.key, lang, original.lang, original.file));
        continue;
      }
      if (config.mode === 'production' && e.data.draft) continue;
      entries.push(e);
    }
    byKey.set(gk, new Map([...built].filter(([, e]) => config.mode !== 'production' || !e.data.draft)));
  }

  // Slugs must be unique per output URL, and pages must not take generated folders.
  const seen = new Map<string, ContentEntry>();
  for (const e of entries) {
    const c = options.collections.get(e.collection)!;
    if (c.urlPrefix === '' && RESERVED_SLUGS.has(e.slug)) {
      diagnostics.push(createDiagnostic(ContentReservedSlug, { file: e.file, line: 1, column: 1 }, e.slug));
      continue;
    }
    const url = `${e.lang}:${c.urlPrefix}/${e.slug}`;
    const prev = seen.get(url);
    if (prev && !e.derived) {
      diagnostics.push(createDiagnostic(ContentDuplicateSlug, { file: e.file, line: 1, column: 1 }, `${c.urlPrefix ? `${c.urlPrefix}/` : ''}${e.slug}/ (${e.lang})`, prev.file));
    } else seen.set(url, e);
  }
  // What the memo keeps of a file once it is validated: its parse with a locator made again from the
  // front matter's text when a later diagnostic needs one (the YAML document behind a locator is
  // several KB a file, held otherwise for as long as the memo).
  for (const raw of raws) {
    const parsed = raw.source?.parsed;
    if (parsed?.head !== undefined && !isLazyLocator(parsed.fm.locate)) parsed.fm = { ...parsed.fm, locate: createLazyLocator(parsed.head, raw.file) };
  }
  return {
    entries,
    byKey,
    assets,
    files: mdFiles.map((f) => `${contentRel}/${f}`),
    diagnostics: sortDiagnostics(diagnostics),
    protectedNames,
    protectedLines,
  };
}

/**
 * Line ranges of the top-level `roster:` block of a file's front matter, found
 * on the text alone (so also when the YAML does not parse): from the key to
 * the line before the next top-level key or the closing `---`.
 */
export function findRosterLines(source: string): [number, number][] {
  if (!/^["']?roster["']?[ \t]*:/m.test(source)) return [];
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (!/^---[ \t]*$/.test(lines[0] ?? '')) return [];
  const out: [number, number][] = [];
  let start = 0;
  let n = 1;
  for (; n < lines.length; n++) {
    const line = lines[n]!;
    const closing = /^---[ \t]*$/.test(line);
    if (start && (closing || /^[^\s#-]/.test(line))) {
      out.push([start, n]);
      start = 0;
    }
    if (closing) break;
    if (/^["']?roster["']?[ \t]*:/.test(line)) start = n + 1;
  }
  if (start) out.push([start, n]);
  return out;
}

/**
 * The names in a raw (unvalidated) roster that must not be printed: for every
 * entry that is not plainly published in full with consent, every string it
 * holds except its id, mode and consent record, in every spelling.
 */
function collectRosterNames(roster: unknown, file: string, toTraditional?: (text: string) => string): WithheldName[] {
  if (!Array.isArray(roster)) return [];
  const out: WithheldName[] = [];
  roster.forEach((item: unknown, index) => {
    if (!item || typeof item !== 'object') return;
    const entry = item as Record<string, unknown>;
    const plainlyPublic = entry.publish === 'full' && entry.consent && typeof entry.consent === 'object' && entry.withdrawn === undefined;
    if (plainlyPublic) return;
    const strings: string[] = [];
    const walk = (value: unknown) => {
      if (typeof value === 'string') strings.push(value);
      else if (Array.isArray(value)) for (const v of value) walk(v);
      else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
    };
    for (const [key, value] of Object.entries(entry)) if (!['id', 'publish', 'consent', 'withdrawn'].includes(key)) walk(value);
    const id = `entry ${index + 1}`;
    for (const text of strings) {
      const names = containsHan(text) ? { 'zh-Hans': text } : { en: text };
      out.push(
        ...collectWithheldNames([{ id, names, publish: 'withheld' }], {
          now: new Date(0),
          ...(toTraditional ? { toTraditional } : {}),
          labelPrefix: file,
        }),
      );
    }
  });
  return out;
}

function validateRaw(
  raw: RawFile,
  collection: CollectionDefinition,
  original: ContentEntry | undefined,
  options: LoadContentOptions,
  diagnostics: Diagnostic[],
): ContentEntry | undefined {
  const schema = original ? collection.translationSchema : collection.schema;
  const result = schema.safeParse(raw.data);
  if (!result.success) {
    diagnostics.push(
      ...mapZodIssues(result.error, raw.locate, {
        collection: collection.name,
        knownKeys: (path) => (path.length === 0 ? Object.keys(collection.schema.shape) : []),
        input: raw.data,
        referenceLink: (path) => resolveContentReferenceLink(collection.name, path),
      }),
    );
    return undefined;
  }
  const parsed = result.data as Record<string, unknown>;
  // Translations inherit every field they do not write themselves from the
  // original. Only keys present in the file count: schema defaults (tags: [],
  // draft: false) must not overwrite the original's values.
  let data = parsed as EntryData;
  if (original) {
    const merged: Record<string, unknown> = { ...original.data };
    for (const key of Object.keys(raw.data)) if (parsed[key] !== undefined) merged[key] = parsed[key];
    data = merged as EntryData;
  }
  const slugSource = typeof data.slug === 'string' && (!original || raw.data.slug !== undefined) ? data.slug : raw.collection === 'posts' ? stripDatePrefix(raw.base) : raw.base;
  const unsafe = explainUnsafeSlug(slugSource);
  if (unsafe) {
    diagnostics.push(createDiagnostic(ContentUnsafeName, raw.locate(['slug']), slugSource, unsafe));
    return undefined;
  }
  const entry: ContentEntry = {
    id: `${raw.collection}/${raw.key}/${raw.lang}`,
    collection: raw.collection,
    key: raw.key,
    lang: raw.lang,
    file: raw.file,
    slug: original ? (raw.data.slug !== undefined ? slugSource : original.slug) : slugSource,
    data,
    body: raw.body,
    bodyLine: raw.bodyLine,
    derived: false,
    srcLines: collectSrcLines(raw.data, raw.locate),
  };
  if (options.validateEntry) {
    const extra = options.validateEntry(entry, raw.locate, { original: !original });
    diagnostics.push(...extra);
    if (extra.some((d) => d.severity === 'error')) return undefined;
  }
  return entry;
}

/** The line of every string `src` in the front matter (any depth), by value. */
function collectSrcLines(data: unknown, locate: PathLocator): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (value: unknown, path: (string | number)[]) => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, [...path, i]);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'src' && typeof v === 'string') {
          const line = locate([...path, k]).line;
          if (line !== undefined && out[v] === undefined) out[v] = line;
        } else walk(v, [...path, k]);
      }
    }
  };
  walk(data, []);
  return out;
}

/** Deep-convert Simplified strings to Traditional; `{ 'zh-Hans': x }` objects gain a `zh-Hant` twin. */
export function convertData<T>(value: T, convert: (s: string) => string, keyHint?: string): T {
  if (typeof value === 'string') {
    // URLs, dates, ids and slugs are not prose.
    if (keyHint && /^(src|url|href|slug|id|date|updated|start|end|accessed|publish|translationKey|status|kind|event|type|timeZone|key)$/i.test(keyHint)) return value;
    return convert(value) as T;
  }
  if (Array.isArray(value)) return value.map((v) => convertData(v, convert, keyHint)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // Names are converted by the name-aware converter at render time
      // (surnames such as 朴 must not become 樸), so they are left alone here.
      if (k === 'en' || k === 'names') out[k] = v;
      else out[k] = convertData(v, convert, k);
    }
    if ('zh-Hans' in out && !('zh-Hant' in (value as object))) out['zh-Hant'] = out['zh-Hans'];
    if ('zh-Hans' in out) out['zh-Hans'] = (value as Record<string, unknown>)['zh-Hans'];
    return out as T;
  }
  return value;
}

function deriveTraditional(hans: ContentEntry, convert: (s: string) => string): ContentEntry {
  const body = convert(hans.body);
  body.charCodeAt(0); // flatten the converter's concatenation rope: it would otherwise stay in memory as thousands of nodes
  return {
    ...hans,
    id: `${hans.collection}/${hans.key}/zh-Hant`,
    lang: 'zh-Hant',
    data: convertData(hans.data, convert),
    body,
    derived: true,
  };
}
