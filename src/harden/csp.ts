/**
 * Content-Security-Policy strings. Policies are hash-based: no 'unsafe-inline',
 * no 'unsafe-eval', no third-party hosts. `default-src 'none'` denies
 * everything not listed.
 */
import { createHash } from 'node:crypto';

/** Base64 sha256 of UTF-8 text or bytes (the CSP / SRI hash form, without the `sha256-` prefix). */
export function computeSha256Base64(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('base64');
}

/** Options for {@link createContentSecurityPolicy}. */
export interface ContentSecurityPolicyOptions {
  /** Exact bodies of inline `<style>` elements. */
  inlineStyles: string[];
  /** Exact bodies of inline executable `<script>` elements. */
  inlineScripts: string[];
  /** Form targets (origins or paths); default none. */
  formAction?: string[];
  /** True for the `<meta>` variant: `frame-ancestors` and `report-uri` are omitted (browsers ignore them there). */
  forMeta: boolean;
  /** Allow same-site stylesheet files (`<link rel=stylesheet>`). */
  selfStyles?: boolean;
  /** Allow same-site script files (`<script src>`). */
  selfScripts?: boolean;
  /** Header variant only: where browsers send violation reports. */
  reportUri?: string;
  /** `connect-src` sources; default none (only `stele dev` allows its live-reload endpoint). */
  connectSrc?: string[];
  /**
   * The search page: its hashed inline script may import Pagefind's same-origin
   * module (`'strict-dynamic'`), compile its WebAssembly (`'wasm-unsafe-eval'`)
   * and fetch index chunks from the site (`connect-src 'self'`). No other page gets these.
   */
  searchEngine?: boolean;
}

function hashSources(bodies: string[]): string[] {
  return [...new Set(bodies.map((b) => `'sha256-${computeSha256Base64(b)}'`))].sort();
}

/**
 * Build a CSP. Images, fonts, media and the manifest may come from the site
 * itself only (`'self'`; no `data:`), styles and scripts only from the listed
 * inline hashes (plus `'self'` files when asked).
 */
export function createContentSecurityPolicy(options: ContentSecurityPolicyOptions): string {
  const styles = [...(options.selfStyles ? ["'self'"] : []), ...hashSources(options.inlineStyles)];
  const scripts = [...(options.selfScripts ? ["'self'"] : []), ...hashSources(options.inlineScripts)];
  if (options.searchEngine && scripts.length) scripts.push("'strict-dynamic'", "'wasm-unsafe-eval'");
  const connect = [...(options.connectSrc ?? []), ...(options.searchEngine ? ["'self'"] : [])];
  const forms = options.formAction?.length ? [...new Set(options.formAction)] : ["'none'"];
  const directives: string[] = [
    "default-src 'none'",
    `script-src ${scripts.length ? scripts.join(' ') : "'none'"}`,
    `style-src ${styles.length ? styles.join(' ') : "'none'"}`,
    "img-src 'self'",
    "font-src 'self'",
    "media-src 'self'",
    "manifest-src 'self'",
    ...(connect.length ? [`connect-src ${[...new Set(connect)].join(' ')}`] : []),
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${forms.join(' ')}`,
  ];
  if (!options.forMeta) {
    directives.push("frame-ancestors 'none'");
    if (options.reportUri) directives.push(`report-uri ${options.reportUri}`);
  }
  return directives.join('; ');
}
