/**
 * The search page: a search box driven by a small inline module script that
 * loads Pagefind's same-origin `pagefind.js` (and its WebAssembly) only when
 * the reader types. Without JavaScript the page says so and points at the
 * archive and topics; from `file://`, where browsers refuse module imports,
 * it says search cannot run there.
 *
 * These are the only scripts stele ever puts in a production site, and only
 * the search page runs them: harden gives that page (and no other) a CSP with
 * the bootstrap's hash, `'strict-dynamic'` so the module it starts (and the
 * Pagefind module that imports) may run, `'wasm-unsafe-eval'` for Pagefind's
 * WebAssembly and `connect-src 'self'` for the index chunks.
 * A language whose index is in several chunks (`site/search-pagefind.ts`)
 * has its further chunks listed in `pagefind/stele-chunks.json`: the module
 * merges them into the first (Pagefind's `mergeIndex`), and Pagefind ranks
 * the results of all of them together by score.
 * Results are built with DOM APIs (`textContent`), never `innerHTML`. The
 * word marks the index was made with (U+200B, see `site/search-segment.ts`)
 * are removed from the titles and excerpts shown.
 */
import { createHash } from 'node:crypto';
import { relativeUrl } from '../../content/urls.js';
import { html, type SafeHtml, unsafeRawHtml } from '../html.js';
import type { BodyContext } from './components.js';
import { getThemeStrings } from './strings.js';

/**
 * The search module, a file of the site (`pagefind/stele-search.js`, sealed
 * like every other file). It imports Pagefind's module beside it and drives
 * the form; page-specific values come from the form's `data-*` attributes.
 */
export const SEARCH_MODULE = `import * as pagefind from './pagefind.js';
const form = document.getElementById('stele-search');
const input = form.querySelector('input');
const status = document.getElementById('stele-search-status');
const list = document.getElementById('stele-search-results');
const d = form.dataset;
let ready;
let seq = 0;
const decode = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#0?39;/g, "'").replace(/&amp;/g, '&');
const unmark = (s) => s.replace(/\u200b/g, '');
const load = () => {
  ready ??= (async () => {
    const chunks = fetch(new URL('stele-chunks.json', import.meta.url)).then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
    await pagefind.options({ baseUrl: '/', noWorker: true, excerptLength: 24 });
    await pagefind.init();
    const more = (await chunks)[document.documentElement.lang.toLowerCase()] || [];
    await Promise.all(more.map((folder) => pagefind.mergeIndex(new URL(folder, import.meta.url).href, { baseUrl: '/', excerptLength: 24 })));
  })();
  return ready;
};
const run = async () => {
  const query = input.value.trim();
  const mine = ++seq;
  list.replaceChildren();
  if (!query) { status.textContent = ''; return; }
  status.textContent = d.loading;
  try {
    await load();
    const found = await pagefind.search(query);
    if (mine !== seq) return;
    const data = await Promise.all(found.results.slice(0, 30).map((r) => r.data()));
    if (mine !== seq) return;
    for (const page of data) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = d.root + String(page.url).replace(/^\\/+/, '');
      link.textContent = unmark(String((page.meta && page.meta.title) || page.url));
      const excerpt = document.createElement('p');
      String(page.excerpt).split(/<\\/?mark>/).forEach((part, i) => {
        const text = document.createTextNode(unmark(decode(part.replace(/<[^>]*>/g, ''))));
        if (i % 2) { const mark = document.createElement('mark'); mark.append(text); excerpt.append(mark); } else excerpt.append(text);
      });
      item.append(link, excerpt);
      list.append(item);
    }
    status.textContent = data.length ? d.count.replace('{n}', String(found.results.length)) : d.none;
  } catch {
    if (mine === seq) status.textContent = d.unavailable;
  }
};
form.addEventListener('submit', (event) => { event.preventDefault(); run(); });
input.addEventListener('input', () => { run(); });
form.hidden = false;
const initial = new URLSearchParams(location.search).get('q');
if (initial) { input.value = initial; run(); }
`;

/**
 * The inline script of the search page (allowed by its CSP hash): it starts
 * the search module with the integrity hash the page names. A script it
 * creates is trusted through `'strict-dynamic'`; nothing else can run.
 */
export const SEARCH_BOOTSTRAP = `const form = document.getElementById('stele-search');
const script = document.createElement('script');
script.type = 'module';
script.src = form.dataset.module;
script.integrity = form.dataset.integrity;
script.onerror = () => { document.getElementById('stele-search-status').textContent = form.dataset.unavailable; };
document.head.append(script);
`;

/** Output path of the search module, relative to the site root. */
export const SEARCH_MODULE_PATH = 'pagefind/stele-search.js';

/** SRI value of the search module. */
export const SEARCH_MODULE_INTEGRITY = `sha256-${createHash('sha256').update(SEARCH_MODULE).digest('base64')}`;


/** The body of a search page. */
export function renderSearchPage(ctx: BodyContext): SafeHtml {
  const t = getThemeStrings(ctx.lang);
  const root = relativeUrl(ctx.path, 'index.html').replace(/index\.html$/, '');
  const module = relativeUrl(ctx.path, SEARCH_MODULE_PATH);
  return html`<h1>${t.search}</h1>
<form id="stele-search" role="search" hidden data-root="${root || './'}" data-module="${module}" data-integrity="${SEARCH_MODULE_INTEGRITY}" data-loading="${t.searchLoading}" data-count="${t.searchCount}" data-none="${t.searchNone}" data-unavailable="${t.searchUnavailable}">
<label for="stele-search-input">${t.searchLabel}</label>
<input id="stele-search-input" type="search" name="q" autocomplete="off" spellcheck="false">
<button type="submit">${t.search}</button>
</form>
<noscript><p class="notice">${t.searchNoScript}</p></noscript>
<p id="stele-search-status" role="status" aria-live="polite"></p>
<ol id="stele-search-results" class="search-results"></ol>
<script>${unsafeRawHtml(SEARCH_BOOTSTRAP)}</script>`;
}
