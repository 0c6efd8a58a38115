/**
 * File names and slugs. A slug becomes a folder in the output, so anything
 * that could escape the output folder or confuse a reader is refused.
 */

import { pinyin } from 'pinyin-pro';

const BIDI_OR_CONTROL = /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/** Why `name` cannot be a URL segment, or undefined when it can. */
export function explainUnsafeSlug(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (BIDI_OR_CONTROL.test(name)) return 'it contains control or bidirectional-override characters';
  if (name.includes('/') || name.includes('\\')) return 'it contains a path separator';
  if (name === '.' || name === '..' || name.includes('..')) return 'it contains `..`';
  if (name.length > 80) return `it is ${name.length} characters long (at most 80)`;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return 'only lowercase ASCII letters, digits and hyphens are allowed, starting with a letter or digit';
  return undefined;
}

/** Turn arbitrary text into a safe ASCII slug; Chinese becomes pinyin (`言论自由` → `yan-lun-zi-you`). May return ''. */
export function slugify(text: string): string {
  const romanised = /[\u3400-\u9fff\uf900-\ufaff]/.test(text)
    ? pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join(' ')
    : text;
  return romanised
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

/** Split `name.lang.md` into base name and language suffix. */
export function splitContentFileName(fileName: string): { base: string; suffix?: string } {
  const m = /^(.*)\.([A-Za-z]{2}(?:-[A-Za-z]{4})?)\.md$/.exec(fileName);
  if (!m) return { base: fileName.replace(/\.md$/, '') };
  return { base: m[1]!, suffix: m[2] };
}

/** Posts may start with a date: `2012-02-14-rally` → slug `rally`. */
export function stripDatePrefix(base: string): string {
  return base.replace(/^\d{4}-\d{2}-\d{2}-/, '');
}
