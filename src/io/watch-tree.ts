/**
 * A folder tree watched for `stele dev`: one `fs.watch` (inotify, FSEvents,
 * ReadDirectoryChangesW) per folder, reporting the path of each file or folder
 * that changed. Unlike a general watcher it keeps no listing of its own: a
 * change in a folder is not answered by reading that folder again (chokidar
 * re-lists a folder of thousands of posts on every save), only a new folder is
 * read, to watch it and report what it already holds.
 */
import { type Dirent, type FSWatcher, lstatSync, readdirSync, realpathSync, statSync, watch } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** A running tree watcher. */
export interface TreeWatcher {
  /**
   * True when a change to `path` (absolute) is reported: it lies in a watched
   * folder (or is a watched symbolic link to a file), not under an ignored one.
   */
  covers(path: string): boolean;
  close(): void;
}

export interface WatchTreeOptions {
  /** Paths (relative to the root, `/`-separated) not to watch or report; an ignored folder is not entered. */
  ignore?: (relativePath: string) => boolean;
  /**
   * Called with the absolute paths that changed (added, changed, removed or
   * renamed; a new folder with every path in it), in batches: the events the
   * system delivered together come in one call.
   */
  onChange: (paths: string[]) => void;
}

/**
 * Watch `root` and every folder under it (symbolic links followed, each real
 * folder once). A folder's own watcher stops when it is removed; a folder
 * added later is watched from then on.
 */
export function watchFolderTree(root: string, options: WatchTreeOptions): TreeWatcher {
  /** Watched folders (and linked files) by the path they are reached at. */
  const watchers = new Map<string, FSWatcher>();
  /** Real paths already watched, so that a link loop is entered once. */
  const realOf = new Map<string, string>();
  const reals = new Set<string>();
  let closed = false;
  let batch: Set<string> | undefined;
  const ignored = (abs: string) => {
    const rel = relative(root, abs).split(sep).join('/');
    return rel !== '' && (rel.startsWith('../') || options.ignore?.(rel) === true);
  };
  const report = (abs: string) => {
    if (closed || ignored(abs)) return;
    if (!batch) {
      batch = new Set();
      // Everything the system delivered in this turn of the event loop is one batch.
      setImmediate(() => {
        const paths = [...batch!];
        batch = undefined;
        if (!closed) options.onChange(paths);
      });
    }
    batch.add(abs);
  };
  const stop = (abs: string) => {
    for (const [path, watcher] of watchers) {
      if (path === abs || path.startsWith(`${abs}${sep}`)) {
        watcher.close();
        watchers.delete(path);
        const real = realOf.get(path);
        if (real !== undefined) reals.delete(real);
        realOf.delete(path);
      }
    }
  };
  /**
   * Start watching `abs` when it is a folder or a link (a plain file is
   * reported by its folder's watcher); `announce`: report what a new folder holds.
   */
  const add = (abs: string, announce: boolean) => {
    if (closed || watchers.has(abs) || ignored(abs)) return;
    let real: string;
    let isDir: boolean;
    try {
      const own = lstatSync(abs);
      if (!own.isDirectory() && !own.isSymbolicLink()) return;
      real = realpathSync.native(abs);
      isDir = own.isDirectory() || statSync(real).isDirectory();
    } catch {
      return; // gone already, or a dangling link
    }
    if (reals.has(real)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(abs, { persistent: true }, (_event, name) => {
        if (!isDir || !name) return report(abs);
        const path = join(abs, name.toString());
        report(path);
        // A name that is (now) a folder or a link is watched from now on. A watched one is watched
        // anew, with what it holds reported: it may have gone, or been removed and made again (its
        // inode number can be the old one's), and its folder hears of it only then.
        if (watchers.has(path)) stop(path);
        add(path, true);
      });
    } catch {
      return; // removed meanwhile, or not readable
    }
    watcher.on('error', () => stop(abs));
    watchers.set(abs, watcher);
    realOf.set(abs, real);
    reals.add(real);
    if (!isDir) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(abs, entry.name);
      if (announce) report(path);
      if (entry.isDirectory() || entry.isSymbolicLink()) add(path, announce);
    }
  };
  add(root, false);
  return {
    covers(path) {
      if (closed || ignored(path)) return false;
      if (watchers.has(path)) return true;
      const parent = path.slice(0, path.lastIndexOf(sep));
      const real = realOf.get(parent);
      if (real === undefined || !watchers.has(parent)) return false;
      // A plain file of a watched folder (a link to a file is covered only through its own watcher, above).
      try {
        return realpathSync.native(path) === join(real, path.slice(parent.length + 1));
      } catch {
        return false;
      }
    },
    close() {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
