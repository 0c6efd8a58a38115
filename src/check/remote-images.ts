/**
 * Images `stele import` left on the old blog's host: the import links them
 * (never loads them) and records their addresses in `.stele/import.json`.
 * This check finds every page that still links one and warns, with the place,
 * so that the images can be brought over with `--media` before the old host
 * goes away (or starts serving something else).
 */
import { createDiagnostic } from '../errors/catalogue.js';
import { CheckRemoteImage } from '../errors/codes-import.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { createOffsetLocator } from '../harden/text-location.js';
import type { OutputFiles } from '../site/output.js';

const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

function decodeAttribute(value: string): string {
  return value.replace(/&(amp|quot|#39|#x27|lt|gt);/g, (_m, name: string) => ({ amp: '&', quot: '"', '#39': "'", '#x27': "'", lt: '<', gt: '>' })[name] ?? _m);
}

/** Warn on every link in an HTML page of `output` to an image address in `remoteImages`. */
export function checkRemoteImages(output: OutputFiles, remoteImages: readonly string[]): Diagnostic[] {
  if (!remoteImages.length) return [];
  const wanted = new Set(remoteImages);
  const diagnostics: Diagnostic[] = [];
  const decoder = new TextDecoder();
  for (const path of [...output.keys()].sort()) {
    if (!path.endsWith('.html')) continue;
    const text = decoder.decode(output.get(path)!);
    let locate: ((offset: number) => { line: number; column: number }) | undefined;
    for (const m of text.matchAll(HREF)) {
      const url = decodeAttribute(m[1] ?? m[2] ?? '');
      if (!wanted.has(url)) continue;
      locate ??= createOffsetLocator(text);
      diagnostics.push(createDiagnostic(CheckRemoteImage, { file: path, ...locate(m.index) }, url));
    }
  }
  return diagnostics;
}
