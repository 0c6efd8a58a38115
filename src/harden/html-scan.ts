/**
 * Locate elements in an HTML (or SVG/XML) document with their exact source
 * offsets, so harden can edit by offsets and checks can report line/column.
 * htmlparser2 finds the tags; attribute ranges are re-read from the raw tag
 * text with a small scanner that follows the HTML tokenizer's attribute rules.
 */
import { Parser } from 'htmlparser2';

/** One attribute of a start tag, with source offsets into the document. */
export interface ScannedAttribute {
  /** Lower-cased name (as written, for XML documents). */
  name: string;
  /** Value with character references decoded ('' for a bare attribute). */
  value: string;
  /** Offset of the first character of the name. */
  start: number;
  /** Offset just after the attribute (after the closing quote). */
  end: number;
  /** Offset of the first character of the raw value (after the quote), or -1 when bare. */
  valueStart: number;
  /** Offset just after the raw value (before the closing quote), or -1 when bare. */
  valueEnd: number;
}

/** One element's start tag, and for raw-text elements (style, script) its content range. */
export interface ScannedElement {
  name: string;
  /** Offset of `<`. */
  start: number;
  /** Offset just after the start tag's `>`. */
  end: number;
  attributes: ScannedAttribute[];
  /** Content range (start tag end → end tag start); set when the end tag was seen. */
  contentStart?: number;
  contentEnd?: number;
  /** Names of the open ancestors, outermost first (computed when read). */
  readonly ancestors: string[];
}

/** A run of text (character references decoded), with its source range. */
export interface ScannedText {
  text: string;
  start: number;
  /** Offset just after the raw text. */
  end: number;
  /** Name of the element containing the text ('' at top level). */
  parent: string;
}

/** A scanned document. */
export interface ScannedHtml {
  source: string;
  elements: ScannedElement[];
  texts: ScannedText[];
}

/** Options for {@link scanHtml}. */
export interface ScanHtmlOptions {
  /** Parse as XML (SVG, Atom): case-sensitive, no raw-text elements. */
  xml?: boolean;
}

/**
 * A scanned element. Ancestors are read rarely: they are walked through the
 * parent link on demand instead of copying the open stack into every element
 * (quadratic in nesting depth); a class keeps the getter on the prototype, so
 * an element costs one small object (no closure, no side table).
 */
class Element implements ScannedElement {
  contentStart?: number;
  contentEnd?: number;
  constructor(
    readonly name: string,
    readonly start: number,
    readonly end: number,
    readonly attributes: ScannedAttribute[],
    private readonly parent: Element | undefined,
  ) {}

  get ancestors(): string[] {
    const names: string[] = [];
    for (let p = this.parent; p; p = p.parent) names.push(p.name);
    return names.reverse();
  }
}

/** Scan a document; never throws on malformed input (htmlparser2 is forgiving). */
export function scanHtml(source: string, options: ScanHtmlOptions = {}): ScannedHtml {
  const elements: ScannedElement[] = [];
  const texts: ScannedText[] = [];
  const stack: Element[] = [];
  let attributes: ScannedAttribute[] = [];
  const parser: Parser = new Parser(
    {
      onopentagname() {
        attributes = [];
      },
      onattribute(name, value) {
        // Duplicate attributes: the first one wins, as in browsers.
        if (attributes.some((a) => a.name === name)) return;
        attributes.push(locateAttribute(source, parser.startIndex, name, value));
      },
      onopentag(name) {
        const element = new Element(name, parser.startIndex, parser.endIndex + 1, attributes, stack.at(-1));
        attributes = [];
        elements.push(element);
        stack.push(element);
      },
      onclosetag(name, isImplied) {
        for (let i = stack.length - 1; i >= 0; i--) {
          if (stack[i].name !== name) continue;
          const element = stack[i];
          if (!isImplied) {
            element.contentStart = element.end;
            element.contentEnd = parser.startIndex;
          }
          stack.length = i;
          break;
        }
      },
      ontext(text) {
        texts.push({ text, start: parser.startIndex, end: parser.endIndex + 1, parent: stack.at(-1)?.name ?? '' });
      },
    },
    {
      xmlMode: options.xml ?? false,
      decodeEntities: true,
      lowerCaseTags: !options.xml,
      lowerCaseAttributeNames: !options.xml,
      recognizeSelfClosing: options.xml ?? false,
    },
  );
  parser.end(source);
  return { source, elements, texts };
}

const WS = /[\t\n\f\r ]/;

/** Find the exact range of an attribute whose name starts at `start`. */
function locateAttribute(source: string, start: number, name: string, value: string): ScannedAttribute {
  let i = start;
  while (i < source.length && !WS.test(source[i]) && source[i] !== '/' && source[i] !== '>' && (source[i] !== '=' || i === start)) i++;
  let j = i;
  while (j < source.length && WS.test(source[j])) j++;
  if (source[j] !== '=') return { name, value, start, end: i, valueStart: -1, valueEnd: -1 };
  j++;
  while (j < source.length && WS.test(source[j])) j++;
  const quote = source[j];
  if (quote === '"' || quote === "'") {
    const close = source.indexOf(quote, j + 1);
    const valueEnd = close === -1 ? source.length : close;
    return { name, value, start, end: Math.min(source.length, valueEnd + 1), valueStart: j + 1, valueEnd };
  }
  let k = j;
  while (k < source.length && !WS.test(source[k]) && source[k] !== '>') k++;
  return { name, value, start, end: k, valueStart: j, valueEnd: k };
}

/** The attribute called `name`, if present. */
export function getAttribute(element: ScannedElement, name: string): ScannedAttribute | undefined {
  return element.attributes.find((a) => a.name === name);
}

/** The raw-text content of an element (for style and script). */
export function getElementContent(scanned: ScannedHtml, element: ScannedElement): string | undefined {
  if (element.contentStart === undefined || element.contentEnd === undefined) return undefined;
  return scanned.source.slice(element.contentStart, element.contentEnd);
}

/** The space-separated tokens of an attribute, lower-cased. */
export function getAttributeTokens(element: ScannedElement, name: string): string[] {
  const value = getAttribute(element, name)?.value ?? '';
  return value.toLowerCase().split(/[\t\n\f\r ]+/).filter(Boolean);
}
