/**
 * Streaming XML for exports: saxes parses chunk by chunk and hands over one
 * small element tree per record (a WXR `<item>`, an Atom `<entry>`, a channel
 * setting), so memory stays flat however large the export is. Only the five
 * XML built-in entities exist: a DOCTYPE that declares entities is refused
 * before anything is expanded, and any other entity reference is an error.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { createDiagnostic } from '../errors/catalogue.js';
import { ImportEmptyFile, ImportEntitiesRefused, ImportMalformedXml, ImportMoreXmlProblems, ImportNotUtf8, ImportNotXml } from '../errors/codes-import.js';
import type { Diagnostic } from '../errors/diagnostic.js';

/** An element of a record: namespace URI, local name, attributes by local name, text, children. */
export interface XmlNode {
  uri: string;
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlNode[];
  /** 1-based line of the start tag's `<`. */
  line: number;
  /** 1-based column of the start tag's `<`. */
  column?: number;
}

/** What the root element says about the file (for format detection). */
export interface XmlRoot {
  name: string;
  uri: string;
  /** Namespace URIs declared on the root, by prefix. */
  namespaces: Record<string, string>;
}

/** Callbacks of {@link readXmlRecords}. */
export interface XmlRecordHandlers {
  /** Called once with the root element; return false to stop (unknown format). */
  onRoot(root: XmlRoot): boolean;
  /** The local name of the element whose children are records (`channel` for RSS, the root for Atom). */
  containerOf(root: XmlRoot): string;
  /** One complete record (a child of the container). */
  onRecord(node: XmlNode): void | Promise<void>;
  /** Bytes read so far and in total. */
  onProgress?(bytes: number, total: number): void;
}

/** Find the first child with this local name (and namespace, when given). */
export function childOf(node: XmlNode, name: string, uriPrefix?: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name && (uriPrefix === undefined || c.uri.startsWith(uriPrefix)));
}

/** Text of the first child with this local name, or ''. */
export function textOf(node: XmlNode, name: string, uriPrefix?: string): string {
  return childOf(node, name, uriPrefix)?.text ?? '';
}

/** All children with this local name. */
export function childrenOf(node: XmlNode, name: string, uriPrefix?: string): XmlNode[] {
  return node.children.filter((c) => c.name === name && (uriPrefix === undefined || c.uri.startsWith(uriPrefix)));
}

/** At most this many well-formedness errors are reported; after that the rest are summed up in one. */
export const MAX_XML_PROBLEMS = 20;

/** Errors after which the parser's idea of the element tree is unreliable: what follows would only repeat them. */
const STRUCTURAL = /close tag|closing tag|unclosed|unexpected end|unbound namespace|text data outside of root/i;

/** How to fix a saxes well-formedness error, in the words of someone editing the export by hand. */
function resolveXmlFix(message: string): string {
  if (/undefined entity/i.test(message))
    return 'XML defines only &amp; &lt; &gt; &quot; &apos; and numeric references: write &#160; for &nbsp;, &#8212; for &mdash; (any character as &#number;), or put the HTML inside <![CDATA[ … ]]> as exports do.';
  if (/unclosed|unexpected end/i.test(message)) return 'The file ends too early: it was probably cut off while downloading. Export the blog again.';
  if (/close tag|closing tag/i.test(message))
    return 'A closing tag does not match the element open here (a misspelt or missing tag, or HTML outside <![CDATA[ … ]]>): fix it here; errors after it may follow from it and are not listed.';
  if (/disallowed character|invalid character/i.test(message)) return 'Remove the character or write it as a numeric reference (&#…;); a control character usually means the file is damaged.';
  if (/& must be|entity name|unescaped/i.test(message)) return 'Write a bare & as &amp; (or put the text inside <![CDATA[ … ]]>).';
  return 'Fix the XML at this line and column, or export the blog again (a damaged download is the usual cause).';
}

/**
 * Parse `chunks` (UTF-8 bytes) and call `onRecord` for each record. Returns
 * the diagnostics for a file that is empty, not XML, not UTF-8 or not
 * well-formed: every well-formedness error in the file (up to
 * {@link MAX_XML_PROBLEMS}), each with line, column and how to fix it, up to
 * the first one that breaks the element tree (a wrong closing tag, the end of
 * a truncated file): what follows it would only repeat it. After
 * the first error no more records are handed over; records handed over before
 * it must be discarded by the caller. A DOCTYPE declaring entities stops the
 * parse at once.
 */
export async function readXmlRecords(chunks: AsyncIterable<Uint8Array>, total: number, file: string, handlers: XmlRecordHandlers): Promise<Diagnostic[]> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  /** A reason to stop reading (unknown root, refused DOCTYPE, text before the root). */
  let failure: Diagnostic | undefined;
  const fail = (d: Diagnostic) => {
    failure ??= d;
  };
  /** Well-formedness errors: collected, parsing goes on to find the others. */
  const problems: Diagnostic[] = [];
  let moreProblems = 0;
  const at = () => ({ file, line: parser.line, column: parser.column + 1 });
  let tagLine = 1;
  let tagColumn = 1;
  let root: XmlRoot | undefined;
  let container = '';
  let depth = 0; // depth of the element being opened, root = 1
  let containerDepth = 0;
  const stack: XmlNode[] = [];
  const pending: XmlNode[] = [];
  let seenRoot = false;

  let structural = false;
  /** The element saxes closed last: on a wrong closing tag, the one that was open. */
  let lastClosed = '';
  parser.on('error', (error) => {
    if (structural) return;
    const detail = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '');
    structural = STRUCTURAL.test(detail);
    const open = /^unexpected close tag$/.test(detail) && lastClosed ? ` (<${lastClosed}> is the element open here)` : '';
    if (problems.length < MAX_XML_PROBLEMS) problems.push(createDiagnostic(ImportMalformedXml, at(), `${detail}${open}`, resolveXmlFix(detail)));
    else moreProblems += 1;
  });
  parser.on('opentagstart', (tag) => {
    tagLine = parser.line;
    tagColumn = Math.max(1, parser.column - tag.name.length - 1);
  });
  parser.on('doctype', (text) => {
    if (/<!ENTITY/i.test(text) || /\bSYSTEM\b|\bPUBLIC\b/.test(text)) fail(createDiagnostic(ImportEntitiesRefused, at()));
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    depth += 1;
    if (!seenRoot) {
      seenRoot = true;
      const namespaces: Record<string, string> = {};
      for (const [prefix, uri] of Object.entries(tag.ns ?? {})) namespaces[prefix] = uri;
      root = { name: tag.local, uri: tag.uri, namespaces };
      if (!handlers.onRoot(root)) {
        failure ??= { code: 'stop', severity: 'error', message: '' };
        return;
      }
      container = handlers.containerOf(root);
      if (container === root.name) containerDepth = 1;
      return;
    }
    if (!containerDepth && depth === 2 && tag.local === container) {
      containerDepth = 2;
      return;
    }
    if (!containerDepth || depth <= containerDepth) return;
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) attrs[typeof a === 'string' ? a : a.local] = typeof a === 'string' ? a : a.value;
    const node: XmlNode = { uri: tag.uri, name: tag.local, attrs, text: '', children: [], line: tagLine, column: tagColumn };
    if (stack.length) stack[stack.length - 1]!.children.push(node);
    stack.push(node);
  });
  const onText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
    else if (!seenRoot && text.trim()) fail(createDiagnostic(ImportNotXml, at(), 'there is text before the first element'));
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    lastClosed = tag.name;
    if (containerDepth && depth > containerDepth) {
      const node = stack.pop()!;
      if (!stack.length) pending.push(node);
    }
    depth -= 1;
  });

  let bytes = 0;
  let sawAny = false;
  let first = true;
  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        return [createDiagnostic(ImportNotUtf8, { file })];
      }
      if (first && text.length) {
        const start = text.replace(/^\uFEFF/, '').trimStart();
        if (start.length) {
          first = false;
          if (!start.startsWith('<')) return [createDiagnostic(ImportNotXml, { file, line: 1, column: 1 }, 'it does not start with `<`')];
        }
      }
      if (text.trim().length) sawAny = true;
      parser.write(text);
      if (failure) break;
      if (problems.length) pending.length = 0;
      for (const node of pending.splice(0)) await handlers.onRecord(node);
      handlers.onProgress?.(bytes, total);
    }
    if (!failure) {
      try {
        decoder.decode();
      } catch {
        return [createDiagnostic(ImportNotUtf8, { file })];
      }
      if (!sawAny) return [createDiagnostic(ImportEmptyFile, { file })];
      parser.close();
      if (problems.length) pending.length = 0;
      for (const node of pending.splice(0)) await handlers.onRecord(node);
    }
  } catch (error) {
    // saxes reports through the error handler; anything thrown here is a bug.
    if (!failure) throw error;
  }
  if (failure) return failure.code === 'stop' ? [] : [failure];
  if (moreProblems) problems.push(createDiagnostic(ImportMoreXmlProblems, { file }, moreProblems, MAX_XML_PROBLEMS));
  return problems;
}
