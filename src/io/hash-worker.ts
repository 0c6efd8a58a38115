/**
 * A hash worker (see `hashFilesInWorkers` in `hash-file.ts`): hashes each batch of files it
 * is sent with synchronous reads into its own buffer and posts the outcomes back. Runs only
 * from dist/.
 */
import { parentPort } from 'node:worker_threads';
import { HASH_CHUNK_BYTES, type HashBatch, hashBatch } from './hash-file.js';

const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
parentPort?.on('message', (batch: HashBatch) => parentPort?.postMessage(hashBatch(batch, buffer)));
