/**
 * Content references to files (`![…](./photo.jpg)`, `cover.src`, portraits,
 * event photos) are paths relative to the Markdown file that must stay inside
 * the content folder. This module resolves them lexically (percent-decoding,
 * `..`, absolute paths); the build then resolves symbolic links through the
 * host's `realpath` and refuses anything whose real path leaves the folder.
 *
 * Invariant: every file the build reads from a content reference resolves,
 * after percent-decoding, `..` and symbolic links, inside the content folder.
 */
import { posix } from 'node:path';

/** Why a reference was refused. */
export type ContentPathProblem = 'malformed' | 'absolute' | 'outside';

/** A resolved reference: a project-relative path inside the content folder, or the reason it is refused. */
export type ContentPathResult = { ok: true; path: string } | { ok: false; problem: ContentPathProblem };

/** True for `scheme:` and protocol-relative `//host` references (external; reported elsewhere). */
export function isExternalReference(src: string): boolean {
  return /^[a-z][a-z0-9+.-]*:|^[\\/]{2}/i.test(src.trim());
}

/**
 * Percent-decode a reference path (query and fragment removed).
 * Undefined for malformed escapes (`%zz`, invalid UTF-8) and NUL bytes.
 */
export function decodeReferencePath(src: string): string | undefined {
  const bare = src.split(/[?#]/)[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(bare);
  } catch {
    return undefined;
  }
  return decoded.includes('\u0000') ? undefined : decoded;
}

/**
 * Resolve `src`, written in the project-relative file `fromFile`, against the
 * content folder `contentRel` (project-relative, e.g. `content`). Backslashes
 * count as separators, so `..\\..\\x` cannot slip past on any platform.
 */
export function resolveContentReference(fromFile: string, src: string, contentRel: string): ContentPathResult {
  const decoded = decodeReferencePath(src);
  if (decoded === undefined) return { ok: false, problem: 'malformed' };
  const slashed = decoded.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[a-z]:/i.test(slashed) || slashed.startsWith('~')) return { ok: false, problem: 'absolute' };
  const path = posix.normalize(posix.join(posix.dirname(fromFile), slashed));
  const folder = contentRel.replace(/\/+$/, '');
  if (!path.startsWith(`${folder}/`) || path.split('/').includes('..')) return { ok: false, problem: 'outside' };
  return { ok: true, path };
}

/** The content folder relative to the project root (absolute when it lies outside the root). */
export function resolveContentFolder(root: string, contentDirAbs: string): string {
  return contentDirAbs.startsWith(`${root}/`) ? contentDirAbs.slice(root.length + 1) : contentDirAbs;
}
