/**
 * Stage `site`: lay out every page (entries, home, archives, tags, collection
 * indexes, verification page, 404) in every language, plus feeds, sitemap,
 * robots.txt and the search index, into an in-memory `OutputFiles` map.
 */
import { posix } from 'node:path';
import { type LanguageCode, LANGUAGES } from '../config/languages.js';
import { localize, type ResolvedConfig } from '../config/resolve-config.js';
import type { CollectionName } from '../content/collection-registry.js';
import { type AdvocacyContext, renderCampaignPage, renderEventPage, renderHomePage, renderPersonPage } from '../render/theme/advocacy.js';
import { type ContentSet, entryGroupKey } from '../content/load-content.js';
import { absoluteUrl, languagePrefix, pagePath, resolveSitePath } from '../content/urls.js';
import { createDiagnostic } from '../errors/catalogue.js';
import { SiteMenuPageMissing, SiteNoBaseUrl } from '../errors/codes-site.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { html, type SafeHtml, type SourceMark } from '../render/html.js';
import type { ImageResolver, RenderedEntry } from '../render/render-content.js';
import {
  type BodyContext,
  type PageNumbers,
  renderArchive,
  renderArticle,
  renderListPage,
  renderTagIndex,
  renderVerifyPage,
} from '../render/theme/components.js';
import { type Alternate, type NavItem, renderLayout, renderLayoutHtml, type SocialMeta } from '../render/theme/layout.js';
import { renderSearchPage, SEARCH_MODULE, SEARCH_MODULE_PATH } from '../render/theme/search.js';
import { getThemeStrings } from '../render/theme/strings.js';
import { FAVICON_PATH, FAVICON_SVG } from '../render/theme/style.js';
import { STELE_VERSION } from '../version.js';
import { renderAtomFeed, renderJsonFeed } from './feeds.js';
import { hashKey, type Memo } from '../io/memo.js';
import { emitFile, type OutputFiles } from './output.js';
import { createRedirects } from './redirects.js';
import type { RedirectRule } from '../content/import-records.js';
import { renderSearchIndex } from './search-index.js';
import { renderRobots, renderSitemap, type SitemapPage } from './sitemap.js';
import { countPages, entriesInLanguage, groupByTag, groupByYear, paginate, slugifyTag, sortByDateDesc } from './taxonomy.js';
import { CHANNELS_PATH, MANIFEST_PATH, PUBLIC_KEY_PATH, SHA256SUMS_PATH } from '../trust/paths.js';
import { encodeUtf8 } from '../trust/bytes.js';

export interface SiteInput {
  config: ResolvedConfig;
  content: ContentSet;
  rendered: Map<string, RenderedEntry>;
  now: Date;
  resolveImage: ImageResolver;
  /** Key fingerprint shown in every footer. */
  keyFingerprint?: string;
  keyId?: string;
  /** The public key's base64 line (written out on the verify page for `minisign -P`). */
  publicKey?: string;
  /** The output will not be signed: every page says so instead of how to verify it. */
  unsigned?: boolean;
  /** Simplified → Traditional converter (names and structured text on zh-Hant pages). */
  toTraditional?: (text: string) => string;
  /** Extra head markup from stele (dev live reload). */
  headExtra?: SafeHtml;
  /** Old URLs to keep working (`redirects.json`, written by `stele import`). */
  redirects?: readonly RedirectRule[];
  /** The generated preview card of an entry (by id) or, without one, of a language (`build-cards.ts`). */
  socialImage?: (lang: LanguageCode, entryId?: string) => SocialImage | undefined;
  /** The largest JPEG of a processed content image (a cover as the preview image). */
  coverImage?: (projectPath: string) => SocialImage | undefined;
  /** Logo, extra CSS and footer links. */
  theme?: SiteTheme;
  /**
   * Laid-out pages and feeds of earlier builds in this process (`stele dev`),
   * valid for one site structure (`context`: entries, images). A post or page
   * is keyed by its own entry; a list page (archive, year, tag, collection
   * index), a feed or a search index by everything it shows of each entry on
   * it (`entryPrint`), so an edit lays out again only the pages it shows on.
   * Pages that depend on the clock or on other content (home, advocacy
   * pages, 404) are laid out every time; the sitemap is kept by its page list.
   */
  memo?: { table: Memo<LaidOutPage>; context: string };
}

/** A page as `createSite` laid it out: its bytes and the source marks of its author content. */
export interface LaidOutPage {
  bytes: Uint8Array;
  marks?: readonly SourceMark[];
}

/** Brand of the site (`theme` and `contact` in the config), prepared by the build. */
export interface SiteTheme {
  /** Site-relative path of the logo file and its size. */
  logo?: { path: string; width: number; height: number };
  /** CSS added after the theme's in the same `<style>` (accent colour, extra stylesheet). */
  css: string;
  contact?: { email?: string; signal?: string; donate?: string };
}

/** An image for link previews (`og:image`): site-relative path and pixel size. */
export interface SocialImage {
  path: string;
  width: number;
  height: number;
}

export interface SiteResult {
  output: OutputFiles;
  /** Every HTML page generated, with its language. */
  pages: { path: string; lang: LanguageCode }[];
  /** The search page of each language (the only pages that run a script). */
  searchPages: string[];
  /** Source marks of the author content in each page (never in the bytes): checks report at the Markdown line. */
  sourceMarks: Map<string, readonly SourceMark[]>;
  diagnostics: Diagnostic[];
  /** Pages the config's menu links but the site does not have (reported once, at the menu entry). */
  menuTargetsMissing?: ReadonlySet<string>;
}

const ADVOCACY_PAGES: Partial<Record<CollectionName, (r: RenderedEntry, ctx: AdvocacyContext) => { body: SafeHtml; jsonLd: object[] }>> = {
  people: renderPersonPage,
  campaigns: renderCampaignPage,
  events: renderEventPage,
};

/** Build the site in memory. */
export function createSite(input: SiteInput): SiteResult {
  const { config, content, rendered } = input;
  const output: OutputFiles = new Map();
  const diagnostics: Diagnostic[] = [];
  const pages: SiteResult['pages'] = [];
  const searchPages: string[] = [];
  const sourceMarks = new Map<string, readonly SourceMark[]>();
  const sitemap: SitemapPage[] = [];
  const def = config.defaultLanguage;
  const all = [...rendered.values()];
  const onion = config.seal.official.find((c) => c.type === 'onion')?.url;

  /** Language versions of a generated (non-entry) page. */
  const generatedAlternates = (parts: string[], exists: (lang: LanguageCode) => boolean = () => true): Alternate[] =>
    config.languages.map((lang) => ({ lang, path: exists(lang) ? pagePath(lang, def, ...parts) : null, homePath: pagePath(lang, def) }));

  // Computed once per language, not per page: sites have thousands of pages.
  const collectionsByLang = new Map<LanguageCode, Set<CollectionName>>();
  for (const r of all) {
    let set = collectionsByLang.get(r.entry.lang);
    if (!set) {
      set = new Set();
      collectionsByLang.set(r.entry.lang, set);
    }
    set.add(r.entry.collection);
  }
  const navByLang = new Map<LanguageCode, NavItem[]>(
    config.languages.map((lang) => {
      const t = getThemeStrings(lang);
      const prefix = languagePrefix(lang, def);
      return [
        lang,
        [
          { label: t.home, path: pagePath(lang, def) },
          { label: t.posts, path: pagePath(lang, def, 'archive') },
          ...(['campaigns', 'people', 'events'] as const)
            .filter((c) => collectionsByLang.get(lang)?.has(c))
            .map((c) => ({ label: t[c], path: pagePath(lang, def, c) })),
          ...config.menu.map((m) => ({ label: localize(m.label, lang, def), path: `${prefix}${m.path.replace(/^\//, '')}` })),
          { label: t.search, path: pagePath(lang, def, 'search') },
          { label: t.verify, path: pagePath(lang, def, 'verify') },
        ],
      ];
    }),
  );

  type PageExtra = { jsonLd?: object[] | (() => object[] | undefined); description?: string; derived?: boolean; lastmod?: string; noindex?: boolean; searchable?: boolean; prevPath?: string; nextPath?: string; image?: SocialImage & { alt: string }; article?: boolean };
  /** Put a page in the output: laid out now, or remembered under `memoKey`. */
  const write = (lang: LanguageCode, path: string, title: string, body: SafeHtml | (() => SafeHtml), alternates: Alternate[], extra: PageExtra = {}, memoKey?: string) => {
    const hit = memoKey ? input.memo!.table.get(memoKey) : undefined;
    const page = hit ?? layOut(lang, path, title, typeof body === 'function' ? body() : body, alternates, extra);
    if (memoKey && !hit) input.memo!.table.set(memoKey, page);
    output.set(path, page.bytes);
    if (page.marks?.length) sourceMarks.set(path, page.marks);
    pages.push({ path, lang });
    if (!extra.noindex) {
      const alts = alternates.filter((a) => a.path).map((a) => ({ lang: a.lang, path: a.path! }));
      sitemap.push({ path, alternates: alts, lastmod: extra.lastmod });
    }
  };
  const layOut = (lang: LanguageCode, path: string, title: string, body: SafeHtml, alternates: Alternate[], extra: PageExtra): LaidOutPage => {
    const nav = navByLang.get(lang)!;
    const alternateUrls = config.baseUrl
      ? Object.fromEntries(alternates.filter((a) => a.path).map((a) => [a.lang, absoluteUrl(config.baseUrl!, a.path!)]))
      : undefined;
    const page = renderLayoutHtml({
      lang,
      path,
      title,
      siteTitle: localize(config.title, lang, def),
      description: extra.description ?? localize(config.description, lang, def),
      body,
      alternates,
      nav,
      homePath: pagePath(lang, def),
      verifyPath: pagePath(lang, def, 'verify'),
      feedPath: `${languagePrefix(lang, def)}atom.xml`,
      keyFingerprint: input.keyFingerprint,
      unsigned: input.unsigned,
      canonicalUrl: config.baseUrl ? absoluteUrl(config.baseUrl, path) : undefined,
      alternateUrls,
      onionUrl: onion ? onion.replace(/\/?$/, '/') + path.replace(/index\.html$/, '') : undefined,
      jsonLd: typeof extra.jsonLd === 'function' ? extra.jsonLd() : extra.jsonLd,
      derived: extra.derived,
      headExtra: input.headExtra,
      noindex: extra.noindex,
      searchable: extra.searchable,
      prevPath: extra.prevPath,
      nextPath: extra.nextPath,
      theme: input.theme,
      social: socialMeta(lang, title, extra.image ?? languageCard(lang), alternates.filter((a) => a.path && a.lang !== lang).map((a) => a.lang), extra.article),
    });
    return { bytes: encodeUtf8(page.value), ...(page.marks?.length ? { marks: page.marks } : {}) };
  };

  const languageCard = (lang: LanguageCode) => {
    const card = input.socialImage?.(lang);
    return card ? { ...card, alt: localize(config.title, lang, def) } : undefined;
  };
  const socialMeta = (_lang: LanguageCode, title: string, image: (SocialImage & { alt: string }) | undefined, locales: LanguageCode[], article?: boolean): SocialMeta => ({
    type: article ? 'article' : 'website',
    title,
    // Previewers need an absolute image URL: without baseUrl there is none (STELE2000 says so).
    ...(image && config.baseUrl ? { image: absoluteUrl(config.baseUrl, image.path), imageWidth: image.width, imageHeight: image.height, imageAlt: image.alt } : {}),
    locales,
  });

  const bodyContext = (lang: LanguageCode, path: string): BodyContext => ({
    lang,
    path,
    tagPath: (tag) => pagePath(lang, def, 'tags', slugifyTag(tag)),
    picture: (projectPath, alt, loading) => input.resolveImage(projectPath, alt, path, loading),
  });

  // Everything an entry page shows besides its entry: config, navigation, key, theme, language cards, images.
  const pageContext = input.memo
    ? hashKey(
        input.memo.context,
        JSON.stringify(config),
        JSON.stringify([...navByLang]),
        input.keyFingerprint ?? '',
        String(Boolean(input.unsigned)),
        input.headExtra?.value ?? '',
        JSON.stringify(input.theme ?? null),
        JSON.stringify(config.languages.map((lang) => languageCard(lang) ?? null)),
      )
    : undefined;

  /** What a list card shows of an entry (`renderCards`): its place and front matter, not its body. */
  const cardPrints = new Map<RenderedEntry, string>();
  const cardPrint = (r: RenderedEntry) => {
    let print = cardPrints.get(r);
    if (print === undefined) {
      const e = r.entry;
      print = hashKey(e.id, e.file, e.slug, e.collection, e.lang, e.derived ? 'd' : '', r.path, digestData(e.data), r.summary);
      cardPrints.set(r, print);
    }
    return print;
  };
  /** Everything a feed shows of an entry: its card and its HTML. */
  const feedPrint = (r: RenderedEntry) => hashKey(cardPrint(r), digestHtml(r.html));
  /** A memo key for a generated page or file, or undefined without a memo. */
  const keyOf = pageContext === undefined ? () => undefined : (...parts: string[]) => hashKey(pageContext, ...parts);
  /** Put a generated file in the output: made now, or remembered under `memoKey`. */
  const emitMemo = (path: string, memoKey: string | undefined, make: () => string) => {
    const hit = memoKey ? input.memo!.table.get(memoKey) : undefined;
    const page = hit ?? { bytes: encodeUtf8(make()) };
    if (memoKey && !hit) input.memo!.table.set(memoKey, page);
    output.set(path, page.bytes);
  };

  // Entry pages.
  const homeKey = entryGroupKey('pages', 'home');
  for (const r of all) {
    const { entry } = r;
    if (entryGroupKey(entry.collection, entry.key) === homeKey) continue;
    const group = content.byKey.get(entryGroupKey(entry.collection, entry.key))!;
    const alternates = config.languages.map((lang) => {
      const other = group.get(lang);
      return { lang, path: other ? rendered.get(other.id)!.path : null, homePath: pagePath(lang, def) };
    });
    const ctx = bodyContext(entry.lang, r.path);
    const coverPath = entry.data.cover ? posix.normalize(posix.join(posix.dirname(entry.file), entry.data.cover.src)) : undefined;
    const renderer = ADVOCACY_PAGES[entry.collection];
    const view = renderer?.(r, {
      ...ctx,
      content,
      now: input.now,
      defaultLanguage: def,
      languages: config.languages,
      toTraditional: input.toTraditional,
      url: config.baseUrl ? absoluteUrl(config.baseUrl, r.path) : undefined,
    });
    // Made only when the page is laid out (not when it comes from the memo).
    const jsonLd = view?.jsonLd ?? (entry.collection === 'posts' ? () => [articleJsonLd(r, config)] : undefined);
    const coverImage = coverPath ? input.coverImage?.(coverPath) : undefined;
    const entryCard = input.socialImage?.(entry.lang, entry.id);
    const image = coverImage ? { ...coverImage, alt: entry.data.cover!.alt } : entryCard ? { ...entryCard, alt: entry.data.title } : undefined;
    // A post or page shows only its own entry: the same entry, place and site → the same bytes.
    const memoKey =
      pageContext !== undefined && !view
        ? hashKey(pageContext, entry.id, r.path, entry.derived ? 'd' : '', digestData(entry.data), digestHtml(r.html), r.summary, JSON.stringify(alternates), coverPath ?? '', JSON.stringify(image ?? null))
        : undefined;
    write(
      entry.lang,
      r.path,
      entry.data.title,
      () => view?.body ?? renderArticle(r, ctx, { coverPath }),
      alternates,
      {
        jsonLd,
        description: r.summary || undefined,
        derived: entry.derived,
        lastmod: entry.data.updated ?? entry.data.date,
        searchable: true,
        image,
        article: entry.collection === 'posts',
      },
      memoKey,
    );
  }

  // Which archive years, tag pages and list pages exist in each language (for alternates).
  const yearsByLang = new Map<LanguageCode, Map<string, number>>();
  const tagsByLang = new Map<LanguageCode, Map<string, { name: string; entries: RenderedEntry[] }>>();
  const chronologicalCount = new Map<LanguageCode, number>();
  const collectionCountByLang = new Map<LanguageCode, Map<CollectionName, number>>();
  for (const lang of config.languages) {
    const mine = entriesInLanguage(all, lang);
    const dated = mine.filter((r) => r.entry.collection === 'posts' || r.entry.collection === 'events');
    chronologicalCount.set(lang, dated.length);
    yearsByLang.set(lang, new Map([...groupByYear(dated)].map(([y, list]) => [y, list.length])));
    tagsByLang.set(lang, groupByTag(mine.filter((r) => r.entry.collection !== 'pages')));
    const counts = new Map<CollectionName, number>();
    for (const r of mine) counts.set(r.entry.collection, (counts.get(r.entry.collection) ?? 0) + 1);
    collectionCountByLang.set(lang, counts);
  }

  /**
   * Write a list in pages of `config.pageSize`: `parts/index.html`, then
   * `parts/page/2/index.html`, … with prev/next links. `countIn(l)` is the
   * length of the same list in language `l` (undefined when it has none), so
   * alternates link only pages that exist.
   */
  const writeList = (
    lang: LanguageCode,
    parts: string[],
    title: string,
    list: RenderedEntry[],
    countIn: (l: LanguageCode) => number | undefined,
    renderPage?: (list: RenderedEntry[], path: string, pn: PageNumbers) => SafeHtml,
    /** What `renderPage` shows besides the entries (for the memo key). */
    renderKey = '',
  ) => {
    const chunks = paginate(list, config.pageSize);
    const pathOf = (n: number) => (n === 1 ? pagePath(lang, def, ...parts) : pagePath(lang, def, ...parts, 'page', String(n)));
    chunks.forEach((chunk, i) => {
      const n = i + 1;
      const path = pathOf(n);
      const pn: PageNumbers = { page: n, pages: chunks.length, pathOf };
      const exists = (l: LanguageCode) => {
        const count = countIn(l);
        return count !== undefined && (n === 1 || countPages(count, config.pageSize) >= n);
      };
      const body = () => (renderPage ? renderPage(chunk, path, pn) : renderListPage(title, chunk, bodyContext(lang, path), undefined, pn));
      const pageTitle = n === 1 ? title : `${title} (${getThemeStrings(lang).pageOf(n, chunks.length)})`;
      const alternates = generatedAlternates(n === 1 ? parts : [...parts, 'page', String(n)], exists);
      const prevPath = n > 1 ? pathOf(n - 1) : undefined;
      const nextPath = n < chunks.length ? pathOf(n + 1) : undefined;
      // The same entries as shown on a card, at the same place among the same pages → the same bytes.
      const memoKey = keyOf('list', lang, path, title, pageTitle, renderPage ? 'custom' : 'list', renderKey, String(n), String(chunks.length), JSON.stringify(alternates), prevPath ?? '', nextPath ?? '', ...chunk.map(cardPrint));
      write(lang, path, pageTitle, body, alternates, { prevPath, nextPath }, memoKey);
    });
  };

  for (const lang of config.languages) {
    const t = getThemeStrings(lang);
    const prefix = languagePrefix(lang, def);
    const mine = entriesInLanguage(all, lang);
    const chronological = sortByDateDesc(mine.filter((r) => r.entry.collection === 'posts' || r.entry.collection === 'events'));
    const siteTitle = localize(config.title, lang, def);

    // Home.
    const homePath = pagePath(lang, def);
    const homeEntry = content.byKey.get(homeKey)?.get(lang);
    const homeRendered = homeEntry ? rendered.get(homeEntry.id) : undefined;
    const homeCtx = bodyContext(lang, homePath);
    const description = localize(config.description, lang, def);
    const homeBody = renderHomePage(
      {
        title: homeRendered?.entry.data.title ?? siteTitle,
        intro: homeRendered ? homeRendered.html : description ? html`<p>${description}</p>` : html``,
        campaigns: sortByDateDesc(mine.filter((r) => r.entry.collection === 'campaigns')),
        people: mine.filter((r) => r.entry.collection === 'people'),
        news: chronological.slice(0, config.homePosts),
        campaignsPath: collectionsByLang.get(lang)?.has('campaigns') ? pagePath(lang, def, 'campaigns') : undefined,
        peoplePath: collectionsByLang.get(lang)?.has('people') ? pagePath(lang, def, 'people') : undefined,
        archivePath: pagePath(lang, def, 'archive'),
        peopleLimit: 12,
      },
      { ...homeCtx, content, now: input.now, defaultLanguage: def, languages: config.languages, toTraditional: input.toTraditional },
    );
    write(lang, homePath, siteTitle, homeBody, generatedAlternates([]), { jsonLd: [organizationJsonLd(config, lang)] });

    // Archive, years, tags and collection indexes: `pageSize` entries a page (`…/page/2/index.html`).
    const years = groupByYear(chronological);
    const archiveCtx = (path: string) => bodyContext(lang, path);
    writeList(
      lang,
      ['archive'],
      t.archive,
      chronological,
      (l) => (l === lang ? chronological.length : chronologicalCount.get(l)!),
      (list, path, pn) => renderArchive([...years.keys()], list, (y) => pagePath(lang, def, 'archive', y), archiveCtx(path), pn),
      `archive:${JSON.stringify([...years.keys()])}`,
    );
    for (const [year, list] of years) {
      writeList(lang, ['archive', year], t.postsInYear(year), list, (l) => yearsByLang.get(l)!.get(year));
    }
    const tags = tagsByLang.get(lang)!;
    const tagsPath = pagePath(lang, def, 'tags');
    const tagsKey = keyOf('tags', lang, tagsPath, JSON.stringify([...tags].map(([slug, g]) => [slug, g.name, g.entries.length])));
    write(lang, tagsPath, t.tags, () => renderTagIndex(tags, bodyContext(lang, tagsPath)), generatedAlternates(['tags']), {}, tagsKey);
    for (const [slug, g] of tags) {
      writeList(lang, ['tags', slug], t.taggedWith(g.name), g.entries, (l) => tagsByLang.get(l)!.get(slug)?.entries.length);
    }
    for (const c of ['campaigns', 'people', 'events'] as const) {
      const list = mine.filter((r) => r.entry.collection === c);
      if (!list.length) continue;
      const sorted = c === 'people' ? [...list].sort((a, b) => a.entry.data.title.localeCompare(b.entry.data.title, lang)) : sortByDateDesc(list);
      writeList(lang, [c], t[c], sorted, (l) => collectionCountByLang.get(l)?.get(c));
    }

    // Verification page.
    const verifyPath = pagePath(lang, def, 'verify');
    write(
      lang,
      verifyPath,
      t.verify,
      () => renderVerifyPage(
        {
          official: config.seal.official,
          revoked: config.seal.revoked,
          keyFingerprint: input.keyFingerprint,
          keyId: input.keyId,
          publicKey: input.publicKey,
          siteAddress: config.baseUrl ?? config.seal.official.find((c) => c.type === 'domain')?.url,
          packageFile: `stele-${STELE_VERSION}.tgz`,
          sumsPath: SHA256SUMS_PATH,
          channelsPath: CHANNELS_PATH,
          manifestPath: MANIFEST_PATH,
          publicKeyPath: input.keyId ? PUBLIC_KEY_PATH : undefined,
          unsigned: input.unsigned,
        },
        bodyContext(lang, verifyPath),
      ),
      generatedAlternates(['verify']),
      {},
      keyOf('verify', lang, verifyPath, input.keyId ?? '', input.publicKey ?? '', STELE_VERSION),
    );

    // Search page (Pagefind's index is added after layout: see search-pagefind.ts).
    const searchPath = pagePath(lang, def, 'search');
    write(lang, searchPath, t.search, () => renderSearchPage(bodyContext(lang, searchPath)), generatedAlternates(['search']), { noindex: true }, keyOf('search', lang, searchPath));
    searchPages.push(searchPath);

    // Feeds and search index.
    const feedEntries = chronological.slice(0, 50);
    const feed = { config, lang, title: siteTitle, homePath, entries: feedEntries, atomPath: `${prefix}atom.xml`, jsonPath: `${prefix}feed.json` };
    const feedKey = pageContext === undefined ? undefined : hashKey(...feedEntries.map(feedPrint));
    emitMemo(feed.atomPath, feedKey && keyOf('atom', lang, feed.atomPath, homePath, feedKey), () => renderAtomFeed(feed));
    emitMemo(feed.jsonPath, feedKey && keyOf('json-feed', lang, feed.jsonPath, homePath, feedKey), () => renderJsonFeed(feed));
    const indexPath = `${prefix}search-index.json`;
    emitMemo(indexPath, keyOf('search-index', lang, indexPath, ...mine.map(cardPrint)), () => renderSearchIndex(mine, indexPath));
  }

  // 404: one page for every language, served at any missing address (see render404).
  if (input.redirects?.length) {
    const targets = new Map<string, { path: string; lang: string; title: string }>();
    for (const r of rendered.values()) if (!r.entry.derived) targets.set(r.entry.file, { path: r.path, lang: r.entry.lang, title: r.entry.data.title });
    diagnostics.push(...createRedirects(output, input.redirects, targets));
  }
  emitFile(output, '404.html', render404(config, undefined, socialMeta(def, getThemeStrings(def).notFoundTitle, languageCard(def), []), input.theme));
  // Each other language's folder has its own 404 page, served there by the generated server configs.
  for (const lang of config.languages) if (lang !== def) emitFile(output, `${languagePrefix(lang, def)}404.html`, render404(config, lang, socialMeta(lang, getThemeStrings(lang).notFoundTitle, languageCard(lang), []), input.theme));
  emitFile(output, 'robots.txt', renderRobots(config.baseUrl));
  emitFile(output, FAVICON_PATH, FAVICON_SVG);
  emitFile(output, SEARCH_MODULE_PATH, SEARCH_MODULE);
  const baseUrl = config.baseUrl;
  if (baseUrl) emitMemo('sitemap.xml', keyOf('sitemap', baseUrl, JSON.stringify(sitemap)), () => renderSitemap(baseUrl, sitemap));
  else diagnostics.push(createDiagnostic(SiteNoBaseUrl, { file: config.configFile ? posix.basename(config.configFile) : undefined }));
  const menuTargetsMissing = new Set<string>();
  config.menu.forEach((m, i) => {
    const missing = config.languages.filter((lang) => !output.has(`${languagePrefix(lang, def)}${m.path.replace(/^\//, '')}`));
    if (!missing.length) return;
    for (const lang of missing) menuTargetsMissing.add(`${languagePrefix(lang, def)}${m.path.replace(/^\//, '')}`);
    const at = config.menuLocations?.[i] ?? {};
    diagnostics.push(createDiagnostic(SiteMenuPageMissing, { file: config.configFile ? posix.basename(config.configFile) : undefined, ...at }, i, m.path, missing.join(', ')));
  });
  return { output, pages, searchPages, sourceMarks, diagnostics, menuTargetsMissing };
}

/**
 * A digest of rendered HTML and its source marks, once per `SafeHtml` (the
 * render memo hands the same object to every build while the body is unchanged).
 */
const HTML_DIGESTS = new WeakMap<SafeHtml, string>();

/**
 * Digests of entries' front-matter data, by the data object: entries are
 * never changed once made, and an unchanged file gives the same entry in
 * every \`stele dev\` rebuild (as does its derived zh-Hant entry).
 */
const DATA_DIGESTS = new WeakMap<object, string>();
function digestData(data: object): string {
  let digest = DATA_DIGESTS.get(data);
  if (digest === undefined) {
    digest = hashKey(JSON.stringify(data));
    DATA_DIGESTS.set(data, digest);
  }
  return digest;
}
function digestHtml(h: SafeHtml): string {
  let digest = HTML_DIGESTS.get(h);
  if (digest === undefined) {
    digest = hashKey(h.value, JSON.stringify(h.marks ?? []));
    HTML_DIGESTS.set(h, digest);
  }
  return digest;
}

function render404(config: ResolvedConfig, only?: LanguageCode, social?: SocialMeta, theme?: SiteTheme): string {
  const def = config.defaultLanguage;
  const body = html`${(only ? [only] : config.languages).map((lang) => {
    const t = getThemeStrings(lang);
    return html`<section lang="${LANGUAGES[lang].htmlLang}"><h1>${t.notFoundTitle}</h1><p>${t.notFoundBody}</p>${
      config.seal.official.length ? html`<p>${t.officialAddresses}:</p><ul>${config.seal.official.map((c) => html`<li><code>${c.url}</code></li>`)}</ul>` : ''
    }</section>`;
  })}`;
  const lang = only ?? def;
  return renderLayout({
    lang,
    path: `${languagePrefix(lang, def)}404.html`,
    title: getThemeStrings(lang).notFoundTitle,
    siteTitle: localize(config.title, lang, def),
    body,
    alternates: [],
    nav: [],
    homePath: pagePath(lang, def),
    verifyPath: pagePath(lang, def, 'verify'),
    noindex: true,
    // Servers answer a missing address at any depth with these bytes, so relative links would
    // resolve against that address: link from the site's path instead (baseUrl's, else `/`).
    linkRoot: resolveSitePath(config.baseUrl),
    social,
    theme,
  });
}

function organizationJsonLd(config: ResolvedConfig, lang: LanguageCode): object {
  const org = config.organization;
  return {
    '@context': 'https://schema.org',
    '@type': 'NGO',
    name: localize(org?.name ?? config.title, lang, config.defaultLanguage),
    ...(org?.founded ? { foundingDate: org.founded } : {}),
    ...(config.baseUrl ? { url: config.baseUrl } : {}),
    ...(org?.email ? { email: org.email } : {}),
    sameAs: config.seal.official.filter((c) => c.type !== 'onion').map((c) => c.url),
  };
}

function articleJsonLd(r: RenderedEntry, config: ResolvedConfig): object {
  return {
    '@context': 'https://schema.org',
    '@type': 'Article',
    headline: r.entry.data.title,
    inLanguage: r.entry.lang,
    ...(r.entry.data.date ? { datePublished: r.entry.data.date } : {}),
    ...(r.entry.data.updated ? { dateModified: r.entry.data.updated } : {}),
    ...(r.summary ? { description: r.summary } : {}),
    ...(r.entry.data.tags.length ? { keywords: r.entry.data.tags.join(', ') } : {}),
    ...(config.baseUrl ? { url: absoluteUrl(config.baseUrl, r.path) } : {}),
    publisher: { '@type': 'NGO', name: localize(config.organization?.name ?? config.title, r.entry.lang, config.defaultLanguage) },
  };
}
