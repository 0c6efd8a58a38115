/**
 * A search worker (see `search-pagefind.ts`): indexes one language's pages
 * with its own Pagefind service process and posts the files back. Runs only
 * from dist/.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { indexLanguage, type SearchJob } from './search-pagefind.js';

const job = workerData as SearchJob;
const pagefind = await import('pagefind');
try {
  parentPort!.postMessage(await indexLanguage(pagefind, job.lang, job.pages));
} finally {
  await pagefind.close();
}
