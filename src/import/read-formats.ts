/**
 * The three export formats, record by record: Blogger's classic export (Atom
 * with `kind#…` categories), Google Takeout's Blogger `feed.atom` (the
 * `blogger:` 2018 namespace) and WordPress WXR 1.1/1.2. Each reader turns one
 * XML record into source records. GPS data (`georss:*`, `blogger:location`,
 * `geo_*` post meta) and IP addresses are never read; e-mail addresses are read
 * only to put them on the exclusion list.
 */
import { childOf, childrenOf, textOf, type XmlNode, type XmlRoot } from './read-xml.js';
import type { ExportFormat, SourceRecord } from './types.js';

const ATOM = 'http://www.w3.org/2005/Atom';
const KIND_SCHEME = 'http://schemas.google.com/g/2005#kind';
const LABEL_SCHEME = 'http://www.blogger.com/atom/ns#';
const TAKEOUT_NS = 'http://schemas.google.com/blogger/2018';
const WP_NS = 'http://wordpress.org/export/';
const NOREPLY = /^noreply@blogger\.com$/i;

/** Which format a root element belongs to, or undefined. */
export function detectExportFormat(root: XmlRoot): ExportFormat | undefined {
  const uris = Object.values(root.namespaces);
  if (root.name === 'rss' && uris.some((u) => u.startsWith(WP_NS))) return 'wordpress';
  if (root.name === 'feed' && root.uri === ATOM) return uris.includes(TAKEOUT_NS) ? 'takeout' : 'blogger';
  return undefined;
}

/** A short description of a record for the report. */
function describe(kind: string, title: string, id: string): string {
  const t = title.trim();
  return `${kind} ${t ? JSON.stringify(t.length > 60 ? `${t.slice(0, 57)}…` : t) : `(untitled, ${id})`}`;
}

function atomHtml(node: XmlNode): string {
  const content = childOf(node, 'content', ATOM);
  if (!content) return '';
  if ((content.attrs.type ?? 'text') === 'text') return escapeText(content.text);
  return content.text;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function atomTitle(node: XmlNode): string {
  const title = childOf(node, 'title', ATOM);
  if (!title) return '';
  // A title of type html carries markup: keep only its text.
  return title.attrs.type === 'html' ? title.text.replace(/<[^>]*>/g, '') : title.text;
}

function authorEmail(node: XmlNode): string | undefined {
  const email = textOf(childOf(node, 'author', ATOM) ?? { uri: '', name: '', attrs: {}, text: '', children: [], line: 0 }, 'email', ATOM).trim();
  return email && !NOREPLY.test(email) ? email : undefined;
}

function authorName(node: XmlNode): string {
  const author = childOf(node, 'author', ATOM);
  return (author ? textOf(author, 'name', ATOM) : '').trim() || 'Anonymous';
}

/** Read one child of a Blogger classic export `<feed>`. */
export function readBloggerRecord(node: XmlNode): SourceRecord[] {
  if (node.uri !== ATOM) return [];
  if (node.name === 'title') return [{ type: 'site', title: node.text.trim() }];
  if (node.name === 'link' && node.attrs.rel === 'alternate') return [{ type: 'site', url: node.attrs.href }];
  if (node.name !== 'entry') return [];
  const id = textOf(node, 'id', ATOM);
  const title = atomTitle(node);
  const categories = childrenOf(node, 'category', ATOM);
  const kind = categories.find((c) => c.attrs.scheme === KIND_SCHEME)?.attrs.term?.replace(/^.*#/, '');
  if (kind === 'settings') return [{ type: 'none' }];
  if (kind === 'template') return [{ type: 'skipped', skipped: { what: 'the Blogger template', reason: 'stele has its own theme', line: node.line, column: node.column } }];
  if (kind === 'comment') {
    const reply = childOf(node, 'in-reply-to');
    const email = authorEmail(node);
    if (!reply?.attrs.ref) {
      return [
        { type: 'skipped', skipped: { what: describe('comment', title, id), reason: 'it does not say which post it belongs to', line: node.line, column: node.column } },
        ...(email ? [{ type: 'email' as const, email }] : []),
      ];
    }
    return [
      {
        type: 'comment',
        comment: { postId: reply.attrs.ref, author: authorName(node), published: textOf(node, 'published', ATOM) || undefined, html: atomHtml(node) },
        ...(email ? { email } : {}),
      },
    ];
  }
  if (kind !== 'post' && kind !== 'page') {
    return [{ type: 'skipped', skipped: { what: describe('entry', title, id), reason: `unknown Blogger entry kind ${JSON.stringify(kind ?? '(none)')}`, line: node.line, column: node.column } }];
  }
  const control = childOf(node, 'control');
  const draft = control ? /^yes$/i.test(textOf(control, 'draft').trim()) : false;
  const alternate = childrenOf(node, 'link', ATOM).find((l) => l.attrs.rel === 'alternate' && l.attrs.href);
  const oldUrls = alternate ? [alternate.attrs.href!] : [];
  const slug = alternate ? /\/([^/]+?)(?:\.html?)?$/.exec(new URL(alternate.attrs.href!, 'http://x/').pathname)?.[1] : undefined;
  return [
    {
      type: 'document',
      document: {
        kind,
        id,
        line: node.line,
        title,
        html: atomHtml(node),
        published: textOf(node, 'published', ATOM) || undefined,
        updated: textOf(node, 'updated', ATOM) || undefined,
        draft,
        tags: categories.filter((c) => c.attrs.scheme === LABEL_SCHEME && c.attrs.term).map((c) => c.attrs.term!.trim()),
        oldUrls: draft ? [] : oldUrls,
        ...(slug ? { slug } : {}),
      },
    },
  ];
}

/** Read one child of a Google Takeout Blogger `feed.atom`. */
export function readTakeoutRecord(node: XmlNode): SourceRecord[] {
  if (node.uri !== ATOM) return [];
  if (node.name === 'title') return [{ type: 'site', title: node.text.trim() }];
  if (node.name !== 'entry') return [];
  const id = textOf(node, 'id', ATOM);
  const title = atomTitle(node);
  const type = textOf(node, 'type', TAKEOUT_NS).trim().toUpperCase();
  const status = textOf(node, 'status', TAKEOUT_NS).trim().toUpperCase();
  const email = authorEmail(node);
  const emails: SourceRecord[] = email ? [{ type: 'email', email }] : [];
  const kind = type === 'POST' ? 'post' : type === 'PAGE' ? 'page' : type === 'COMMENT' ? 'comment' : undefined;
  if (!kind) return [{ type: 'skipped', skipped: { what: describe('entry', title, id), reason: `unknown blogger:type ${JSON.stringify(type)}`, line: node.line, column: node.column } }, ...emails];
  if (status !== 'LIVE' && !(status === 'DRAFT' && kind !== 'comment')) {
    const reason =
      status === 'DELETED' ? 'it was deleted on Blogger' : status === 'SOFT_TRASHED' ? 'it is in the Blogger trash' : status === 'DRAFT' ? 'it is an unpublished comment' : `its status is ${status || '(none)'}`;
    return [{ type: 'skipped', skipped: { what: describe(kind, title, id), reason, line: node.line, column: node.column } }, ...emails];
  }
  const created = textOf(node, 'created', TAKEOUT_NS) || undefined;
  if (kind === 'comment') {
    const parent = textOf(node, 'parent', TAKEOUT_NS).trim();
    if (!parent) return [{ type: 'skipped', skipped: { what: describe('comment', title, id), reason: 'it has no blogger:parent', line: node.line, column: node.column } }, ...emails];
    return [{ type: 'comment', comment: { postId: parent, author: authorName(node), published: textOf(node, 'published', ATOM) || created, html: atomHtml(node) }, ...(email ? { email } : {}) }];
  }
  const draft = status === 'DRAFT';
  const filename = textOf(node, 'filename', TAKEOUT_NS).trim();
  const slug = filename ? /\/([^/]+?)(?:\.html?)?$/.exec(filename)?.[1] : undefined;
  return [
    {
      type: 'document',
      document: {
        kind,
        id,
        line: node.line,
        title,
        html: atomHtml(node),
        published: textOf(node, 'published', ATOM) || created,
        updated: textOf(node, 'updated', ATOM) || undefined,
        draft,
        tags: childrenOf(node, 'category', ATOM)
          .map((c) => (c.attrs.term ?? '').trim())
          .filter(Boolean),
        oldUrls: !draft && filename ? [filename] : [],
        ...(slug ? { slug } : {}),
      },
    },
    ...emails,
  ];
}

/** WordPress `YYYY-MM-DD HH:MM:SS` (GMT) → ISO, or undefined for the all-zero date of drafts. */
function wpDate(text: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(text.trim());
  if (!m || m[1] === '0000-00-00') return undefined;
  return `${m[1]}T${m[2]}Z`;
}

/** WordPress stores classic-editor posts without paragraphs; `wpautop` adds them when displaying. */
function applyAutoParagraphs(html: string): string {
  if (/<!--\s*wp:/.test(html) || /<p[\s>]/i.test(html)) return html;
  const blocks = html.replace(/\r\n/g, '\n').split(/\n\s*\n/);
  return blocks
    .map((b) => b.trim())
    .filter(Boolean)
    .map((b) => (/^<(?:h[1-6]|ul|ol|table|blockquote|pre|div|figure|hr|\[caption)/i.test(b) ? b : `<p>${b.replace(/\n/g, '<br>\n')}</p>`))
    .join('\n');
}

/** Channel-level WordPress state the item reader needs: categories and their parents. */
export interface WordPressState {
  categoryParents: Map<string, { name: string; parent: string }>;
}

/** Read one child of a WXR `<channel>`. */
export function readWordPressRecord(node: XmlNode, state: WordPressState): SourceRecord[] {
  const wp = node.uri.startsWith(WP_NS);
  if (!wp && node.name === 'title') return [{ type: 'site', title: node.text.trim() }];
  if (!wp && node.name === 'link') return [{ type: 'site', url: node.text.trim() }];
  if (wp && node.name === 'category') {
    const nicename = textOf(node, 'category_nicename').trim();
    state.categoryParents.set(nicename, { name: textOf(node, 'cat_name').trim() || nicename, parent: textOf(node, 'category_parent').trim() });
    return [{ type: 'none' }];
  }
  if (wp || node.name !== 'item') return [];
  const id = textOf(node, 'post_id', WP_NS).trim();
  const title = textOf(node, 'title').trim();
  const type = textOf(node, 'post_type', WP_NS).trim();
  const status = textOf(node, 'status', WP_NS).trim();
  const records: SourceRecord[] = [];
  // Comments first: their authors' addresses are excluded whatever happens to the post.
  const comments = childrenOf(node, 'comment', WP_NS);
  for (const c of comments) {
    const email = textOf(c, 'comment_author_email', WP_NS).trim();
    if (email) records.push({ type: 'email', email });
  }
  if (type === 'attachment') {
    const url = textOf(node, 'attachment_url', WP_NS).trim();
    if (url) records.push({ type: 'attachment', attachment: { id, url, title } });
    return records;
  }
  const what = describe(type === 'page' ? 'page' : 'post', title, id);
  if (type !== 'post' && type !== 'page') {
    records.push({ type: 'skipped', skipped: { what: describe(type || 'item', title, id), reason: `WordPress item type ${JSON.stringify(type)} is not content stele imports`, line: node.line, column: node.column } });
    return records;
  }
  const skip = (reason: string) => {
    records.push({ type: 'skipped', skipped: { what, reason, line: node.line, column: node.column } });
    if (comments.length) records.push({ type: 'skipped', skipped: { what: `${comments.length} comment(s) on ${what}`, reason: 'their post was not imported', line: node.line, column: node.column } });
    return records;
  };
  if (status === 'trash') return skip('it is in the WordPress trash');
  if (status === 'private') return skip('it is private in WordPress, so it is not published');
  if (status === 'auto-draft') return skip('it is an automatic draft WordPress saved');
  if (status === 'inherit') return skip('it is a revision');
  if (textOf(node, 'post_password', WP_NS).trim()) return skip('it is password-protected in WordPress; a static site cannot protect it');
  const draft = status !== 'publish';
  const tags: string[] = [];
  let translationGroup: string | undefined;
  let declaredLanguage: 'en' | 'zh' | undefined;
  for (const c of childrenOf(node, 'category')) {
    const domain = c.attrs.domain ?? '';
    const name = c.text.trim();
    if (domain === 'category') {
      // A category brings its parents: "China" under "Asia" tags the post with both.
      const chain: string[] = [];
      let nicename = c.attrs.nicename ?? '';
      let seen = 0;
      while (nicename && seen++ < 20) {
        const cat = state.categoryParents.get(nicename);
        if (!cat) break;
        chain.unshift(cat.name);
        nicename = cat.parent;
      }
      if (!chain.length) chain.push(name);
      for (const n of chain) if (n && n !== 'Uncategorized' && !tags.includes(n)) tags.push(n);
    } else if (domain === 'post_tag') {
      if (name && !tags.includes(name)) tags.push(name);
    } else if (domain === 'post_translations') translationGroup = c.attrs.nicename || name;
    else if (domain === 'language') {
      const code = (c.attrs.nicename ?? name).toLowerCase();
      declaredLanguage = code.startsWith('zh') ? 'zh' : code.startsWith('en') ? 'en' : undefined;
    }
  }
  const link = textOf(node, 'link').trim();
  const oldUrls = draft ? [] : [...(link ? [link] : []), ...(id ? [`/?${type === 'page' ? 'page_id' : 'p'}=${id}`] : [])];
  let slug = textOf(node, 'post_name', WP_NS).trim();
  try {
    slug = decodeURIComponent(slug);
  } catch {
    // keep as is
  }
  const parentId = textOf(node, 'post_parent', WP_NS).trim();
  records.push({
    type: 'document',
    document: {
      kind: type,
      id,
      line: node.line,
      title,
      html: applyAutoParagraphs(textOf(node, 'encoded', 'http://purl.org/rss/1.0/modules/content/')),
      published: wpDate(textOf(node, 'post_date_gmt', WP_NS)) ?? (draft ? undefined : wpDate(textOf(node, 'post_date', WP_NS))),
      updated: wpDate(textOf(node, 'post_modified_gmt', WP_NS)),
      draft,
      tags,
      oldUrls,
      ...(slug ? { slug } : {}),
      ...(parentId && parentId !== '0' ? { parentId } : {}),
      ...(translationGroup ? { translationGroup } : {}),
      ...(declaredLanguage ? { declaredLanguage } : {}),
    },
  });
  for (const c of comments) {
    const approved = textOf(c, 'comment_approved', WP_NS).trim();
    const ctype = textOf(c, 'comment_type', WP_NS).trim();
    const author = textOf(c, 'comment_author', WP_NS).trim() || 'Anonymous';
    const cwhat = `comment ${textOf(c, 'comment_id', WP_NS).trim()} on ${what}`;
    if (ctype === 'pingback' || ctype === 'trackback') {
      records.push({ type: 'skipped', skipped: { what: cwhat, reason: `it is a ${ctype}`, line: c.line, column: c.column } });
      continue;
    }
    if (approved !== '1') {
      const reason = approved === 'spam' ? 'it is spam' : approved === 'trash' ? 'it is in the trash' : 'it was never approved';
      records.push({ type: 'skipped', skipped: { what: cwhat, reason, line: c.line, column: c.column } });
      continue;
    }
    records.push({
      type: 'comment',
      comment: {
        postId: id,
        author,
        published: wpDate(textOf(c, 'comment_date_gmt', WP_NS)) ?? wpDate(textOf(c, 'comment_date', WP_NS)),
        html: applyAutoParagraphs(textOf(c, 'comment_content', WP_NS)),
      },
    });
  }
  return records;
}
