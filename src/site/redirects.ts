/**
 * Old URLs keep working: for every rule of `redirects.json` the site gets a
 * static redirect page at the old path (relative meta refresh plus a link, no
 * JavaScript) and a line in `_redirects` (Netlify / Cloudflare Pages syntax),
 * from which `stele server-config` writes nginx and Caddy rules. Query URLs
 * (`/?p=123`) can only be redirected by a server, so they get the line only.
 */
import type { RedirectRule } from '../content/import-records.js';
import { relativeUrl } from '../content/urls.js';
import { createDiagnostic } from '../errors/catalogue.js';
import { RedirectInvalid, RedirectTargetMissing } from '../errors/codes-import.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { escapeHtml } from '../render/html.js';
import { emitFile, type OutputFiles } from './output.js';

/** Name of the redirect list in the output. */
export const REDIRECTS_OUTPUT_FILE = '_redirects';

/** One parsed line of `_redirects`: old path, optional query, new path. */
export interface OutputRedirect {
  path: string;
  query?: string;
  to: string;
}

/** The output file a static redirect page for `path` lives in, or undefined (the server rule alone serves it). */
function redirectPagePath(path: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  const rel = decoded.replace(/^\/+/, '');
  if (!rel || rel.split('/').some((s) => s === '..' || s === '.' || s.startsWith('.'))) return undefined;
  if (rel.endsWith('/')) return `${rel}index.html`;
  const last = rel.split('/').pop()!;
  if (/\.html?$/i.test(last)) return rel;
  if (!last.includes('.')) return `${rel}/index.html`;
  return undefined;
}

/** A redirect page: meta refresh and a link, both relative. */
function renderRedirectPage(lang: string, href: string, title: string): string {
  const url = escapeHtml(href);
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=${url}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<p><a href="${url}">${escapeHtml(title)}</a></p>
</body>
</html>
`;
}

/**
 * Add redirect pages and `_redirects` for `rules`. `targets` maps a
 * project-relative content file to its page's output path, language and title.
 */
export function createRedirects(
  output: OutputFiles,
  rules: readonly RedirectRule[],
  targets: ReadonlyMap<string, { path: string; lang: string; title: string }>,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const lines: string[] = [];
  for (const rule of [...rules].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))) {
    const target = targets.get(rule.to);
    if (!target) {
      diagnostics.push(createDiagnostic(RedirectTargetMissing, { file: 'redirects.json' }, rule.from, rule.to));
      continue;
    }
    if (!/^\/[\x21-\x7e]*$/.test(rule.from)) {
      diagnostics.push(createDiagnostic(RedirectInvalid, { file: 'redirects.json' }, rule.from, 'an old URL must start with / and hold no spaces or non-ASCII characters (percent-encode them)'));
      continue;
    }
    const [path, query] = rule.from.split('?', 2) as [string, string | undefined];
    const to = `/${target.path.replace(/index\.html$/, '')}`;
    if (!query && (path === to || path === `/${target.path}`)) continue; // the page already lives at its old address
    lines.push(query ? `${path} ${query.split('&').join(' ')} ${to} 301` : `${path} ${to} 301`);
    if (query) continue;
    const page = redirectPagePath(path);
    if (!page || output.has(page) || page === target.path) continue;
    emitFile(output, page, renderRedirectPage(target.lang, relativeUrl(page, target.path), target.title));
  }
  if (lines.length) emitFile(output, REDIRECTS_OUTPUT_FILE, `# Old URLs of the imported site (stele redirects.json)\n${lines.join('\n')}\n`);
  return diagnostics;
}

/** Read the rules back from a `_redirects` file written by {@link createRedirects}. */
export function parseRedirectsFile(text: string | undefined): OutputRedirect[] {
  if (!text) return [];
  const out: OutputRedirect[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const parts = line.trim().split(/\s+/);
    if (parts.length < 3 || parts[parts.length - 1] !== '301') continue;
    const path = parts[0]!;
    const to = parts[parts.length - 2]!;
    const query = parts.slice(1, -2).join('&');
    if (!path.startsWith('/') || !to.startsWith('/')) continue;
    out.push({ path, to, ...(query ? { query } : {}) });
  }
  return out;
}
