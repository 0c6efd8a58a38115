/**
 * The starter project `stele init` writes: a config and a bilingual page and
 * post that build first try. A library function so tests and tools make the
 * same site without going through the CLI.
 */

/** Files of the starter site, relative to its folder. */
export function createStarterFiles(siteId: string): Record<string, string> {
  return {
    'stele.config.ts': `import { defineConfig } from 'stele';

export default defineConfig({
  siteId: '${siteId}',
  title: { en: 'My organisation', 'zh-Hans': '我的组织' },
  description: { en: 'News and campaigns.', 'zh-Hans': '新闻与行动。' },
  // baseUrl: 'https://example.org/', // set it for the sitemap and link-preview images; 404 pages link under its path
  languages: ['en', 'zh-Hans'],
  defaultLanguage: 'en',
  seal: {
    required: true, // a build without the signing key fails (use --no-seal for an unsigned preview)
    official: [],
    revoked: [],
  },
});
`,
    'content/pages/about.en.md': `---
title: About us
summary: Who we are and what we do.
---

We are a small group working for freedom of expression.
`,
    'content/pages/about.zh.md': `---
title: 关于我们
summary: 我们是谁，我们做什么。
---

我们是一个为言论自由而工作的小团体。
`,
    'content/posts/2026-01-01-welcome.en.md': `---
title: Welcome
date: 2026-01-01
tags: [news]
---

This site is built with stele: every version is signed, so readers can check that a copy is genuine.
`,
    'content/posts/2026-01-01-welcome.zh.md': `---
title: 欢迎
tags: [新闻]
---

本站由 stele 生成：每个版本都有签名，读者可以核验副本是否真实。
`,
    '.gitignore': 'dist/\nkeys/stele.key\nnode_modules/\n.stele/cache/\n',
  };
}
