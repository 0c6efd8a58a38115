/**
 * Every collection builds with its entries written in one language only or in
 * both: each collection × (en only, zh only, both) is built for real (sealed,
 * written to disk, verified) and must pass every check, with switchers,
 * hreflang alternates and indexes linking only pages that exist. The same
 * projects are built by `stele dev`'s in-memory development build.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { isNotFoundPagePath, resolveNotFoundLinkRoot } from '../../src/harden/not-found-page.js';
import { createSignerFromSeed } from '../../src/seal/signer.js';
import { readOutputText } from '../../src/site/output.js';
import { collectUrls } from '../helpers/html-urls.js';
import { createTempSite, createTestHost, removeTempDirs } from '../helpers/temp-site.js';

const signer = createSignerFromSeed(new Uint8Array(32).fill(3));

/** Front matter of one valid entry per collection: [folder, file base, en text, zh text]. */
const ENTRIES: Record<string, [string, string, string, string]> = {
  post: ['posts', '2026-02-01-rally', 'title: Rally\ndate: 2026-02-01\ntags: [news]', 'title: 集会\ndate: 2026-02-01\ntags: [新闻]'],
  page: ['pages', 'about', 'title: About us', 'title: 关于我们'],
  campaign: [
    'campaigns',
    'free-zhu',
    'title: Free Zhu\ndate: 2026-01-05\nstatus: active\ngoal:\n  en: Release',
    'title: 释放朱\ndate: 2026-01-05\nstatus: active\ngoal:\n  zh-Hans: 释放',
  ],
  person: [
    'people',
    'zhu-yufu',
    'title: Zhu Yufu\nnames:\n  en: Zhu Yufu\n  zh-Hans: 朱虞夫\nstatus: detained',
    'title: 朱虞夫\nnames:\n  en: Zhu Yufu\n  zh-Hans: 朱虞夫\nstatus: detained',
  ],
  event: [
    'events',
    'vigil',
    'title: Vigil\ndate: 2026-02-14\nkind: vigil\nstart: "2026-02-14"\nplace:\n  name:\n    en: Square',
    'title: 烛光守夜\ndate: 2026-02-14\nkind: vigil\nstart: "2026-02-14"\nplace:\n  name:\n    zh-Hans: 广场',
  ],
};

afterAll(removeTempDirs);

describe.each(Object.entries(ENTRIES))('%s', (kind, [folder, base, en, zh]) => {
  const variants: [string, Record<string, string>][] = [
    ['en only', { [`content/${folder}/${base}.en.md`]: `---\n${en}\n---\n\nEnglish text.\n` }],
    ['zh only', { [`content/${folder}/${base}.zh.md`]: `---\n${zh}\n---\n\n中文正文。\n` }],
    [
      'both',
      {
        [`content/${folder}/${base}.en.md`]: `---\n${en}\n---\n\nEnglish text.\n`,
        [`content/${folder}/${base}.zh.md`]: `---\n${zh.split('\n')[0]}\n---\n\n中文正文。\n`,
      },
    ],
  ];
  it.each(variants)('%s: production build is sealed, written and verified; development build passes', async (variant, files) => {
    const root = await createTempSite(files);
    const result = await buildProject({ root, host: createTestHost(), mode: 'production', signer });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors, JSON.stringify(errors, null, 1)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.seal?.keyId).toBe(signer.keyId);
    expect(result.outDir).toBeDefined();
    const warnings = result.diagnostics.filter((d) => d.code === 'STELE1209').map((d) => d.message);
    expect(warnings.length).toBe(variant === 'both' ? 0 : 1);

    // The entry's own pages exist in the languages it is written in (zh-Hant derived from zh-Hans).
    const out = result.output!;
    const slug = kind === 'post' ? 'rally' : base;
    const entryPath = (prefix: string) => (kind === 'page' ? `${prefix}${slug}/index.html` : `${prefix}${folder}/${slug}/index.html`);
    expect(out.has(entryPath(''))).toBe(variant !== 'zh only');
    expect(out.has(entryPath('zh-hans/'))).toBe(variant !== 'en only');
    expect(out.has(entryPath('zh-hant/'))).toBe(variant !== 'en only');

    // Every alternate and switcher link names a page in the output. 404 pages link from the
    // site's root path (a server answers any address with them): resolved from there.
    const notFoundRoot = resolveNotFoundLinkRoot(out);
    for (const [path] of out) {
      if (!path.endsWith('.html')) continue;
      for (const u of collectUrls(readOutputText(out, path)!)) {
        if (/^[a-z]+:|^#|^\/\//i.test(u.value)) continue;
        const fromRoot = isNotFoundPagePath(path) && notFoundRoot !== undefined && u.value.startsWith(notFoundRoot);
        const value = fromRoot ? `./${u.value.slice(notFoundRoot.length)}` : u.value;
        const target = new URL(value, `file:///site/${fromRoot ? 'index.html' : path}`).pathname.replace(/^\/site\//, '').replace(/\/$/, '/index.html');
        expect(out.has(decodeURIComponent(target)), `${path}: ${u.value}`).toBe(true);
      }
    }

    const dev = await buildProject({ root, host: createTestHost(), mode: 'development', write: false });
    expect(dev.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
