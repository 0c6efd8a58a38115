/**
 * Catalogue entries for `harden` and `check`: STELE4000–4999.
 * 40xx harden, 41xx links, 42xx images (alt, metadata), 43xx third-party
 * requests, 44xx scripts and CSP, 45xx withheld names.
 *
 * Messages never quote a withheld name: diagnostics end up in CI logs.
 */
import { defineError } from './catalogue.js';

/** A page has no `<head>`, so no CSP meta could be placed. */
export const HARDEN_NO_HEAD = defineError<[]>({
  code: 'STELE4001',
  title: 'Page has no <head>',
  severity: 'error',
  message: () => 'This page has no <head> element, so its Content-Security-Policy could not be added.',
  hint: 'Every page template must contain <head>…</head>; check the layout that produced this page.',
});

/** A same-site stylesheet or script is not in the output, so no integrity hash can be computed. */
export const HARDEN_SUBRESOURCE_MISSING = defineError<[url: string]>({
  code: 'STELE4002',
  title: 'Linked file not in the site',
  severity: 'error',
  message: (url) => `"${url}" is linked as a stylesheet or script but is not in the built site, so no integrity hash could be added.`,
  hint: 'Fix the path in the template, or make sure the file is produced by the build.',
});

/** `stele server-config --base-path` names another path than the one the site's 404 pages link from. */
export const HARDEN_BASE_PATH_MISMATCH = defineError<[basePath: string, linkRoot: string]>({
  code: 'STELE4003',
  title: '404 pages link from another path',
  severity: 'warning',
  message: (basePath, linkRoot) =>
    `The site is served under ${basePath}, but its 404 pages link from ${linkRoot} (the path of \`baseUrl\` when it was built): at a missing address, their links to the home page, icon, logo and verification page would lead out of this copy.`,
  hint: (basePath, linkRoot) => `Serve the site under ${linkRoot}, or build this copy with a \`baseUrl\` whose path is ${basePath}.`,
});

/** A relative link points at a file that is not in the site. */
export const CHECK_LINK_BROKEN = defineError<[url: string, target: string]>({
  code: 'STELE4101',
  title: 'Broken internal link',
  severity: 'error',
  message: (url, target) => `"${url}" points to ${target}, which is not in the built site.`,
  hint: 'Fix the link, or remove it. Links are relative to the page they are on and name a file ("dir/index.html", not "dir/").',
});

/** A link's #fragment does not match any id in the target page. */
export const CHECK_ANCHOR_MISSING = defineError<[url: string, fragment: string, target: string]>({
  code: 'STELE4102',
  title: 'Broken anchor',
  severity: 'error',
  message: (url, fragment, target) => `"${url}" points to #${fragment}, but ${target} has no element with id="${fragment}".`,
  hint: 'Heading ids change when heading text changes; update the link to the current id.',
});

/** A root-relative URL (`/x`) breaks in sub-folders and on file://. */
export const CHECK_LINK_ROOT_RELATIVE = defineError<[url: string]>({
  code: 'STELE4103',
  title: 'Root-relative URL',
  severity: 'error',
  message: (url) => `"${url}" starts with "/", which breaks when the site is served from a sub-folder or opened from disk.`,
  hint: 'Use a URL relative to the page that names the file (for example "../about/index.html").',
});

/** A relative URL climbs above the site root. */
export const CHECK_LINK_ESCAPES_ROOT = defineError<[url: string]>({
  code: 'STELE4104',
  title: 'Link leaves the site',
  severity: 'error',
  message: (url) => `"${url}" climbs above the site's root folder with "..".`,
  hint: 'Remove the extra "../" segments.',
});

/** A link names a folder without the trailing slash. */
export const CHECK_LINK_FOLDER_NO_SLASH = defineError<[url: string]>({
  code: 'STELE4105',
  title: 'Folder link without trailing slash',
  severity: 'error',
  message: (url) => `"${url}" names a folder without a trailing "/": it needs a server redirect and does not work when opened from disk.`,
  hint: (url) => `Name the page file: "${resolveFolderFileUrl(url)}".`,
});

/** A link names a folder (`posts/`): from file:// that opens a listing, not the page. */
export const CHECK_LINK_FOLDER = defineError<[url: string]>({
  code: 'STELE4106',
  title: 'Link to a folder',
  severity: 'error',
  message: (url) =>
    `"${url}" names a folder, not a file: opened from disk (file://), from an IPFS gateway or a host without index files it shows a folder listing or nothing.`,
  hint: (url) => `Name the page file: "${resolveFolderFileUrl(url)}".`,
});

/** The URL of the `index.html` of the folder `url` names (`posts/#x` → `posts/index.html#x`, `..` → `../index.html`). */
export function resolveFolderFileUrl(url: string): string {
  const cut = url.search(/[?#]/);
  const path = cut < 0 ? url : url.slice(0, cut);
  const rest = cut < 0 ? '' : url.slice(cut);
  if (path === '' || path === '.' || path === './') return `index.html${rest}`;
  let folder = path.endsWith('/.') ? path.slice(0, -1) : path;
  if (!folder.endsWith('/')) folder += '/';
  return `${folder}index.html${rest}`;
}

/** An image has no alt attribute. */
export const CHECK_IMG_ALT_MISSING = defineError<[src: string]>({
  code: 'STELE4201',
  title: 'Image without alt text',
  severity: 'error',
  message: (src) => `The image "${src}" has no alt attribute.`,
  hint: 'Describe the image for people using screen readers. For a purely decorative image use alt="" together with role="presentation" or aria-hidden="true".',
});

/** An image has alt="" but is not marked decorative. */
export const CHECK_IMG_ALT_EMPTY = defineError<[src: string]>({
  code: 'STELE4202',
  title: 'Empty alt on a non-decorative image',
  severity: 'error',
  message: (src) => `The image "${src}" has an empty alt but is not marked as decorative.`,
  hint: 'Write alt text, or add role="presentation" (or aria-hidden="true") if the image is purely decorative.',
});

/** An image in the output carries metadata. */
export const CHECK_IMAGE_METADATA = defineError<[found: string]>({
  code: 'STELE4203',
  title: 'Image carries metadata',
  severity: 'error',
  message: (found) => `This image carries metadata (${found}) that can identify where it was taken or by whom.`,
  hint: 'Images must go through the assets pipeline, which strips metadata. Do not copy photos into the output or static folder directly.',
});

/** An element makes the browser fetch something from another host. */
export const CHECK_THIRD_PARTY_RESOURCE = defineError<[what: string, url: string]>({
  code: 'STELE4301',
  title: 'Third-party request',
  severity: 'error',
  message: (what, url) => `${what} loads "${url}" from another site: every visitor's address would be revealed to it.`,
  hint: 'Copy the file into the site and link it relatively. Plain <a href> links to other sites are fine.',
});

/** CSS loads something from another host. */
export const CHECK_THIRD_PARTY_CSS = defineError<[url: string]>({
  code: 'STELE4302',
  title: 'Third-party request from CSS',
  severity: 'error',
  message: (url) => `CSS loads "${url}" from another site: every visitor's address would be revealed to it.`,
  hint: 'Self-host fonts and images and refer to them with relative url(...) paths.',
});

/** A production page carries a script a browser would run. */
export const CHECK_SCRIPT_IN_PRODUCTION = defineError<[what: string]>({
  code: 'STELE4406',
  title: 'Executable script in a production page',
  severity: 'error',
  message: (what) => `This page carries ${what}; production pages run no JavaScript at all.`,
  hint: 'Remove the script. Only `stele dev` adds its live-reload script; structured data belongs in <script type="application/ld+json">, which is not executed.',
});

/** An inline event handler attribute. */
export const CHECK_EVENT_HANDLER = defineError<[attribute: string, element: string]>({
  code: 'STELE4401',
  title: 'Inline event handler',
  severity: 'error',
  message: (attribute, element) => `<${element}> has an inline event handler "${attribute}".`,
  hint: 'stele sites run no JavaScript by default; remove the attribute (it is also blocked by the Content-Security-Policy).',
});

/** A javascript: (or vbscript:) URL. */
export const CHECK_JAVASCRIPT_URL = defineError<[attribute: string, element: string]>({
  code: 'STELE4402',
  title: 'javascript: URL',
  severity: 'error',
  message: (attribute, element) => `<${element} ${attribute}> uses a javascript: URL.`,
  hint: 'Use a normal link; stele sites run no JavaScript by default.',
});

/** An inline script/style whose hash is not allowed by the page's CSP. */
export const CHECK_INLINE_NOT_IN_CSP = defineError<[element: string, hash: string]>({
  code: 'STELE4403',
  title: 'Inline code not allowed by CSP',
  severity: 'error',
  message: (element, hash) => `This inline <${element}> (sha256-${hash}) is not allowed by the page's Content-Security-Policy.`,
  hint: 'Run harden after every change to the page (the build does this); never edit built pages by hand.',
});

/** A page has no CSP meta. */
export const CHECK_CSP_MISSING = defineError<[]>({
  code: 'STELE4404',
  title: 'Page has no Content-Security-Policy',
  severity: 'error',
  message: () => 'This page has no Content-Security-Policy meta element.',
  hint: 'Pages get their CSP from the harden stage; make sure the build ran it and the page has a <head>.',
});

/** A style="" attribute is blocked by a hash-based CSP. */
export const CHECK_STYLE_ATTRIBUTE = defineError<[element: string]>({
  code: 'STELE4405',
  title: 'style attribute blocked by CSP',
  severity: 'warning',
  message: (element) => `<${element}> has a style attribute, which the Content-Security-Policy blocks: the style will not apply.`,
  hint: 'Move the style into the theme CSS and use a class.',
});

/** A withheld name appears in a file's content. */
export const CHECK_WITHHELD_NAME = defineError<[label: string, where: string]>({
  code: 'STELE4501',
  title: 'Withheld name published',
  severity: 'error',
  message: (label, where) => `A withheld name (${label}) appears ${where}.`,
  hint: 'This person asked not to be named. Remove or replace the name in the source, then rebuild. The site must not be published until this is fixed.',
});

/** A withheld name appears in a file's path. */
export const CHECK_WITHHELD_NAME_IN_PATH = defineError<[label: string]>({
  code: 'STELE4502',
  title: 'Withheld name in a file name',
  severity: 'error',
  message: (label) => `A withheld name (${label}) appears in a file or folder name (shown redacted).`,
  hint: 'Rename the source file or set an explicit slug that does not contain the name, then rebuild.',
});
