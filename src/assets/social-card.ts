/**
 * Preview cards for shared links (Open Graph / Twitter `summary_large_image`):
 * the site name and a page title drawn on a plain background, from an SVG made
 * here and rendered to PNG by sharp (librsvg with the system's fonts: Noto CJK
 * for Chinese). PNGs from sharp carry no metadata unless asked; nothing is
 * fetched from anywhere.
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

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.codePointAt(0)};`);
}

/** Width of a character in ems, roughly: Han, kana and full-width forms are 1, the rest about half. */
function charWidth(c: string): number {
  return /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(c) ? 1 : 0.56;
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

/** The SVG of a card (exported for tests). */
export function createSocialCardSvg(o: SocialCardOptions): string {
  const accent = /^#[0-9a-fA-F]{3,8}$/.test(o.accent ?? '') ? o.accent! : '#8a1c12';
  const font = FONTS[o.lang];
  const size = 64;
  const lines = wrapCardText(o.title, (SOCIAL_CARD_WIDTH - 160) / size, 4);
  const top = 250;
  const title = lines
    .map((l, i) => `<text x="80" y="${top + i * size * 1.3}" font-size="${size}" font-weight="700" fill="#1c1b19" font-family="${font}">${escapeXml(l)}</text>`)
    .join('');
  const site = wrapCardText(o.siteName, (SOCIAL_CARD_WIDTH - 160) / 40, 1)[0] ?? '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SOCIAL_CARD_WIDTH}" height="${SOCIAL_CARD_HEIGHT}" viewBox="0 0 ${SOCIAL_CARD_WIDTH} ${SOCIAL_CARD_HEIGHT}"><rect width="100%" height="100%" fill="#fdfcf8"/><rect width="24" height="100%" fill="${accent}"/><text x="80" y="130" font-size="40" font-weight="700" fill="${accent}" font-family="${font}">${escapeXml(site)}</text><rect x="80" y="160" width="120" height="6" fill="${accent}"/>${title}</svg>`;
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

/** Render a card to PNG (full colour: palette quantization is ten times slower; no metadata chunk at all). */
export async function renderSocialCard(o: SocialCardOptions): Promise<Uint8Array> {
  // zlib level 7: half the time of level 9 for cards about 7% larger (a cold build draws one per entry).
  const png = await sharp(Buffer.from(createSocialCardSvg(o)), { density: 72 }).png({ compressionLevel: 7 }).toBuffer();
  return stripPngChunks(new Uint8Array(png));
}
