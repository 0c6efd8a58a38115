/**
 * Preview cards for shared links (Open Graph / Twitter `summary_large_image`):
 * the site name and a page title drawn on a plain background: the background
 * from an SVG made here (librsvg), the title from Pango markup (sharp's text
 * input), both with the system's fonts (Noto CJK for Chinese), composited and
 * encoded to PNG by sharp. PNGs from sharp carry no metadata unless asked, and
 * every chunk but the image data is dropped; nothing is fetched from anywhere.
 */
import sharp from 'sharp';

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

/** Version of the drawing: part of every card's cache key, so a change here never reuses old cards. */
export const SOCIAL_CARD_VERSION = 'card-v4';

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

/** PNG chunks a card keeps: image data only (no text, time, physical size, colour profile or EXIF). */
const KEPT_CHUNKS = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);

/** Drop every PNG chunk but the image data (each chunk carries its own CRC, so the rest stay valid). */
export function stripPngChunks(png: Uint8Array): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const parts: Uint8Array[] = [png.subarray(0, 8)];
  for (let i = 8; i + 12 <= png.length; ) {
    const end = i + 12 + view.getUint32(i);
    if (KEPT_CHUNKS.has(String.fromCharCode(...png.subarray(i + 4, i + 8)))) parts.push(png.subarray(i, end));
    i = end;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Colour of the title (RGB). */
const TITLE_COLOUR = [0x1c, 0x1b, 0x19] as const;

/**
 * Lay the title's coverage mask (first channel) on the RGB card at the title's
 * place, in the title colour, with integer arithmetic (the same bytes
 * everywhere); what falls outside the card (lines Pango had to wrap again) is cut.
 */
function blendMask(pixels: Uint8Array, mask: Uint8Array, width: number, height: number, channels: number): void {
  const w = Math.min(width, SOCIAL_CARD_WIDTH - TITLE_LEFT);
  const h = Math.min(height, SOCIAL_CARD_HEIGHT - TITLE_TOP);
  const [r, g, b] = TITLE_COLOUR;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const a = mask[(y * width + x) * channels]!;
      if (a === 0) continue;
      const i = ((TITLE_TOP + y) * SOCIAL_CARD_WIDTH + TITLE_LEFT + x) * 3;
      pixels[i] = ((r * a + pixels[i]! * (255 - a) + 127) / 255) | 0;
      pixels[i + 1] = ((g * a + pixels[i + 1]! * (255 - a) + 127) / 255) | 0;
      pixels[i + 2] = ((b * a + pixels[i + 2]! * (255 - a) + 127) / 255) | 0;
    }
  }
}

/**
 * A card renderer for one build: backgrounds are rendered once and kept (a few
 * per site: one per language), each card is a copy of its background with the
 * title's mask laid on it, encoded as an opaque RGB PNG (no alpha channel to store;
 * full colour: palette quantization is ten times slower) with no metadata
 * chunk at all.
 */
export function createSocialCardRenderer(): (o: SocialCardOptions) => Promise<Uint8Array> {
  const backgrounds = new Map<string, Promise<Buffer>>();
  // Pixel buffers are reused from card to card (one per card being drawn at once): a fresh
  // 2 MB buffer per card makes V8 collect a large build's whole heap again and again.
  const spare: Buffer[] = [];
  return async (o) => {
    const layers = createSocialCardLayers(o);
    let background = backgrounds.get(layers.background);
    if (!background) {
      background = sharp(Buffer.from(layers.background), { density: 72 }).removeAlpha().raw().toBuffer();
      backgrounds.set(layers.background, background);
    }
    const mask = layers.titleMarkup
      ? await sharp({ text: { text: layers.titleMarkup, font: layers.titleFont, dpi: 72, width: TITLE_WIDTH, wrap: 'word-char' } }).raw().toBuffer({ resolveWithObject: true })
      : undefined;
    const pixels = spare.pop() ?? Buffer.allocUnsafe(SOCIAL_CARD_WIDTH * SOCIAL_CARD_HEIGHT * 3);
    try {
      (await background).copy(pixels);
      if (mask) blendMask(pixels, mask.data, mask.info.width, mask.info.height, mask.info.channels);
      // zlib level 7: half the time of level 9 for cards about 7% larger (a cold build draws one per entry).
      const png = await sharp(pixels, { raw: { width: SOCIAL_CARD_WIDTH, height: SOCIAL_CARD_HEIGHT, channels: 3 } })
        .png({ compressionLevel: 7 })
        .toBuffer();
      return stripPngChunks(new Uint8Array(png));
    } finally {
      spare.push(pixels);
    }
  };
}

/** Render one card (a build uses one `createSocialCardRenderer` for all its cards). */
export async function renderSocialCard(o: SocialCardOptions): Promise<Uint8Array> {
  return createSocialCardRenderer()(o);
}
