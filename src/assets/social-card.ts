/**
 * Preview cards for shared links (Open Graph / Twitter `summary_large_image`):
 * the site name and a page title drawn on a plain background: the background
 * from an SVG made here (librsvg), the title from Pango markup (sharp's text
 * input), both with the system's fonts (Noto CJK for Chinese), laid together
 * here and written as a palette PNG by `png-rows.ts`: image data and its
 * palette only, no metadata chunk; nothing is fetched from anywhere.
 */
import sharp, { type OutputInfo } from 'sharp';
import { combineAdler32, computeAdler32, createPalettePng, createRowDeflater, type DeflatedRows, deflateRowsSync, type RowDeflater, updateAdler32 } from './png-rows.js';

/** Size of every card (the Open Graph recommendation). */
export const SOCIAL_CARD_WIDTH = 1200;
export const SOCIAL_CARD_HEIGHT = 630;

/** What one card shows. */
export interface SocialCardOptions {
  siteName: string;
  title: string;
  /** Script of the text: picks the font (Simplified and Traditional Chinese glyph forms differ). */
  lang: 'en' | 'zh-Hans' | 'zh-Hant';
  /** Colour of the band and the site name (a CSS hex colour); default the theme's accent. */
  accent?: string;
}

const FONTS: Record<SocialCardOptions['lang'], string> = {
  en: "'Noto Sans', 'DejaVu Sans', 'Noto Sans CJK SC', sans-serif",
  'zh-Hans': "'Noto Sans CJK SC', 'Noto Sans SC', 'Noto Sans', sans-serif",
  'zh-Hant': "'Noto Sans CJK TC', 'Noto Sans TC', 'Noto Sans', sans-serif",
};

/** Escape for SVG and Pango markup (both XML); control characters, which XML refuses, are dropped. */
function escapeXml(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => `&#${c.codePointAt(0)};`);
}

/** Width of a character in ems, roughly (bold): Han, kana and full-width forms are 1, the rest 0.6. */
function charWidth(c: string): number {
  return /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(c) ? 1 : 0.6;
}

/**
 * Break `text` into at most `maxLines` lines of `maxEm` ems: at spaces for
 * Latin text, between any two characters for Chinese; the last line ends in
 * an ellipsis when the text is cut.
 */
export function wrapCardText(text: string, maxEm: number, maxLines: number): string[] {
  const tokens = text.trim().replace(/\s+/g, ' ').match(/[\u2e80-\ua4cf\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[\u{20000}-\u{3fffd}]|\S+|\s/gu) ?? [];
  const lines: string[] = [];
  let line = '';
  let width = 0;
  for (const token of tokens) {
    const w = [...token].reduce((n, c) => n + charWidth(c), 0);
    if (token === ' ') {
      if (line) {
        line += ' ';
        width += w;
      }
      continue;
    }
    if (width + w > maxEm && line.trim()) {
      lines.push(line.trimEnd());
      line = '';
      width = 0;
    }
    // A word longer than a line is cut by characters.
    for (const c of w > maxEm ? [...token] : [token]) {
      const cw = [...c].reduce((n, ch) => n + charWidth(ch), 0);
      if (width + cw > maxEm && line.trim()) {
        lines.push(line.trimEnd());
        line = '';
        width = 0;
      }
      line += c;
      width += cw;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = [...kept[maxLines - 1]!];
  while (last.length && last.reduce((n, c) => n + charWidth(c), 0) + 1 > maxEm) last.pop();
  kept[maxLines - 1] = `${last.join('').trimEnd()}…`;
  return kept;
}

/**
 * Version of the drawing: part of every card's cache key, so a change here never
 * reuses old cards; with the versions of what draws and compresses the bytes
 * (libvips with librsvg and Pango, zlib), which a new sharp or Node may change.
 */
export const SOCIAL_CARD_VERSION = `card-v7 vips-${sharp.versions.vips} zlib-${process.versions.zlib}`;

/** Where the title's text block is placed (its top left ink corner) and how large it may be. */
const TITLE_LEFT = 80;
const TITLE_TOP = 110;
const TITLE_SIZE = 64;
const TITLE_LINE = 83;
/** Width of the title's lines: Pango wraps a line the estimate of `wrapCardText` let run longer. */
const TITLE_WIDTH = SOCIAL_CARD_WIDTH - 160;

/**
 * What a card is drawn from: the background (band, site name, rule) as an
 * SVG, shared by every card of a site name, language and accent, so it is
 * rendered once per build; and the title as Pango markup with its font,
 * rendered by sharp's text input as a coverage mask (Pango lays out and
 * rasterizes the glyphs once, where librsvg fills every glyph outline again for
 * each strip of the image), laid on the background in the title colour.
 */
export interface SocialCardLayers {
  background: string;
  titleMarkup: string;
  titleFont: string;
}

/** The layers of a card (exported for tests); everything its bytes depend on. */
export function createSocialCardLayers(o: SocialCardOptions): SocialCardLayers {
  const accent = /^#[0-9a-fA-F]{3,8}$/.test(o.accent ?? '') ? o.accent! : '#8a1c12';
  const font = FONTS[o.lang];
  const site = wrapCardText(o.siteName, (SOCIAL_CARD_WIDTH - 160) / 40, 1)[0] ?? '';
  const background = `<svg xmlns="http://www.w3.org/2000/svg" width="${SOCIAL_CARD_WIDTH}" height="${SOCIAL_CARD_HEIGHT}" viewBox="0 0 ${SOCIAL_CARD_WIDTH} ${SOCIAL_CARD_HEIGHT}"><rect width="100%" height="100%" fill="#fdfcf8"/><rect width="24" height="100%" fill="${accent}"/><text x="80" y="130" font-size="40" font-weight="700" fill="${accent}" font-family="${font}">${escapeXml(site)}</text><rect x="80" y="160" width="120" height="6" fill="${accent}"/></svg>`;
  const lines = wrapCardText(o.title, TITLE_WIDTH / TITLE_SIZE, 4).map(escapeXml);
  // sharp crops rendered text to its ink: an invisible full block on a line of
  // its own above the title gives the text block the same top and left edge
  // whatever the glyphs; lines are a fixed 83 px apart (in 1024ths of a point, at 72 dpi).
  const titleMarkup = lines.length ? `<span line_height="${TITLE_LINE * 1024}"><span alpha="1">\u2588</span>${lines.map((l) => `\n${l}`).join('')}</span>` : '';
  const titleFont = `${font.replace(/'/g, '').replace(/, /g, ',')} Bold ${TITLE_SIZE}`;
  return { background, titleMarkup, titleFont };
}

/** Colour of the card's background and of the title (RGB), as in the background SVG and the theme. */
const BACKGROUND_COLOUR = [0xfd, 0xfc, 0xf8] as const;
const TITLE_COLOUR = [0x1c, 0x1b, 0x19] as const;

/**
 * The palette: every pixel of a card is a blend of the background colour with
 * the accent (band, site name, rule) or with the title colour (the title), so
 * coverage in 128 steps of each blend fits one palette (a step is under 2 of
 * 255 in any channel: invisible). Indices 0–127 go from the background (0) to
 * the accent as drawn (127); 128–255 from 1/128 of the title colour to all of it.
 */
const ACCENT_STEPS = 127;
const TITLE_STEPS = 128;

/** The palette index of the title's coverage `a` (0–255) of a pixel; 0 for no ink (the background's pixel stays). */
const TITLE_INDEX = Uint8Array.from({ length: 256 }, (_, a) => {
  const step = Math.round((a * TITLE_STEPS) / 255);
  return step === 0 ? 0 : ACCENT_STEPS + step;
});

/** The card's palette (256 RGB triples) for the accent as drawn on the background (the band's colour). */
function createPalette(accent: readonly number[]): Uint8Array {
  const palette = new Uint8Array(256 * 3);
  const blend = (to: readonly number[], step: number, steps: number, at: number) => {
    for (let c = 0; c < 3; c++) palette[at + c] = Math.round((BACKGROUND_COLOUR[c]! * (steps - step) + to[c]! * step) / steps);
  };
  for (let k = 0; k <= ACCENT_STEPS; k++) blend(accent, k, ACCENT_STEPS, k * 3);
  for (let k = 1; k <= TITLE_STEPS; k++) blend(TITLE_COLOUR, k, TITLE_STEPS, (ACCENT_STEPS + k) * 3);
  return palette;
}

/**
 * The palette index (0–127) of a background pixel: its place on the line from
 * the background colour to the accent as drawn (librsvg lays the accent on the
 * background with its antialiasing's coverage, so every pixel lies on it, to
 * rounding), projected in integers (the same index everywhere).
 */
function indexAccentPixel(r: number, g: number, b: number, accent: readonly number[]): number {
  const dr = accent[0]! - BACKGROUND_COLOUR[0];
  const dg = accent[1]! - BACKGROUND_COLOUR[1];
  const db = accent[2]! - BACKGROUND_COLOUR[2];
  const length = dr * dr + dg * dg + db * db;
  if (length === 0) return 0;
  const along = ((r - BACKGROUND_COLOUR[0]) * dr + (g - BACKGROUND_COLOUR[1]) * dg + (b - BACKGROUND_COLOUR[2]) * db) * ACCENT_STEPS;
  return Math.max(0, Math.min(ACCENT_STEPS, Math.floor((2 * along + length) / (2 * length))));
}

/** Bytes of one PNG scanline of a card: the filter byte (0, none) and a palette index a pixel. */
const ROW_BYTES = 1 + SOCIAL_CARD_WIDTH;

/** The title's coverage mask as sharp renders it (first channel), cut to what falls on the card (lines Pango had to wrap again). */
interface TitleMask {
  data: Uint8Array;
  width: number;
  channels: number;
  /** Columns and rows of the mask that fall on the card. */
  columns: number;
  rows: number;
}

/**
 * The title's coverage mask (exported for tests): Pango lays out and
 * rasterizes the markup in one band, cropped to its ink (the invisible block
 * above the first line keeps its top and left edge in place).
 */
export async function renderSocialCardTitle(layers: SocialCardLayers): Promise<{ data: Buffer; info: OutputInfo } | undefined> {
  if (!layers.titleMarkup) return undefined;
  // One band, as Pango draws it (sharp would otherwise make it sRGB: three copies of it, at twice the time).
  return sharp({ text: { text: layers.titleMarkup, font: layers.titleFont, dpi: 72, width: TITLE_WIDTH, wrap: 'word-char' } })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
}

/** The first and last row of the mask with ink (coverage above 0), or undefined when there is none. */
function findInkRows(mask: TitleMask): [number, number] | undefined {
  const hasInk = (y: number) => {
    for (let x = 0, i = y * mask.width * mask.channels; x < mask.columns; x++, i += mask.channels) if (mask.data[i] !== 0) return true;
    return false;
  };
  let first = 0;
  while (first < mask.rows && !hasInk(first)) first++;
  if (first === mask.rows) return undefined;
  let last = mask.rows - 1;
  while (!hasInk(last)) last--;
  return [first, last];
}

/**
 * Lay rows `first`..`last` of the title's mask on `rows`, the scanlines of
 * those rows of the card (copies of the background's): where the title inks,
 * the pixel becomes the palette's step of the title colour for its coverage
 * (the title lies below the rule and right of the band, on the plain
 * background). Returns what the Adler-32 of the rows needs to follow the
 * change (`updateAdler32`): the sum of the changes and of each change times
 * its distance from the end of `rows`.
 */
function blendMask(rows: Uint8Array, mask: TitleMask, first: number, last: number): [number, number] {
  let changes = 0;
  let weighted = 0;
  for (let y = first; y <= last; y++) {
    const line = (y - first) * ROW_BYTES + 1 + TITLE_LEFT;
    for (let x = 0, m = y * mask.width * mask.channels; x < mask.columns; x++, m += mask.channels) {
      const a = mask.data[m]!;
      if (a === 0) continue;
      const i = line + x;
      const d = TITLE_INDEX[a]! - rows[i]!;
      rows[i] += d;
      changes += d;
      weighted += (rows.length - i) * d;
    }
  }
  return [changes, weighted];
}

/**
 * A background and its compressed runs of rows: the rows above a card's title
 * (by the first row the title inks) and below it (by the row after its last),
 * compressed once and shared by every card on this background.
 */
interface Background {
  /** The card's palette: the accent's steps as drawn on this background, then the title colour's. */
  palette: Uint8Array;
  /** The PNG scanlines of the whole background (filter byte 0 and a palette index a pixel per row). */
  scanlines: Uint8Array;
  /** The Adler-32 of each scanline. */
  rowAdlers: Uint32Array;
  above: Map<number, DeflatedRows>;
  below: Map<number, DeflatedRows>;
}

/** The deflated background rows `from`..`to` (exclusive), kept in `runs` by `key`. */
function resolveBackgroundRun(background: Background, runs: Map<number, DeflatedRows>, key: number, from: number, to: number): DeflatedRows {
  let run = runs.get(key);
  if (!run) {
    run = deflateRowsSync(background.scanlines.subarray(from * ROW_BYTES, to * ROW_BYTES));
    runs.set(key, run);
  }
  return run;
}

/** The Adler-32 of the background's scanlines `from`..`to` (exclusive). */
function computeBackgroundAdler32(background: Background, from: number, to: number): number {
  let adler = 1;
  for (let y = from; y < to; y++) adler = combineAdler32(adler, background.rowAdlers[y]!, ROW_BYTES);
  return adler;
}

/**
 * A background as palette scanlines, from librsvg's RGB pixels of its SVG: the
 * accent as drawn is the band's top left pixel (whatever form the colour was
 * given in), and every pixel becomes its step on the line to it.
 */
function indexBackground(pixels: Uint8Array): Background {
  const accent = [pixels[0]!, pixels[1]!, pixels[2]!];
  const scanlines = new Uint8Array(ROW_BYTES * SOCIAL_CARD_HEIGHT);
  for (let y = 0; y < SOCIAL_CARD_HEIGHT; y++) {
    for (let x = 0, i = y * SOCIAL_CARD_WIDTH * 3, o = y * ROW_BYTES + 1; x < SOCIAL_CARD_WIDTH; x++, i += 3, o++) {
      scanlines[o] = indexAccentPixel(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, accent);
    }
  }
  const rowAdlers = Uint32Array.from({ length: SOCIAL_CARD_HEIGHT }, (_, y) => computeAdler32(scanlines.subarray(y * ROW_BYTES, (y + 1) * ROW_BYTES)));
  return { palette: createPalette(accent), scanlines, rowAdlers, above: new Map(), below: new Map() };
}

/**
 * A card renderer for one build: backgrounds are rendered once and kept (a few
 * per site: one per language), each card is its background with the title's
 * mask laid on it, as an opaque palette PNG (one byte a pixel: a third of the
 * bytes of RGB to lay, compress and store) with no metadata chunk at all. Only
 * the rows the title inks are compressed for each card (a few hundred of
 * 630); the background's rows above and below them are compressed once per
 * build (`png-rows.ts`).
 */
export function createSocialCardRenderer(): (o: SocialCardOptions) => Promise<Uint8Array> {
  const backgrounds = new Map<string, Promise<Background>>();
  // Row buffers and deflaters are reused from card to card (one of each per card being drawn
  // at once): a fresh buffer per card makes V8 collect a large build's whole heap again and
  // again, a fresh zlib state costs more than the compression in it (`createRowDeflater`).
  const spare: { buffer: Buffer; deflater: RowDeflater }[] = [];
  return async (o) => {
    const layers = createSocialCardLayers(o);
    let pending = backgrounds.get(layers.background);
    if (!pending) {
      pending = sharp(Buffer.from(layers.background), { density: 72 }).removeAlpha().raw().toBuffer().then(indexBackground);
      backgrounds.set(layers.background, pending);
    }
    const rendered = await renderSocialCardTitle(layers);
    const background = await pending;
    const mask: TitleMask | undefined = rendered && {
      data: rendered.data,
      width: rendered.info.width,
      channels: rendered.info.channels,
      columns: Math.min(rendered.info.width, SOCIAL_CARD_WIDTH - TITLE_LEFT),
      rows: Math.min(rendered.info.height, SOCIAL_CARD_HEIGHT - TITLE_TOP),
    };
    const ink = mask && findInkRows(mask);
    if (!mask || !ink) {
      return createPalettePng(SOCIAL_CARD_WIDTH, SOCIAL_CARD_HEIGHT, background.palette, [resolveBackgroundRun(background, background.above, SOCIAL_CARD_HEIGHT, 0, SOCIAL_CARD_HEIGHT)]);
    }
    const [first, last] = ink;
    const top = TITLE_TOP + first;
    const bottom = TITLE_TOP + last + 1;
    const slot = spare.pop() ?? { buffer: Buffer.allocUnsafe(ROW_BYTES * (SOCIAL_CARD_HEIGHT - TITLE_TOP)), deflater: createRowDeflater() };
    try {
      const rows = slot.buffer.subarray(0, (bottom - top) * ROW_BYTES);
      rows.set(background.scanlines.subarray(top * ROW_BYTES, bottom * ROW_BYTES));
      const [changes, weighted] = blendMask(rows, mask, first, last);
      const title = await slot.deflater.deflate(rows, updateAdler32(computeBackgroundAdler32(background, top, bottom), changes, weighted));
      const above = resolveBackgroundRun(background, background.above, top, 0, top);
      const below = resolveBackgroundRun(background, background.below, bottom, bottom, SOCIAL_CARD_HEIGHT);
      return createPalettePng(SOCIAL_CARD_WIDTH, SOCIAL_CARD_HEIGHT, background.palette, [above, title, below]);
    } finally {
      spare.push(slot);
    }
  };
}

/** Render one card (a build uses one `createSocialCardRenderer` for all its cards). */
export async function renderSocialCard(o: SocialCardOptions): Promise<Uint8Array> {
  return createSocialCardRenderer()(o);
}
