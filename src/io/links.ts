/**
 * The link port: what an atomic directory switch needs from a local disk besides
 * the `FileSystem` port (symbolic links renamed over each other, hard links for
 * unchanged files, the names in one folder).
 */
import { copyFile, link, readdir, readlink, symlink } from 'node:fs/promises';

/** Symbolic and hard links on a local disk. */
export interface LinkPort {
  /** Create a symbolic link at `path` pointing to `target` (a relative target is relative to the link's folder). */
  symlink(target: string, path: string): Promise<void>;
  /** The target of the symbolic link at `path`, or undefined when there is none. */
  readlink(path: string): Promise<string | undefined>;
  /** Hard-link `existing` as `path`; copy it when a link is not possible (another disk, no support). */
  linkOrCopy(existing: string, path: string): Promise<void>;
  /** The names in one folder, sorted; empty when it does not exist. */
  listNames(dir: string): Promise<string[]>;
}

/** The real disk. */
export function createNodeLinkPort(): LinkPort {
  return {
    symlink: (target, path) => symlink(target, path),
    readlink: (path) => readlink(path).catch(() => undefined),
    linkOrCopy: (existing, path) => link(existing, path).catch(() => copyFile(existing, path)),
    listNames: (dir) => readdir(dir).then((names) => names.sort(), () => []),
  };
}
