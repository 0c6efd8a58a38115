/**
 * A hash worker (see `hashFilesInWorkers` in `hash-file.ts`): hashes each batch of files it
 * is sent with synchronous reads into its own buffer and posts the outcomes back, and lists a
 * folder when asked (`listNodeTree`). Runs only from dist/.
 */
import { parentPort } from 'node:worker_threads';
import { answerListRequest, HASH_CHUNK_BYTES, type HashBatch, hashBatch, type ListRequest } from './hash-file.js';

const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
parentPort?.on('message', (message: HashBatch | ListRequest) => {
  // A folder listing (asked before any batch, answered on its own port), or a batch of files to hash.
  if ('list' in message) answerListRequest(message);
  else parentPort?.postMessage(hashBatch(message, buffer));
});
