/**
 * Pull every URL-bearing attribute out of an HTML document, with the element
 * and attribute it came from (independent of stele's own scanner).
 */
import { Parser } from 'htmlparser2';

/** One URL found in a document. */
export interface FoundUrl {
  tag: string;
  attribute: string;
  value: string;
  /** All attributes of the element (e.g. `rel` of a `<link>`). */
  attributes: Record<string, string>;
}

const URL_ATTRIBUTES = new Set(['href', 'src', 'srcset', 'action', 'formaction', 'poster', 'data', 'cite', 'background', 'xlink:href']);

/** Every URL in `html`; `srcset` values are split into their URLs. */
export function collectUrls(html: string): FoundUrl[] {
  const out: FoundUrl[] = [];
  const parser = new Parser(
    {
      onopentag(tag, attributes) {
        for (const [name, value] of Object.entries(attributes)) {
          if (!URL_ATTRIBUTES.has(name)) continue;
          const values = name === 'srcset' ? value.split(',').map((s) => s.trim().split(/\s+/)[0]!) : [value];
          for (const v of values) out.push({ tag, attribute: name, value: v, attributes });
        }
        if (tag === 'meta' && /refresh|onion-location/i.test(attributes['http-equiv'] ?? '')) {
          out.push({ tag, attribute: 'content', value: attributes.content ?? '', attributes });
        }
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return out;
}

/** The text inside every `<tag>` element (e.g. all `<title>`s). */
export function collectElementText(html: string, wanted: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  const parser = new Parser(
    {
      onopentag(tag) {
        if (tag === wanted && depth++ === 0) current = '';
      },
      ontext(text) {
        if (depth > 0) current += text;
      },
      onclosetag(tag) {
        if (tag === wanted && --depth === 0) out.push(current);
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return out;
}
