/** Types shared by the import readers and writer. */

/** Export formats `stele import` reads. */
export type ExportFormat = 'blogger' | 'takeout' | 'wordpress';

/** A post or page read from an export, before it becomes a content file. */
export interface SourceDocument {
  kind: 'post' | 'page';
  /** Identifier in the export (Blogger entry id, WordPress post id). */
  id: string;
  /** Line of the record in the export. */
  line: number;
  title: string;
  html: string;
  /** ISO date-time with offset. */
  published?: string;
  updated?: string;
  draft: boolean;
  tags: string[];
  /** Old public URLs and paths (absolute URLs or `/path`, `/?p=1`) that must keep working. */
  oldUrls: string[];
  /** Slug the source used (WordPress post_name, Blogger file name). */
  slug?: string;
  /** Parent page id (WordPress pages). */
  parentId?: string;
  /** Translation group in the source (WordPress Polylang `post_translations`). */
  translationGroup?: string;
  /** Language the source declares (Polylang `language` term), if any. */
  declaredLanguage?: 'en' | 'zh';
}

/** A comment, reduced to what may be published: never an e-mail or IP address. */
export interface SourceComment {
  /** The post or page it belongs to (its `SourceDocument.id`). */
  postId: string;
  author: string;
  published?: string;
  html: string;
}

/** Something the export holds that is not imported, with the reason. */
export interface SkippedItem {
  what: string;
  reason: string;
  line: number;
  /** Column of the record's start tag, when known. */
  column?: number | undefined;
}

/** An attachment (WordPress media library item). */
export interface SourceAttachment {
  id: string;
  url: string;
  title: string;
}

/** Everything a reader emits for one record. */
export type SourceRecord =
  | { type: 'document'; document: SourceDocument }
  | { type: 'comment'; comment: SourceComment; email?: string }
  | { type: 'attachment'; attachment: SourceAttachment }
  | { type: 'skipped'; skipped: SkippedItem }
  /** E-mail addresses seen in records that were not imported (spam, deleted): excluded all the same. */
  | { type: 'email'; email: string }
  | { type: 'site'; title?: string; url?: string }
  | { type: 'none' };
