/**
 * Find the URLs an HTML page or stylesheet makes a browser load or follow
 * (src, href, srcset, poster, url(), @import), so verify can check that every
 * same-host URL is part of the signed manifest.
 */

const ATTR_RE = /\s(?:src|href|poster|data|action|formaction|background|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const SRCSET_RE = /\s(?:srcset|imagesrcset)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const CSS_URL_RE = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/gi;
const CSS_IMPORT_RE = /@import\s+(?:"([^"]*)"|'([^']*)')/gi;

function decodeEntities(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)));
}

function collect(re: RegExp, text: string, out: string[], split?: boolean): void {
  for (const m of text.matchAll(re)) {
    const value = decodeEntities((m[1] ?? m[2] ?? m[3] ?? '').trim());
    if (!value) continue;
    if (split) {
      for (const candidate of value.split(',')) {
        const url = candidate.trim().split(/\s+/)[0];
        if (url) out.push(url);
      }
    } else out.push(value);
  }
}

/** Raw references (unresolved) found in an HTML document, including inline `<style>` and style attributes. */
export function extractHtmlReferences(html: string): string[] {
  const out: string[] = [];
  collect(ATTR_RE, html, out);
  collect(SRCSET_RE, html, out, true);
  collect(CSS_URL_RE, html, out);
  collect(CSS_IMPORT_RE, html, out);
  return out;
}

/** Raw references (unresolved) found in a stylesheet. */
export function extractCssReferences(css: string): string[] {
  const out: string[] = [];
  collect(CSS_URL_RE, css, out);
  collect(CSS_IMPORT_RE, css, out);
  return out;
}

/**
 * Resolve references against the page URL and keep those on the same origin
 * (scheme, host and port), without query or fragment. Duplicates removed.
 */
export function resolveSameOriginReferences(refs: readonly string[], pageUrl: URL): URL[] {
  const seen = new Set<string>();
  const out: URL[] = [];
  for (const ref of refs) {
    if (/^(?:data|mailto|tel|javascript|about|blob):/i.test(ref) || ref.startsWith('#')) continue;
    let url: URL;
    try {
      url = new URL(ref, pageUrl);
    } catch {
      continue;
    }
    if (url.origin !== pageUrl.origin) continue;
    url.hash = '';
    url.search = '';
    if (!seen.has(url.href)) {
      seen.add(url.href);
      out.push(url);
    }
  }
  return out;
}
