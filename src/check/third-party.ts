/**
 * Third-party requests: nothing in a page or stylesheet may make the browser
 * contact another host (each request would reveal the visitor's address).
 * Plain `<a href>` / `<area href>` links to other sites are fine.
 */
import { createDiagnostic } from '../errors/catalogue.js';
import { CHECK_THIRD_PARTY_CSS, CHECK_THIRD_PARTY_RESOURCE } from '../errors/codes-harden.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { getAttribute, getAttributeTokens, getElementContent, type ScannedElement } from '../harden/html-scan.js';
import { classifyUrl, parseSrcset } from '../harden/site-url.js';
import { createOffsetLocator } from '../harden/text-location.js';
import type { OutputFiles } from '../site/output.js';
import { findCssUrls } from './css-urls.js';
import type { SitePage } from './site-pages.js';

/** `<link rel>` values that make the browser fetch (or connect to) the URL. */
const FETCHING_RELS = new Set([
  'stylesheet',
  'icon',
  'shortcut',
  'apple-touch-icon',
  'apple-touch-icon-precomposed',
  'apple-touch-startup-image',
  'mask-icon',
  'fluid-icon',
  'preload',
  'prefetch',
  'modulepreload',
  'preconnect',
  'dns-prefetch',
  'prerender',
  'manifest',
  'pingback',
  'webmention',
]);

/** Attributes whose URL is fetched, by element. */
const FETCHED: Record<string, string[]> = {
  img: ['src', 'srcset'],
  source: ['src', 'srcset'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  iframe: ['src'],
  frame: ['src'],
  embed: ['src'],
  object: ['data', 'codebase'],
  applet: ['code', 'codebase', 'archive'],
  script: ['src'],
  input: ['src'],
  image: ['href', 'xlink:href'],
  use: ['href', 'xlink:href'],
  feimage: ['href', 'xlink:href'],
  form: ['action'],
  button: ['formaction'],
  base: ['href'],
  body: ['background'],
  table: ['background'],
  td: ['background'],
  th: ['background'],
  a: ['ping'],
  area: ['ping'],
};

/** Options for {@link checkThirdParty}. */
export interface ThirdPartyOptions {
  /** Origins that may be contacted (e.g. a donation form's `https://pay.example`). */
  allowedOrigins?: readonly string[];
  /** Skip the site's `.css` files (when checking pages chunk by chunk, they are checked with the first chunk). */
  skipCssFiles?: boolean;
}

function isThirdParty(pagePath: string, url: string, allowed: readonly string[]): boolean {
  const target = classifyUrl(pagePath, url);
  if (target.kind !== 'external') return false;
  try {
    const origin = new URL(target.url.startsWith('//') ? `https:${target.url}` : target.url).origin;
    return !allowed.includes(origin);
  } catch {
    return true;
  }
}

function urlsOf(element: ScannedElement, attribute: string, value: string): string[] {
  if (attribute === 'srcset' || attribute === 'imagesrcset') return parseSrcset(value);
  if (attribute === 'ping' || (element.name === 'applet' && attribute === 'archive')) return value.split(/[\s,]+/).filter(Boolean);
  return [value];
}

/** Check pages, their inline CSS and `.css` files for third-party requests. */
export function checkThirdParty(output: OutputFiles, pages: readonly SitePage[], options: ThirdPartyOptions = {}): Diagnostic[] {
  const allowed = options.allowedOrigins ?? [];
  const diagnostics: Diagnostic[] = [];
  for (const page of pages) {
    for (const element of page.scanned.elements) {
      let attributes = FETCHED[element.name] ?? [];
      if (element.name === 'link') {
        const rel = getAttributeTokens(element, 'rel');
        attributes = rel.some((r) => FETCHING_RELS.has(r)) ? ['href', 'imagesrcset'] : ['imagesrcset'];
      }
      if (element.name === 'input' && getAttribute(element, 'type')?.value.toLowerCase() !== 'image') attributes = [];
      for (const attribute of element.attributes) {
        if (!attributes.includes(attribute.name)) continue;
        for (const url of urlsOf(element, attribute.name, attribute.value)) {
          if (!isThirdParty(page.path, url, allowed)) continue;
          diagnostics.push(
            createDiagnostic(CHECK_THIRD_PARTY_RESOURCE, { file: page.path, ...page.locate(attribute.start) }, `<${element.name} ${attribute.name}>`, url),
          );
        }
      }
      // CSS in style attributes and <style> elements.
      const style = getAttribute(element, 'style');
      if (style) {
        for (const { url } of findCssUrls(style.value)) {
          if (isThirdParty(page.path, url, allowed)) {
            diagnostics.push(createDiagnostic(CHECK_THIRD_PARTY_CSS, { file: page.path, ...page.locate(style.start) }, url));
          }
        }
      }
      if (element.name === 'style' && element.contentStart !== undefined) {
        for (const { url, offset } of findCssUrls(getElementContent(page.scanned, element) ?? '')) {
          if (isThirdParty(page.path, url, allowed)) {
            diagnostics.push(createDiagnostic(CHECK_THIRD_PARTY_CSS, { file: page.path, ...page.locate(element.contentStart + offset) }, url));
          }
        }
      }
    }
  }
  const decoder = new TextDecoder();
  for (const path of options.skipCssFiles ? [] : [...output.keys()].sort()) {
    if (!/\.css$/i.test(path)) continue;
    const css = decoder.decode(output.get(path)!);
    const locate = createOffsetLocator(css);
    for (const { url, offset } of findCssUrls(css)) {
      if (isThirdParty(path, url, allowed)) diagnostics.push(createDiagnostic(CHECK_THIRD_PARTY_CSS, { file: path, ...locate(offset) }, url));
    }
  }
  return diagnostics;
}
