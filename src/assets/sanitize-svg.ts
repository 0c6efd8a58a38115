/**
 * SVG logos from a config are untrusted like any author input: they are parsed
 * (saxes, no DOCTYPE, no entities beyond XML's own) and written out again with
 * only drawing elements and presentation attributes. Scripts, event handlers,
 * links, `<foreignObject>`, `<image>`, `<use>`, styles and every reference to
 * something outside the file (`href`, `url(…)` other than `url(#id)`) are dropped.
 */
import { SaxesParser, type SaxesTag } from 'saxes';

const ELEMENTS = new Set([
  'svg', 'g', 'path', 'circle', 'ellipse', 'rect', 'line', 'polyline', 'polygon', 'title', 'desc', 'defs',
  'lineargradient', 'radialgradient', 'stop', 'clippath', 'text', 'tspan',
]);

const ATTRIBUTES = new Set([
  'xmlns', 'viewbox', 'width', 'height', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'd', 'points',
  'fill', 'fill-opacity', 'fill-rule', 'clip-rule', 'stroke', 'stroke-width', 'stroke-linecap', 'stroke-linejoin',
  'stroke-miterlimit', 'stroke-dasharray', 'stroke-dashoffset', 'stroke-opacity', 'opacity', 'transform', 'id',
  'offset', 'stop-color', 'stop-opacity', 'gradientunits', 'gradienttransform', 'clip-path', 'clippathunits',
  'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'preserveaspectratio', 'role',
  'aria-label', 'aria-hidden', 'fx', 'fy', 'spreadmethod', 'dx', 'dy', 'letter-spacing',
]);

/** What `sanitizeSvg` returns: the clean SVG, its size when it states one, or why it was refused. */
export type SanitizedSvg = { ok: true; svg: string; width?: number; height?: number } | { ok: false; reason: string };

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.codePointAt(0)};`);
}

/** Parse `text` as SVG and keep only the allowlisted drawing markup. */
export function sanitizeSvg(text: string): SanitizedSvg {
  const parser = new SaxesParser({ xmlns: false, position: false });
  const out: string[] = [];
  let skipDepth = 0;
  let depth = 0;
  let root: SaxesTag | undefined;
  let problem: string | undefined;
  parser.on('error', (e) => {
    problem ??= e.message.split('\n')[0];
  });
  parser.on('doctype', () => {
    problem ??= 'a DOCTYPE is not allowed';
  });
  parser.on('opentag', (tag) => {
    depth++;
    if (skipDepth) {
      skipDepth++;
      return;
    }
    const name = tag.name.toLowerCase();
    if (depth === 1) {
      root = tag;
      if (name !== 'svg') problem ??= `the root element is <${tag.name}>, not <svg>`;
    }
    if (!ELEMENTS.has(name)) {
      skipDepth = 1;
      return;
    }
    const attrs = Object.entries(tag.attributes as Record<string, string>)
      .filter(([k, v]) => ATTRIBUTES.has(k.toLowerCase()) && !/url\(\s*['"]?(?!#)/i.test(v) && !/javascript:|data:/i.test(v))
      .map(([k, v]) => ` ${k}="${escapeXml(k === 'xmlns' ? 'http://www.w3.org/2000/svg' : v)}"`);
    if (depth === 1 && !attrs.some((a) => a.startsWith(' xmlns='))) attrs.unshift(' xmlns="http://www.w3.org/2000/svg"');
    out.push(`<${tag.name}${attrs.join('')}${tag.isSelfClosing ? '/>' : '>'}`);
  });
  parser.on('closetag', (tag) => {
    depth--;
    if (skipDepth) {
      skipDepth--;
      return;
    }
    if (!tag.isSelfClosing) out.push(`</${tag.name}>`);
  });
  parser.on('text', (t) => {
    if (!skipDepth && depth > 0) out.push(escapeXml(t));
  });
  try {
    parser.write(text).close();
  } catch {
    // Reported through 'error'.
  }
  if (problem) return { ok: false, reason: problem };
  if (!root) return { ok: false, reason: 'no <svg> element' };
  const attrs = root.attributes as Record<string, string>;
  const size = (v: string | undefined) => (v && /^\d+(\.\d+)?(px)?$/.test(v) ? Math.round(Number.parseFloat(v)) : undefined);
  const box = attrs.viewBox?.trim().split(/[\s,]+/).map(Number);
  const width = size(attrs.width) ?? (box?.length === 4 ? Math.round(box[2]!) : undefined);
  const height = size(attrs.height) ?? (box?.length === 4 ? Math.round(box[3]!) : undefined);
  return { ok: true, svg: `${out.join('')}\n`, ...(width ? { width } : {}), ...(height ? { height } : {}) };
}
