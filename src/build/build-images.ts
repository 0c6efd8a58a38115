/**
 * The build's `assets` step: read every image the content refers to (or make a
 * placeholder portrait), process each once through the sharp pipeline, and
 * return them by project path.
 */
import { join } from 'node:path';
import { createFileSystemImageCache, createPlaceholderPortrait, type ImageJob, processImages } from '../assets/index.js';
import type { ProcessedImage } from '../assets/types.js';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { resolveContentFolder } from '../content/content-path.js';
import { collectImageRequests } from '../content/image-refs.js';
import type { ContentSet } from '../content/load-content.js';
import { createDiagnostic } from '../errors/catalogue.js';
import { ContentImageOutside, ContentMissingImage } from '../errors/codes-core.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { Host } from '../io/host.js';
import { hashKey } from '../io/memo.js';

/** Processed images of the content, by project-relative source path. */
export interface ContentImages {
  byPath: Map<string, ProcessedImage>;
  diagnostics: Diagnostic[];
}

/**
 * Process the content's images. `processed` (kept by `stele dev`) holds results
 * by source bytes and blur regions, so an unchanged image is never re-encoded
 * and a changed one always is.
 */
export async function processContentImages(
  config: ResolvedConfig,
  content: ContentSet,
  host: Host,
  processed: Map<string, ProcessedImage>,
  onProgress?: (done: number, total: number) => void,
): Promise<ContentImages> {
  const collected = collectImageRequests(content, resolveContentFolder(config.root, config.contentDirAbs));
  const diagnostics: Diagnostic[] = [...collected.diagnostics];
  const requests = collected.requests;
  // Symbolic links are followed to their real place, which must be inside the content folder too.
  const contentReal = await host.fs.realpath(config.contentDirAbs).catch(() => config.contentDirAbs);
  const keys = new Map<string, string>();
  const todo: { key: string; job: ImageJob }[] = [];
  for (const req of requests) {
    let input: Uint8Array | undefined;
    if (req.placeholderSeed) {
      // A placeholder is a pure function of its seed: no need to draw it again to know its key.
      const key = hashKey('placeholder', req.path, req.placeholderSeed, JSON.stringify(req.blur));
      keys.set(req.path, key);
      if (processed.has(key) || todo.some((t) => t.key === key)) continue;
      input = await createPlaceholderPortrait({ seed: req.placeholderSeed });
      todo.push({ key, job: { input, sourcePath: req.path, blur: req.blur.length ? req.blur : undefined } });
      continue;
    }
    const abs = join(config.root, req.path);
    const real = await host.fs.realpath(abs).catch(() => undefined);
    if (real !== undefined && !real.startsWith(`${contentReal}/`)) {
      diagnostics.push(
        createDiagnostic(ContentImageOutside, { file: req.file, ...(req.line ? { line: req.line } : {}) }, req.src, 'is a symbolic link to a file outside the content folder'),
      );
      continue;
    }
    if (real !== undefined) input = await host.fs.readFile(real).catch(() => undefined);
    if (!input) {
      // Markdown images are reported by render, with their line.
      if (!req.fromMarkdown) diagnostics.push(createDiagnostic(ContentMissingImage, { file: req.file }, req.path));
      continue;
    }
    const key = hashKey(req.path, JSON.stringify(req.blur), input);
    keys.set(req.path, key);
    if (!processed.has(key) && !todo.some((t) => t.key === key)) {
      todo.push({ key, job: { input, sourcePath: req.path, blur: req.blur.length ? req.blur : undefined } });
    }
  }
  onProgress?.(0, todo.length);
  const cache = createFileSystemImageCache(host.fs, join(config.root, 'node_modules', '.cache', 'stele', 'images'));
  const { results } = await processImages(
    todo.map((t) => t.job),
    { cache },
  );
  results.forEach((r, i) => {
    processed.set(todo[i]!.key, r);
  });
  onProgress?.(todo.length, todo.length);
  const byPath = new Map<string, ProcessedImage>();
  const requestByPath = new Map(requests.map((r) => [r.path, r]));
  for (const [path, key] of keys) {
    const r = processed.get(key);
    if (!r) continue;
    byPath.set(path, r);
    // Every build reports the image's problems (also when its result comes from an earlier
    // build), at the content file and line that refer to it, naming the image.
    const req = requestByPath.get(path);
    for (const d of r.diagnostics) {
      if (!req || req.placeholderSeed) diagnostics.push(d);
      else diagnostics.push({ ...d, file: req.file, ...(req.line ? { line: req.line } : {}), message: `${req.path}: ${d.message}` });
    }
  }
  return { byPath, diagnostics };
}
