/**
 * A search worker (see `search-pagefind.ts`): indexes one language's pages
 * with its own Pagefind service process and posts the files back once that
 * process has exited (collected here, so it neither lingers as a zombie nor
 * escapes the build's CPU accounting). Runs only from dist/.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { recordChildProcesses } from '../io/child-exit.js';
import { indexLanguage, type SearchJob } from './search-pagefind.js';

const job = workerData as SearchJob;
const children = recordChildProcesses();
// 'stop' from the calling thread: the index is no longer wanted.
const stop = new AbortController();
parentPort!.on('message', (message) => {
  if (message === 'stop') stop.abort();
});
const pagefind = await import('pagefind');
let result: Awaited<ReturnType<typeof indexLanguage>>;
try {
  result = await indexLanguage(pagefind, job.lang, job.pages, stop.signal);
} finally {
  await pagefind.close();
  await children.waitForExit(5_000);
}
// The index files move to the calling thread rather than being copied (each has a buffer of its own).
parentPort!.postMessage(result, [...new Set(result.files.map(([, data]) => data.buffer as ArrayBuffer))]);
parentPort!.close();
