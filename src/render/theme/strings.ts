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
  /** The signing key written out (the argument of `minisign -P`). */
  publicKey: string;
  verifyWays: string;
  verifyExtensionTitle: string;
  verifyExtension: string;
  verifyExtensionBuild: string;
  verifyExtensionInstall: string;
  verifyToolsTitle: string;
  verifyTools: string;
  verifyToolsResult: string;
  verifyCliTitle: string;
  verifyCli: string;
  verifyCliPrefix: string;
  verifyCliAddress: (address: string) => string;
  noPosts: string;
  contents: string;
  derivedNote: string;
  breadcrumb: string;
  mainNav: string;
  search: string;
  searchLabel: string;
  searchNoScript: string;
  searchLoading: string;
  /** `{n}`: number of results. */
  searchCount: string;
  searchNone: string;
  searchUnavailable: string;
  pagination: string;
  previousPage: string;
  nextPage: string;
  pageOf: (page: number, pages: number) => string;
  whatYouCanDo: string;
  peopleWeSpeakFor: string;
  allCampaigns: string;
  allPeople: string;
  contact: string;
  donate: string;
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
  publicKey: 'Public key',
  verifyWays: 'Three ways to check a copy',
  verifyExtensionTitle: '1. In your browser: the stele Verify extension',
  verifyExtension:
    'stele Verify (Chromium, Chrome, Edge, Firefox) checks every page of this site you open against our signature. Its button shows "stele: genuine" on a genuine page; a page that was changed, and an address that is no longer ours, are covered by a full-page warning. It is not in the browser stores yet: get stele-verify-chromium.zip or stele-verify-firefox.zip from us, or build both from a copy of stele\'s source code (they appear in extension/dist/):',
  verifyExtensionBuild: 'npm ci && npm run build:extension',
  verifyExtensionInstall:
    'Unzip the file into a folder. Chromium, Chrome or Edge: open chrome://extensions, turn on "Developer mode", choose "Load unpacked" and pick the folder. Firefox: open about:debugging#/runtime/this-firefox, choose "Load Temporary Add-on…" and pick manifest.json in the folder (Firefox forgets it when it restarts). When you first open this site, the button asks you to trust its key: check that it is the signing key above, then trust it.',
  verifyToolsTitle: '2. With standard tools: minisign and sha256sum',
  verifyTools:
    'In the folder of a complete copy of this site (for example an archive from us), run this command (on Debian or Ubuntu, install minisign first: sudo apt install minisign):',
  verifyToolsResult:
    'The copy is genuine only when minisign prints "Signature and comment signature verified" and sha256sum prints OK for every file with no warning. A file the list does not name was not published by us.',
  verifyCliTitle: '3. With stele (Node.js 20 or later)',
  verifyCli:
    'In a copy of stele\'s source code, build and install the stele command, then check this site, a mirror or a copy in a folder:',
  verifyCliPrefix: 'If npm may not install globally, add --prefix ~/.local to the second command and run ~/.local/bin/stele instead of stele.',
  verifyCliAddress: (address) => `To check a mirror or a copy in a folder, give its address or folder in place of ${address}.`,
  noPosts: 'Nothing here yet.',
  contents: 'Contents',
  derivedNote: 'This Traditional Chinese page was converted automatically from Simplified Chinese.',
  breadcrumb: 'Breadcrumb',
  mainNav: 'Main',
  search: 'Search',
  searchLabel: 'Search this site',
  searchNoScript: 'Search needs JavaScript, which is off in this browser. Everything is also listed in the archive and under topics.',
  searchLoading: 'Searching…',
  searchCount: '{n} results',
  searchNone: 'Nothing found. Try another word, or browse the archive.',
  searchUnavailable: 'Search cannot run here (for example when the site is opened from a file). Browse the archive and topics instead.',
  pagination: 'Pages',
  previousPage: 'Newer',
  nextPage: 'Older',
  pageOf: (page, pages) => `Page ${page} of ${pages}`,
  whatYouCanDo: 'What you can do',
  peopleWeSpeakFor: 'People we speak for',
  allCampaigns: 'All campaigns',
  allPeople: 'All people',
  contact: 'Contact',
  donate: 'Support us',
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
  publicKey: '公钥',
  verifyWays: '核验副本的三种方法',
  verifyExtensionTitle: '一、在浏览器中：stele Verify 扩展',
  verifyExtension:
    'stele Verify（适用于 Chromium、Chrome、Edge、Firefox）会把你打开的本站每个页面与我们的签名核对。页面真实时，它的按钮显示“stele: genuine”；被篡改的页面，以及已不再属于我们的地址，都会被整页警告遮盖。它尚未上架浏览器商店：请向我们索取 stele-verify-chromium.zip 或 stele-verify-firefox.zip，或用 stele 源代码自行构建（生成在 extension/dist/ 中）：',
  verifyExtensionBuild: 'npm ci && npm run build:extension',
  verifyExtensionInstall:
    '把文件解压到一个文件夹。Chromium、Chrome 或 Edge：打开 chrome://extensions，开启“开发者模式”，选择“加载已解压的扩展程序”，然后选中该文件夹。Firefox：打开 about:debugging#/runtime/this-firefox，选择“临时载入附加组件…”，然后选中文件夹中的 manifest.json（Firefox 重启后会移除它）。第一次打开本站时，按钮会请你信任本站的密钥：请确认它与上面的签名密钥一致，再选择信任。',
  verifyToolsTitle: '二、用标准工具：minisign 和 sha256sum',
  verifyTools: '在本站完整副本（例如我们发布的存档）所在的文件夹中运行下面的命令（Debian 或 Ubuntu 请先安装 minisign：sudo apt install minisign）：',
  verifyToolsResult:
    '只有当 minisign 显示“Signature and comment signature verified”、且 sha256sum 对每个文件都显示 OK 而没有任何警告时，副本才是真实的。清单中没有列出的文件不是我们发布的。',
  verifyCliTitle: '三、用 stele（需要 Node.js 20 或更新版本）',
  verifyCli: '在 stele 源代码的副本中构建并安装 stele 命令，然后核验本站、镜像或文件夹中的副本：',
  verifyCliPrefix: '如果 npm 不能全局安装，请在第二条命令后加上 --prefix ~/.local，并以 ~/.local/bin/stele 代替 stele 运行。',
  verifyCliAddress: (address) => `要核验镜像或文件夹中的副本，请用它的地址或文件夹代替 ${address}。`,
  noPosts: '暂无内容。',
  contents: '目录',
  derivedNote: '',
  breadcrumb: '导航路径',
  mainNav: '主导航',
  search: '搜索',
  searchLabel: '搜索本站',
  searchNoScript: '搜索需要 JavaScript，而此浏览器已将其关闭。全部内容也可在归档和话题页浏览。',
  searchLoading: '正在搜索…',
  searchCount: '共 {n} 条结果',
  searchNone: '没有找到结果。请换个词试试，或浏览归档。',
  searchUnavailable: '此处无法使用搜索（例如从本地文件打开本站时）。请改为浏览归档和话题。',
  pagination: '分页',
  previousPage: '较新',
  nextPage: '较早',
  pageOf: (page, pages) => `第 ${page} 页，共 ${pages} 页`,
  whatYouCanDo: '你可以做什么',
  peopleWeSpeakFor: '我们关注的人',
  allCampaigns: '全部行动',
  allPeople: '全部人物',
  contact: '联系我们',
  donate: '支持我们',
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
  publicKey: '公鑰',
  verifyWays: '核驗副本的三種方法',
  verifyExtensionTitle: '一、在瀏覽器中：stele Verify 擴充功能',
  verifyExtension:
    'stele Verify（適用於 Chromium、Chrome、Edge、Firefox）會把你開啟的本站每個頁面與我們的簽章核對。頁面真實時，它的按鈕顯示「stele: genuine」；被竄改的頁面，以及已不再屬於我們的地址，都會被整頁警告遮蓋。它尚未上架瀏覽器商店：請向我們索取 stele-verify-chromium.zip 或 stele-verify-firefox.zip，或用 stele 原始碼自行建置（產生在 extension/dist/ 中）：',
  verifyExtensionBuild: 'npm ci && npm run build:extension',
  verifyExtensionInstall:
    '把檔案解壓縮到一個資料夾。Chromium、Chrome 或 Edge：開啟 chrome://extensions，開啟「開發人員模式」，選擇「載入未封裝項目」，然後選取該資料夾。Firefox：開啟 about:debugging#/runtime/this-firefox，選擇「載入暫用附加元件…」，然後選取資料夾中的 manifest.json（Firefox 重新啟動後會移除它）。第一次開啟本站時，按鈕會請你信任本站的金鑰：請確認它與上面的簽名金鑰一致，再選擇信任。',
  verifyToolsTitle: '二、用標準工具：minisign 和 sha256sum',
  verifyTools: '在本站完整副本（例如我們發佈的封存檔）所在的資料夾中執行下面的指令（Debian 或 Ubuntu 請先安裝 minisign：sudo apt install minisign）：',
  verifyToolsResult:
    '只有當 minisign 顯示「Signature and comment signature verified」、且 sha256sum 對每個檔案都顯示 OK 而沒有任何警告時，副本才是真實的。清單中沒有列出的檔案不是我們發佈的。',
  verifyCliTitle: '三、用 stele（需要 Node.js 20 或更新版本）',
  verifyCli: '在 stele 原始碼的副本中建置並安裝 stele 指令，然後核驗本站、鏡像或資料夾中的副本：',
  verifyCliPrefix: '如果 npm 不能全域安裝，請在第二條指令後加上 --prefix ~/.local，並以 ~/.local/bin/stele 代替 stele 執行。',
  verifyCliAddress: (address) => `要核驗鏡像或資料夾中的副本，請用它的地址或資料夾代替 ${address}。`,
  noPosts: '暫無內容。',
  contents: '目錄',
  derivedNote: '本繁體中文頁面由簡體中文自動轉換。',
  breadcrumb: '導覽路徑',
  mainNav: '主導覽',
  search: '搜尋',
  searchLabel: '搜尋本站',
  searchNoScript: '搜尋需要 JavaScript，而此瀏覽器已將其關閉。全部內容也可在歸檔和話題頁瀏覽。',
  searchLoading: '正在搜尋…',
  searchCount: '共 {n} 筆結果',
  searchNone: '沒有找到結果。請換個詞試試，或瀏覽歸檔。',
  searchUnavailable: '此處無法使用搜尋（例如從本機檔案開啟本站時）。請改為瀏覽歸檔和話題。',
  pagination: '分頁',
  previousPage: '較新',
  nextPage: '較早',
  pageOf: (page, pages) => `第 ${page} 頁，共 ${pages} 頁`,
  whatYouCanDo: '你可以做什麼',
  peopleWeSpeakFor: '我們關注的人',
  allCampaigns: '全部行動',
  allPeople: '全部人物',
  contact: '聯絡我們',
  donate: '支持我們',
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
