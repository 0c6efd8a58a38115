/**
 * `npx tsx bench/dev-only.ts [pairs]`: only the dev edit latency of `npm run
 * bench`, on a generated site of `pairs` post pairs (default 200), from dist/.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureDevEditLatency } from './dev-latency.js';
import { resolvePostFile, writeBenchSites } from './generate-site.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pairs = Number(process.argv[2] ?? 200);
const dir = join(ROOT, 'bench', 'out', 'site-dev-only');
const site = await writeBenchSites({ posts: pairs, words: 1000, dir, siteId: 'bench-small' });
const result = await measureDevEditLatency({
  steleBin: join(ROOT, 'bin', 'stele.js'),
  siteDir: dir,
  postFile: resolvePostFile(dir, site.first, 'en'),
  pagePath: `posts/${site.first.slug}/`,
});
console.log(JSON.stringify(result));
