/**
 * Deterministic bilingual benchmark content: N post pairs (English + Simplified
 * Chinese) from a seeded PRNG, written as a stele site and as the same posts in a
 * Hugo site (en + zh-hans, translations by file name).
 *
 * Same seed, same counts → byte-identical files, so runs are comparable.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Size of the generated corpus. */
export interface CorpusOptions {
  /** Number of post pairs (each pair = one `.en.md` + one `.zh.md`). */
  posts: number;
  /** Approximate English words per post (Chinese gets ~1.5 characters per word). */
  words: number;
  /** PRNG seed (default 20260101). */
  seed?: number;
}

/** One generated post pair. */
export interface GeneratedPost {
  /** `YYYY-MM-DD`. */
  date: string;
  slug: string;
  en: { title: string; summary: string; tags: string[]; body: string };
  zh: { title: string; summary: string; tags: string[]; body: string };
}

/** A small deterministic PRNG (mulberry32); returns floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EN_WORDS = `the of and to in is that for it as was with be by on not he this are or his from at which but have an they you were
her she there been one all we their has would when if so no will more can out about up what into them some could other time these two may
then do first any now such like our over man even most made after also did many before must through back years where much your way well
down should because each just those people how too little state good very make world still own see men work long get here between both
life being under never day same another know while last might us great old year off come since against go came right used take three
rights freedom press speech internet citizens coalition lawyer court trial prison detained released family letter petition statement
campaign report witness archive evidence record journalist writer teacher student worker village city province government police law
justice truth memory voice signal network mirror copy genuine signed page reader support volunteer meeting rally appeal hearing verdict
sentence charge defence appeal public private open closed safe danger threat attack website blog forum message translation language
history future hope courage fear silence protest peaceful dignity equality health water land home school hospital factory river mountain
winter spring summer autumn morning evening night road bridge market street square station border letter book poem song film photograph`
  .split(/\s+/)
  .filter(Boolean);

const ZH_CHARS = Array.from(
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车点论自由新闻公民权利律师法院审判监狱家属信件请愿声明行动报告证人档案证据记录记者作家老师学生工人村庄城市省份政府警察正义真相记忆声音网络镜像副本真实签名页面读者支持志愿会议集会上诉听证判决指控辩护公开安全危险威胁攻击网站博客论坛消息翻译语言历史未来希望勇气恐惧沉默抗议和平尊严平等健康土地学校医院工厂河流山脉冬天春天夏天秋天早晨晚上道路桥梁市场街道广场车站边境书籍诗歌电影照片',
);

/** Tag pairs (English, Chinese); each post gets 2–3 of them. */
export const TAG_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['news', '新闻'],
  ['press freedom', '新闻自由'],
  ['internet', '网络'],
  ['courts', '法院'],
  ['detention', '拘押'],
  ['campaigns', '行动'],
  ['families', '家属'],
  ['statements', '声明'],
  ['reports', '报告'],
  ['history', '历史'],
  ['petitions', '请愿'],
  ['solidarity', '团结'],
];

/** The content of one generated post pair, for index `index` (0-based). */
export function createPost(index: number, words: number, seed: number): GeneratedPost {
  const random = createRandom(seed + index * 7919);
  const pick = <T>(list: ArrayLike<T>): T => list[Math.floor(random() * list.length)]!;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  const enWords = (n: number) => Array.from({ length: n }, () => pick(EN_WORDS));
  const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const enSentence = (n: number) => {
    const ws = enWords(n);
    if (n > 5 && random() < 0.3) ws[int(1, n - 2)] = `*${ws[int(1, n - 2)]}*`;
    if (n > 8 && random() < 0.2) ws[int(1, n - 2)] = `**${pick(EN_WORDS)}**`;
    return `${capitalize(ws.join(' '))}${random() < 0.1 ? '?' : '.'}`;
  };
  const zhWord = () => Array.from({ length: int(1, 2) }, () => pick(ZH_CHARS)).join('');
  const zhPhrase = (chars: number) => {
    let s = '';
    while (s.length < chars) s += zhWord();
    return s;
  };
  const zhSentence = (chars: number) => {
    const parts: string[] = [];
    let left = chars;
    while (left > 0) {
      const n = Math.min(left, int(5, 14));
      let p = zhPhrase(n);
      if (random() < 0.1) p = `*${p}*`;
      parts.push(p);
      left -= n;
    }
    return `${parts.join('，')}${random() < 0.1 ? '？' : '。'}`;
  };

  const tagIdx = new Set<number>();
  const tagCount = int(2, 3);
  while (tagIdx.size < tagCount) tagIdx.add(int(0, TAG_PAIRS.length - 1));
  const tagOrder = [...tagIdx].sort((a, b) => a - b);

  // Build both bodies block by block with the same structure, until the word budget is spent.
  const en: string[] = [];
  const zh: string[] = [];
  let budget = words;
  let block = 0;
  let tableDone = false;
  while (budget > 0) {
    const kind = block === 0 ? 'p' : block % 5 === 1 ? 'h' : block % 7 === 3 ? 'ul' : block % 11 === 5 ? 'ol' : !tableDone && block >= 6 ? 'table' : 'p';
    if (kind === 'h') {
      const n = int(2, 5);
      en.push(`## ${capitalize(enWords(n).join(' '))}`);
      zh.push(`## ${zhPhrase(Math.round(n * 1.5))}`);
      budget -= n;
    } else if (kind === 'ul' || kind === 'ol') {
      const items = int(3, 5);
      const enItems: string[] = [];
      const zhItems: string[] = [];
      for (let i = 0; i < items; i++) {
        const n = int(4, 10);
        const marker = kind === 'ul' ? '-' : `${i + 1}.`;
        enItems.push(`${marker} ${capitalize(enWords(n).join(' '))}`);
        zhItems.push(`${marker} ${zhPhrase(Math.round(n * 1.5))}`);
        budget -= n;
      }
      en.push(enItems.join('\n'));
      zh.push(zhItems.join('\n'));
    } else if (kind === 'table') {
      tableDone = true;
      const head = enWords(3).map(capitalize);
      const zhHead = [zhPhrase(2), zhPhrase(2), zhPhrase(2)];
      const enRows = [`| ${head.join(' | ')} |`, '| --- | --- | ---: |'];
      const zhRows = [`| ${zhHead.join(' | ')} |`, '| --- | --- | ---: |'];
      for (let r = 0; r < 4; r++) {
        const a = enWords(2).join(' ');
        const b = pick(EN_WORDS);
        const c = String(int(1, 9999));
        enRows.push(`| ${a} | ${b} | ${c} |`);
        zhRows.push(`| ${zhPhrase(3)} | ${zhPhrase(2)} | ${c} |`);
      }
      en.push(enRows.join('\n'));
      zh.push(zhRows.join('\n'));
      budget -= 18;
    } else {
      const sentences = int(3, 6);
      const enS: string[] = [];
      const zhS: string[] = [];
      for (let s = 0; s < sentences; s++) {
        const n = int(8, 20);
        enS.push(enSentence(n));
        zhS.push(zhSentence(Math.round(n * 1.5)));
        budget -= n;
      }
      if (random() < 0.5) {
        const target = `https://example.org/${pick(EN_WORDS)}/${int(1, 999)}`;
        const at = int(0, enS.length - 1);
        enS[at] = `${enS[at]} See [${enWords(int(2, 4)).join(' ')}](${target}).`;
        zhS[at] = `${zhS[at]}参见[${zhPhrase(4)}](${target})。`;
      }
      en.push(enS.join(' '));
      zh.push(zhS.join(''));
    }
    block++;
  }

  const day = new Date(Date.UTC(2015, 0, 1) + index * 86_400_000);
  const titleWords = enWords(int(4, 8));
  return {
    date: day.toISOString().slice(0, 10),
    slug: `post-${String(index + 1).padStart(5, '0')}-${titleWords[0]}-${titleWords[1]}`.replace(/[^a-z0-9-]/g, ''),
    en: {
      title: capitalize(titleWords.join(' ')),
      summary: enSentence(int(10, 18)).replace(/\*/g, ''),
      tags: tagOrder.map((i) => TAG_PAIRS[i]![0]),
      body: en.join('\n\n'),
    },
    zh: {
      title: zhPhrase(int(6, 12)),
      summary: zhSentence(int(15, 25)).replace(/\*/g, ''),
      tags: tagOrder.map((i) => TAG_PAIRS[i]![1]),
      body: zh.join('\n\n'),
    },
  };
}

/** Front matter + body as a Markdown file. */
function formatMarkdown(post: GeneratedPost, lang: 'en' | 'zh'): string {
  const p = post[lang];
  return [
    '---',
    `title: ${JSON.stringify(p.title)}`,
    `date: ${post.date}`,
    `tags: [${p.tags.map((t) => JSON.stringify(t)).join(', ')}]`,
    `summary: ${JSON.stringify(p.summary)}`,
    '---',
    '',
    p.body,
    '',
  ].join('\n');
}

/** Minimal stele config for the benchmark site. */
export function createSteleConfig(siteId: string): string {
  return `import { defineConfig } from 'stele';

export default defineConfig({
  siteId: '${siteId}',
  title: { en: 'Benchmark site', 'zh-Hans': '基准测试网站' },
  description: { en: 'Generated posts for the stele benchmark.', 'zh-Hans': '为 stele 基准测试生成的文章。' },
  baseUrl: 'https://bench.example/',
  languages: ['en', 'zh-Hans'],
  defaultLanguage: 'en',
  seal: { official: [], revoked: [] },
});
`;
}

const HUGO_CONFIG = `baseURL = "https://bench.example/"
title = "Benchmark site"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = false
hasCJKLanguage = true
enableRobotsTXT = true

[taxonomies]
  tag = "tags"

[languages]
  [languages.en]
    languageName = "English"
    languageCode = "en"
    weight = 1
  [languages.zh-hans]
    languageName = "简体中文"
    languageCode = "zh-Hans"
    title = "基准测试网站"
    weight = 2
`;

const HUGO_BASEOF_HEAD = `<!doctype html>
<html lang="{{ .Site.LanguageCode }}">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<nav>{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a> {{ end }}</nav>
`;

/** Hugo templates: single, list, index; each renders title, content and the language switcher. */
export const HUGO_LAYOUTS: Record<string, string> = {
  'layouts/_default/single.html': `${HUGO_BASEOF_HEAD}<main><article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time>
{{ range .Params.tags }}<a href="{{ "tags/" | relLangURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>
{{ .Content }}</article></main>
</body></html>
`,
  'layouts/_default/list.html': `${HUGO_BASEOF_HEAD}<main><h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul></main>
</body></html>
`,
  'layouts/index.html': `${HUGO_BASEOF_HEAD}<main><h1>{{ .Site.Title }}</h1>
<ul>{{ range first 20 (where .Site.RegularPages "Section" "posts") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<p>{{ .Summary }}</p></li>
{{ end }}</ul></main>
</body></html>
`,
};

async function writeText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** Run `fn` over 0..count-1 with at most `limit` in flight. */
async function forEachLimited(count: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/** What was written. */
export interface WrittenCorpus {
  posts: number;
  files: number;
  /** Source bytes (Markdown only). */
  bytes: number;
  /** Example post (index 0) for URL checks. */
  first: GeneratedPost;
}

/**
 * Write a fresh stele site at `dir` (removed first) and, when `hugoDir` is given, the same
 * posts as a Hugo site there (also removed first).
 */
export async function writeBenchSites(options: CorpusOptions & { dir: string; siteId: string; hugoDir?: string }): Promise<WrittenCorpus> {
  const seed = options.seed ?? 20260101;
  await rm(options.dir, { recursive: true, force: true });
  await writeText(join(options.dir, 'stele.config.ts'), createSteleConfig(options.siteId));
  if (options.hugoDir) {
    await rm(options.hugoDir, { recursive: true, force: true });
    await writeText(join(options.hugoDir, 'config.toml'), HUGO_CONFIG);
    for (const [rel, text] of Object.entries(HUGO_LAYOUTS)) await writeText(join(options.hugoDir, rel), text);
  }
  await mkdir(join(options.dir, 'content', 'posts'), { recursive: true });
  if (options.hugoDir) await mkdir(join(options.hugoDir, 'content', 'posts'), { recursive: true });
  let bytes = 0;
  let files = 0;
  const first = createPost(0, options.words, seed);
  await forEachLimited(options.posts, 32, async (i) => {
    const post = createPost(i, options.words, seed);
    const en = formatMarkdown(post, 'en');
    const zh = formatMarkdown(post, 'zh');
    bytes += Buffer.byteLength(en) + Buffer.byteLength(zh);
    const base = `${post.date}-${post.slug}`;
    await writeFile(join(options.dir, 'content', 'posts', `${base}.en.md`), en);
    await writeFile(join(options.dir, 'content', 'posts', `${base}.zh.md`), zh);
    files += 2;
    if (options.hugoDir) {
      // Hugo matches the file-name language suffix against its language keys.
      await writeFile(join(options.hugoDir, 'content', 'posts', `${post.slug}.en.md`), en);
      await writeFile(join(options.hugoDir, 'content', 'posts', `${post.slug}.zh-hans.md`), zh);
    }
  });
  return { posts: options.posts, files, bytes, first };
}

/** Path of post `post`'s English source file in a stele site. */
export function resolvePostFile(dir: string, post: GeneratedPost, lang: 'en' | 'zh'): string {
  return join(dir, 'content', 'posts', `${post.date}-${post.slug}.${lang}.md`);
}

/** Markdown text of one post file (for edits in the dev benchmark). */
export function formatPostFile(post: GeneratedPost, lang: 'en' | 'zh'): string {
  return formatMarkdown(post, lang);
}
