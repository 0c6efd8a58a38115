/**
 * The HTTP response headers every stele site is served with. The server
 * configs (nginx, Caddy, _headers, .htaccess) are generated from this object.
 */
import { createContentSecurityPolicy } from './csp.js';

/** Options for {@link createSecurityHeaders}. */
export interface SecurityHeadersOptions {
  /**
   * Inline style bodies of the whole site. The header CSP allows the union of
   * all of them; each page's meta CSP is the tighter per-page list (browsers
   * enforce both, so the effective policy is the page's own).
   */
  inlineStyles?: string[];
  /** Inline script bodies of the whole site (see `inlineStyles`). */
  inlineScripts?: string[];
  /** Form targets; default none. */
  formAction?: string[];
  /** Whether the site links stylesheet files. */
  selfStyles?: boolean;
  /** Whether the site links script files. */
  selfScripts?: boolean;
  /** Whether the site has a search page (its script loads Pagefind; see the CSP options). */
  searchEngine?: boolean;
  /** HSTS max-age in seconds (default two years). 0 leaves the header out. */
  hstsMaxAge?: number;
  /** Add `preload` to HSTS (only after submitting the domain to the preload list). */
  hstsPreload?: boolean;
  /** CSP report endpoint, header only. */
  reportUri?: string;
  /** CSP `connect-src` (only `stele dev`'s live reload needs one). */
  connectSrc?: string[];
}

/** Permissions-Policy: deny every powerful feature a static site never needs. */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'autoplay=()',
  'browsing-topics=()',
  'camera=()',
  'display-capture=()',
  'encrypted-media=()',
  'geolocation=()',
  'gyroscope=()',
  'hid=()',
  'idle-detection=()',
  'interest-cohort=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'publickey-credentials-get=()',
  'screen-wake-lock=()',
  'serial=()',
  'usb=()',
  'xr-spatial-tracking=()',
].join(', ');

/** The security headers, in a fixed order (name → value). */
export function createSecurityHeaders(options: SecurityHeadersOptions = {}): Record<string, string> {
  const hstsMaxAge = options.hstsMaxAge ?? 63072000;
  const headers: Record<string, string> = {
    'Content-Security-Policy': createContentSecurityPolicy({
      inlineStyles: options.inlineStyles ?? [],
      inlineScripts: options.inlineScripts ?? [],
      ...(options.formAction ? { formAction: options.formAction } : {}),
      forMeta: false,
      selfStyles: options.selfStyles ?? false,
      selfScripts: options.selfScripts ?? false,
      ...(options.searchEngine ? { searchEngine: true } : {}),
      ...(options.reportUri ? { reportUri: options.reportUri } : {}),
      ...(options.connectSrc ? { connectSrc: options.connectSrc } : {}),
    }),
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': PERMISSIONS_POLICY,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  if (hstsMaxAge > 0) {
    headers['Strict-Transport-Security'] = `max-age=${hstsMaxAge}; includeSubDomains${options.hstsPreload ? '; preload' : ''}`;
  }
  return headers;
}
