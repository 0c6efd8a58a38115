/**
 * A search worker (see `search-pagefind.ts`): indexes the chunks the calling
 * thread sends it, one after another, each in a fresh index of its own
 * Pagefind service process, and posts each chunk's files back. On `end` it
 * stops that process and exits once the process has exited (collected here,
 * so it neither lingers as a zombie nor escapes the build's CPU accounting).
 * Runs only from dist/.
 */
import { parentPort } from 'node:worker_threads';
import { recordChildProcesses } from '../io/child-exit.js';
import { indexChunk, type SearchJob } from './search-pagefind.js';

const children = recordChildProcesses();
// 'stop' from the calling thread: the index is no longer wanted.
const stop = new AbortController();
let pagefind: typeof import('pagefind') | undefined;

async function end(): Promise<void> {
  try {
    await pagefind?.close();
  } finally {
    await children.waitForExit(5_000);
    parentPort!.close();
  }
}

parentPort!.on('message', async (message: SearchJob | 'stop' | 'end') => {
  if (message === 'stop') return stop.abort();
  if (message === 'end') return end();
  pagefind ??= await import('pagefind');
  const result = await indexChunk(pagefind, message.lang, message.pages, stop.signal);
  // The index files move to the calling thread rather than being copied (each has a buffer of its own).
  parentPort!.postMessage(result, [...new Set(result.files.map(([, data]) => data.buffer as ArrayBuffer))]);
});
