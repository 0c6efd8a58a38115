/**
 * `importExport`: the import stage. It streams a Blogger, Takeout or WordPress
 * export, writes posts and pages as Markdown into a content folder, the
 * redirect map and the import state, and reports what it imported and what it
 * skipped (with reasons). Everything is written to a temporary folder first
 * and moved into place only when the whole export was read, so a malformed
 * file leaves nothing behind. It knows nothing of render or site.
 */
import { basename, dirname, join, posix } from 'node:path';
import { LANGUAGES, type LanguageCode } from '../config/languages.js';
import { resolveConfig } from '../config/resolve-config.js';
import { containsHan } from '../content/chinese.js';
import {
  findEmailAddresses,
  formatImportState,
  formatRedirects,
  hashExcludedEmail,
  hashFileBytes,
  IMPORT_STATE_FILE,
  type ImportState,
  loadImportState,
  loadRedirects,
  REDIRECTS_FILE,
  type RedirectRule,
} from '../content/import-records.js';
import { RESERVED_SLUGS } from '../content/collection-registry.js';
import { slugify } from '../content/names.js';
import { CONTENT_FOLDERS, type FrontMatterFields, formatContentFile } from '../content/write-front-matter.js';
import { createDiagnostic } from '../errors/catalogue.js';
import { ImportFileConflict, ImportFileNotFound, ImportFormatMismatch, ImportItemSkipped, ImportRemoteImage, ImportRedirectSkipped, ImportUnknownFormat } from '../errors/codes-import.js';
import { type Diagnostic, hasErrors } from '../errors/diagnostic.js';
import type { Host } from '../io/host.js';
import { convertHtmlToMarkdown, htmlToText } from './html-to-markdown.js';
import { detectExportFormat, readBloggerRecord, readTakeoutRecord, readWordPressRecord, type WordPressState } from './read-formats.js';
import { readXmlRecords, type XmlNode } from './read-xml.js';
import type { ExportFormat, SkippedItem, SourceDocument, SourceRecord } from './types.js';

export type { ExportFormat } from './types.js';

/** Options for {@link importExport}. */
export interface ImportOptions {
  /** Absolute path of the export file. */
  file: string;
  /** Absolute path of the site folder (new or existing). */
  out: string;
  /** The format, when the user named it; detected from the file otherwise. */
  format?: ExportFormat;
  /** Absolute path of a folder with the blog's image files. */
  media?: string;
  /** Keep comments as a read-only archive (default true). */
  comments?: boolean;
  host: Host;
  /** Files of a new site besides the content (config, .gitignore), given the blog's title. */
  createSiteFiles?: (title: string) => Record<string, string>;
  /** Bytes read, bytes in total. */
  onProgress?: (bytes: number, total: number) => void;
}

/** The report of an import. */
export interface ImportReport {
  format?: ExportFormat;
  site: string;
  created: boolean;
  posts: number;
  pages: number;
  drafts: number;
  comments: number;
  commentsDropped: number;
  media: number;
  redirects: number;
  remoteImages: string[];
  skipped: SkippedItem[];
  written: string[];
  unchanged: string[];
  conflicts: string[];
}

/** The result: the report and every problem (errors mean nothing was written). */
export interface ImportResult {
  report: ImportReport;
  diagnostics: Diagnostic[];
}

interface DocumentMeta extends Omit<SourceDocument, 'html'> {
  spool: string;
  lang: 'en' | 'zh';
  summary?: string;
  links: string[];
  text: string;
}

interface CommentMeta {
  author: string;
  published?: string;
  text: string;
}

const IMAGE_EXT = /\.(jpe?g|png|gif|webp|avif|tiff?)$/i;

/** Chinese when Han characters carry more of the text than Latin letters (a Han character is about a word). */
export function detectLanguage(text: string): 'en' | 'zh' {
  if (!containsHan(text)) return 'en';
  const han = text.match(/[\u3400-\u9fff\uf900-\ufaff]/g)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return han * 3 >= latin ? 'zh' : 'en';
}

/** The original-size URL of a Blogger image (`…/s640/x.jpg` → `…/s1600/x.jpg`, `=s640` → `=s0`). */
export function resolveOriginalImageUrl(src: string): string {
  if (!/(?:blogspot|blogger|googleusercontent|bp\.blogspot)\.com/i.test(src)) return src;
  return src.replace(/\/(?:s|w|h)\d+(?:-[a-z0-9-]*)?\//i, '/s1600/').replace(/=(?:s|w|h)\d+(?:-[a-z0-9-]*)?$/i, '=s0');
}

/** The file name an image URL refers to, without Blogger size segments or queries. */
function imageFileName(src: string): string {
  let path = src;
  try {
    path = new URL(src, 'http://x/').pathname;
  } catch {
    // keep
  }
  let name = path.split('/').pop() ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // keep
  }
  return name.replace(/=[a-z]\d+.*$/i, '').toLowerCase();
}

function safeMediaName(name: string): string {
  const ext = (/\.[a-z0-9]+$/i.exec(name)?.[0] ?? '').toLowerCase();
  return `${slugify(name.slice(0, name.length - ext.length)) || 'image'}${ext}`;
}

function emptyReport(site: string): ImportReport {
  return { site, created: false, posts: 0, pages: 0, drafts: 0, comments: 0, commentsDropped: 0, media: 0, redirects: 0, remoteImages: [], skipped: [], written: [], unchanged: [], conflicts: [] };
}

/** The path (and query) of an old URL, or undefined for the site root. */
function oldPath(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url, 'http://old.invalid/');
  } catch {
    return undefined;
  }
  const path = `${u.pathname}${u.search}`;
  return path === '/' ? undefined : path;
}

function normaliseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host.replace(/^www\./, '')}${u.pathname.replace(/\/$/, '')}${u.search}`;
  } catch {
    return url;
  }
}

/**
 * A copy of `text` that shares no memory with the string it was cut from. V8
 * keeps a whole parent string alive for any slice of it: a title sliced from a
 * 1 MB chunk of the export would keep the chunk, and the import's memory would
 * grow with the export instead of staying flat.
 */
function detachString(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** {@link detachString} on every string (and string array) field of a record. */
function detachStrings<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = typeof value === 'string' ? detachString(value) : Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? detachString(v) : v)) : value;
  }
  return out as T;
}

/** Replace every excluded e-mail address in `text`. */
function redactEmails(text: string, excluded: Set<string>): string {
  let out = text;
  for (const { email } of findEmailAddresses(text).reverse()) if (excluded.has(hashExcludedEmail(email))) out = out.split(email).join('[e-mail address removed]');
  return out;
}

/** Import an export into a site folder. */
export async function importExport(options: ImportOptions): Promise<ImportResult> {
  const { host, out } = options;
  const fs = host.fs;
  const report = emptyReport(out);
  const diagnostics: Diagnostic[] = [];
  const keepComments = options.comments !== false;
  if (!(await fs.exists(options.file))) return { report, diagnostics: [createDiagnostic(ImportFileNotFound, {}, options.file)] };
  // An earlier run killed while moving its files into place is completed first.
  const resumed = await completePendingImport(out, host);
  if (resumed.length) host.log.warn(`import: completed an earlier import that was cut short (${resumed.length} file(s) moved into place)`);

  // The site: an existing stele project, or a new one.
  const existing = ['stele.config.ts', 'stele.config.mjs', 'stele.config.js', 'stele.config.json'];
  let isExisting = false;
  for (const name of existing) if (await fs.exists(join(out, name))) isExisting = true;
  let contentRel = 'content';
  let defaultLanguage: LanguageCode = 'en';
  let languages: LanguageCode[] = ['en', 'zh-Hans'];
  if (isExisting) {
    const { config, diagnostics: configProblems } = await resolveConfig(out, host);
    if (!config) return { report, diagnostics: configProblems };
    contentRel = posix.relative(out.split('\\').join('/'), config.contentDirAbs.split('\\').join('/')) || 'content';
    defaultLanguage = config.defaultLanguage;
    languages = config.languages;
  }
  const previous: ImportState = await loadImportState(out, host);
  const previousRedirects = (await loadRedirects(out, host)).redirects;

  // Media files by name.
  const media = new Map<string, string>();
  if (options.media) for (const rel of await fs.listFiles(options.media)) if (IMAGE_EXT.test(rel)) media.set(imageFileName(rel), join(options.media, rel));

  const tmp = join(dirname(out), `.${basename(out)}.import-${process.pid}-${host.now().getTime()}`);
  let keepTmp = false;
  const spoolDir = join(tmp, 'spool');
  const siteDir = join(tmp, 'site');
  await fs.rm(tmp);
  await fs.mkdir(spoolDir);
  await fs.mkdir(siteDir);
  try {
    // ---- Phase 1: stream the export; bodies go to spool files, metadata stays in memory.
    let format: ExportFormat | undefined;
    let rootName = '';
    const wpState: WordPressState = { categoryParents: new Map() };
    const documents: DocumentMeta[] = [];
    const comments = new Map<string, CommentMeta[]>();
    const excluded = new Set<string>(previous.excludedEmails);
    const attachments = new Map<string, string>();
    const usedMedia = new Map<string, string>(); // media source path → content-relative name
    const remote = new Set<string>();
    let siteTitle = '';
    /** The old blog's host (from the export's own link): links to other hosts cannot pair translations. */
    let siteHost = '';
    let spoolCount = 0;

    const resolveImage = (src: string, alt: string): string => {
      const original = resolveOriginalImageUrl(src);
      // WordPress serves resized copies as name-1024x768.jpg; the media folder holds name.jpg.
      const local = media.get(imageFileName(src)) ?? media.get(imageFileName(original)) ?? media.get(imageFileName(src).replace(/-\d+x\d+(\.[a-z0-9]+)$/, '$1'));
      const label = alt || imageFileName(src).replace(/\.[a-z0-9]+$/i, '').replace(/[-_]+/g, ' ') || 'image';
      if (local) {
        let name = usedMedia.get(local);
        if (!name) {
          name = safeMediaName(basename(local));
          const taken = new Set(usedMedia.values());
          for (let i = 2; taken.has(name); i++) name = name.replace(/(-\d+)?(\.[a-z0-9]+)$/, `-${i}$2`);
          usedMedia.set(local, name);
        }
        return `![${label.replace(/[[\]\\]/g, '\\$&')}](../media/${name})`;
      }
      if (/^https?:\/\//i.test(original) || original.startsWith('//')) {
        const url = original.startsWith('//') ? `https:${original}` : original;
        remote.add(detachString(url));
        return `[${`Image: ${label}`.replace(/[[\]\\]/g, '\\$&')}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
      }
      return `[${label.replace(/[[\]\\]/g, '\\$&')}]`;
    };

    const handle = async (records: SourceRecord[]) => {
      for (const r of records) {
        if (r.type === 'document') {
          const d = r.document;
          const converted = convertHtmlToMarkdown(d.html, resolveImage);
          const spool = join(spoolDir, `${spoolCount++}.md`);
          await fs.writeFile(spool, converted.markdown);
          const text = `${d.title}\n${htmlToText(d.html).slice(0, 20_000)}`;
          const { html: _html, ...rest } = d;
          documents.push(
            detachStrings({
              ...rest,
              spool,
              lang: d.declaredLanguage ?? detectLanguage(text),
              // Kept per post until the end: only what pairing and naming need.
              links: converted.links.map(normaliseUrl).filter((l) => !siteHost || l.startsWith(siteHost)),
              text: d.title.trim() ? '' : text.slice(0, 400),
              ...(converted.summary ? { summary: converted.summary } : {}),
            }),
          );
        } else if (r.type === 'comment') {
          if (r.email) excluded.add(hashExcludedEmail(r.email));
          if (!keepComments) {
            report.commentsDropped += 1;
            continue;
          }
          const list = comments.get(r.comment.postId) ?? [];
          list.push(detachStrings({ author: r.comment.author, ...(r.comment.published ? { published: r.comment.published } : {}), text: htmlToText(r.comment.html) }));
          comments.set(r.comment.postId, list);
        } else if (r.type === 'email') excluded.add(hashExcludedEmail(r.email));
        else if (r.type === 'attachment') attachments.set(detachString(r.attachment.url), detachString(r.attachment.title));
        else if (r.type === 'skipped') report.skipped.push(detachStrings(r.skipped));
        else if (r.type === 'site') {
          if (r.title && !siteTitle) siteTitle = r.title;
          if (r.url && !siteHost) siteHost = detachString(normaliseUrl(r.url).split('/')[0] ?? '');
        }
      }
    };

    const opened = await fs.openRead(options.file);
    const parseProblems = await readXmlRecords(opened.chunks, opened.size, options.file, {
      onRoot: (root) => {
        rootName = root.name;
        format = detectExportFormat(root);
        return format !== undefined && (options.format === undefined || options.format === format);
      },
      containerOf: (root) => (root.name === 'rss' ? 'channel' : root.name),
      onRecord: (node: XmlNode) =>
        handle(format === 'wordpress' ? readWordPressRecord(node, wpState) : format === 'takeout' ? readTakeoutRecord(node) : readBloggerRecord(node)),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    if (!parseProblems.length && rootName && !format) parseProblems.push(createDiagnostic(ImportUnknownFormat, { file: options.file, line: 1 }, rootName));
    if (!parseProblems.length && format && options.format && options.format !== format) {
      parseProblems.push(createDiagnostic(ImportFormatMismatch, { file: options.file, line: 1 }, options.format, format));
    }
    report.format = format;
    if (hasErrors(parseProblems)) return { report: { ...emptyReport(out), format }, diagnostics: parseProblems };

    // ---- Phase 2: languages, translations, file names, comments, redirects.
    const defaultCode: 'en' | 'zh' = defaultLanguage === 'en' ? 'en' : 'zh';
    const hasLanguage = (lang: 'en' | 'zh') => languages.includes(lang === 'en' ? 'en' : 'zh-Hans');
    const usable: DocumentMeta[] = [];
    for (const d of documents) {
      if (hasLanguage(d.lang)) usable.push(d);
      else report.skipped.push({ what: `${d.kind} ${JSON.stringify(d.title)}`, reason: `it is in ${d.lang === 'en' ? 'English' : 'Chinese'}, which the site's languages do not include`, line: d.line });
    }
    // Translation pairs: the source's own groups (Polylang), else two entries that link to each other.
    const partner = new Map<DocumentMeta, DocumentMeta>();
    const byGroup = new Map<string, DocumentMeta[]>();
    for (const d of usable) if (d.translationGroup) byGroup.set(d.translationGroup, [...(byGroup.get(d.translationGroup) ?? []), d]);
    for (const group of byGroup.values()) {
      const en = group.find((d) => d.lang === 'en');
      const zh = group.find((d) => d.lang === 'zh');
      if (en && zh && en.kind === zh.kind) {
        partner.set(en, zh);
        partner.set(zh, en);
      }
    }
    const byUrl = new Map<string, DocumentMeta>();
    for (const d of usable) for (const u of d.oldUrls) if (/^https?:/i.test(u)) byUrl.set(normaliseUrl(u), d);
    for (const d of usable) {
      if (partner.has(d)) continue;
      for (const link of d.links) {
        const other = byUrl.get(normaliseUrl(link));
        if (!other || other === d || other.lang === d.lang || other.kind !== d.kind || partner.has(other)) continue;
        if (other.links.some((l) => d.oldUrls.some((u) => normaliseUrl(u) === normaliseUrl(l)))) {
          partner.set(d, other);
          partner.set(other, d);
          break;
        }
      }
    }

    // File names: one base per translation group, unique per collection.
    const taken = new Set<string>();
    for (const rel of await fs.listFiles(join(out, contentRel)).catch(() => [] as string[])) {
      const m = /^(posts|pages)\/(?:\d{4}-\d{2}-\d{2}-)?([^/.]+)\./.exec(rel);
      if (m && !previous.files[`${contentRel}/${rel}`]) taken.add(`${m[1]}/${m[2]}`);
    }
    const fileOf = new Map<DocumentMeta, string>();
    const now = host.now().toISOString().slice(0, 10);
    for (const d of usable) {
      if (fileOf.has(d)) continue;
      const pair = partner.get(d);
      const lead = pair && pair.lang === defaultCode ? pair : d;
      const folder = CONTENT_FOLDERS[lead.kind];
      let slug = slugify(lead.slug ?? '') || slugify(lead.title) || (pair ? slugify(pair.title) : '') || `${lead.kind}-${slugify(lead.id.replace(/^.*[.-]/, '')) || 'untitled'}`;
      if (lead.kind === 'page' && RESERVED_SLUGS.has(slug)) slug = `${slug}-page`;
      const baseSlug = slug;
      for (let i = 2; taken.has(`${folder}/${slug}`); i++) slug = `${baseSlug}-${i}`;
      taken.add(`${folder}/${slug}`);
      const date = (lead.published ?? lead.updated ?? pair?.published ?? now).slice(0, 10);
      const base = lead.kind === 'post' ? `${date}-${slug}` : slug;
      for (const doc of pair ? [d, pair] : [d]) {
        const suffix = LANGUAGES[doc.lang === 'en' ? 'en' : 'zh-Hans'].suffixes[0];
        fileOf.set(doc, `${contentRel}/${folder}/${base}.${suffix}.md`);
      }
    }

    // The content files, produced one at a time when they are written: bodies stay in
    // their spool files until then, so memory holds metadata, not the blog.
    const files = new Map<string, () => Promise<string | Uint8Array>>();
    for (const d of usable) {
      const rel = fileOf.get(d)!;
      const title = d.title.trim() || d.text.replace(/\s+/g, ' ').trim().slice(d.title.length).trim().split(' ').slice(0, 8).join(' ').slice(0, 80) || `Untitled (${(d.published ?? now).slice(0, 10)})`;
      const own = keepComments ? (comments.get(d.id) ?? []) : [];
      comments.delete(d.id);
      const date = d.published ?? d.updated ?? (d.kind === 'post' ? now : undefined);
      const fields: FrontMatterFields = {
        title,
        date: d.kind === 'post' || d.published ? normaliseDate(date) : undefined,
        updated: d.updated && d.published && d.updated.slice(0, 19) > d.published.slice(0, 19) ? normaliseDate(d.updated) : undefined,
        tags: [...new Set(d.tags.map((t) => t.replace(/\s+/g, ' ').trim().slice(0, 60)).filter(Boolean))],
        summary: d.summary ? redactEmails(d.summary, excluded) : undefined,
        draft: d.draft ? true : undefined,
        comments: own.length
          ? own
              .sort((a, b) => ((a.published ?? '') < (b.published ?? '') ? -1 : (a.published ?? '') > (b.published ?? '') ? 1 : 0))
              .map((c) => ({ author: redactEmails(c.author, excluded).slice(0, 120), date: c.published ? normaliseDate(c.published) : undefined, text: redactEmails(c.text, excluded) }))
          : undefined,
      };
      files.set(rel, async () => formatContentFile(fields, redactEmails(await fs.readText(d.spool), excluded) || '\n'));
      if (d.kind === 'post') report.posts += 1;
      else report.pages += 1;
      if (d.draft) report.drafts += 1;
      report.comments += own.length;
    }
    for (const [postId, list] of comments) {
      report.skipped.push({ what: `${list.length} comment(s) on ${postId}`, reason: 'their post or page is not in the export or was not imported', line: 0 });
    }
    for (const [source, name] of usedMedia) files.set(`${contentRel}/media/${name}`, () => fs.readFile(source));
    report.media = usedMedia.size;
    for (const [url, title] of attachments) {
      const used = [...usedMedia.keys()].some((p) => imageFileName(p) === imageFileName(url));
      if (!used) report.skipped.push({ what: `attachment ${JSON.stringify(title || imageFileName(url))}`, reason: 'no imported post shows it', line: 0 });
    }
    report.remoteImages = [...remote].sort();

    // Redirects: every public old URL → its content file.
    const redirects = new Map<string, RedirectRule>(previousRedirects.map((r) => [r.from, r]));
    for (const d of usable) {
      if (d.draft) continue;
      for (const url of d.oldUrls) {
        const from = oldPath(url);
        if (!from) continue;
        if (!/^\/[\x21-\x7e]*$/.test(from) || from.includes('..')) {
          diagnostics.push(createDiagnostic(ImportRedirectSkipped, { file: options.file, line: d.line }, from, 'it has characters a server rule cannot hold safely'));
          continue;
        }
        redirects.set(from, { from, to: fileOf.get(d)! });
      }
    }
    report.redirects = [...redirects.values()].filter((r) => [...fileOf.values()].includes(r.to)).length;
    const redirectsText = formatRedirects([...redirects.values()]);
    files.set(REDIRECTS_FILE, async () => redirectsText);

    // New site: config and friends.
    if (!isExisting) {
      report.created = true;
      for (const [rel, text] of Object.entries(options.createSiteFiles?.(siteTitle) ?? {})) files.set(rel, async () => text);
    }

    // ---- Commit: never overwrite what the user changed since the last import.
    const state: ImportState = { files: { ...previous.files }, excludedEmails: [...excluded], remoteImages: [...new Set([...previous.remoteImages, ...remote])] };
    const toMove: string[] = [];
    for (const [rel, produce] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const data = await produce();
      const hash = hashFileBytes(data);
      const target = join(out, rel);
      const merged = rel === REDIRECTS_FILE;
      if (await fs.exists(target)) {
        const current = hashFileBytes(await fs.readFile(target));
        if (current === hash) {
          report.unchanged.push(rel);
          state.files[rel] = hash;
          continue;
        }
        if (!merged && previous.files[rel] !== current) {
          report.conflicts.push(rel);
          diagnostics.push(createDiagnostic(ImportFileConflict, { file: rel }, rel));
          continue;
        }
      }
      await fs.mkdir(dirname(join(siteDir, rel)));
      await fs.writeFile(join(siteDir, rel), data);
      toMove.push(rel);
      state.files[rel] = hash;
    }
    const stateText = formatImportState(state);
    await fs.mkdir(dirname(join(siteDir, IMPORT_STATE_FILE)));
    await fs.writeFile(join(siteDir, IMPORT_STATE_FILE), stateText);
    toMove.push(IMPORT_STATE_FILE);
    if (!(await fs.exists(out))) {
      // A new site appears in one rename.
      await fs.mkdir(dirname(out));
      await fs.rename(siteDir, out);
    } else {
      // An existing site: the journal names every move before the first one, so a
      // run cut short is completed by the next one (`completePendingImport`).
      keepTmp = true;
      const journal = join(out, PENDING_IMPORT_FILE);
      await fs.mkdir(dirname(journal));
      await fs.writeFile(`${journal}.tmp`, `${JSON.stringify({ from: siteDir, files: toMove }, null, 2)}\n`);
      await fs.rename(`${journal}.tmp`, journal);
      for (const [i, rel] of toMove.entries()) {
        await fs.mkdir(dirname(join(out, rel)));
        await fs.rename(join(siteDir, rel), join(out, rel));
        if (i === 0 && process.env.STELE_TEST_KILL_AT === 'import-switch') process.kill(process.pid, 'SIGKILL');
      }
      await fs.rm(journal);
      keepTmp = false;
    }
    report.written = toMove.filter((r) => r !== IMPORT_STATE_FILE);

    for (const s of report.skipped) diagnostics.push(createDiagnostic(ImportItemSkipped, { file: options.file, ...(s.line ? { line: s.line } : {}), ...(s.line && s.column ? { column: s.column } : {}) }, s.what, s.reason));
    for (const url of report.remoteImages) diagnostics.push(createDiagnostic(ImportRemoteImage, { file: options.file }, url));
    return { report, diagnostics };
  } finally {
    // A switch that failed half-way keeps its files for the next run to complete.
    if (!keepTmp) await fs.rm(tmp);
  }
}

/** Project-relative path of the journal of an import being moved into place. */
export const PENDING_IMPORT_FILE = '.stele/import-pending.json';

/**
 * Complete an import that was cut short while moving its files into an
 * existing site (killed, power lost): every file the journal names that is
 * still in the temporary folder is moved into place, then the journal and the
 * folder are removed. Returns the project-relative files moved (none when
 * nothing was pending).
 */
export async function completePendingImport(out: string, host: Host): Promise<string[]> {
  const fs = host.fs;
  const journal = join(out, PENDING_IMPORT_FILE);
  if (!(await fs.exists(journal))) return [];
  let pending: { from?: unknown; files?: unknown };
  try {
    pending = JSON.parse(await fs.readText(journal)) as typeof pending;
  } catch {
    pending = {};
  }
  const moved: string[] = [];
  const from = typeof pending.from === 'string' ? pending.from : '';
  // Only a temporary folder of this site's imports is trusted as a source.
  const ours = from && dirname(dirname(from)) === dirname(out) && basename(dirname(from)).startsWith(`.${basename(out)}.import-`) && basename(from) === 'site';
  if (ours && Array.isArray(pending.files)) {
    for (const rel of pending.files) {
      if (typeof rel !== 'string' || rel.split('/').some((s) => s === '..' || s === '')) continue;
      if (!(await fs.exists(join(from, rel)))) continue;
      await fs.mkdir(dirname(join(out, rel)));
      await fs.rename(join(from, rel), join(out, rel));
      moved.push(rel);
    }
  }
  if (ours) await fs.rm(dirname(from));
  await fs.rm(journal);
  return moved;
}

/** An ISO date-time the front-matter schema accepts (`2012-02-14T10:00:00.000+08:00` as is; a bare date kept). */
function normaliseDate(date: string | undefined): string | undefined {
  if (!date) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(date.trim());
  if (m) return `${m[1]}T${m[2]}${m[3] ? m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z'}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(date.trim())) return date.trim();
  const parsed = Date.parse(date);
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
