/**
 * Interface text of the theme in every language. Traditional Chinese is
 * written out (not converted) so that it is reviewed like the others.
 */
import type { LanguageCode } from '../../config/languages.js';

export interface ThemeStrings {
  skipToContent: string;
  home: string;
  posts: string;
  archive: string;
  tags: string;
  campaigns: string;
  people: string;
  events: string;
  verify: string;
  language: string;
  latestPosts: string;
  allPosts: string;
  taggedWith: (tag: string) => string;
  postsInYear: (year: string) => string;
  notTranslated: string;
  translationMissingNote: string;
  published: string;
  updated: string;
  readMore: string;
  /** Heading of an imported comment archive. */
  commentsArchive: string;
  commentsArchiveNote: string;
  feed: string;
  notFoundTitle: string;
  notFoundBody: string;
  footerVerify: string;
  footerKey: string;
  /** Footer and verification page of an unsigned build. */
  footerUnsigned: string;
  /** Footer link to the verification page of an unsigned build. */
  footerOfficial: string;
  officialAddresses: string;
  revokedAddresses: string;
  verifyIntro: string;
  verifyHowTo: string;
  noPosts: string;
  contents: string;
  derivedNote: string;
  breadcrumb: string;
  mainNav: string;
}

const en: ThemeStrings = {
  skipToContent: 'Skip to content',
  home: 'Home',
  posts: 'News',
  archive: 'Archive',
  tags: 'Topics',
  campaigns: 'Campaigns',
  people: 'People',
  events: 'Events',
  verify: 'Verify this site',
  language: 'Language',
  latestPosts: 'Latest news',
  allPosts: 'All news by year',
  taggedWith: (tag) => `Topic: ${tag}`,
  postsInYear: (year) => `News from ${year}`,
  notTranslated: 'not translated yet',
  translationMissingNote: 'This page has not been translated into this language yet; the link goes to the language home page.',
  published: 'Published',
  updated: 'Updated',
  readMore: 'Read more',
  commentsArchive: 'Comments (archive)',
  commentsArchiveNote: 'Comments from the old site, kept as a read-only archive.',
  feed: 'Feed',
  notFoundTitle: 'Page not found',
  notFoundBody: 'There is no page at this address. If you followed a link from elsewhere, check that you are on an official address of this site.',
  footerVerify: 'Official addresses and how to check this copy',
  footerKey: 'Signing key',
  footerUnsigned: 'This copy is NOT signed: nobody can check that it is genuine. It is a preview, not for publishing.',
  footerOfficial: 'Official addresses',
  officialAddresses: 'Official addresses',
  revokedAddresses: 'Addresses that are no longer ours',
  verifyIntro:
    'Every version of this site is signed. A copy that does not match the signature was not published by us, even if it looks normal.',
  verifyHowTo: 'To check a copy or a mirror, run:',
  noPosts: 'Nothing here yet.',
  contents: 'Contents',
  derivedNote: 'This Traditional Chinese page was converted automatically from Simplified Chinese.',
  breadcrumb: 'Breadcrumb',
  mainNav: 'Main',
};

const zhHans: ThemeStrings = {
  skipToContent: '跳到正文',
  home: '首页',
  posts: '新闻',
  archive: '归档',
  tags: '话题',
  campaigns: '行动',
  people: '人物',
  events: '活动',
  verify: '核验本站',
  language: '语言',
  latestPosts: '最新消息',
  allPosts: '按年份浏览全部新闻',
  taggedWith: (tag) => `话题：${tag}`,
  postsInYear: (year) => `${year}年的新闻`,
  notTranslated: '尚未翻译',
  translationMissingNote: '本页尚无此语言版本；链接将前往该语言的首页。',
  published: '发布于',
  updated: '更新于',
  readMore: '阅读全文',
  commentsArchive: '评论（存档）',
  commentsArchiveNote: '旧网站上的评论，作为只读存档保留。',
  feed: '订阅',
  notFoundTitle: '找不到页面',
  notFoundBody: '此地址没有页面。如果你是从别处的链接来到这里，请确认你访问的是本站的官方地址。',
  footerVerify: '官方地址及核验方法',
  footerKey: '签名密钥',
  footerUnsigned: '此副本没有签名：无法核验其真实性。这只是预览，不应发布。',
  footerOfficial: '官方地址',
  officialAddresses: '官方地址',
  revokedAddresses: '已不再属于我们的地址',
  verifyIntro: '本站每个版本都有数字签名。与签名不符的副本不是我们发布的，即使它看起来一切正常。',
  verifyHowTo: '要核验一个副本或镜像，请运行：',
  noPosts: '暂无内容。',
  contents: '目录',
  derivedNote: '',
  breadcrumb: '导航路径',
  mainNav: '主导航',
};

const zhHant: ThemeStrings = {
  ...zhHans,
  skipToContent: '跳到正文',
  home: '首頁',
  posts: '新聞',
  archive: '歸檔',
  tags: '話題',
  campaigns: '行動',
  people: '人物',
  events: '活動',
  verify: '核驗本站',
  language: '語言',
  latestPosts: '最新消息',
  allPosts: '按年份瀏覽全部新聞',
  taggedWith: (tag) => `話題：${tag}`,
  postsInYear: (year) => `${year}年的新聞`,
  notTranslated: '尚未翻譯',
  translationMissingNote: '本頁尚無此語言版本；連結將前往該語言的首頁。',
  published: '發佈於',
  updated: '更新於',
  readMore: '閱讀全文',
  commentsArchive: '評論（存檔）',
  commentsArchiveNote: '舊網站上的評論，作為唯讀存檔保留。',
  feed: '訂閱',
  notFoundTitle: '找不到頁面',
  notFoundBody: '此地址沒有頁面。如果你是從別處的連結來到這裡，請確認你造訪的是本站的官方地址。',
  footerVerify: '官方地址及核驗方法',
  footerKey: '簽名金鑰',
  footerUnsigned: '此副本沒有簽章：無法核驗其真實性。這只是預覽，不應發佈。',
  footerOfficial: '官方地址',
  officialAddresses: '官方地址',
  revokedAddresses: '已不再屬於我們的地址',
  verifyIntro: '本站每個版本都有數位簽章。與簽章不符的副本不是我們發佈的，即使它看起來一切正常。',
  verifyHowTo: '要核驗一個副本或鏡像，請執行：',
  noPosts: '暫無內容。',
  contents: '目錄',
  derivedNote: '本繁體中文頁面由簡體中文自動轉換。',
  breadcrumb: '導覽路徑',
  mainNav: '主導覽',
};

const ALL: Record<LanguageCode, ThemeStrings> = { en, 'zh-Hans': zhHans, 'zh-Hant': zhHant };

/** Interface strings for a language. */
export function getThemeStrings(lang: LanguageCode): ThemeStrings {
  return ALL[lang];
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Format an ISO date (YYYY-MM-DD…) for display. Uses the date as written; no time-zone shifts. */
export function formatDate(iso: string, lang: LanguageCode): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  if (lang === 'en') return `${Number(d)} ${MONTHS[Number(mo) - 1]} ${y}`;
  return `${y}年${Number(mo)}月${Number(d)}日`;
}
