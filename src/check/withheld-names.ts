/**
 * Withheld names: no published file may contain the name of a person who
 * asked not to be named — not in text, attributes, JSON-LD, feeds, the
 * sitemap, the search index, image metadata or file names, and not hidden by
 * character references, percent-encoding, JSON escapes, tags splitting the
 * name, full-width letters, accents or odd spacing.
 *
 * Every file is searched in several views (raw; escapes decoded; tags and
 * ruby annotations stripped and decoded, twice for escaped HTML inside
 * XML/JSON; letter-spaced runs closed up; right-to-left overrides reversed),
 * each folded to a skeleton (NFKD, marks and invisible characters removed,
 * look-alike letters of other scripts and small capitals to Latin,
 * Traditional ideographs to Simplified, lower case; `confusables.ts`). Latin spellings
 * must not touch other Latin letters (so "Li Na" does not fire inside
 * "Oli Nash"); between the parts of a name any run of up to 40 spaces or
 * punctuation is accepted ("Zhu Yufu", "zhu-yufu", "ZhuYufu", "Zhu,\n Yufu").
 * Diagnostics carry the person's label, never the name itself.
 */
import { createDiagnostic } from '../errors/catalogue.js';
import { CHECK_WITHHELD_NAME, CHECK_WITHHELD_NAME_IN_PATH } from '../errors/codes-harden.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { createOffsetLocator } from '../harden/text-location.js';
import { hashKey, joinKey, type Memo } from '../io/memo.js';
import type { OutputFiles } from '../site/output.js';
import {
  collapseLetterSpacing,
  collapseLetterSpacingText,
  createMappedText,
  decodeEscapes,
  decodeEscapesText,
  foldPlainText,
  foldText,
  hasDirectionOverrides,
  type MappedText,
  reverseOverrides,
  reverseOverridesText,
  stripMarkup,
  stripMarkupText,
} from './mapped-text.js';

/** A name that must not appear, with a safe label to show instead. */
export interface WithheldName {
  /** One spelling (the caller expands English, Simplified, Traditional and pinyin variants). */
  name: string;
  /** What diagnostics show, e.g. "witness 3". Never the name itself. */
  label: string;
}

/** A compiled matcher for a list of withheld names. */
export interface WithheldNameMatcher {
  /** Every match in `text`: original offsets [start, end] (end inclusive) and the label. */
  findAll(input: MappedText): { start: number; last: number; label: string }[];
  /** True when some name occurs in the (already folded) text. */
  test(folded: string): boolean;
  /** False when no name has anything searchable (nothing can match). */
  searchable: boolean;
}

const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Bopomofo}]/u;
const UNIT = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Bopomofo}]|[^\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Bopomofo}\s\p{Z}\p{P}\p{S}]+/gu;
const SEPARATOR = '[\\s\\p{Z}\\p{P}\\p{S}]{0,40}';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Compile names into one matcher. Names with nothing searchable are ignored. */
export function createWithheldNameMatcher(names: readonly WithheldName[]): WithheldNameMatcher {
  const labels: string[] = [];
  const sources: string[] = [];
  const seen = new Set<string>();
  for (const { name, label } of names) {
    const folded = foldText(createMappedText(name)).text;
    const units: string[] = folded.match(UNIT) ?? [];
    if (units.length === 0) continue;
    const key = `${units.join(' ')}\u0000${label}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const latinStart = !CJK.test(units[0]);
    const latinEnd = !CJK.test(units.at(-1)!);
    const body = units.map(escapeRegex).join(SEPARATOR);
    sources.push(`(${latinStart ? '(?<!\\p{sc=Latin})' : ''}${body}${latinEnd ? '(?!\\p{sc=Latin})' : ''})`);
    labels.push(label);
  }
  const regex = sources.length ? new RegExp(sources.join('|'), 'gu') : undefined;
  const probe = sources.length ? new RegExp(sources.join('|'), 'u') : undefined;
  return {
    test: (folded) => probe?.test(folded) ?? false,
    searchable: probe !== undefined,
    findAll(input) {
      if (!regex) return [];
      const found: { start: number; last: number; label: string }[] = [];
      for (const m of input.text.matchAll(regex)) {
        const group = m.findIndex((g, i) => i > 0 && g !== undefined);
        const end = m.index + m[0].length - 1;
        found.push({ start: input.map[m.index], last: input.map[Math.max(m.index, end)], label: labels[group - 1] });
      }
      return found;
    },
  };
}

/** The folded views of a text that are searched. */
export function createSearchViews(text: string): MappedText[] {
  const raw = createMappedText(text);
  const decoded = decodeEscapes(raw);
  const stripped = decodeEscapes(stripMarkup(decoded));
  const twice = decodeEscapes(stripMarkup(stripped));
  const spaced = collapseLetterSpacing(twice);
  const reversed = hasDirectionOverrides(text) ? [reverseOverrides(twice), reverseOverrides(spaced)] : [];
  // Drop views identical to an earlier one before folding (folding is the costly step).
  const unique = [raw, decoded, stripped, twice, spaced, ...reversed].filter((v, i, all) => all.findIndex((w) => w.text === v.text) === i);
  const views = unique.map(foldText);
  return views.filter((v, i) => views.findIndex((w) => w.text === v.text) === i);
}

/** The same views as `createSearchViews`, as plain folded strings (cheap: no offset maps). */
export function createSearchTexts(text: string): string[] {
  const decoded = decodeEscapesText(text);
  const stripped = decodeEscapesText(stripMarkupText(decoded));
  const twice = decodeEscapesText(stripMarkupText(stripped));
  const spaced = collapseLetterSpacingText(twice);
  const reversed = hasDirectionOverrides(text) ? [reverseOverridesText(twice), reverseOverridesText(spaced)] : [];
  return [...new Set([text, decoded, stripped, twice, spaced, ...reversed])].map(foldPlainText);
}

/** Every withheld name in `text`, in every search view: original offsets (`last` inclusive) and labels, sorted. */
export function findWithheldNames(matcher: WithheldNameMatcher, text: string): { start: number; last: number; label: string }[] {
  // Most files hold no secret name: rule them out on plain strings, and build
  // the offset-mapped views (for file:line:column) only when a name is there.
  if (!createSearchTexts(text).some((t) => matcher.test(t))) return [];
  const seen = new Set<string>();
  const out: { start: number; last: number; label: string }[] = [];
  for (const view of createSearchViews(text)) {
    for (const hit of matcher.findAll(view)) {
      const key = `${hit.start}\u0000${hit.label}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(hit);
    }
  }
  return out.sort((a, b) => a.start - b.start || a.label.localeCompare(b.label));
}

/** Replace every path segment that contains a withheld name with `[withheld]`. */
function redactPath(path: string, hits: { start: number; last: number }[]): string {
  let offset = 0;
  return path
    .split('/')
    .map((segment) => {
      const start = offset;
      const end = offset + segment.length;
      offset = end + 1;
      return hits.some((h) => h.start < end && h.last >= start) ? '[withheld]' : segment;
    })
    .join('/');
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

const BINARY_CACHE = new WeakMap<Uint8Array, { names: string; diagnostics: Diagnostic[] }>();

/** Check every file's path and content for withheld names. */
export function checkWithheldNames(output: OutputFiles, names: readonly WithheldName[], memo?: Memo<Diagnostic[]>): Diagnostic[] {
  const matcher = createWithheldNameMatcher(names);
  if (!matcher.searchable) return [];
  const namesKey = names.map((n) => `${n.name}\u0000${n.label}`).join('\n');
  const namesDigest = memo ? hashKey(namesKey) : '';
  const diagnostics: Diagnostic[] = [];
  for (const path of [...output.keys()].sort()) {
    const pathHits = findWithheldNames(matcher, path);
    const file = pathHits.length ? redactPath(path, pathHits) : path;
    for (const label of [...new Set(pathHits.map((h) => h.label))]) {
      diagnostics.push(createDiagnostic(CHECK_WITHHELD_NAME_IN_PATH, { file }, label));
    }
    const bytes = output.get(path)!;
    const key = memo ? joinKey(namesDigest, file, bytes) : '';
    const known = memo?.get(key);
    if (known) {
      diagnostics.push(...known);
      continue;
    }
    const text = decodeUtf8(bytes);
    if (text !== undefined) {
      const locate = createOffsetLocator(text);
      const found = findWithheldNames(matcher, text).map((hit) =>
        createDiagnostic(CHECK_WITHHELD_NAME, { file, ...locate(hit.start) }, hit.label, 'in this file'),
      );
      diagnostics.push(...found);
      memo?.set(key, found);
      continue;
    }
    // Binary (images, fonts, PDFs): search byte-as-Latin-1, lossy UTF-8 and UTF-16 views.
    // Unchanged buffers (images reused across `stele dev` rebuilds) are scanned once per name list.
    const cached = BINARY_CACHE.get(bytes);
    if (cached && cached.names === namesKey) {
      diagnostics.push(...cached.diagnostics.map((d) => ({ ...d, file })));
      continue;
    }
    const before = diagnostics.length;
    const reported = new Set<string>();
    const report = (label: string, where: string) => {
      if (reported.has(label)) return;
      reported.add(label);
      diagnostics.push(createDiagnostic(CHECK_WITHHELD_NAME, { file }, label, where));
    };
    for (const hit of findWithheldNames(matcher, new TextDecoder('latin1').decode(bytes))) report(hit.label, `in this binary file at byte ${hit.start}`);
    for (const encoding of ['utf-8', 'utf-16le', 'utf-16be']) {
      const view = new TextDecoder(encoding, { fatal: false }).decode(bytes);
      for (const hit of findWithheldNames(matcher, view)) report(hit.label, `in this binary file (${encoding} text)`);
    }
    BINARY_CACHE.set(bytes, { names: namesKey, diagnostics: diagnostics.slice(before) });
  }
  return diagnostics;
}
