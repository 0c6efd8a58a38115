/**
 * `stele dev`'s file watching: `watchFolderTree` on a real folder (edits,
 * additions in a new folder, removals, ignored folders, a linked file) and
 * `createCachedFileSystem`, which keeps what it read until the watcher reports
 * a change. Every watcher a test starts is closed, even when it fails.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCachedFileSystem } from '../../src/io/cached-fs.js';
import { createMemoryFileSystem } from '../../src/io/memory-fs.js';
import { watchFolderTree } from '../../src/io/watch-tree.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A temporary project: `content/posts/a.md`, an ignored `node_modules/`, and a file outside it. */
function makeTree() {
  const dir = mkdtempSync(join(tmpdir(), 'stele-watch-'));
  dirs.push(dir);
  const root = join(dir, 'site');
  mkdirSync(join(root, 'content/posts'), { recursive: true });
  mkdirSync(join(root, 'node_modules/pkg'), { recursive: true });
  writeFileSync(join(root, 'content/posts/a.md'), 'a');
  writeFileSync(join(root, 'node_modules/pkg/x.js'), 'x');
  writeFileSync(join(dir, 'outside.md'), 'outside');
  return { dir, root };
}

/** A watcher whose batches can be awaited: `next(test)` resolves with the first batch, from now on, holding a path `test` accepts. */
function startWatcher(root: string) {
  const seen: string[][] = [];
  let waiter: { test: (p: string) => boolean; resolve: (batch: string[]) => void } | undefined;
  const watcher = watchFolderTree(root, {
    ignore: (path) => /(^|\/)node_modules(\/|$)/.test(path),
    onChange: (paths) => {
      seen.push(paths);
      if (waiter && paths.some(waiter.test)) {
        waiter.resolve(paths);
        waiter = undefined;
      }
    },
  });
  const next = (test: (p: string) => boolean) =>
    new Promise<string[]>((resolve) => {
      waiter = { test, resolve };
    });
  return { watcher, seen, next };
}

describe('watchFolderTree', () => {
  it('reports edits, a new folder with what it holds, edits in it and removals, and nothing from an ignored folder', async () => {
    const { root } = makeTree();
    const { watcher, seen, next } = startWatcher(root);
    try {
      const post = join(root, 'content/posts/a.md');
      let batch = next((p) => p === post);
      writeFileSync(post, 'a, edited');
      expect(await batch).toContain(post);

      // A change in the ignored folder, then one that is watched: only the second is reported.
      seen.length = 0;
      writeFileSync(join(root, 'node_modules/pkg/x.js'), 'changed');
      batch = next((p) => p === post);
      writeFileSync(post, 'a, edited again');
      await batch;
      expect(seen.flat().filter((p) => p.includes('node_modules'))).toEqual([]);

      // A new folder: its file is reported, and the folder is watched from then on.
      const added = join(root, 'content/posts/nested/b.md');
      batch = next((p) => p === added);
      mkdirSync(join(root, 'content/posts/nested'));
      writeFileSync(added, 'b');
      await batch;
      expect(watcher.covers(added)).toBe(true);
      batch = next((p) => p === added);
      writeFileSync(added, 'b, edited');
      await batch;

      batch = next((p) => p === added);
      rmSync(join(root, 'content/posts/nested'), { recursive: true });
      await batch;
      expect(watcher.covers(added)).toBe(false);

      // A folder removed and made again under the same name (a checkout, say): the new one is watched.
      const again = join(root, 'content/posts/nested/c.md');
      batch = next((p) => p === again);
      mkdirSync(join(root, 'content/posts/nested'));
      writeFileSync(again, 'c');
      await batch;
      batch = next((p) => p === again);
      rmSync(join(root, 'content/posts/nested'), { recursive: true });
      mkdirSync(join(root, 'content/posts/nested'));
      writeFileSync(again, 'c, made again');
      await batch;
      batch = next((p) => p === again);
      writeFileSync(again, 'c, edited in the new folder');
      await batch;
      expect(watcher.covers(again)).toBe(true);
    } finally {
      watcher.close();
    }
  });

  it('follows a link to a file outside the root: an edit of its target is reported at the link', async () => {
    const { dir, root } = makeTree();
    const link = join(root, 'content/posts/linked.md');
    symlinkSync(join(dir, 'outside.md'), link);
    const { watcher, next } = startWatcher(root);
    try {
      expect(watcher.covers(link)).toBe(true);
      expect(watcher.covers(join(root, 'content/posts/a.md'))).toBe(true);
      expect(watcher.covers(join(root, 'node_modules/pkg/x.js'))).toBe(false);
      expect(watcher.covers(join(dir, 'outside.md'))).toBe(false);
      const batch = next((p) => p === link);
      writeFileSync(join(dir, 'outside.md'), 'outside, edited');
      expect(await batch).toContain(link);
    } finally {
      watcher.close();
    }
  });
});

describe('createCachedFileSystem', () => {
  it('reads a covered file once until it is forgotten, and an uncovered one every time', async () => {
    const memory = createMemoryFileSystem({ '/s/a.md': 'a', '/s/b.md': 'b', '/s/sub/c.md': 'c', '/other.md': 'o' });
    const disk = { ...memory, readFiles: (paths: readonly string[]) => Promise.all(paths.map((p) => memory.readFile(p))) };
    const { fs, forget } = createCachedFileSystem(disk, (path) => path.startsWith('/s/'));
    const first = await fs.readFile('/s/a.md');
    expect(await fs.readFile('/s/a.md')).toBe(first);
    const [a, b, c, other] = await fs.readFiles!(['/s/a.md', '/s/b.md', '/s/sub/c.md', '/other.md']);
    expect(a).toBe(first);
    expect(new TextDecoder().decode(b)).toBe('b');

    // Changed on disk: still the kept bytes until the watcher says so.
    await disk.writeFile('/s/a.md', 'a2');
    await disk.writeFile('/other.md', 'o2');
    expect(new TextDecoder().decode(await fs.readFile('/s/a.md'))).toBe('a');
    expect(new TextDecoder().decode(await fs.readFile('/other.md'))).toBe('o2');
    expect(await fs.readFile('/other.md')).not.toBe(other);
    forget(['/s/a.md']);
    expect(new TextDecoder().decode(await fs.readFile('/s/a.md'))).toBe('a2');
    expect(await fs.readFile('/s/b.md')).toBe(b);

    // A folder forgotten (renamed, removed): everything under it.
    await disk.writeFile('/s/sub/c.md', 'c2');
    forget(['/s/sub']);
    const [c2] = await fs.readFiles!(['/s/sub/c.md']);
    expect(c2).not.toBe(c);
    expect(new TextDecoder().decode(c2)).toBe('c2');

    // Written through it: forgotten too.
    await fs.writeFile('/s/b.md', 'b2');
    expect(new TextDecoder().decode(await fs.readFile('/s/b.md'))).toBe('b2');
  });
});
