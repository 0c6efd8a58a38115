/**
 * The pipeline: config → content → assets → render → site → harden → check →
 * seal → write → verify. One entry function; every effect comes from `Host`.
 *
 * Invariant: no stage after `seal` changes a byte of output (the written folder
 * is verified against the signed manifest before the build reports success).
 * Invariant: a build with error diagnostics writes nothing.
 */

import { createHash } from 'node:crypto';
import { dirname, join, posix, resolve } from 'node:path';
import type { ProcessedImage } from '../assets/types.js';
import { createNameRedactor } from '../check/redact-names.js';
import { type CheckOptions, checkPages, type PageCheckMemo, runChecks } from '../check/run-checks.js';
import { type ResolvedConfig, resolveConfig } from '../config/resolve-config.js';
import { createTraditionalConverter, releaseTraditionalDictionaries } from '../content/chinese.js';
import { createCollectionRegistry } from '../content/collection-registry.js';
import { advocacyCollectionFields, validateAdvocacyEntry } from '../content/collections/index.js';
import { loadImportState, loadRedirects } from '../content/import-records.js';
import { type ContentSet, convertData, loadContent, type ParsedSource } from '../content/load-content.js';
import { checkContentReferences } from '../content/references.js';
import { collectProjectWithheldNames } from '../content/withheld.js';
import { createDiagnostic } from '../errors/catalogue.js';
import { CHECK_LINK_BROKEN, CHECK_LINK_ROOT_RELATIVE } from '../errors/codes-harden.js';
import { entryPath } from '../content/urls.js';
import {
  BuildKeyChangedWithoutRotation,
  BuildLogConflict,
  BuildLogStarted,
  BuildNotSealed,
  BuildSealExpiresSoon,
  BuildTimestampKeyUnusable,
  BuildSealRequired,
  BuildVerifyFailed,
  BuildWouldReplaceSealed,
} from '../errors/codes-core.js';
import { type Diagnostic, hasErrors, sortDiagnostics } from '../errors/diagnostic.js';
import { type Redactor, redactDiagnostic } from '../errors/redact.js';
import { type HardenOptions, hardenSite } from '../harden/harden-site.js';
import { createServerConfigs } from '../harden/server-configs.js';
import type { Host } from '../io/host.js';
import { hashKey, Memo } from '../io/memo.js';
import type { SafeHtml } from '../render/html.js';
import { renderPicture } from '../render/picture.js';
import type { RenderMemoValue } from '../render/render-content.js';
import { renderSite } from '../render/render-parallel.js';
import { SEARCH_BOOTSTRAP } from '../render/theme/search.js';
import { readKeyPublications, TIMESTAMP_SECRET_KEY_FILE } from '../seal/key-store.js';
import { DEFAULT_MANIFEST_DAYS_WITH_TIMESTAMP } from '../trust/timestamp.js';
import { isSecretKeyEncrypted } from '../seal/minisign.js';
import { PROJECT_LOG_DIR, readSiteLog, readStoredLog, resolvePreviousLog, resolveUnbackedKeyChange, writeStoredLog } from '../seal/release-log-store.js';
import { readManifestVersion, resolveNextVersion, sealSite } from '../seal/seal-site.js';
import { loadSignerFromText, readSecretKeyFile, type Signer } from '../seal/signer.js';
import { createSite, type LaidOutPage } from '../site/create-site.js';
import { emitFile, type OutputFiles } from '../site/output.js';
import { createSearchIndex, type SearchChunkIndex, SEARCH_INDEX_DIR } from '../site/search-pagefind.js';
import { formatKeyFingerprint, parsePublicKey } from '../trust/minisign.js';
import { parseManifest } from '../trust/manifest.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../trust/paths.js';
import { verifySite } from '../verify/verify-site.js';
import { createSocialCards } from './build-cards.js';
import { createLayoutPacker, loadBuildCache, type PersistentCacheOptions, saveBuildCache } from './build-cache.js';
import { prepareTheme } from './build-theme.js';
import { processContentImages } from './build-images.js';
import { OUTPUT_SPARE_DIR, recoverOutputFolder, writeOutputAtomically } from './write-output.js';

/** Options for `buildProject`. */
export interface BuildOptions {
  /** Project folder (holds stele.config.ts). */
  root: string;
  host: Host;
  /** production: drafts dropped, sealed, written. development: drafts shown, not sealed. */
  mode?: 'production' | 'development';
  /** Output folder instead of the config's `outDir` (absolute or relative to `root`). */
  outDir?: string;
  /** Write to disk (default true in production). */
  write?: boolean;
  /** Passphrase for the secret key, or a function asked only when the key is encrypted (prompt). */
  passphrase?: string | (() => Promise<string | undefined>);
  /** Passphrase for the timestamp key (`keys/timestamp.key`), or a function asked only when it is encrypted. */
  timestampPassphrase?: string | (() => Promise<string | undefined>);
  /** Timestamp signer to use instead of the key file (tests); `false` builds without one even when the file exists. */
  timestampSigner?: Signer | false;
  /** Signer to use instead of the key file (tests). */
  signer?: Signer;
  /** Skip sealing even when a key exists. */
  noSeal?: boolean;
  /**
   * The project's copy of the release log (absolute or relative to the root;
   * default `.stele/log` when building to the configured output folder, none when
   * `outDir` is given); `false` keeps none (the output folder's copy only).
   */
  logDir?: string | false;
  /** Extra head markup (dev live reload). */
  headExtra?: SafeHtml;
  /** Progress: stage name, done, total. */
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Allow the dev live-reload connection in the CSP (development only). */
  devConnect?: boolean;
  /** Reuse across rebuilds (dev). */
  cache?: BuildCache;
  /**
   * Development only: reuse the last build's search index instead of making a
   * new one (`stats.searchDeferred` says so); `stele dev` reloads the browser
   * at once and builds again with a fresh index right after.
   */
  deferSearch?: boolean;
  /**
   * Keep the build cache between processes (`stele build`: `<root>/.stele/cache`):
   * read before the build when `cache` is not given, written after a build
   * that succeeded. See `build-cache.ts` for what is kept and what never is.
   */
  persistentCache?: PersistentCacheOptions;
  /**
   * Development: the build is moot once this aborts (an edit came in): the
   * search index stops, and the build ends after it as `aborted`, keeping
   * every memo entry for the next build.
   */
  signal?: AbortSignal;
}

/** State kept between builds in one process (dev server, benchmarks). */
export interface BuildCache {
  /** Processed images by source bytes and blur regions. */
  processed?: Map<string, ProcessedImage>;
  /** The loaded config module, by config source text. */
  config?: Map<string, unknown>;
  /** Withheld-name scan results, by file bytes and name list. */
  names?: Memo<Diagnostic[]>;
  /** Content files read and parsed, by file and bytes (`.stele/cache` keeps the parse, not the validated entry). */
  frontMatter?: Memo<ParsedSource>;
  /** Simplified → Traditional conversions, by source text. */
  traditional?: Memo<string>;
  render?: Memo<RenderMemoValue>;
  harden?: NonNullable<HardenOptions['memo']>;
  check?: Memo<PageCheckMemo>;
  /** Preview-card PNGs by the hash of their SVG. */
  cards?: Map<string, Uint8Array>;
  /** Digests of entry bodies, by the body text (in process only). */
  bodyDigests?: Memo<string>;
  /** Preview-card keys (the hash of their SVG) by the card's options (in process only). */
  cardKeys?: Memo<string>;
  /** Pagefind indexes, one per chunk of a language's pages, by a hash of the chunk's pages. */
  search?: Memo<SearchChunkIndex>;
  /** Laid-out pages and feeds (`createSite`'s memo). */
  layout?: Memo<LaidOutPage>;
  /** The search index files of the last build (`deferSearch`). */
  lastSearchFiles?: Map<string, Uint8Array>;
}

export interface BuildStats {
  pages: number;
  files: number;
  bytes: number;
  ms: number;
  /** Milliseconds spent in each stage, in pipeline order. */
  stages: Record<string, number>;
  /**
   * Peak resident set size of this process (its worker threads included;
   * Pagefind's service processes not) during each stage, in MiB, sampled
   * every 25 ms and at each stage's end. Not measured for a build given an
   * in-process cache (`stele dev`).
   */
  memory?: Record<string, number>;
  /** Worker threads the render stage used (0: rendered in process). */
  renderWorkers: number;
  /** True when the search index is the previous build's (`deferSearch`). */
  searchDeferred?: boolean;
  /** Chunks of the search index, and how many this build indexed (the others came from the memo or `.stele/cache`); absent when the index was deferred. */
  searchChunks?: { chunks: number; indexed: number };
  /** Entries rendered by this build (the others came from the memo or `.stele/cache`). */
  rendered?: number;
  /** With a persistent cache: whether this build found one (`warm`) or started without (`cold`). */
  cache?: 'cold' | 'warm';
}

export interface BuildResult {
  ok: boolean;
  /** The build stopped because `signal` aborted (not `ok`; its output and diagnostics mean nothing). */
  aborted?: boolean;
  config?: ResolvedConfig;
  content?: ContentSet;
  output?: OutputFiles;
  diagnostics: Diagnostic[];
  stats: BuildStats;
  /** Present when the build was sealed. */
  seal?: { version: number; keyId: string; fingerprint: string; expires: string; timestamp?: { keyId: string; expires: string } };
  /** Absolute folder written, when written. */
  outDir?: string;
  /**
   * Protected names (withheld roster members in every spelling, forbidden
   * terms) and roster lines: `diagnostics` are already redacted with it; pass
   * it to `formatDiagnostic` so code frames are too. Absent when the config did not load.
   */
  redactor?: Redactor;
}

/** Run the whole pipeline. Never throws for bad input: problems come back as diagnostics. */
export async function buildProject(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const { host } = options;
  const mode = options.mode ?? 'production';
  const diagnostics: Diagnostic[] = [];
  const stats: BuildStats = { pages: 0, files: 0, bytes: 0, ms: 0, stages: {}, renderWorkers: 0 };
  let stageStart = started;
  let stageName = options.persistentCache && !options.cache ? 'cache-load' : 'config';
  // Peak memory per stage, for `build --json` and the bench; `stele dev` (an in-process cache) skips it.
  const measureMemory = !options.cache;
  const memory: Record<string, number> = {};
  let stagePeak = measureMemory ? process.memoryUsage.rss() : 0;
  const sampler = measureMemory
    ? setInterval(() => {
        stagePeak = Math.max(stagePeak, process.memoryUsage.rss());
      }, 25)
    : undefined;
  sampler?.unref();
  /** Close the running stage's timer and start the next one. */
  const stage = (next: string, total = 0) => {
    const now = performance.now();
    stats.stages[stageName] = Math.round(now - stageStart);
    if (measureMemory) {
      const rss = process.memoryUsage.rss();
      memory[stageName] = Math.round(Math.max(stagePeak, rss) / 1048576);
      stagePeak = rss;
    }
    stageStart = now;
    stageName = next;
    options.onProgress?.(next, 0, total);
  };
  const done = (extra: Partial<BuildResult> = {}): BuildResult => {
    stage('done');
    clearInterval(sampler);
    delete stats.stages.done;
    delete memory.done;
    if (measureMemory) stats.memory = memory;
    // A stopped or failed build prunes nothing: the memo entries it did not reach are the next
    // build's (a content error ends a build before render; pruning then threw away every page).
    const c = extra.aborted || hasErrors(diagnostics) ? undefined : cache;
    for (const memo of [c?.frontMatter, c?.bodyDigests, c?.cardKeys, c?.traditional, c?.render, c?.harden, c?.check, c?.names, c?.layout]) memo?.prune();
    // A build that reused the last index kept the per-language ones for the build after it.
    if (!stats.searchDeferred) c?.search?.prune();
    stats.ms = Math.round(performance.now() - started);
    // No message, hint or file name leaves the build with a protected name in it.
    const all = sortDiagnostics(redactor ? diagnostics.map((d) => redactDiagnostic(d, redactor!)) : diagnostics);
    return { ok: !extra.aborted && !hasErrors(all), diagnostics: all, stats, ...extra, ...(redactor ? { redactor } : {}) };
  };
  let redactor: Redactor | undefined;

  // config
  // The persistent cache, when asked for and usable; a miss is a cold build.
  let cache = options.cache;
  if (!cache && options.persistentCache) {
    cache = (await loadBuildCache(host.fs, options.persistentCache, mode)) ?? {};
    stats.cache = cache.render?.size ? 'warm' : 'cold';
    stage('config');
  }
  if (cache) cache.config ??= new Map();
  const resolved = await resolveConfig(options.root, host, { mode, cache: cache?.config });
  diagnostics.push(...resolved.diagnostics);
  if (resolved.config && options.outDir) resolved.config.outDirAbs = resolve(resolved.config.root, options.outDir);
  if (!resolved.config) return done();
  // A build killed while switching its output left the previous one aside: put it back first.
  await recoverOutputFolder(resolved.config.outDirAbs, host);
  if (cache) {
    cache.traditional ??= new Memo();
    cache.render ??= new Memo();
    cache.harden ??= new Memo();
    cache.search ??= new Memo();
    cache.layout ??= new Memo();
    cache.frontMatter ??= new Memo();
    cache.cards ??= new Map();
    cache.processed ??= new Map();
  }
  // The tables `.stele/cache` does not keep serve only a later build in this process (`stele dev`):
  // a build that starts from the persistent cache would hold them (every page's check results,
  // parsed sources) to its end for nothing.
  if (options.cache) {
    cache!.cardKeys ??= new Memo();
    cache!.bodyDigests ??= new Memo();
    cache!.check ??= new Memo();
    cache!.names ??= new Memo();
  }
  const convert = createTraditionalConverter(resolved.config.traditional.overrides);
  const conversions = cache?.traditional;
  const overridesKey = JSON.stringify(resolved.config.traditional.overrides);
  const toTraditional = conversions
    ? (text: string) => {
        const key = `${overridesKey}\u0000${text}`;
        let out = conversions.get(key);
        if (out === undefined) {
          out = convert(text);
          conversions.set(key, out);
        }
        return out;
      }
    : convert;
  // Config text (title, description, menu) gets its Traditional form the same way content does.
  const config: ResolvedConfig = resolved.config.languages.includes('zh-Hant')
    ? {
        ...resolved.config,
        title: convertData(resolved.config.title, toTraditional),
        description: convertData(resolved.config.description, toTraditional),
        organization: convertData(resolved.config.organization, toTraditional),
        menu: convertData(resolved.config.menu, toTraditional),
      }
    : resolved.config;

  stage('content');
  const content = await loadContent(config, host, {
    collections: resolveCollections(),
    toTraditional,
    // Structured fields live in the original (the default language, or the only language a page is written in).
    validateEntry: (entry, locate, { original }) => (original ? validateAdvocacyEntry(entry, locate, { originalLang: entry.lang }) : []),
    ...(cache?.frontMatter ? { frontMatterMemo: cache.frontMatter, traditionalKey: overridesKey } : {}),
  });
  diagnostics.push(...content.diagnostics, ...checkContentReferences(content, config.languages, config.defaultLanguage));
  // What `stele import` left: old URLs to redirect, commenters' addresses that must never be published.
  const redirects = await loadRedirects(config.root, host);
  diagnostics.push(...redirects.diagnostics);
  const importState = await loadImportState(config.root, host);
  const forbiddenTerms = config.check.forbiddenTerms.map((name, i) => ({ name, label: `check.forbiddenTerms[${i}]` }));
  // Withheld names in every spelling (Traditional ones converted now): for the redactor and the checks.
  const withheldNames = [...collectProjectWithheldNames(content, host.now(), config.traditional.overrides), ...forbiddenTerms];
  const protectedNames = [...(content.protectedNames ?? []), ...withheldNames];
  redactor = createNameRedactor(protectedNames, content.protectedLines);
  // What the cache's entries were checked against: when it changes, `.stele/cache` checks every entry again.
  const namesKey = hashKey(JSON.stringify(protectedNames.map((n) => n.name).sort()), JSON.stringify(content.protectedLines ?? {}));

  // signing key (public part is needed by the theme's footer)
  let signer = options.signer;
  const shouldSeal = mode === 'production' && !options.noSeal;
  if (shouldSeal && !signer) {
    const keyFile = join(config.root, config.seal.secretKey);
    const key = await readSecretKeyFile(keyFile, host.fs, config.seal.secretKey);
    if (key.ok) {
      const text = key.text;
      const passphrase =
        typeof options.passphrase === 'function' ? (isSecretKeyEncrypted(text) ? await options.passphrase() : undefined) : options.passphrase;
      const loaded = await loadSignerFromText(text, passphrase);
      if (loaded.ok) signer = loaded.signer;
      else diagnostics.push(createDiagnostic(BuildSealRequired, { file: config.seal.secretKey }, loaded.reason));
    } else if (!key.missing) {
      diagnostics.push(key.diagnostic);
    } else if (config.seal.required) {
      diagnostics.push(createDiagnostic(BuildSealRequired, { file: config.seal.secretKey }, `no secret key at ${config.seal.secretKey}`));
    } else {
      diagnostics.push(createDiagnostic(BuildNotSealed, {}, config.seal.secretKey));
    }
  }
  // The online timestamp key, next to the main key: delegated by it and signing the first timestamp.
  let timestampSigner = options.timestampSigner === false ? undefined : options.timestampSigner;
  if (shouldSeal && signer && options.timestampSigner === undefined) {
    const keyFile = join(dirname(join(config.root, config.seal.secretKey)), TIMESTAMP_SECRET_KEY_FILE);
    const shown = join(dirname(config.seal.secretKey), TIMESTAMP_SECRET_KEY_FILE);
    const key = await readSecretKeyFile(keyFile, host.fs, shown);
    if (key.ok) {
      const passphrase =
        typeof options.timestampPassphrase === 'function'
          ? isSecretKeyEncrypted(key.text)
            ? await options.timestampPassphrase()
            : undefined
          : options.timestampPassphrase;
      const loaded = await loadSignerFromText(key.text, passphrase);
      if (loaded.ok) timestampSigner = loaded.signer;
      else diagnostics.push(createDiagnostic(BuildTimestampKeyUnusable, { file: shown }, loaded.reason));
    } else if (!key.missing) {
      diagnostics.push(key.diagnostic);
    }
  }
  if (timestampSigner && signer && timestampSigner.keyId === signer.keyId) {
    diagnostics.push(createDiagnostic(BuildTimestampKeyUnusable, {}, 'it is the main signing key; make a separate one with `stele keygen --timestamp`'));
    timestampSigner = undefined;
  }
  // Invariant: an unsigned build never replaces a sealed output folder.
  const write = options.write ?? mode === 'production';
  if (write && !shouldSeal && (await host.fs.exists(join(config.outDirAbs, MANIFEST_SIG_PATH)))) {
    diagnostics.push(createDiagnostic(BuildWouldReplaceSealed, { file: config.outDir.replace(/^\.\//, '').replace(/\/*$/, '/') }, config.outDir.replace(/^\.\//, '').replace(/\/*$/, '/')));
  }
  // Problems in content do not stop images and render: their problems (missing
  // images, broken links) come in the same run. Layout and later stages need valid content.

  stage('images');
  const images = await processContentImages(config, content, host, cache?.processed ?? new Map(), (done, total) =>
    options.onProgress?.('images', done, total),
  );
  diagnostics.push(...images.diagnostics);
  const imageByPath = images.byPath;
  const resolveImage = (projectPath: string, alt: string, pagePath: string, loading: 'lazy' | 'eager') => {
    const r = imageByPath.get(projectPath);
    return r?.files.length ? renderPicture(r, { alt, pagePath, loading }) : undefined;
  };

  stage('render', content.entries.length);
  // Rendered HTML depends on the body and on the site's structure (link targets, images).
  const structure = cache
    ? hashKey(
        config.defaultLanguage,
        content.entries.map((e) => `${e.file}|${e.lang}|${e.collection}|${e.key}|${e.slug}`).join('\n'),
        [...imageByPath].map(([p, r]) => `${p}|${r.files.map((f) => `${f.path}:${f.width}`).join(',')}`).join('\n'),
      )
    : '';
  const rendered = await renderSite(config, content, imageByPath, resolveImage, {
    onProgress: (done, total) => options.onProgress?.('render', done, total),
    ...(cache?.render ? { memo: { table: cache.render, context: structure, ...(cache.bodyDigests ? { bodyDigests: cache.bodyDigests } : {}) } } : {}),
  });
  stats.renderWorkers = rendered.workers;
  stats.rendered = rendered.fresh;
  diagnostics.push(...rendered.diagnostics);
  // With errors in content, the pages are still laid out and checked, so that
  // problems the checks find in what the author wrote (links, raw-HTML images)
  // come in the same run, at the Markdown line; nothing further runs.
  const contentFailed = hasErrors(diagnostics);
  if (contentFailed) {
    diagnostics.push(...(await checkAuthorElements(config, content, rendered.rendered, host, resolveImage, toTraditional, redirects.redirects)));
    return done({ config, content });
  }

  stage('theme');
  const theme = await prepareTheme(config, host);
  diagnostics.push(...theme.diagnostics);
  if (theme.diagnostics.length) return done({ config, content });
  stage('cards');
  const cards = await createSocialCards(config, rendered.rendered.values(), { ...(cache?.cards ? { memo: cache.cards } : {}), ...(cache?.cardKeys ? { keyMemo: cache.cardKeys } : {}), ...(config.theme.accent ? { accent: config.theme.accent } : {}) });
  const coverImage = (projectPath: string) => {
    const jpeg = imageByPath
      .get(projectPath)
      ?.files.filter((f) => f.format === 'jpeg' || f.format === 'png')
      .sort((a, b) => b.width - a.width)[0];
    return jpeg ? { path: jpeg.path, width: jpeg.width, height: jpeg.height } : undefined;
  };

  stage('site');
  const publicKey = signer ? parsePublicKey(signer.publicKeyFile) : undefined;
  const keyId = publicKey?.ok ? publicKey.value.keyId : undefined;
  const site = createSite({
    config,
    content,
    rendered: rendered.rendered,
    now: host.now(),
    resolveImage,
    keyFingerprint: keyId ? formatKeyFingerprint(keyId) : undefined,
    keyId,
    publicKey: signer?.publicKeyFile.trim().split('\n').at(-1),
    unsigned: !(signer && shouldSeal),
    headExtra: options.headExtra,
    toTraditional,
    redirects: redirects.redirects,
    socialImage: cards.resolve,
    coverImage,
    theme: theme.theme,
    ...(cache?.layout ? { memo: { table: cache.layout, context: structure } } : {}),
  });
  diagnostics.push(...site.diagnostics);
  for (const [path, data] of [...cards.files, ...theme.files]) site.output.set(path, data);
  // A build in a process of its own converts nothing after laying out: OpenCC's dictionaries go
  // (stele dev keeps them for its next build).
  if (!options.cache) releaseTraditionalDictionaries();
  const output = site.output;
  stage('search');
  if (options.deferSearch && cache?.lastSearchFiles) {
    // `stele dev`: the last index now, a new one right after the reload.
    for (const [path, data] of cache.lastSearchFiles) output.set(path, data);
    stats.searchDeferred = true;
  }
  // `stele build` saves the cache at its end and drops it: each laid-out page is let go of once
  // hardened, its record for the save kept instead, and read again from that when the search index
  // gets to its chunk (`stele dev` keeps the pages for its next build).
  const layoutPacker = options.persistentCache && !options.cache && cache ? createLayoutPacker(cache, { redactor, namesKey }) : undefined;
  // Pagefind works in other processes while this thread hardens the pages (it read them already).
  const searching = stats.searchDeferred
    ? undefined
    : createSearchIndex(output, {
        pages: site.pages.map((p) => p.path),
        chunkPages: config.search.chunkPages,
        onChunks: (counts) => {
          stats.searchChunks = counts;
        },
        ...(cache?.search ? { memo: cache.search } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(layoutPacker ? { rereadPage: layoutPacker.rereadPage } : {}),
      });
  for (const r of imageByPath.values()) for (const f of r.files) output.set(f.path, f.data);

  stage('harden');
  diagnostics.push(
    ...hardenSite(output, {
      ...(layoutPacker ? { onPage: layoutPacker.onPage } : {}),
      ...(config.harden.formAction.length ? { formAction: config.harden.formAction } : {}),
      ...(options.devConnect ? { connectSrc: ["'self'"] } : {}),
      ...(cache?.harden ? { memo: cache.harden } : {}),
      searchPages: new Set(site.searchPages),
      sourceMarks: site.sourceMarks,
    }),
  );
  // check, first part: each page's own checks now, on its final bytes, while Pagefind still works in
  // other threads; `runChecks` below checks again any page whose bytes are not the ones checked here.
  stage('check', output.size);
  const checkOptions: CheckOptions = {
    withheldNames,
    // Only `stele dev` (which allows its live-reload connection) may carry a script.
    allowScripts: Boolean(options.devConnect),
    // ...and the search pages, their bootstrap only.
    searchPages: { paths: new Set(site.searchPages), script: SEARCH_BOOTSTRAP },
    excludedEmailHashes: new Set(importState.excludedEmails),
    remoteImages: importState.remoteImages,
    sourceMarks: site.sourceMarks,
    onProgress: (done, total) => options.onProgress?.('check', done, total),
    ...(cache?.check ? { memo: cache.check } : {}),
    ...(cache?.names ? { namesMemo: cache.names } : {}),
  };
  const checked = checkPages(output, checkOptions);
  if (searching) {
    stage('search-wait');
    diagnostics.push(...(await searching));
    if (options.signal?.aborted) return done({ aborted: true });
    if (cache) cache.lastSearchFiles = new Map([...output].filter(([path]) => path.startsWith(`${SEARCH_INDEX_DIR}/`)));
  }
  // Static hosts that read `_headers` (Netlify, Cloudflare Pages) or `.htaccess` (Apache) get
  // the security headers from files inside the site; they are sealed like every other file.
  // nginx and Caddy configs live outside the site: `stele server-config`.
  if (mode === 'production') {
    const configs = createServerConfigs(output, config.harden.formAction.length ? { formAction: config.harden.formAction } : {});
    for (const name of ['_headers', '.htaccess']) emitFile(output, name, configs.get(name)!);
  }

  // check: every safety check on the final bytes (the site-wide ones: links, withheld names in every
  // file, the search index included, image metadata); any error refuses to seal or write.
  stage('check-site', output.size);
  diagnostics.push(...locateCheckDiagnostics(await runChecks(output, { ...checkOptions, checked }), config, content, site.menuTargetsMissing));

  stats.pages = site.pages.length;
  if (hasErrors(diagnostics)) return done({ config, content, output });

  stage('seal');
  let seal: BuildResult['seal'];
  let sealedDigests: ReadonlyMap<string, string> | undefined;
  // The project's copy belongs to the configured output folder: a build written
  // elsewhere (`outDir` given, e.g. a test) keeps its own history unless `logDir` says where.
  const logDir = options.logDir ?? (options.outDir === undefined ? PROJECT_LOG_DIR : false);
  const logDirAbs = logDir === false ? undefined : resolve(config.root, logDir);
  const logDirName = logDir === false ? '(no project log)' : logDir;
  if (signer && shouldSeal) {
    // The release log continues from the output folder's copy (read before it is
    // replaced) and the project's copy; they must be one history.
    const outName = config.outDir.replace(/^\.\//, '').replace(/\/*$/, '/');
    const previousLog = resolvePreviousLog(
      config.siteId,
      logDirAbs ? await readStoredLog(logDirAbs, host.fs) : { status: 'absent' },
      await readSiteLog(config.outDirAbs, host.fs),
      { project: logDirName, output: outName },
    );
    if (previousLog.status === 'conflict') {
      diagnostics.push(createDiagnostic(BuildLogConflict, { file: logDirName }, previousLog.reason));
      return done({ config, content, output });
    }
    const previousManifest = await readManifestVersion(config.outDirAbs, host.fs);
    if (previousLog.from === 'start' && previousManifest !== undefined && write) {
      diagnostics.push(createDiagnostic(BuildLogStarted, { file: logDirName }, logDirName));
    }
    const previous =
      previousManifest === undefined && previousLog.lastVersion === undefined
        ? undefined
        : Math.max(previousManifest ?? 0, previousLog.lastVersion ?? 0);
    // Versions only go up: the build time in seconds, or one more than the last
    // published version when the clock is fixed (SOURCE_DATE_EPOCH) or behind.
    const version = resolveNextVersion(previous, Math.max((previous ?? 0) + 1, Math.floor(host.now().getTime() / 1000)));
    const keysDir = dirname(join(config.root, config.seal.secretKey));
    // With a timestamp key the manifest may live long: the timestamp keeps it fresh.
    const expiresInDays =
      config.seal.expiresInDays ?? (timestampSigner ? DEFAULT_MANIFEST_DAYS_WITH_TIMESTAMP : DEFAULT_MANIFEST_DAYS);
    if (expiresInDays <= SEAL_WARN_DAYS) {
      diagnostics.push(createDiagnostic(BuildSealExpiresSoon, {}, 'This seal', expiresInDays));
    }
    if (timestampSigner && config.seal.timestampDays <= SEAL_WARN_DAYS) {
      diagnostics.push(
        createDiagnostic(
          BuildSealExpiresSoon,
          {},
          `This build's timestamp (run \`stele refresh\` before then, e.g. daily from cron)`,
          config.seal.timestampDays,
        ),
      );
    }
    const keys = await readKeyPublications(keysDir, host.fs);
    // A history signed by one key continues under another only through a rotation the old key signed.
    const unbacked = await resolveUnbackedKeyChange(previousLog.lines, signer.keyId, keys);
    if (unbacked) {
      diagnostics.push(createDiagnostic(BuildKeyChangedWithoutRotation, { file: config.seal.secretKey }, unbacked.from, unbacked.version, signer.keyId, unbacked.reason));
      return done({ config, content, output });
    }
    const sealed = sealSite(output, {
      log: previousLog.lines,
      siteId: config.siteId,
      version,
      now: host.now(),
      expiresInDays,
      signer,
      channels: { official: config.seal.official, revoked: config.seal.revoked },
      keys,
      ...(timestampSigner ? { timestamp: { signer: timestampSigner, days: config.seal.timestampDays } } : {}),
    });
    sealedDigests = sealed.digests;
    seal = {
      version,
      keyId: signer.keyId,
      fingerprint: formatKeyFingerprint(signer.keyId),
      expires: new Date(host.now().getTime() + expiresInDays * 86_400_000).toISOString(),
      ...(sealed.timestamp ? { timestamp: { keyId: sealed.timestamp.keyId, expires: sealed.timestamp.expires } } : {}),
    };
  }

  for (const data of output.values()) stats.bytes += data.byteLength;
  stats.files = output.size;

  stage('write');
  if (write) {
    // Verified where it was written, before it replaces the previous output: a
    // site that does not verify never reaches the output folder.
    // What the last verify found (a write that started from the kept output verifies again after a fresh write).
    let refused = '';
    const verify =
      seal && signer
        ? async (dir: string) => {
            stage('verify');
            const report = await verifySite(dir, { publicKey: signer.publicKeyFile, trustStoreDir: false, now: host.now(), fs: host.fs });
            // What follows is the switch: two renames (and moving the previous output aside).
            stage('switch');
            refused = report.status === 'genuine' ? '' : report.problems.map((p) => `${p.kind} ${p.path ?? ''}`).join(', ');
            return report.status === 'genuine';
          }
        : undefined;
    // With the persistent cache, the replaced output is kept in it and the next build starts from it.
    const spareDir = options.persistentCache ? join(options.persistentCache.dir, OUTPUT_SPARE_DIR) : undefined;
    const written = await writeOutputAtomically(output, config.outDirAbs, host, {
      ...(verify ? { verify } : {}),
      ...(spareDir ? { spareDir } : {}),
      ...(spareDir && sealedDigests ? { digests: sealedDigests, readKeptDigests: (dir: string) => readManifestDigests(dir, host) } : {}),
    });
    if (!written) {
      if (refused) diagnostics.push(createDiagnostic(BuildVerifyFailed, {}, refused));
      return done({ config, content, output, seal });
    }
    // The project's copy of the log, so that deleting the output folder does not restart history.
    if (seal && logDirAbs) await writeStoredLog(logDirAbs, output, host.fs);
  }
  if (options.persistentCache && cache && !hasErrors(diagnostics)) {
    stage('cache-save');
    await saveBuildCache(host.fs, options.persistentCache, mode, cache, { redactor, output, namesKey });
  }
  return done({ config, content, output, seal, outDir: write ? config.outDirAbs : undefined });
}

/**
 * The collections and their schemas, made once per process: zod prepares a
 * schema's parser on its first use, so a new registry per build (every
 * \`stele dev\` rebuild) paid that again for every entry it validated.
 */
let collections: ReturnType<typeof createCollectionRegistry> | undefined;
function resolveCollections(): ReturnType<typeof createCollectionRegistry> {
  collections ??= createCollectionRegistry(advocacyCollectionFields);
  return collections;
}

/** A build warns when the seal it makes expires within this many days. */
export const SEAL_WARN_DAYS = 7;
/** Default life of a manifest without a timestamp key (`seal.expiresInDays`). */
export const DEFAULT_MANIFEST_DAYS = 30;

/**
 * Check diagnostics as the author should see them: one at the Markdown line
 * for an element of content (a derived zh-Hant page repeats its source's), and
 * output paths under the output folder's name (`dist/404.html`). A generated
 * page's broken link to a page the menu names but the site lacks is left out:
 * the site stage reported it once, at the menu entry (a link the author wrote
 * to it is still reported, at the Markdown line).
 */
function locateCheckDiagnostics(found: readonly Diagnostic[], config: ResolvedConfig, content: ContentSet, menuTargetsMissing?: ReadonlySet<string>): Diagnostic[] {
  const outPrefix = config.outDir.replace(/^\.\//, '').replace(/\/+$/, '');
  const sources = new Set(content.files);
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  let pages: Map<string, string> | undefined;
  for (const d of found) {
    if (d.file && sources.has(d.file)) {
      const key = `${d.file}:${d.line}:${d.column}:${d.code}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // A root-relative link in Markdown: name the source file to link instead.
      const url = d.code === CHECK_LINK_ROOT_RELATIVE.code ? /^"([^"]*)"/.exec(d.message)?.[1] : undefined;
      if (url !== undefined) {
        pages ??= new Map(content.entries.filter((e) => !e.derived).map((e) => [entryPath(e, config.defaultLanguage), e.file]));
        const target = url.replace(/[?#].*$/, '').replace(/^\/+/, '');
        const file = pages.get(target) ?? pages.get(`${target.replace(/\/+$/, '')}/index.html`);
        const fragment = /#.*$/.exec(url)?.[0] ?? '';
        if (file) d.hint = `Link to the page's Markdown file, relative to this one: \`${posix.relative(posix.dirname(d.file), file)}${fragment}\`; stele writes a relative URL that works everywhere, in each language.`;
        else d.hint = 'Link to the Markdown file of the page, relative to this one (for example `../pages/about.en.md`); stele writes a relative URL that works everywhere, in each language.';
      }
      out.push(d);
    } else if (!isMenuLinkToMissingPage(d, menuTargetsMissing)) out.push(d.file ? { ...d, file: `${outPrefix}/${d.file}` } : d);
  }
  return out;
}

function isMenuLinkToMissingPage(d: Diagnostic, targets: ReadonlySet<string> | undefined): boolean {
  if (!targets?.size || d.code !== CHECK_LINK_BROKEN.code) return false;
  return [...targets].some((t) => d.message.includes(`points to ${t}, which`));
}

/**
 * The page checks for a build whose content has errors: the valid entries are
 * laid out and hardened in memory, and only problems in elements the author
 * wrote (reported at the Markdown line) are kept. Generated pages of a
 * project with invalid content may be incomplete, so the rest waits for a clean run.
 */
async function checkAuthorElements(
  config: ResolvedConfig,
  content: ContentSet,
  rendered: Parameters<typeof createSite>[0]['rendered'],
  host: Host,
  resolveImage: Parameters<typeof createSite>[0]['resolveImage'],
  toTraditional: (text: string) => string,
  redirects: Parameters<typeof createSite>[0]['redirects'],
): Promise<Diagnostic[]> {
  let site: ReturnType<typeof createSite>;
  try {
    site = createSite({ config, content, rendered, now: host.now(), resolveImage, unsigned: true, toTraditional, redirects });
  } catch {
    // Invalid content the site stage does not expect: its own errors are already reported.
    return [];
  }
  hardenSite(site.output, { searchPages: new Set(site.searchPages), sourceMarks: site.sourceMarks });
  const sources = new Set(content.files);
  const found = await runChecks(site.output, { skipImageMetadata: true, sourceMarks: site.sourceMarks, searchPages: { paths: new Set(site.searchPages), script: SEARCH_BOOTSTRAP } });
  return locateCheckDiagnostics(found.filter((d) => d.file !== undefined && sources.has(d.file)), config, content);
}

/**
 * The SHA-256 of each file a written site's manifest lists (its files and server
 * configuration), by path; undefined when there is no manifest that parses. Not
 * verified: a caller may only use it to skip work that a verify then checks.
 */
async function readManifestDigests(dir: string, host: Host): Promise<ReadonlyMap<string, string> | undefined> {
  const text = await host.fs.readText(join(dir, MANIFEST_PATH)).catch(() => undefined);
  const parsed = text === undefined ? undefined : parseManifest(text);
  if (!parsed?.ok) return undefined;
  return new Map([...parsed.manifest.files, ...(parsed.manifest.serverConfig ?? [])].map((f) => [f.path, f.sha256]));
}

/** A stable digest of an output map (tests of determinism). */
export function digestOutput(output: OutputFiles): string {
  const h = createHash('sha256');
  for (const path of [...output.keys()].sort()) {
    h.update(path);
    h.update('\0');
    h.update(output.get(path)!);
  }
  return h.digest('hex');
}
