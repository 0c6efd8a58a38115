/**
 * The page shell: head (CSP is added by `harden`), header with navigation and
 * language switcher, main content, footer with the verification pointer.
 */
import { type LanguageCode, LANGUAGES } from '../../config/languages.js';
import { relativeUrl } from '../../content/urls.js';
import { html, join, replaceSafeHtml, type SafeHtml, unsafeRawHtml } from '../html.js';
import { renderJsonLd } from './json-ld.js';
import { getThemeStrings } from './strings.js';
import { FAVICON_PATH, THEME_CSS } from './style.js';

/** One language version of the current page; `path` null when not translated. */
export interface Alternate {
  lang: LanguageCode;
  path: string | null;
  /** Language home, used when `path` is null. */
  homePath: string;
}

export interface NavItem {
  label: string;
  path: string;
}

/** Open Graph and Twitter card data of a page. */
export interface SocialMeta {
  type: 'website' | 'article';
  title: string;
  /** Absolute URL of the preview image; previewers ignore relative ones, so without `baseUrl` there is none. */
  image?: string;
  imageWidth?: number;
  imageHeight?: number;
  imageAlt?: string;
  /** Other languages the page exists in (`og:locale:alternate`). */
  locales: LanguageCode[];
}

/** Open Graph locale of a language. */
const OG_LOCALES: Record<LanguageCode, string> = { en: 'en_US', 'zh-Hans': 'zh_CN', 'zh-Hant': 'zh_TW' };

/** Everything the shell needs to wrap a page body. */
export interface PageShell {
  lang: LanguageCode;
  /** Site-relative output path of this page. */
  path: string;
  title: string;
  siteTitle: string;
  description?: string;
  body: SafeHtml;
  alternates: Alternate[];
  nav: NavItem[];
  homePath: string;
  verifyPath: string;
  feedPath?: string;
  keyFingerprint?: string;
  /** Not signed: the footer says so instead of pointing at how to verify. */
  unsigned?: boolean;
  /** Absolute canonical URL when the config has a `baseUrl`. */
  canonicalUrl?: string;
  /** Absolute alternates (by language) when the config has a `baseUrl`. */
  alternateUrls?: Partial<Record<LanguageCode, string>>;
  onionUrl?: string;
  jsonLd?: object[];
  derived?: boolean;
  /** Extra head markup from stele itself (dev live reload). */
  headExtra?: SafeHtml;
  /** Mark the page as not to be indexed (404). */
  noindex?: boolean;
  /**
   * Link from this URL path (`/`, `/campaign/`) instead of relative to `path`:
   * a 404 page is answered at any missing address, however deep, so its links
   * are root-relative under the site's path.
   */
  linkRoot?: string;
  /** Offer the page's main content to the site search index (entry pages). */
  searchable?: boolean;
  /** Neighbouring pages of a paginated list (`<link rel="prev/next">`). */
  prevPath?: string;
  nextPath?: string;
  /** Preview tags for shared links (Open Graph, Twitter card). */
  social?: SocialMeta;
  /** Logo, CSS after the theme's, contact and donation links. */
  theme?: {
    logo?: { path: string; width: number; height: number };
    css: string;
    contact?: { email?: string; signal?: string; donate?: string };
  };
}

/** Render a full HTML document. */
export function renderLayout(p: PageShell): string {
  return renderLayoutHtml(p).value;
}

/** Render a full HTML document, keeping the source marks of the author content in it. */
export function renderLayoutHtml(p: PageShell): SafeHtml {
  const t = getThemeStrings(p.lang);
  const linkRoot = p.linkRoot;
  const rel = linkRoot === undefined ? (to: string) => relativeUrl(p.path, to) : (to: string) => linkRoot + to.split('/').map(encodeURIComponent).join('/');
  const fullTitle = p.title === p.siteTitle ? p.siteTitle : `${p.title} · ${p.siteTitle}`;
  const hreflangs = p.alternates
    .filter((a) => a.path)
    .map((a) => html`<link rel="alternate" hreflang="${LANGUAGES[a.lang].htmlLang}" href="${p.alternateUrls?.[a.lang] ?? rel(a.path!)}">`);
  const switcher = html`<nav class="lang-switch" aria-label="${t.language}"><ul>${p.alternates.map((a) => {
    const label = html`<span lang="${LANGUAGES[a.lang].htmlLang}">${LANGUAGES[a.lang].label}</span>`;
    if (a.lang === p.lang) return html`<li><a href="${rel(p.path)}" aria-current="page" hreflang="${LANGUAGES[a.lang].htmlLang}">${label}</a></li>`;
    if (a.path) return html`<li><a href="${rel(a.path)}" hreflang="${LANGUAGES[a.lang].htmlLang}" lang="${LANGUAGES[a.lang].htmlLang}">${label}</a></li>`;
    const missing = getThemeStrings(a.lang);
    return html`<li><a href="${rel(a.homePath)}" hreflang="${LANGUAGES[a.lang].htmlLang}" lang="${LANGUAGES[a.lang].htmlLang}" title="${missing.translationMissingNote}">${label} <small>(${missing.notTranslated})</small></a></li>`;
  })}</ul></nav>`;
  const doc = html`<!doctype html>
<html lang="${LANGUAGES[p.lang].htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${fullTitle}</title>
${p.description ? html`<meta name="description" content="${p.description}">` : ''}
${p.noindex ? unsafeRawHtml('<meta name="robots" content="noindex">') : ''}
${p.canonicalUrl ? html`<link rel="canonical" href="${p.canonicalUrl}">` : ''}
${join(hreflangs, '\n')}
${p.prevPath ? html`<link rel="prev" href="${rel(p.prevPath)}">` : ''}
${p.nextPath ? html`<link rel="next" href="${rel(p.nextPath)}">` : ''}
${p.feedPath ? html`<link rel="alternate" type="application/atom+xml" title="${p.siteTitle}" href="${rel(p.feedPath)}">` : ''}
${p.social ? renderSocialMeta(p, p.social) : ''}
${p.onionUrl ? html`<meta http-equiv="onion-location" content="${p.onionUrl}">` : ''}
<link rel="icon" type="image/svg+xml" href="${rel(FAVICON_PATH)}">
<style>${unsafeRawHtml(THEME_CSS)}${p.theme?.css ? unsafeRawHtml(p.theme.css) : ''}</style>
${(p.jsonLd ?? []).map((d) => renderJsonLd(d))}
${p.headExtra ?? ''}
</head>
<body>
<a class="skip" href="#main">${t.skipToContent}</a>
<header class="site">
<a class="site-title" href="${rel(p.homePath)}">${p.theme?.logo ? html`<img class="logo" src="${rel(p.theme.logo.path)}" alt="" role="presentation" width="${String(Math.round((p.theme.logo.width / p.theme.logo.height) * 48))}" height="48">` : ''}${p.siteTitle}</a>
${p.nav.length ? html`<nav aria-label="${t.mainNav}"><ul>${p.nav.map((n) => html`<li><a href="${rel(n.path)}"${n.path === p.path ? unsafeRawHtml(' aria-current="page"') : ''}>${n.label}</a></li>`)}</ul></nav>` : ''}
${p.alternates.length ? switcher : ''}
</header>
<main id="main"${p.searchable ? unsafeRawHtml(' data-pagefind-body') : ''}>
${p.derived && t.derivedNote ? html`<p class="meta">${t.derivedNote}</p>` : ''}
${p.body}
</main>
<footer class="site">
${renderContactLinks(p)}
${p.unsigned ? html`<p class="notice unsigned">${t.footerUnsigned}</p>` : ''}
<p><a href="${rel(p.verifyPath)}">${p.unsigned ? t.footerOfficial : t.footerVerify}</a>${p.keyFingerprint ? html` · ${t.footerKey}: <span class="fingerprint">${p.keyFingerprint}</span>` : ''}${p.feedPath ? html` · <a href="${rel(p.feedPath)}">${t.feed}</a>` : ''}</p>
</footer>
</body>
</html>
`;
  return replaceSafeHtml(doc, /\n{2,}/g, '\n');
}

/** Open Graph and Twitter card tags: title, description, locale, canonical URL, image (absolute only). */
function renderSocialMeta(p: PageShell, s: SocialMeta): SafeHtml {
  const image = s.image && /^https?:\/\//.test(s.image) ? s.image : undefined;
  return html`<meta property="og:type" content="${s.type}">
<meta property="og:site_name" content="${p.siteTitle}">
<meta property="og:title" content="${s.title}">
${p.description ? html`<meta property="og:description" content="${p.description}">` : ''}
<meta property="og:locale" content="${OG_LOCALES[p.lang]}">
${s.locales.map((l) => html`<meta property="og:locale:alternate" content="${OG_LOCALES[l]}">`)}
${p.canonicalUrl ? html`<meta property="og:url" content="${p.canonicalUrl}">` : ''}
${image ? html`<meta property="og:image" content="${image}">${s.imageWidth ? html`<meta property="og:image:width" content="${String(s.imageWidth)}"><meta property="og:image:height" content="${String(s.imageHeight)}">` : ''}<meta property="og:image:alt" content="${s.imageAlt ?? ''}">` : ''}
<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">
<meta name="twitter:title" content="${s.title}">
${p.description ? html`<meta name="twitter:description" content="${p.description}">` : ''}
${image ? html`<meta name="twitter:image" content="${image}"><meta name="twitter:image:alt" content="${s.imageAlt ?? ''}">` : ''}`;
}

/** Contact and donation links of the config (mailto, Signal, a payment page). */
function renderContactLinks(p: PageShell): SafeHtml {
  const c = p.theme?.contact;
  if (!c || !(c.email || c.signal || c.donate)) return html``;
  const t = getThemeStrings(p.lang);
  const links = [
    c.email ? html`<li>${t.contact}: <a href="mailto:${c.email}">${c.email}</a></li>` : undefined,
    c.signal ? html`<li><a href="${c.signal}" rel="noopener noreferrer">Signal</a></li>` : undefined,
    c.donate ? html`<li><a class="donate" href="${c.donate}" rel="noopener noreferrer">${t.donate}</a></li>` : undefined,
  ].filter((l) => l !== undefined);
  return html`<nav aria-label="${t.contact}"><ul class="contact">${links}</ul></nav>`;
}
