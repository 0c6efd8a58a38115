/**
 * Split a Markdown file into YAML front matter and body, keeping positions so
 * that every validation error points at the exact line and column.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { createDiagnostic, type Location } from '../errors/catalogue.js';
import { FrontMatterAliasExpansion, FrontMatterNotMapping, FrontMatterSyntax, FrontMatterUnclosed } from '../errors/codes-core.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { PathLocator } from '../errors/zod-issues.js';

export interface ParsedFrontMatter {
  /** The front matter as plain data ({} when absent). */
  data: Record<string, unknown>;
  /** Markdown after the closing `---`. */
  body: string;
  /** 1-based line of the body's first line. */
  bodyLine: number;
  /** Maps a data path to a file location. */
  locate: PathLocator;
  diagnostics: Diagnostic[];
}

/** Parse front matter out of `source`. `file` is used in diagnostics. */
export function parseFrontMatter(source: string, file: string): ParsedFrontMatter {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const fallback: PathLocator = () => ({ file, line: 1, column: 1 });
  const open = /^---[ \t]*\r?\n/.exec(text);
  if (!open) return { data: {}, body: text, bodyLine: 1, locate: fallback, diagnostics: [] };
  const rest = text.slice(open[0].length);
  const close = /^---[ \t]*(\r?\n|$)/m.exec(rest);
  if (!close) {
    return {
      data: {},
      body: '',
      bodyLine: 1,
      locate: fallback,
      diagnostics: [createDiagnostic(FrontMatterUnclosed, { file, line: 1, column: 1 })],
    };
  }
  const yamlText = rest.slice(0, close.index);
  const lineOffset = 1; // the opening `---` line
  const body = rest.slice(close.index + close[0].length);
  // Opening line + one line per YAML line + closing line; the body starts on the next line.
  const bodyLine = lineOffset + (yamlText.match(/\n/g)?.length ?? 0) + 2;
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Location => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line + lineOffset, column: pos.col };
  };
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    diagnostics.push(createDiagnostic(FrontMatterSyntax, at(error.pos[0]), error.message.split('\n')[0]!));
  }
  if (diagnostics.length) return { data: {}, body, bodyLine, locate: fallback, diagnostics };
  let data: unknown;
  try {
    // Aliases that expand to more than `maxAliasCount` nodes each (a "billion laughs" bomb) throw.
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let where: Location = { file, line: 2, column: 1 };
    visit(doc, {
      Alias(_, node) {
        if (node.range) where = at(node.range[0]);
        return visit.BREAK;
      },
    });
    return { data: {}, body, bodyLine, locate: fallback, diagnostics: [createDiagnostic(FrontMatterAliasExpansion, where)] };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return {
      data: {},
      body,
      bodyLine,
      locate: fallback,
      diagnostics: [createDiagnostic(FrontMatterNotMapping, { file, line: 2, column: 1 })],
    };
  }
  const locate: PathLocator = (path, keyOnly) => {
    // Walk down as far as the path exists; point at the key (for unknown keys)
    // or at the value (for bad values).
    let node: unknown = doc.contents;
    let best: Location = { file, line: 2, column: 1 };
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg);
        if (!pair) break;
        const key = pair.key as Node;
        const last = i === path.length - 1;
        if (key.range) best = at(key.range[0]);
        if (last && keyOnly) return best;
        node = pair.value;
        const valueRange = (pair.value as Node | null)?.range;
        if (valueRange && (!last || !keyOnly)) best = at(valueRange[0]);
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (!item) break;
        if (item.range) best = at(item.range[0]);
        node = item;
      } else break;
    }
    return best;
  };
  return { data: data as Record<string, unknown>, body, bodyLine, locate, diagnostics };
}

/**
 * A locator for a file's front matter that parses `head` (the file's text up to
 * its body) only when first asked: what a remembered parse keeps instead of the
 * YAML document behind its locator (several KB a file), which only a
 * diagnostic needs.
 */
export function createLazyLocator(head: string, file: string): PathLocator {
  let locate: PathLocator | undefined;
  const lazy: PathLocator = (path, keyOnly) => {
    locate ??= parseFrontMatter(head, file).locate;
    return locate(path, keyOnly);
  };
  LAZY_LOCATORS.add(lazy);
  return lazy;
}

const LAZY_LOCATORS = new WeakSet<PathLocator>();

/** True for a locator made by {@link createLazyLocator}. */
export function isLazyLocator(locate: PathLocator): boolean {
  return LAZY_LOCATORS.has(locate);
}

