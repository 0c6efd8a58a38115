/**
 * Link previews: every page carries Open Graph and Twitter card tags (title,
 * description, og:locale, canonical og:url when baseUrl is set) with an image:
 * the cover when the entry has one, else a PNG card drawn at build time,
 * named by the hash of its bytes, with no metadata, on this site only.
 * Previewers need absolute image URLs: without baseUrl there is no image and
 * the build warns once (STELE2000).
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectImageMetadata } from '../../src/assets/metadata.js';
import { createSocialCardLayers, createSocialCardRenderer, renderSocialCard, renderSocialCardTitle, type SocialCardOptions, wrapCardText } from '../../src/assets/social-card.js';
import { resolveCardConcurrency } from '../../src/build/build-cards.js';
import { buildProject } from '../../src/build/build-project.js';
import type { Diagnostic } from '../../src/errors/diagnostic.js';
import type { OutputFiles } from '../../src/site/output.js';
import { readOutputText } from '../../src/site/output.js';
import { createConfigSource, createTempSite, createTestHost, removeTempDirs } from '../helpers/temp-site.js';

afterAll(removeTempDirs);

async function build(config: string): Promise<OutputFiles> {
  return (await buildWithDiagnostics(config)).output;
}

async function buildWithDiagnostics(config: string): Promise<{ output: OutputFiles; diagnostics: Diagnostic[] }> {
  const cover = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#336699' } }).jpeg().toBuffer();
  const root = await createTempSite(
    {
      'content/posts/2026-01-02-with-cover.en.md': '---\ntitle: With a cover\ndate: 2026-01-02\nsummary: A post with a cover.\ncover:\n  src: cover.jpg\n  alt: A blue square\n---\n\nText.\n',
      'content/posts/cover.jpg': new Uint8Array(cover),
      'content/posts/2026-01-01-plain.en.md': '---\ntitle: A plain post\ndate: 2026-01-01\n---\n\nText.\n',
      'content/posts/2026-01-01-plain.zh.md': '---\ntitle: 普通文章\ndate: 2026-01-01\n---\n\n正文。\n',
    },
    config,
  );
  const result = await buildProject({ root, host: createTestHost(), mode: 'production', write: false, noSeal: true });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(errors, JSON.stringify(errors, null, 1)).toEqual([]);
  return { output: result.output!, diagnostics: result.diagnostics };
}

function meta(page: string, key: string): string[] {
  const out: string[] = [];
  for (const m of page.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)">/g)) if (m[1] === key) out.push(m[2]!);
  return out;
}

/** PNG chunk types in order. */
function pngChunks(png: Uint8Array): string[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const types: string[] = [];
  for (let i = 8; i < png.length; ) {
    const len = view.getUint32(i);
    types.push(String.fromCharCode(...png.subarray(i + 4, i + 8)));
    i += 12 + len;
  }
  return types;
}

/** The data of the first chunk of a type. */
function pngChunkData(png: Uint8Array, type: string): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let i = 8; i < png.length; i += 12 + view.getUint32(i)) if (String.fromCharCode(...png.subarray(i + 4, i + 8)) === type) return png.subarray(i + 8, i + 8 + view.getUint32(i));
  throw new Error(`no ${type} chunk`);
}

/** The card's background and title colours (RGB). */
const BACKGROUND = [0xfd, 0xfc, 0xf8];
const TITLE = [0x1c, 0x1b, 0x19];

/**
 * The largest distance (per channel) of `colour` from its projection on the
 * segment between the colours `from` and `to`: under 1 when `colour` is a
 * blend of the two, rounded to whole channel values.
 */
function measureOffBlend(colour: ArrayLike<number>, from: readonly number[], to: ArrayLike<number>): number {
  const d = [0, 1, 2].map((c) => to[c]! - from[c]!);
  const length = d.reduce((n, x) => n + x * x, 0);
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, [0, 1, 2].reduce((n, c) => n + (colour[c]! - from[c]!) * d[c]!, 0) / length));
  return Math.max(...[0, 1, 2].map((c) => Math.abs(colour[c]! - (from[c]! + t * d[c]!))));
}

/**
 * What a card should look like, composed independently of the renderer, in
 * RGB by libvips: the background SVG as librsvg draws it, with the title's
 * coverage mask laid on it in the title colour at (80, 110).
 */
async function composeCardRgb(o: SocialCardOptions): Promise<{ background: Buffer; card: Buffer }> {
  const layers = createSocialCardLayers(o);
  const background = await sharp(Buffer.from(layers.background), { density: 72 }).removeAlpha().raw().toBuffer();
  const mask = await renderSocialCardTitle(layers);
  if (!mask) return { background, card: background };
  const width = Math.min(mask.info.width, 1200 - 80);
  const height = Math.min(mask.info.height, 630 - 110);
  const alpha = await sharp(mask.data, { raw: { width: mask.info.width, height: mask.info.height, channels: mask.info.channels } }).extractChannel(0).extract({ left: 0, top: 0, width, height }).raw().toBuffer();
  const ink = await sharp({ create: { width, height, channels: 3, background: { r: TITLE[0]!, g: TITLE[1]!, b: TITLE[2]! } } })
    .joinChannel(alpha, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
  const card = await sharp(background, { raw: { width: 1200, height: 630, channels: 3 } }).composite([{ input: ink, left: 80, top: 110 }]).removeAlpha().raw().toBuffer();
  return { background, card };
}

describe('link previews', () => {
  it('tags every page with Open Graph and Twitter card data and an image on this site', async () => {
    const output = await build(createConfigSource('\n  seal: { required: false },'));
    const pages = [...output.keys()].filter((p) => p.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(10);
    for (const path of pages) {
      const page = readOutputText(output, path)!;
      if (page.includes('http-equiv="refresh"')) continue;
      expect(meta(page, 'og:title'), path).toHaveLength(1);
      expect(meta(page, 'twitter:card'), path).toEqual(['summary_large_image']);
      expect(meta(page, 'og:locale'), path).toEqual([path.startsWith('zh-hans/') ? 'zh_CN' : path.startsWith('zh-hant/') ? 'zh_TW' : 'en_US']);
      const [url] = meta(page, 'og:url');
      // A 404 page has no address of its own: no canonical, no og:url.
      expect(url, path).toBe(page.match(/<link rel="canonical" href="([^"]+)">/)?.[1]);
      if (!path.endsWith('404.html')) expect(url, path).toBeDefined();
      const [image] = meta(page, 'og:image');
      expect(image, path).toMatch(/^https:\/\/test\.example\.org\//);
      expect(output.has(image!.slice('https://test.example.org/'.length)), `${path}: ${image}`).toBe(true);
      expect(meta(page, 'twitter:image'), path).toEqual([image]);
      expect(meta(page, 'og:image:alt')[0], path).not.toBe('');
    }
    const plain = readOutputText(output, 'posts/plain/index.html')!;
    expect(meta(plain, 'og:type')).toEqual(['article']);
    expect(meta(plain, 'og:title')).toEqual(['A plain post']);
    expect(meta(plain, 'og:locale:alternate')).toEqual(['zh_CN', 'zh_TW']);
    expect(meta(plain, 'og:image')[0]).toMatch(/^https:\/\/test\.example\.org\/assets\/cards\/card-[0-9a-f]{16}\.png$/);
    const covered = readOutputText(output, 'posts/with-cover/index.html')!;
    expect(meta(covered, 'og:description')).toEqual(['A post with a cover.']);
    expect(meta(covered, 'og:image')[0]).toMatch(/^https:\/\/test\.example\.org\/assets\/.*\.jpg$/);
    expect(meta(covered, 'og:image:alt')).toEqual(['A blue square']);
    expect(meta(covered, 'og:locale:alternate')).toEqual([]);
    // Each language folder has its own 404 page in its language (served there by the server configs).
    expect(readOutputText(output, 'zh-hans/404.html')).toMatch(/<html lang="zh-Hans">[\s\S]*<h1>找不到/);
    expect(readOutputText(output, 'zh-hant/404.html')).toMatch(/<html lang="zh-Hant">[\s\S]*<h1>找不到/);
    expect(readOutputText(output, 'zh-hant/404.html')).not.toContain('Page not found');
    // The Chinese card is not the English one.
    const zh = readOutputText(output, 'zh-hans/posts/plain/index.html')!;
    expect(meta(zh, 'og:image')[0]).not.toBe(meta(plain, 'og:image')[0]);
  });

  it('draws cards as palette PNGs without metadata, named by the hash of their bytes, every colour a blend of the background with the accent or the title colour', async () => {
    const output = await build(createConfigSource('\n  seal: { required: false },'));
    const cards = [...output.keys()].filter((p) => p.startsWith('assets/cards/'));
    // One per language (generated pages) and one per entry without a cover (en and zh-Hans plain, zh-Hant derived).
    expect(cards).toHaveLength(6);
    for (const path of cards) {
      const png = output.get(path)!;
      expect(path).toBe(`assets/cards/card-${createHash('sha256').update(png).digest('hex').slice(0, 16)}.png`);
      const meta = await sharp(png).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 1200, 630]);
      expect(await inspectImageMetadata(png)).toMatchObject({ hasExif: false, hasGps: false, hasXmp: false, hasIptc: false, hasIcc: false });
      // Image data and its palette only: no transparency, text, time, size or profile chunk.
      expect(pngChunks(png)).toEqual(['IHDR', 'PLTE', 'IDAT', 'IEND']);
      // 8-bit palette (colour type 3), no interlace.
      expect([...pngChunkData(png, 'IHDR').subarray(8)]).toEqual([8, 3, 0, 0, 0]);
      // The image data is one zlib stream with the right Adler-32 (inflateSync checks it), of 630 rows of 1 + 1200 bytes (one index a pixel).
      expect(inflateSync(pngChunkData(png, 'IDAT')).length).toBe(630 * (1 + 1200));
      // 256 colours: the background to the accent as drawn (the band's colour), then to the title colour.
      const palette = pngChunkData(png, 'PLTE');
      expect(palette.length).toBe(256 * 3);
      const band = (await sharp(png).raw().toBuffer()).subarray(0, 3);
      expect([...palette.subarray(0, 3)]).toEqual(BACKGROUND);
      expect([...palette.subarray(127 * 3, 128 * 3)]).toEqual([...band]);
      expect([...palette.subarray(255 * 3)]).toEqual(TITLE);
      for (let i = 0; i < 256; i++) {
        const colour = palette.subarray(i * 3, i * 3 + 3);
        expect(measureOffBlend(colour, BACKGROUND, i < 128 ? band : TITLE), `${path} palette ${i}`).toBeLessThan(1);
      }
    }
  });

  it('draws as many cards at once as there are cores, within the threads sharp runs on', () => {
    expect(resolveCardConcurrency({})).toBe(Math.min(availableParallelism(), 4));
    expect(resolveCardConcurrency({ UV_THREADPOOL_SIZE: '1' })).toBe(1);
    expect(resolveCardConcurrency({ UV_THREADPOOL_SIZE: '64' })).toBe(availableParallelism());
  });

  it('draws the same card bytes for the same text, whatever was drawn before with the same renderer', async () => {
    const zh = { siteName: '基準站點', title: '言論自由與新聞自由是我們一直以來努力的方向', lang: 'zh-Hant' } as const;
    const en = { siteName: 'Site', title: 'A title long enough to be wrapped on two lines of the card', lang: 'en' } as const;
    const render = createSocialCardRenderer();
    const first = [await render(en), await render(zh), await render({ ...en, title: 'Another' })];
    expect(await render(en)).toEqual(first[0]);
    expect(await renderSocialCard(zh)).toEqual(first[1]);
    expect(first[2]).not.toEqual(first[0]);
    // Opaque (decoded as RGB), at the card size, with the title drawn (dark pixels where the title goes).
    const { data, info } = await sharp(first[1]!).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([1200, 630, 3]);
    let dark = 0;
    for (let i = (200 * 1200 + 80) * 3; i < 400 * 1200 * 3; i += 3) if (data[i]! < 64) dark++;
    expect(dark).toBeGreaterThan(1000);
  });

  it('draws each card as its background with the title on it below the rule, the band left alone and nothing else changed, whatever was drawn before, within a palette step of the same card composed in RGB', async () => {
    const render = createSocialCardRenderer();
    const cards: SocialCardOptions[] = [
      { siteName: 'Site', title: '', lang: 'en' },
      { siteName: 'Site', title: 'Short', lang: 'en' },
      { siteName: '站點', title: '言論自由與新聞自由是我們一直以來努力的方向，'.repeat(4), lang: 'zh-Hant' },
      { siteName: 'Site', title: 'A title long enough to be wrapped on two lines of the card', lang: 'en', accent: '#123456' },
      { siteName: 'Site', title: 'gjpqy Ágÿ', lang: 'en' },
      { siteName: 'A longer site name', title: 'Short', lang: 'en', accent: '#2a7' },
      { siteName: '站點', title: '', lang: 'zh-Hant' },
    ];
    for (const card of cards) {
      const { background, card: expected } = await composeCardRgb(card);
      const png = await render(card);
      expect(inflateSync(pngChunkData(png, 'IDAT')).length).toBe(630 * (1 + 1200));
      const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      // Every pixel is the RGB composition's, to the palette's step (1 of 255, 2 for a colour far from both ends) and libvips' own rounding.
      let worst = 0;
      for (let i = 0; i < data.length; i++) worst = Math.max(worst, Math.abs(data[i]! - expected[i]!));
      expect(worst, card.title).toBeLessThanOrEqual(3);
      // The band is exactly the accent as librsvg drew it.
      for (let y = 0; y < 630; y++) expect(data.subarray(y * 3600, y * 3600 + 24 * 3).equals(background.subarray(y * 3600, y * 3600 + 24 * 3)), `${card.title} band row ${y}`).toBe(true);
      const row = 1200 * 3;
      const differs = (y: number) => data.subarray(y * row, (y + 1) * row).some((v, i) => Math.abs(v - background[y * row + i]!) > 3);
      const inked = Array.from({ length: 630 }, (_, y) => y).filter(differs);
      if (!card.title) {
        expect(inked, card.title).toEqual([]);
        continue;
      }
      // The title's rows are one block below the site name and its rule; every row outside it is the background's.
      expect(inked.length, card.title).toBeGreaterThan(20);
      expect(inked[0], card.title).toBeGreaterThan(166);
      for (let y = inked[0]!; y <= inked.at(-1)!; y++) expect(data.subarray(y * row, y * row + 80 * 3).equals(background.subarray(y * row, y * row + 80 * 3)), `${card.title} row ${y}`).toBe(true);
    }
  });

  it('without baseUrl: no canonical, og:url or preview image (they must be absolute), and one warning saying how to fix it', async () => {
    const { output, diagnostics } = await buildWithDiagnostics(createConfigSource('\n  seal: { required: false },').replace("  baseUrl: 'https://test.example.org/',\n", ''));
    const pages = [...output.keys()].filter((p) => p.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(10);
    for (const path of pages) {
      const page = readOutputText(output, path)!;
      expect(page, path).not.toContain('rel="canonical"');
      for (const key of ['og:url', 'og:image', 'og:image:width', 'og:image:alt', 'twitter:image', 'twitter:image:alt']) expect(meta(page, key), `${path} ${key}`).toEqual([]);
      // Still a text preview: title, site name, locale.
      expect(meta(page, 'og:title'), path).toHaveLength(1);
      expect(meta(page, 'twitter:card'), path).toEqual(['summary']);
    }
    // A cover stays a page image, but is no preview image; no card is drawn for nobody to use.
    expect([...output.keys()].filter((p) => p.startsWith('assets/cards/'))).toEqual([]);
    const warnings = diagnostics.filter((d) => d.code === 'STELE2000');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.severity).toBe('warning');
    expect(warnings[0]!.file).toBe('stele.config.ts');
    expect(warnings[0]!.message).toContain('og:image');
    expect(warnings[0]!.hint).toContain('baseUrl');
  });

  it('with a baseUrl under a path: preview images and og:url are absolute under that path', async () => {
    const output = await build(createConfigSource('\n  seal: { required: false },').replace("baseUrl: 'https://test.example.org/'", "baseUrl: 'https://test.example.org/campaign/'"));
    const page = readOutputText(output, 'zh-hans/posts/plain/index.html')!;
    expect(meta(page, 'og:url')).toEqual(['https://test.example.org/campaign/zh-hans/posts/plain/']);
    const [image] = meta(page, 'og:image');
    expect(image).toMatch(/^https:\/\/test\.example\.org\/campaign\/assets\/cards\/card-[0-9a-f]{16}\.png$/);
    expect(output.has(image!.slice('https://test.example.org/campaign/'.length))).toBe(true);
    expect(meta(page, 'twitter:image')).toEqual([image]);
  });

  it('writes titles in the card in their script, wrapped and escaped', () => {
    expect(wrapCardText('言论自由与新闻自由是我们一直以来努力的方向', 8, 2)).toEqual(['言论自由与新闻自', '由是我们一直以…']);
    expect(wrapCardText('Free speech for all', 7, 3)).toEqual(['Free speech', 'for all']);
    const layers = createSocialCardLayers({ siteName: '<b>A & B</b>', title: '<script>x</script>\u0001&amp;', lang: 'zh-Hant' });
    for (const text of [layers.background, layers.titleMarkup]) {
      expect(text).not.toMatch(/<script>|<b>|\u0001|&amp;/);
      expect(text).not.toMatch(/href|url\(|<image/);
    }
    expect(layers.background).toContain('&#60;b&#62;A &#38; B&#60;/b&#62;');
    expect(layers.titleMarkup).toContain('&#60;script&#62;x&#60;/script&#62;&#38;amp;');
    expect(layers.background).toContain('Noto Sans CJK TC');
    expect(layers.titleFont).toMatch(/^Noto Sans CJK TC,.* Bold 64$/);
  });
});
