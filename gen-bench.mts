import { writeBenchSites } from './bench/generate-site.ts';
await writeBenchSites({ posts: Number(process.argv[3] ?? 1000), words: 1000, dir: process.argv[2]!, siteId: 'bench' });
