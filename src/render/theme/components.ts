/**
 * Page bodies of the theme: article, lists, home, verification page, 404.
 * Every function returns `SafeHtml`; author text is escaped by `html`.
 */
import type { LanguageCode } from '../../config/languages.js';
import { relativeUrl } from '../../content/urls.js';
import { html, join, type SafeHtml, unsafeRawHtml } from '../html.js';
import type { RenderedEntry } from '../render-content.js';
import { formatDate, getThemeStrings } from './strings.js';

/** What a body template needs to know about the page it is on. */
export interface BodyContext {
  lang: LanguageCode;
  /** Output path of the page being rendered. */
  path: string;
  /** Output path of a tag page, by tag name. */
  tagPath(tag: string): string;
  /** `<picture>` markup for a project-relative image path, or undefined. */
  picture(projectPath: string, alt: string, loading: 'lazy' | 'eager'): string | undefined;
}

function rel(ctx: BodyContext, to: string): string {
  return relativeUrl(ctx.path, to);
}

/** Published/updated line. */
export function renderDates(data: { date?: string; updated?: string }, lang: LanguageCode): SafeHtml {
  const t = getThemeStrings(lang);
  if (!data.date) return html``;
  return html`<p class="meta">${t.published} <time datetime="${data.date}">${formatDate(data.date, lang)}</time>${
    data.updated ? html` · ${t.updated} <time datetime="${data.updated}">${formatDate(data.updated, lang)}</time>` : ''
  }</p>`;
}

/** Tag links. */
export function renderTags(tags: readonly string[], ctx: BodyContext): SafeHtml {
  if (!tags.length) return html``;
  const t = getThemeStrings(ctx.lang);
  return html`<nav aria-label="${t.tags}"><ul class="tags">${tags.map((tag) => html`<li><a href="${rel(ctx, ctx.tagPath(tag))}">${tag}</a></li>`)}</ul></nav>`;
}

/** Cover image of an entry, resolved relative to its source file. */
export function renderCover(r: RenderedEntry, ctx: BodyContext, projectPath: string | undefined): SafeHtml {
  const cover = r.entry.data.cover;
  if (!cover || !projectPath) return html``;
  const markup = ctx.picture(projectPath, cover.alt, 'eager');
  return markup ? html`<figure>${unsafeRawHtml(markup)}</figure>` : html``;
}

/** A generic article: title, dates, cover, body, tags. `extra` goes between dates and body. */
export function renderArticle(r: RenderedEntry, ctx: BodyContext, options: { coverPath?: string; before?: SafeHtml; after?: SafeHtml } = {}): SafeHtml {
  return html`<article>
<h1>${r.entry.data.title}</h1>
${renderDates(r.entry.data, ctx.lang)}
${renderCover(r, ctx, options.coverPath)}
${options.before ?? ''}
${r.html}
${options.after ?? ''}
${renderTags(r.entry.data.tags, ctx)}
${renderCommentArchive(r.entry.data.comments, ctx.lang)}
</article>`;
}

/** An imported comment archive: author, date and plain text, every character escaped. */
export function renderCommentArchive(comments: readonly { author: string; date?: string; text: string }[] | undefined, lang: LanguageCode): SafeHtml {
  if (!comments?.length) return html``;
  const t = getThemeStrings(lang);
  return html`<section class="comments" aria-labelledby="comments-archive">
<h2 id="comments-archive">${t.commentsArchive}</h2>
<p class="meta">${t.commentsArchiveNote}</p>
<ol>${comments.map(
    (c) =>
      html`<li><p class="meta"><strong>${c.author}</strong>${c.date ? html` · <time datetime="${c.date}">${formatDate(c.date, lang)}</time>` : ''}</p>${c.text
        .split(/\n{2,}/)
        .filter((p) => p.trim())
        .map((p) => html`<p>${join(p.split('\n').map((line) => html`${line}`), '<br>')}</p>`)}</li>`,
  )}</ol>
</section>`;
}

/** A list of entries as cards. */
export function renderCards(list: RenderedEntry[], ctx: BodyContext, headingLevel: 2 | 3 = 3): SafeHtml {
  const t = getThemeStrings(ctx.lang);
  if (!list.length) return html`<p>${t.noPosts}</p>`;
  return html`<ul class="cards">${list.map((r) => {
    const title = html`<a href="${rel(ctx, r.path)}">${r.entry.data.title}</a>`;
    return html`<li>${headingLevel === 2 ? html`<h2>${title}</h2>` : html`<h3>${title}</h3>`}${
      r.entry.data.date ? html`<p class="meta"><time datetime="${r.entry.data.date}">${formatDate(r.entry.data.date, ctx.lang)}</time></p>` : ''
    }${r.summary ? html`<p>${r.summary}</p>` : ''}</li>`;
  })}</ul>`;
}

/** Where a list page sits among its pages (`page/2/index.html`, …). */
export interface PageNumbers {
  /** 1-based. */
  page: number;
  pages: number;
  /** Output path of page `n` of this list. */
  pathOf(n: number): string;
}

/** Previous / "page n of m" / next links under a paginated list (plain links: no script). */
export function renderPagination(p: PageNumbers | undefined, ctx: BodyContext): SafeHtml {
  if (!p || p.pages < 2) return html``;
  const t = getThemeStrings(ctx.lang);
  return html`<nav class="pagination" aria-label="${t.pagination}"><ul>${
    p.page > 1 ? html`<li><a rel="prev" href="${rel(ctx, p.pathOf(p.page - 1))}">← ${t.previousPage}</a></li>` : ''
  }<li aria-current="page">${t.pageOf(p.page, p.pages)}</li>${
    p.page < p.pages ? html`<li><a rel="next" href="${rel(ctx, p.pathOf(p.page + 1))}">${t.nextPage} →</a></li>` : ''
  }</ul></nav>`;
}

/** A titled list page (archive year, tag, collection index), one page of it when paginated. */
export function renderListPage(title: string, list: RenderedEntry[], ctx: BodyContext, intro?: SafeHtml, pages?: PageNumbers): SafeHtml {
  const t = getThemeStrings(ctx.lang);
  return html`<h1>${title}${pages && pages.page > 1 ? html` <small class="meta">${t.pageOf(pages.page, pages.pages)}</small>` : ''}</h1>${intro ?? ''}${renderCards(list, ctx, 2)}${renderPagination(pages, ctx)}`;
}

/**
 * One page of the archive: links to every year, then this page's entries
 * (newest first) under their year.
 */
export function renderArchive(allYears: readonly string[], list: RenderedEntry[], yearPath: (y: string) => string, ctx: BodyContext, pages?: PageNumbers): SafeHtml {
  const t = getThemeStrings(ctx.lang);
  const byYear = new Map<string, RenderedEntry[]>();
  for (const r of list) {
    const year = r.entry.data.date?.slice(0, 4) ?? '';
    byYear.set(year, [...(byYear.get(year) ?? []), r]);
  }
  return html`<h1>${t.archive}${pages && pages.page > 1 ? html` <small class="meta">${t.pageOf(pages.page, pages.pages)}</small>` : ''}</h1>
${allYears.length ? html`<nav aria-label="${t.archive}"><ul class="tags">${allYears.map((y) => html`<li><a href="${rel(ctx, yearPath(y))}">${y}</a></li>`)}</ul></nav>` : ''}
${[...byYear].map(([year, entries]) => html`<section><h2>${year ? html`<a href="${rel(ctx, yearPath(year))}">${year}</a>` : ''}</h2>${renderCards(entries, ctx)}</section>`)}
${renderPagination(pages, ctx)}`;
}

/** The tag index. */
export function renderTagIndex(tags: Map<string, { name: string; entries: RenderedEntry[] }>, ctx: BodyContext): SafeHtml {
  const t = getThemeStrings(ctx.lang);
  return html`<h1>${t.tags}</h1><ul class="tags">${[...tags.values()].map(
    (g) => html`<li><a href="${rel(ctx, ctx.tagPath(g.name))}">${g.name}</a> (${g.entries.length})</li>`,
  )}</ul>`;
}

/** An official or revoked address. */
export interface ChannelView {
  type?: string;
  url: string;
  label?: string;
  date?: string;
  reason?: string;
}

/** What the verification page shows. */
export interface VerifyPageData {
  official: ChannelView[];
  revoked: ChannelView[];
  keyFingerprint?: string;
  keyId?: string;
  /** The public key's base64 line (the argument of `minisign -P`). */
  publicKey?: string;
  /** The address `stele verify` is shown with (the site's canonical or first official address). */
  siteAddress?: string;
  /** The tarball `npm pack` makes (`stele-<version>.tgz`). */
  packageFile: string;
  /** Site-relative path of the signed `SHA256SUMS`, when the build publishes one. */
  sumsPath?: string;
  channelsPath: string;
  manifestPath: string;
  publicKeyPath?: string;
  /** This copy is not signed: no instructions for checking a signature that does not exist. */
  unsigned?: boolean;
}

/**
 * The standard-tools command for a copy in a folder: minisign checks the signed
 * list, sha256sum every file in it (paths relative to the site root).
 */
export function formatStandardToolsCommand(publicKey: string, sumsPath: string): string {
  return `minisign -Vm ${sumsPath} -P ${publicKey} && sha256sum -c ${sumsPath}`;
}

/** The commands that install stele from its source and check a copy. */
export function formatCliCommands(packageFile: string, address: string, keyId: string): string[] {
  return ['npm ci && npm pack', `npm install -g ./${packageFile}`, `stele verify ${address} --key-id ${keyId}`];
}

/** The verification page: official addresses, revoked ones, the key, and three ways to check a copy. */
export function renderVerifyPage(data: VerifyPageData, ctx: BodyContext): SafeHtml {
  const t = getThemeStrings(ctx.lang);
  const address = data.siteAddress ?? 'ADDRESS';
  return html`<h1>${t.verify}</h1>
<p class="notice">${data.unsigned ? t.footerUnsigned : t.verifyIntro}</p>
<h2>${t.officialAddresses}</h2>
<ul>${data.official.map((c) => html`<li>${c.label ? html`${c.label}: ` : ''}<code>${c.url}</code></li>`)}</ul>
${data.revoked.length ? html`<h2>${t.revokedAddresses}</h2><ul>${data.revoked.map((c) => html`<li><code>${c.url}</code> (${c.date}): ${c.reason}</li>`)}</ul>` : ''}
${data.keyFingerprint ? html`<h2>${t.footerKey}</h2><p class="fingerprint">${data.keyFingerprint}</p>` : ''}
${data.publicKey ? html`<p>${t.publicKey}: <code class="public-key">${data.publicKey}</code></p>` : ''}
${data.keyId ? html`<ul><li><code>${data.channelsPath}</code></li><li><code>${data.manifestPath}</code></li>${data.publicKeyPath ? html`<li><code>${data.publicKeyPath}</code></li>` : ''}</ul>` : ''}
${
  data.keyId && !data.unsigned
    ? html`<h2 id="how-to-check">${t.verifyWays}</h2>
<h3>${t.verifyExtensionTitle}</h3>
<p>${t.verifyExtension}</p>
<pre><code data-stele-command="build-extension">${t.verifyExtensionBuild}</code></pre>
<p>${t.verifyExtensionInstall}</p>
${
  data.publicKey && data.sumsPath
    ? html`<h3>${t.verifyToolsTitle}</h3>
<p>${t.verifyTools}</p>
<pre><code data-stele-command="standard-tools">${formatStandardToolsCommand(data.publicKey, data.sumsPath)}</code></pre>
<p>${t.verifyToolsResult}</p>`
    : ''
}
<h3>${t.verifyCliTitle}</h3>
<p>${t.verifyCli}</p>
<pre><code data-stele-command="stele-verify">${formatCliCommands(data.packageFile, address, data.keyId).join('\n')}</code></pre>
<p>${t.verifyCliPrefix}</p>
<p>${t.verifyCliAddress(address)}</p>`
    : ''
}`;
}

/** Join bodies. */
export function joinBodies(parts: SafeHtml[]): SafeHtml {
  return join(parts, '\n');
}
