/**
 * A `stele dev` search build stopped by an edit (`BuildOptions.signal`): the
 * build ends as `aborted` once its search index stops, no index is
 * remembered, and the next build from the same cache renders nothing again
 * and gives the bytes of a fresh build.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type BuildCache, buildProject, digestOutput } from '../../src/build/build-project.js';
import { createNodeHost } from '../../src/io/host.js';
import { Memo } from '../../src/io/memo.js';
import type { SearchChunkIndex } from '../../src/site/search-pagefind.js';
import { copyExampleSources } from '../helpers/temp-site.js';

const now = new Date('2026-11-25T12:00:00Z');
const host = { ...createNodeHost({ quiet: true }), now: () => now };
const dir = copyExampleSources('stele-search-abort-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a search build stopped by an edit', () => {
  it('ends as aborted, remembers no index, and keeps the cache for the next build', async () => {
    const cache: BuildCache = { processed: new Map() };
    // The edit build serves the last index; the search build after it makes a new one.
    const first = await buildProject({ root: dir, host, mode: 'development', write: false, cache });
    expect(first.ok).toBe(true);
    const searchEntries = cache.search!.size;
    // No index remembered: this build must make one (a new table), and is stopped while it does.
    const search = new Memo<SearchChunkIndex>();
    const controller = new AbortController();
    const stopped = await buildProject({
      root: dir,
      host,
      mode: 'development',
      write: false,
      cache: { ...cache, search },
      signal: controller.signal,
      // The edit comes in as soon as the build waits for its index.
      onProgress: (stage) => {
        if (stage === 'harden') controller.abort();
      },
    });
    expect(stopped.aborted).toBe(true);
    expect(stopped.ok).toBe(false);
    expect(search.size).toBe(0);
    expect(cache.search!.size).toBe(searchEntries);

    const next = await buildProject({ root: dir, host, mode: 'development', write: false, cache });
    expect(next.ok).toBe(true);
    expect(next.stats.rendered).toBe(0);
    const fresh = await buildProject({ root: dir, host, mode: 'development', write: false });
    expect(digestOutput(next.output!)).toBe(digestOutput(fresh.output!));
  }, 180_000);
});
