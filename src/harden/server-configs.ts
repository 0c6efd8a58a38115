/**
 * Server configs generated from the built site: an nginx server block, a
 * Caddyfile, a `_headers` file (Netlify / Cloudflare Pages) and an Apache
 * `.htaccess`. All serve the same security headers, content types and cache
 * rules; they are returned as data (path → text) and the build decides where
 * they go.
 */
import type { OutputFiles } from '../site/output.js';
import { type OutputRedirect, parseRedirectsFile, REDIRECTS_OUTPUT_FILE } from '../site/redirects.js';
import {
  CACHE_IMMUTABLE,
  CACHE_REVALIDATE,
  CONTENT_TYPES,
  createHashedAssetRegexSource,
  escapeRegex,
  isHashedAssetPath,
  normalizeBasePath,
  resolveContentType,
  UTF8_TYPES,
} from './content-types.js';
import { getHardenedPageSummary, isHtmlPath } from './harden-site.js';
import { getAttribute, getAttributeTokens, scanHtml } from './html-scan.js';
import { collectInlineCode } from './inline-code.js';
import { isNotFoundPagePath, resolveNotFoundLinkRoot } from './not-found-page.js';
import { createSecurityHeaders, type SecurityHeadersOptions } from './security-headers.js';

/** Options for {@link createServerConfigs}. */
export interface ServerConfigOptions {
  /** Absolute folder the site is served from (nginx `root`, Caddy `root`). Default `/var/www/site`. */
  root?: string;
  /** nginx `listen` value. Default `80`. */
  listen?: string;
  /** nginx `server_name`. Default `_`. */
  serverName?: string;
  /** Caddy site address, e.g. `example.org` or `http://127.0.0.1:8080`. Default `example.org`. */
  siteAddress?: string;
  /**
   * URL path the site lives under, e.g. `/` or `/campaign/`. `createServerConfigs` defaults it to
   * the path the site's 404 pages link from (`baseUrl`'s path when it was built), else `/`.
   */
  basePath?: string;
  /** Form targets for CSP `form-action`. */
  formAction?: string[];
  /** HSTS max-age (default two years; 0 leaves HSTS out, e.g. for plain-HTTP tests). */
  hstsMaxAge?: number;
  /** CSP report endpoint. */
  reportUri?: string;
  /** Folders with their own 404 page (`zh-hans` for `zh-hans/404.html`); `createServerConfigs` finds them in the output. */
  notFoundFolders?: string[];
}

/** The generated config files, by file name. */
export const SERVER_CONFIG_FILES = ['nginx.conf', 'Caddyfile', '_headers', '.htaccess'] as const;

/** The headers options for a built site: the union of every page's inline hashes. */
export function collectSiteHeaderOptions(output: OutputFiles, options: ServerConfigOptions = {}): SecurityHeadersOptions {
  const inlineStyles = new Set<string>();
  const inlineScripts = new Set<string>();
  let selfStyles = false;
  let selfScripts = false;
  let searchEngine = false;
  const decoder = new TextDecoder();
  for (const path of [...output.keys()].sort()) {
    if (!isHtmlPath(path)) continue;
    const known = getHardenedPageSummary(output.get(path)!);
    if (known) {
      for (const body of known.inlineStyles) inlineStyles.add(body);
      for (const body of known.inlineScripts) inlineScripts.add(body);
      selfStyles ||= known.selfStyles;
      selfScripts ||= known.selfScripts;
      searchEngine ||= known.searchEngine === true;
      continue;
    }
    const scanned = scanHtml(decoder.decode(output.get(path)!));
    for (const code of collectInlineCode(scanned)) (code.kind === 'style' ? inlineStyles : inlineScripts).add(code.body);
    for (const e of scanned.elements) {
      if (e.name === 'link' && getAttributeTokens(e, 'rel').includes('stylesheet')) selfStyles = true;
      if (e.name === 'link' && getAttributeTokens(e, 'rel').includes('modulepreload')) selfScripts = true;
      if (e.name === 'script' && getAttribute(e, 'src')) selfScripts = true;
      // The search page's form names the engine it loads (see render/theme/search.ts).
      if (e.name === 'form' && getAttribute(e, 'id')?.value === 'stele-search' && getAttribute(e, 'data-module')) searchEngine = true;
    }
  }
  return {
    inlineStyles: [...inlineStyles],
    inlineScripts: [...inlineScripts],
    selfStyles,
    selfScripts,
    ...(searchEngine ? { searchEngine } : {}),
    ...(options.formAction ? { formAction: options.formAction } : {}),
    ...(options.hstsMaxAge !== undefined ? { hstsMaxAge: options.hstsMaxAge } : {}),
    ...(options.reportUri ? { reportUri: options.reportUri } : {}),
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function quoteNginx(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** An nginx `server { }` block (include it inside `http { }`). */
export function createNginxConfig(headers: Record<string, string>, options: ServerConfigOptions = {}, redirects: readonly OutputRedirect[] = []): string {
  const base = normalizeBasePath(options.basePath);
  const redirectLines: string[] = [];
  if (redirects.length) redirectLines.push('', '    # Old URLs of the imported site (redirects.json).');
  for (const r of redirects) {
    const to = quoteNginx(`${base}${r.to.slice(1)}`);
    if (r.query) redirectLines.push(`    if ($request_uri = ${quoteNginx(`${base}${r.path.slice(1)}?${r.query}`)}) {`, `        return 301 ${to};`, '    }');
    // nginx matches locations against the decoded path.
    else redirectLines.push(`    location = ${quoteNginx(`${base}${safeDecode(r.path).slice(1)}`)} {`, `        return 301 ${to};`, '    }');
  }
  const securityLines = Object.entries(headers).map(([k, v]) => `        add_header ${k} ${quoteNginx(v)} always;`);
  const byType = new Map<string, string[]>();
  for (const [ext, type] of Object.entries(CONTENT_TYPES)) byType.set(type, [...(byType.get(type) ?? []), ext]);
  const typeLines = [...byType].map(([type, exts]) => `        ${type} ${exts.join(' ')};`);
  const charsetTypes = [...UTF8_TYPES].filter((t) => t !== 'text/html').join(' ');
  const dot = `^${escapeRegex(base)}(?:.*/)?\\.(?!well-known(?:/|$))`;
  return [
    '# Generated by stele: do not edit; rebuild to change.',
    '# A complete server block: include it inside http { }.',
    'server {',
    `    listen ${options.listen ?? '80'};`,
    `    server_name ${options.serverName ?? '_'};`,
    `    root ${options.root ?? '/var/www/site'};`,
    '    index index.html;',
    '    autoindex off;',
    '    server_tokens off;',
    '    charset utf-8;',
    `    charset_types ${charsetTypes};`,
    '    default_type application/octet-stream;',
    '    types {',
    ...typeLines,
    '    }',
    `    error_page 404 ${base}404.html;`,
    ...redirectLines,
    '',
    '    # Dot-files are never served, except .well-known.',
    `    location ~ ${quoteNginx(dot)} {`,
    '        return 404;',
    '    }',
    '',
    '    # Content-hashed assets never change.',
    `    location ~ ${quoteNginx(createHashedAssetRegexSource(base))} {`,
    `        add_header Cache-Control ${quoteNginx(CACHE_IMMUTABLE)};`,
    ...securityLines,
    '        try_files $uri =404;',
    '    }',
    '',
    '    # Everything else (HTML, feeds, .well-known/stele/*) is revalidated on every visit.',
    `    location ${base} {`,
    `        add_header Cache-Control ${quoteNginx(CACHE_REVALIDATE)} always;`,
    ...securityLines,
    '        try_files $uri $uri/ =404;',
    '    }',
    ...(options.notFoundFolders ?? []).flatMap((folder) => [
      '',
      `    # Pages under ${folder}/ answer a missing page with ${folder}/404.html, in that language.`,
      `    location ${quoteNginx(`${base}${folder}/`)} {`,
      `        error_page 404 ${base}${folder}/404.html;`,
      `        add_header Cache-Control ${quoteNginx(CACHE_REVALIDATE)} always;`,
      ...securityLines,
      '        try_files $uri $uri/ =404;',
      '    }',
    ]),
    '}',
    '',
  ].join('\n');
}

/** Caddyfile quoted token: only `\"` is an escape inside quotes (backslashes stay literal, as regexes need). */
function quoteCaddy(value: string): string {
  return `"${value.replace(/"/g, '\\"')}"`;
}

/** A Caddyfile site block. */
export function createCaddyfile(headers: Record<string, string>, options: ServerConfigOptions = {}, redirects: readonly OutputRedirect[] = []): string {
  const base = normalizeBasePath(options.basePath);
  const redirectLines: string[] = [];
  if (redirects.length) redirectLines.push('', '\t# Old URLs of the imported site (redirects.json).');
  redirects.forEach((r, i) => {
    const to = quoteCaddy(`${base}${r.to.slice(1)}`);
    if (r.query) {
      redirectLines.push(`\t@redirect${i} {`, `\t\tpath ${quoteCaddy(`${base}${r.path.slice(1)}`)}`, ...r.query.split('&').map((q) => `\t\tquery ${quoteCaddy(q)}`), '\t}', `\tredir @redirect${i} ${to} 301`);
    } else redirectLines.push(`\tredir ${quoteCaddy(`${base}${r.path.slice(1)}`)} ${to} 301`);
  });
  const headerLines = Object.entries(headers).map(([k, v]) => `\t\t${k} ${quoteCaddy(v)}`);
  const typeBlocks: string[] = [];
  for (const ext of Object.keys(CONTENT_TYPES)) {
    typeBlocks.push(
      `\t@type_${ext} {`,
      `\t\tpath *.${ext}`,
      '\t\tfile',
      '\t}',
      `\theader @type_${ext} Content-Type ${quoteCaddy(resolveContentType(ext)!)}`,
    );
  }
  return [
    '# Generated by stele: do not edit; rebuild to change.',
    `${options.siteAddress ?? 'example.org'} {`,
    `\troot * ${options.root ?? '/var/www/site'}`,
    '',
    '\theader {',
    ...headerLines,
    '\t\t-Server',
    '\t}',
    '',
    '\t# Content-hashed assets never change; everything else is revalidated.',
    '\t@immutable {',
    `\t\tpath_regexp immutable ${quoteCaddy(createHashedAssetRegexSource(base))}`,
    '\t\tfile',
    '\t}',
    `\theader @immutable Cache-Control ${quoteCaddy(CACHE_IMMUTABLE)}`,
    '\t@mutable {',
    '\t\tnot {',
    `\t\t\tpath_regexp ${quoteCaddy(createHashedAssetRegexSource(base))}`,
    '\t\t\tfile',
    '\t\t}',
    '\t}',
    `\theader @mutable Cache-Control ${quoteCaddy(CACHE_REVALIDATE)}`,
    '',
    ...typeBlocks,
    '',
    '\t# Dot-files are never served, except .well-known.',
    '\t@dotfiles {',
    '\t\tpath_regexp dotfiles /\\.',
    `\t\tnot path_regexp ${quoteCaddy(`^${escapeRegex(base)}\\.well-known(?:/[^./][^/]*)*/?$`)}`,
    '\t}',
    '\terror @dotfiles 404',
    '',
    ...redirectLines,
    '',
    '\tfile_server',
    '',
    '\thandle_errors {',
    // Rewrites are exclusive; Caddy tries longer path matchers first.
    ...(options.notFoundFolders ?? []).map((folder) => `\t\trewrite ${base}${folder}/* ${base}${folder}/404.html`),
    `\t\trewrite * ${base}404.html`,
    '\t\theader {',
    ...headerLines.map((l) => `\t${l}`),
    `\t\t\tCache-Control ${quoteCaddy(CACHE_REVALIDATE)}`,
    `\t\t\tContent-Type ${quoteCaddy(resolveContentType('html')!)}`,
    '\t\t\t-Server',
    '\t\t}',
    '\t\tfile_server',
    '\t}',
    '}',
    '',
  ].join('\n');
}

/** Extensions some static hosts do not know; `_headers` names their files' type explicitly. */
const EXPLICIT_TYPE_EXTENSIONS = new Set(['webmanifest', 'minisig', 'avif', 'atom', 'pub', 'asc']);
/** Cloudflare Pages reads at most 100 rules from `_headers`. */
const HEADERS_RULE_LIMIT = 100;

/**
 * A `_headers` file (Netlify / Cloudflare Pages). HTML and other mutable files
 * get no explicit Cache-Control: both hosts already revalidate them
 * (`max-age=0, must-revalidate`), and setting it on `/*` would merge with the
 * immutable rule on Cloudflare.
 */
export function createHeadersFile(output: OutputFiles, headers: Record<string, string>, options: ServerConfigOptions = {}): string {
  const base = normalizeBasePath(options.basePath);
  const paths = [...output.keys()].sort();
  const lines = ['# Generated by stele: do not edit; rebuild to change.', `${base}*`];
  for (const [k, v] of Object.entries(headers)) lines.push(`  ${k}: ${v}`);
  const assets = paths.filter((p) => p.startsWith('assets/'));
  const hashed = assets.filter(isHashedAssetPath);
  const rules: string[][] = [];
  if (hashed.length && hashed.length === assets.length) {
    rules.push([`${base}assets/*`, `  Cache-Control: ${CACHE_IMMUTABLE}`]);
  } else {
    for (const p of hashed) rules.push([`${base}${p}`, `  Cache-Control: ${CACHE_IMMUTABLE}`]);
  }
  rules.push([`${base}.well-known/stele/*`, `  Cache-Control: ${CACHE_REVALIDATE}`]);
  for (const p of paths) {
    const ext = p.split('.').pop()?.toLowerCase() ?? '';
    if (!EXPLICIT_TYPE_EXTENSIONS.has(ext) || isHashedAssetPath(p) || p.startsWith('.well-known/stele/')) continue;
    rules.push([`${base}${p}`, `  Content-Type: ${resolveContentType(ext)}`]);
  }
  for (const rule of rules.slice(0, HEADERS_RULE_LIMIT - 1)) lines.push(...rule);
  lines.push('');
  return lines.join('\n');
}

/** Apache quoted argument: backslashes before ordinary characters stay literal. */
function quoteApache(value: string): string {
  return `"${value.replace(/"/g, '\\"')}"`;
}

/**
 * Apache rules for the old URLs: `RedirectMatch` (mod_alias, matched against
 * the decoded path, anchored so `/a.html` never catches `/a.html/b`) for
 * paths, mod_rewrite conditions on the exact path and query for `/?p=123`
 * (the query is dropped from the new address, `QSD`).
 */
function createHtaccessRedirects(base: string, redirects: readonly OutputRedirect[]): string[] {
  if (!redirects.length) return [];
  const lines = ['# Old URLs of the imported site (redirects.json).'];
  const queries = redirects.filter((r) => r.query);
  for (const r of redirects) {
    if (r.query) continue;
    lines.push(`RedirectMatch 301 ${quoteApache(`^${escapeRegex(`${base}${safeDecode(r.path).slice(1)}`)}$`)} ${quoteApache(`${base}${r.to.slice(1)}`)}`);
  }
  if (queries.length) {
    lines.push('RewriteEngine On');
    for (const r of queries) {
      lines.push(
        `RewriteCond %{REQUEST_URI} ${quoteApache(`=${base}${safeDecode(r.path).slice(1)}`)}`,
        `RewriteCond %{QUERY_STRING} ${quoteApache(`=${r.query}`)}`,
        `RewriteRule "^" ${quoteApache(`${base}${r.to.slice(1)}`)} [R=301,L,QSD]`,
      );
    }
  }
  lines.push('');
  return lines;
}

/** An Apache 2.4 `.htaccess` (needs mod_headers, mod_mime, mod_alias, and mod_rewrite when old URLs have queries; AllowOverride All). */
export function createHtaccess(headers: Record<string, string>, options: ServerConfigOptions = {}, redirects: readonly OutputRedirect[] = []): string {
  const base = normalizeBasePath(options.basePath);
  const lines = [
    '# Generated by stele: do not edit; rebuild to change.',
    'Options -Indexes -MultiViews',
    'DirectoryIndex index.html',
    `ErrorDocument 404 ${base}404.html`,
    ...(options.notFoundFolders ?? []).flatMap((folder) => [
      `<If "%{REQUEST_URI} =~ m#^${escapeRegex(`${base}${folder}/`)}#">`,
      `  ErrorDocument 404 ${base}${folder}/404.html`,
      '</If>',
    ]),
    '',
    '<IfModule mod_mime.c>',
  ];
  for (const [ext, type] of Object.entries(CONTENT_TYPES)) lines.push(`  AddType ${type} .${ext}`);
  const utf8 = Object.entries(CONTENT_TYPES)
    .filter(([, t]) => UTF8_TYPES.has(t))
    .map(([e]) => `.${e}`);
  lines.push(`  AddCharset utf-8 ${utf8.join(' ')}`, '</IfModule>', '', '<IfModule mod_headers.c>');
  for (const [k, v] of Object.entries(headers)) lines.push(`  Header always set ${k} ${quoteApache(v)}`);
  lines.push(
    `  Header set Cache-Control ${quoteApache(CACHE_REVALIDATE)}`,
    `  <If "%{REQUEST_URI} =~ m#${createHashedAssetRegexSource(base)}#">`,
    `    Header set Cache-Control ${quoteApache(CACHE_IMMUTABLE)}`,
    '  </If>',
    '</IfModule>',
    '',
    '# Dot-files are never served, except .well-known.',
    `RedirectMatch 404 ${quoteApache(`^${escapeRegex(base)}(?:.*/)?\\.(?!well-known(?:/|$))`)}`,
    '',
    ...createHtaccessRedirects(base, redirects),
  );
  return lines.join('\n');
}

/**
 * Generate every server config for a built site (run after harden, so the
 * header CSP carries the union of the pages' inline hashes).
 * `_headers` and `.htaccess` only work inside the site root; `nginx.conf` and
 * `Caddyfile` belong outside it. Without `basePath`, the configs serve the
 * site under the path its 404 pages link from (see `not-found-page.ts`).
 */
export function createServerConfigs(output: OutputFiles, options: ServerConfigOptions = {}): Map<string, string> {
  const headers = createSecurityHeaders(collectSiteHeaderOptions(output, options));
  const redirects = parseRedirectsFile(output.has(REDIRECTS_OUTPUT_FILE) ? new TextDecoder().decode(output.get(REDIRECTS_OUTPUT_FILE)) : undefined);
  const notFoundFolders = options.notFoundFolders ?? [...output.keys()].flatMap((p) => (isNotFoundPagePath(p) && p.includes('/') ? [p.slice(0, -'/404.html'.length)] : [])).sort();
  options = { ...options, basePath: options.basePath ?? resolveNotFoundLinkRoot(output) ?? '/', notFoundFolders };
  return new Map<string, string>([
    ['nginx.conf', createNginxConfig(headers, options, redirects)],
    ['Caddyfile', createCaddyfile(headers, options, redirects)],
    ['_headers', createHeadersFile(output, headers, options)],
    ['.htaccess', createHtaccess(headers, options, redirects)],
  ]);
}
