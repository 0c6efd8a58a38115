/**
 * The harden stage: give every page a hash-based CSP meta and a no-referrer
 * meta, add Subresource Integrity to same-site stylesheets and scripts, and
 * make external links `rel="noopener noreferrer"`. Edits are made by source
 * offsets, so the rest of each page stays byte-for-byte as generated.
 * Deterministic and idempotent: running it twice changes nothing the second time.
 */
import { createDiagnostic } from '../errors/catalogue.js';
import { HARDEN_NO_HEAD, HARDEN_SUBRESOURCE_MISSING } from '../errors/codes-harden.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { OutputFiles } from '../site/output.js';
import { computeSha256Base64, createContentSecurityPolicy } from './csp.js';
import { getAttribute, getAttributeTokens, type ScannedElement, scanHtml } from './html-scan.js';
import { collectInlineCode } from './inline-code.js';
import { hashKey, joinKey, type Memo } from '../io/memo.js';
import { classifyUrl } from './site-url.js';
import { locateOffset } from './text-location.js';

/** Options for {@link hardenSite}. */
export interface HardenOptions {
  /** Allowed form targets for the CSP `form-action` (default: none). */
  formAction?: string[];
  /** `connect-src` sources (dev live reload only). */
  connectSrc?: string[];
  /** Search pages: their CSP lets the search script load Pagefind (see `searchEngine` in the CSP options). */
  searchPages?: ReadonlySet<string>;
  /** Results of earlier builds in this process, by page text (`stele dev`). */
  memo?: Memo<{ html: Uint8Array; diagnostics: Diagnostic[]; summary: PageCodeSummary; shifts: OffsetShift[] }>;
  /**
   * Offsets of marked elements per page (source marks of author content):
   * moved in place to where the elements are in the hardened page.
   */
  sourceMarks?: Map<string, readonly { offset: number }[]>;
  /**
   * Told about each HTML page once it is hardened: the bytes it had (as laid
   * out) and has now, and the key under which `memo` holds the result (absent
   * when the page is not memoised). The build cache uses it to let go of the
   * laid-out page as soon as the hardened page made of it exists.
   */
  onPage?: (page: HardenedPage) => void;
}

/** A page {@link hardenSite} hardened (see `HardenOptions.onPage`). */
export interface HardenedPage {
  path: string;
  /** The page as it was given (laid out). */
  input: Uint8Array;
  /** The page as hardened (the output's bytes now; may be `input` itself when nothing changed). */
  html: Uint8Array;
  /** Where `HardenOptions.memo` holds this result, when it does. */
  memoKey?: string;
}

/** After offset `end` of the input page, offsets move by `delta` (edits in page order). */
export interface OffsetShift {
  end: number;
  delta: number;
}

/**
 * Marks already moved, by the marks and the shifts they were moved by: a page
 * whose layout and hardening both come from memos (\`stele dev\`) gets the same
 * array as in the last build, which the checks recognise without reading it.
 */
const SHIFTED = new WeakMap<readonly { offset: number }[], WeakMap<readonly OffsetShift[], readonly { offset: number }[]>>();

/** Move each mark's offset past the edits before it (the same array for the same marks and shifts; never changed in place). */
function shiftMarks<M extends { offset: number }>(marks: readonly M[], shifts: readonly OffsetShift[]): readonly M[] {
  let byShifts = SHIFTED.get(marks);
  if (!byShifts) {
    byShifts = new WeakMap();
    SHIFTED.set(marks, byShifts);
  }
  let shifted = byShifts.get(shifts) as readonly M[] | undefined;
  if (!shifted) {
    shifted = moveMarks(marks, shifts);
    byShifts.set(shifts, shifted);
  }
  return shifted;
}

function moveMarks<M extends { offset: number }>(marks: readonly M[], shifts: readonly OffsetShift[]): M[] {
  return marks.map((m) => {
    let delta = 0;
    for (const s of shifts) if (s.end <= m.offset) delta += s.delta;
    return { ...m, offset: m.offset + delta };
  });
}

/** One source edit: replace [start, end) with text. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The inline code and linked files of one hardened page (for the site-wide header CSP). */
export interface PageCodeSummary {
  inlineStyles: string[];
  inlineScripts: string[];
  selfStyles: boolean;
  selfScripts: boolean;
  /** The page runs the search engine (the search page). */
  searchEngine?: boolean;
}

/**
 * Summaries of pages hardened in this process, keyed by the exact bytes written
 * to the output, so the server configs need not parse every page again.
 * Different bytes (a page changed later) simply miss the cache.
 */
const PAGE_SUMMARIES = new WeakMap<Uint8Array, PageCodeSummary>();

/**
 * Inline code bodies are slices of their page's text; keeping a slice would keep
 * the whole page alive. Keep one flat copy per distinct body (a site has few).
 */
const INTERNED = new Map<string, string>();
function internCode(body: string): string {
  let flat = INTERNED.get(body);
  if (flat === undefined) {
    flat = Buffer.from(body, 'utf8').toString('utf8');
    INTERNED.set(flat, flat);
  }
  return flat;
}

/** The summary of a page hardened by `hardenSite`, if these are its bytes. */
export function getHardenedPageSummary(bytes: Uint8Array): PageCodeSummary | undefined {
  return PAGE_SUMMARIES.get(bytes);
}

/** True for paths harden treats as HTML pages. */
export function isHtmlPath(path: string): boolean {
  return /\.html?$/i.test(path);
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** An edit that sets attribute `name` to `value` on `element`. */
function setAttributeEdit(source: string, element: ScannedElement, name: string, value: string): Edit {
  const existing = getAttribute(element, name);
  const text = `${name}="${escapeAttribute(value)}"`;
  if (existing) return { start: existing.start, end: existing.end, text };
  let at = element.end - 1;
  if (source[at - 1] === '/' && /[\s"']/.test(source[at - 2] ?? '')) at--;
  const before = source[at - 1];
  return { start: at, end: at, text: /\s/.test(before ?? '') ? `${text}` : ` ${text}` };
}

function applyEdits(source: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = source;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Harden one page; returns the new text and any diagnostics. */
export function hardenPage(
  output: OutputFiles,
  path: string,
  source: string,
  options: HardenOptions = {},
): { html: string; diagnostics: Diagnostic[]; summary: PageCodeSummary; shifts: OffsetShift[] } {
  const diagnostics: Diagnostic[] = [];
  const scanned = scanHtml(source);
  const edits: Edit[] = [];
  const at = (offset: number) => ({ file: path, ...locateOffset(source, offset) });

  let selfStyles = false;
  let selfScripts = false;
  for (const element of scanned.elements) {
    const name = element.name;
    if (name === 'meta') {
      const equiv = getAttribute(element, 'http-equiv')?.value.trim().toLowerCase();
      const metaName = getAttribute(element, 'name')?.value.trim().toLowerCase();
      if (equiv === 'content-security-policy' || metaName === 'referrer') {
        edits.push({ start: element.start, end: element.end, text: '' });
      }
      continue;
    }
    let urlAttribute: 'href' | 'src' | undefined;
    if (name === 'link') {
      const rel = getAttributeTokens(element, 'rel');
      if (rel.includes('stylesheet')) {
        urlAttribute = 'href';
        selfStyles = true;
      } else if (rel.includes('modulepreload')) {
        urlAttribute = 'href';
        selfScripts = true;
      }
    } else if (name === 'script' && getAttribute(element, 'src')) {
      urlAttribute = 'src';
      selfScripts = true;
    }
    if (urlAttribute) {
      const raw = getAttribute(element, urlAttribute)?.value ?? '';
      const url = classifyUrl(path, raw);
      if (url.kind === 'internal') {
        const target = output.get(url.path);
        if (target) edits.push(setAttributeEdit(source, element, 'integrity', `sha256-${computeSha256Base64(target)}`));
        else diagnostics.push(createDiagnostic(HARDEN_SUBRESOURCE_MISSING, at(element.start), raw));
      }
      continue;
    }
    if (name === 'a' || name === 'area') {
      const href = getAttribute(element, 'href');
      if (!href || classifyUrl(path, href.value).kind !== 'external') continue;
      const rel = getAttributeTokens(element, 'rel');
      const missing = ['noopener', 'noreferrer'].filter((t) => !rel.includes(t));
      if (missing.length) edits.push(setAttributeEdit(source, element, 'rel', [...rel, ...missing].join(' ')));
    }
  }

  const inline = collectInlineCode(scanned);
  const searchEngine = options.searchPages?.has(path) === true;
  const csp = createContentSecurityPolicy({
    inlineStyles: inline.filter((c) => c.kind === 'style').map((c) => c.body),
    inlineScripts: inline.filter((c) => c.kind === 'script').map((c) => c.body),
    ...(options.formAction ? { formAction: options.formAction } : {}),
    ...(options.connectSrc ? { connectSrc: options.connectSrc } : {}),
    ...(searchEngine ? { searchEngine } : {}),
    forMeta: true,
    selfStyles,
    selfScripts,
  });
  const head = scanned.elements.find((e) => e.name === 'head');
  if (!head) {
    diagnostics.push(createDiagnostic(HARDEN_NO_HEAD, { file: path }));
  } else {
    let insertAt = head.end;
    for (const e of scanned.elements) {
      if (e.start < head.end || !e.ancestors.includes('head')) continue;
      if (e.name === 'style' || e.name === 'script' || e.name === 'link') break;
      if (e.name === 'meta' && getAttribute(e, 'charset')) {
        insertAt = e.end;
        break;
      }
    }
    edits.push({
      start: insertAt,
      end: insertAt,
      text: `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}"><meta name="referrer" content="no-referrer">`,
    });
  }
  const summary: PageCodeSummary = {
    inlineStyles: inline.filter((c) => c.kind === 'style').map((c) => internCode(c.body)),
    inlineScripts: inline.filter((c) => c.kind === 'script').map((c) => internCode(c.body)),
    selfStyles,
    selfScripts,
    ...(searchEngine ? { searchEngine } : {}),
  };
  const shifts = edits
    .map((e) => ({ end: e.end, delta: e.text.length - (e.end - e.start) }))
    .filter((e) => e.delta !== 0)
    .sort((a, b) => a.end - b.end);
  return { html: applyEdits(source, edits), diagnostics, summary, shifts };
}

/**
 * Harden every HTML page of the output in place (sorted path order).
 * Run after site and assets, before seal.
 */
export function hardenSite(output: OutputFiles, options: HardenOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const memoContext = options.memo ? hashKey(JSON.stringify(options.formAction ?? []), JSON.stringify(options.connectSrc ?? [])) : '';
  for (const path of [...output.keys()].sort()) {
    if (!isHtmlPath(path)) continue;
    const bytes = output.get(path)!;
    const key = options.memo ? joinKey(memoContext, path, String(options.searchPages?.has(path) === true), bytes) : undefined;
    const hit = key ? options.memo!.get(key) : undefined;
    if (hit) {
      diagnostics.push(...hit.diagnostics);
      output.set(path, hit.html);
      PAGE_SUMMARIES.set(hit.html, hit.summary);
      const marks = options.sourceMarks?.get(path);
      if (marks) options.sourceMarks!.set(path, shiftMarks(marks, hit.shifts));
      options.onPage?.({ path, input: bytes, html: hit.html, memoKey: key! });
      continue;
    }
    const source = decoder.decode(bytes);
    const result = hardenPage(output, path, source, options);
    diagnostics.push(...result.diagnostics);
    if (result.html !== source) output.set(path, encoder.encode(result.html));
    const marks = options.sourceMarks?.get(path);
    if (marks) options.sourceMarks!.set(path, shiftMarks(marks, result.shifts));
    PAGE_SUMMARIES.set(output.get(path)!, result.summary);
    // A page that links stylesheets or scripts depends on those files (SRI): not memoised.
    const memoised = key !== undefined && !/<link\b[^>]*stylesheet|<script\b[^>]*\bsrc=/i.test(source);
    if (memoised) options.memo!.set(key, { html: output.get(path)!, diagnostics: result.diagnostics, summary: result.summary, shifts: result.shifts });
    options.onPage?.({ path, input: bytes, html: output.get(path)!, ...(memoised ? { memoKey: key } : {}) });
  }
  return diagnostics;
}
