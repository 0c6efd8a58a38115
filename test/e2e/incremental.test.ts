/**
 * Rebuilds with a warm in-process cache (what `stele dev` does) must give
 * exactly the bytes of a fresh build, before and after an edit.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BuildCache, buildProject, digestOutput } from '../../src/build/build-project.js';
import { createNodeHost } from '../../src/io/host.js';
import { copyExampleSources } from '../helpers/temp-site.js';

const now = new Date('2026-11-25T12:00:00Z');
const host = { ...createNodeHost({ quiet: true }), now: () => now };
const dir = copyExampleSources('stele-incremental-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const build = (cache?: BuildCache) => buildProject({ root: dir, host, mode: 'development', write: false, cache });

describe('incremental rebuilds', () => {
  it('give the same bytes as fresh builds, before and after an edit', async () => {
    const cache: BuildCache = { processed: new Map() };
    const fresh = await build();
    expect(fresh.ok).toBe(true);
    const warm1 = await build(cache);
    const warm2 = await build(cache);
    expect(digestOutput(warm1.output!)).toBe(digestOutput(fresh.output!));
    expect(digestOutput(warm2.output!)).toBe(digestOutput(fresh.output!));
    expect(cache.render!.size).toBeGreaterThan(0);

    const post = join(dir, 'content/posts/2012-02-14-rally-for-zhu-yufu.en.md');
    writeFileSync(post, readFileSync(post, 'utf8').replace('Earlier this month', 'Earlier in February'));
    const edited = await build(cache);
    const editedFresh = await build();
    expect(digestOutput(edited.output!)).toBe(digestOutput(editedFresh.output!));
    expect(digestOutput(edited.output!)).not.toBe(digestOutput(fresh.output!));
    expect(new TextDecoder().decode(edited.output!.get('posts/rally-for-zhu-yufu/index.html'))).toContain('Earlier in February');
  }, 120_000);

  it('keep the memo through a failed build: the good build after it renders only the edited entry', async () => {
    const cache: BuildCache = { processed: new Map() };
    expect((await build(cache)).ok).toBe(true);
    const post = join(dir, 'content/posts/2026-11-25-our-new-signed-site.en.md');
    const original = readFileSync(post, 'utf8');
    try {
      // Front matter that does not parse: the build stops at content, before render.
      writeFileSync(post, original.replace(/^---\n/, '---\ntitle: [unclosed\n'));
      const failed = await build(cache);
      expect(failed.ok).toBe(false);
      writeFileSync(post, original.replace('\n---\n\n', '\n---\n\nOne sentence more.\n\n'));
      const fixed = await build(cache);
      expect(fixed.ok).toBe(true);
      expect(fixed.stats.rendered).toBe(1);
      expect(digestOutput(fixed.output!)).toBe(digestOutput((await build()).output!));
    } finally {
      writeFileSync(post, original);
    }
  }, 120_000);

  it('report the same problems as fresh builds', async () => {
    const cache: BuildCache = { processed: new Map() };
    const post = join(dir, 'content/posts/2026-11-25-our-new-signed-site.en.md');
    writeFileSync(post, `${readFileSync(post, 'utf8')}\n[broken](./missing.en.md)\n`);
    const first = await build(cache);
    const second = await build(cache);
    const fresh = await build();
    expect(first.ok).toBe(false);
    expect(second.diagnostics).toEqual(fresh.diagnostics);
    expect(second.diagnostics.some((d) => d.code === 'STELE1211')).toBe(true);
  }, 120_000);
});

describe('incremental rebuilds and images', () => {
  it('re-encode an image whose bytes changed, and reuse an unchanged one', async () => {
    const sharp = (await import('sharp')).default;
    const png = (r: number) => sharp({ create: { width: 40, height: 30, channels: 3, background: { r, g: 80, b: 80 } } }).png().toBuffer();
    writeFileSync(join(dir, 'content/posts/photo.png'), await png(10));
    const post = join(dir, 'content/posts/2026-11-25-our-new-signed-site.en.md');
    writeFileSync(post, `${readFileSync(post, 'utf8').replace(/\n\[broken\]\(\.\/missing\.en\.md\)\n/, '')}\n![A plain test image](./photo.png)\n`);
    const cache: BuildCache = { processed: new Map() };
    const first = await build(cache);
    expect(first.ok).toBe(true);
    const images = (r: typeof first) => [...r.output!.keys()].filter((p) => p.startsWith('assets/img/photo-')).sort();
    expect(images(first).length).toBeGreaterThan(0);
    const again = await build(cache);
    expect(images(again)).toEqual(images(first));
    writeFileSync(join(dir, 'content/posts/photo.png'), await png(200));
    const changed = await build(cache);
    expect(images(changed)).not.toEqual(images(first));
    expect(digestOutput(changed.output!)).toBe(digestOutput((await build()).output!));
  }, 120_000);

  it('lay out a remembered page again when what it shows besides its own entry changes', async () => {
    const cache: BuildCache = { processed: new Map() };
    const page = 'posts/our-new-signed-site/index.html';
    const text = (r: Awaited<ReturnType<typeof build>>) => new TextDecoder().decode(r.output!.get(page));
    expect((await build(cache)).ok).toBe(true);
    const edits: [string, () => void, (html: string) => void][] = [
      [
        'the site title (config)',
        () => {
          const file = join(dir, 'stele.config.ts');
          writeFileSync(file, readFileSync(file, 'utf8').replace(/title: \{\s*en: '([^']+)'/, "title: { en: '$1 (renamed)'"));
        },
        (html) => expect(html).toContain('(renamed)'),
      ],
      [
        "the post's Chinese version removed (its alternates)",
        () => rmSync(join(dir, 'content/posts/2026-11-25-our-new-signed-site.zh.md')),
        () => undefined,
      ],
      [
        'the canonical address (config only)',
        () => {
          const file = join(dir, 'stele.config.ts');
          writeFileSync(file, readFileSync(file, 'utf8').replace("baseUrl: 'https://cfcr.example/'", "baseUrl: 'https://cfcr-moved.example/'"));
        },
        (html) => expect(html).toContain('https://cfcr-moved.example/posts/our-new-signed-site/'),
      ],
    ];
    let before = text(await build(cache));
    for (const [what, edit, expectation] of edits) {
      edit();
      const warm = await build(cache);
      const fresh = await build();
      expect(fresh.ok, what).toBe(true);
      expect(digestOutput(warm.output!), what).toBe(digestOutput(fresh.output!));
      // The remembered page was laid out again (the post itself did not change).
      expect(text(warm), what).not.toBe(before);
      expectation(text(warm));
      before = text(warm);
    }
  }, 240_000);
});
