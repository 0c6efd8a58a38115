/**
 * WCAG 2 contrast of theme colours: the accent colour of `theme.accent` is
 * checked against the theme's page background (and the tinted background of
 * notices and badges derived from it) before any page is built.
 */

/** The light theme's page background (`--bg` in the theme CSS). */
export const THEME_BACKGROUND = '#fdfcf8';

/** WCAG AA for normal text. */
export const MIN_CONTRAST = 4.5;

function channels(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** Relative luminance of a `#rrggbb` colour (WCAG 2.2). */
export function computeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio of two `#rrggbb` colours, 1..21. */
export function computeContrastRatio(a: string, b: string): number {
  const [hi, lo] = [computeLuminance(a), computeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `amount` of `a` over `b` (0 → b, 1 → a). */
export function mixColours(a: string, b: string, amount: number): string {
  const ca = channels(a);
  const cb = channels(b);
  return toHex([0, 1, 2].map((i) => ca[i]! * amount + cb[i]! * (1 - amount)) as [number, number, number]);
}

/** The tinted background of notices and badges for an accent colour. */
export function resolveAccentBackground(accent: string): string {
  return mixColours(accent, THEME_BACKGROUND, 0.1);
}

/** The lowest contrast of `accent` as text on the page background and on its tint. */
export function resolveAccentContrast(accent: string): number {
  return Math.min(computeContrastRatio(accent, THEME_BACKGROUND), computeContrastRatio(accent, resolveAccentBackground(accent)));
}
