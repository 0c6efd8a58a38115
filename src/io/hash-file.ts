/**
 * `FileSystem.hashFile` and `hashFiles` on the real disk. A file is opened without following
 * a final symbolic link (and without waiting on a FIFO), its kind and size read from the open
 * descriptor, and its bytes read synchronously in chunks into one reused buffer and hashed
 * with node:crypto: on a page-cached tree a synchronous read costs far less than a thread-pool
 * round trip, and nothing is allocated per chunk.
 *
 * On the main thread the reads run in slices of {@link HASH_SLICE_MS} between which the event
 * loop runs, so deadlines and aborts still fire. A large batch (`hashFilesInWorkers`) is
 * spread over worker threads (`hash-worker.ts`, compiled builds only) and the main thread,
 * which takes batches too between the rest of the check.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, constants, type Dirent, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { FileHash, FileHashOutcome, FileHashRequest, FileStat } from './host.js';
import { resolveWorkerThreads } from './threads.js';

/** Bytes read at a time: one buffer per thread, reused for every file. */
export const HASH_CHUNK_BYTES = 256 * 1024;
/** Longest stretch the main thread reads without letting timers and other work run. */
const HASH_SLICE_MS = 10;
// Without O_NOFOLLOW (Windows) the kind is read with lstat before opening.
const OPEN_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// A FIFO opened without O_NONBLOCK would wait for a writer; it is reported as `other`, never read.
const OPEN_FOR_HASH = constants.O_RDONLY | OPEN_NOFOLLOW | (constants.O_NONBLOCK ?? 0);

/** The kind of an entry from its `Stats` or `Dirent`. */
export function toKind(info: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): FileStat['kind'] {
  return info.isFile() ? 'file' : info.isDirectory() ? 'dir' : info.isSymbolicLink() ? 'symlink' : 'other';
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A regular file opened for hashing, or what was found instead (`undefined`: nothing there). */
type Opened = { fd: number; size: number } | { found: FileHash | undefined };

function openForHash(path: string, expectedSize: number | undefined): Opened {
  let fd: number;
  try {
    if (OPEN_NOFOLLOW === 0) {
      const info = lstatSync(path);
      if (!info.isFile()) return { found: { kind: toKind(info), size: info.size } };
    }
    fd = openSync(path, OPEN_FOR_HASH);
  } catch (error) {
    if (isMissing(error)) return { found: undefined };
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ELOOP' && code !== 'EMLINK') throw error;
    // O_NOFOLLOW refused a symbolic link (or it went away in between).
    try {
      const info = lstatSync(path);
      return { found: { kind: toKind(info), size: info.size } };
    } catch (again) {
      if (isMissing(again)) return { found: undefined };
      throw again;
    }
  }
  try {
    const info = fstatSync(fd);
    const found: FileHash | undefined = !info.isFile()
      ? { kind: toKind(info), size: info.size }
      : expectedSize !== undefined && info.size !== expectedSize
        ? { kind: 'file', size: info.size }
        : undefined;
    if (found) {
      closeSync(fd);
      return { found };
    }
    return { fd, size: info.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Read one chunk of `fd` into `buffer` and hash it; the number of bytes read (0 at the end). */
function hashChunk(fd: number, hash: Hash, buffer: Buffer): number {
  const n = readSync(fd, buffer, 0, buffer.length, null);
  if (n > 0) hash.update(n === buffer.length ? buffer : buffer.subarray(0, n));
  return n;
}

/**
 * True once a file has been read to its end: a read returned nothing, or a short read
 * brought the bytes to the size the open file had (one read for a small file, not two).
 * A file that grew since fills the read past that size and is read on to its new end.
 */
function isLastChunk(read: number, asked: number, total: number, statSize: number): boolean {
  return read === 0 || (read < asked && total === statSize);
}

/** `hashFile` without yielding (worker threads). */
export function hashFileSync(path: string, expectedSize: number | undefined, buffer: Buffer): FileHash | undefined {
  const opened = openForHash(path, expectedSize);
  if ('found' in opened) return opened.found;
  try {
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const n = hashChunk(opened.fd, hash, buffer);
      size += n;
      if (isLastChunk(n, buffer.length, size, opened.size)) break;
    }
    return { kind: 'file', size, sha256: hash.digest('hex') };
  } finally {
    closeSync(opened.fd);
  }
}

let mainBuffer: Buffer | undefined;
let sliceStart = 0;

/** Let timers and I/O callbacks run when synchronous reads (files hashed, folders listed) have held the thread for a slice. */
export async function yieldWhenSliceUsed(): Promise<void> {
  if (performance.now() - sliceStart < HASH_SLICE_MS) return;
  await new Promise((resolve) => setImmediate(resolve));
  sliceStart = performance.now();
}

/**
 * `FileSystem.hashFile` on the main thread, in slices. The buffer is never held across an
 * await, so calls running side by side share it.
 */
export async function hashNodeFile(path: string, expectedSize?: number): Promise<FileHash | undefined> {
  await yieldWhenSliceUsed();
  const opened = openForHash(path, expectedSize);
  if ('found' in opened) return opened.found;
  try {
    const hash = createHash('sha256');
    mainBuffer ??= Buffer.allocUnsafe(HASH_CHUNK_BYTES);
    let size = 0;
    for (;;) {
      const n = hashChunk(opened.fd, hash, mainBuffer);
      size += n;
      if (isLastChunk(n, mainBuffer.length, size, opened.size)) break;
      await yieldWhenSliceUsed();
    }
    return { kind: 'file', size, sha256: hash.digest('hex') };
  } finally {
    closeSync(opened.fd);
  }
}

/** Turn `hashFile`'s answer or error into an outcome. */
export function toOutcome(found: FileHash | undefined): FileHashOutcome {
  return found ? { status: 'found', hash: found } : { status: 'missing' };
}

function toErrorOutcome(error: unknown): FileHashOutcome {
  return { status: 'error', code: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
}

/** A batch sent to a worker: `[index, path, expectedSize or -1]` triples. */
export interface HashBatch {
  items: [number, string, number][];
}

/** A worker's answer: one outcome per item, same order. */
export interface HashBatchResult {
  outcomes: [number, FileHashOutcome][];
}

/** Files per message to a worker. */
const BATCH_FILES = 64;
/** Below this many files the main thread hashes them itself (starting threads costs more). */
export const WORKER_HASH_THRESHOLD = 512;
/**
 * `dist/io/hash-worker.js`, from this module (`dist/io/`) and from a bundle that includes it
 * one folder down in `dist/` (`dist/cli/verify-cli.bundle.js`).
 */
const WORKER_URL = new URL('../io/hash-worker.js', import.meta.url);
/** Compiled (`dist/`): the build emits `hash-worker.js` next to this module. From TypeScript sources there is no worker script. */
const COMPILED = import.meta.url.endsWith('.js');

/**
 * Hash worker threads for a batch of `count` files: `STELE_HASH_WORKERS` when set (0: none),
 * else one per core but the main thread's (which hashes too), at most 3; none on one core or from sources.
 */
export function resolveHashWorkers(count: number, env: NodeJS.ProcessEnv = process.env): number {
  return resolveWorkerThreads({ work: count, threshold: WORKER_HASH_THRESHOLD, forced: env.STELE_HASH_WORKERS, forcedMax: 8, coresMax: 4, compiled: COMPILED, callerWorks: true });
}

/** How long threads started ahead of a batch wait for it before they are stopped. */
const SPARE_WORKER_MS = 30_000;
const spareWorkers: Worker[] = [];
let spareTimer: NodeJS.Timeout | undefined;

/**
 * Start the worker threads a coming `hashFilesInWorkers` of about `count` files would use,
 * so that their start overlaps other work. Unused, they keep no process alive and stop
 * after {@link SPARE_WORKER_MS}.
 */
export function prestartHashWorkers(count: number): void {
  const wanted = Math.min(resolveHashWorkers(count), Math.ceil(count / BATCH_FILES)) - spareWorkers.length;
  for (let i = 0; i < wanted; i++) {
    const worker = new Worker(WORKER_URL);
    worker.unref();
    const drop = (): void => {
      const at = spareWorkers.indexOf(worker);
      if (at >= 0) spareWorkers.splice(at, 1);
    };
    worker.once('error', drop);
    worker.once('exit', drop);
    spareWorkers.push(worker);
  }
  if (wanted <= 0) return;
  clearTimeout(spareTimer);
  spareTimer = setTimeout(() => {
    for (const worker of spareWorkers.splice(0)) void worker.terminate();
  }, SPARE_WORKER_MS);
  spareTimer.unref();
}

/** Read one folder for {@link readTreeFolder}: its entries, or none when it has gone (or is no longer a folder). */
function readFolder(abs: string): Dirent[] {
  try {
    return readdirSync(abs, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/** Read the folder `abs` (`rel` under the root): its non-folders into `out`, its folders onto `pending`. */
function readTreeFolder(abs: string, rel: string, out: string[], pending: [abs: string, rel: string][]): void {
  for (const e of readFolder(abs)) {
    const childRel = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) pending.push([join(abs, e.name), childRel]);
    else out.push(childRel);
  }
}

/**
 * Every entry under `dir` that is not a folder (symbolic links listed, not followed), as
 * sorted paths relative to `dir` with `/` separators: folders read synchronously, one at a
 * time, and the paths sorted once at the end. Without yielding (a hash worker).
 */
export function listTreeSync(dir: string): string[] {
  const out: string[] = [];
  const pending: [abs: string, rel: string][] = [[dir, '']];
  for (let next = pending.pop(); next; next = pending.pop()) readTreeFolder(next[0], next[1], out, pending);
  return out.sort();
}

/** {@link listTreeSync} on the main thread, in slices. */
async function listTreeInSlices(dir: string): Promise<string[]> {
  const out: string[] = [];
  const pending: [abs: string, rel: string][] = [[dir, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    await yieldWhenSliceUsed();
    readTreeFolder(next[0], next[1], out, pending);
  }
  return out.sort();
}

/** A listing asked of a hash worker: the folder, and the port its answer comes back on. */
export interface ListRequest {
  list: string;
  port: MessagePort;
}

/** A hash worker's answer to a {@link ListRequest}. */
export type ListAnswer = { paths: string[] } | { error: { code?: string; message: string } };

/**
 * `FileSystem.listTree` on the real disk. When hash threads were started ahead
 * ({@link prestartHashWorkers}) and none is busy yet, one of them lists the folder before it
 * hashes anything, so the main thread goes on with the signature checks meanwhile; else the
 * main thread walks it in slices. A worker that fails before answering leaves it to the main thread.
 */
export async function listNodeTree(dir: string): Promise<string[]> {
  const worker = spareWorkers[0];
  if (worker) {
    const answer = await new Promise<ListAnswer | undefined>((resolve) => {
      const { port1, port2 } = new MessageChannel();
      let answered = false;
      const done = (result: ListAnswer | undefined): void => {
        if (answered) return;
        answered = true;
        worker.off('exit', gone);
        worker.off('error', gone);
        port1.close();
        resolve(result);
      };
      const gone = (): void => done(undefined);
      port1.once('message', (result: ListAnswer) => done(result));
      // The worker's end closes if it stops (it may have been taken for hashing since).
      port1.once('close', gone);
      worker.once('exit', gone);
      worker.once('error', gone);
      worker.postMessage({ list: dir, port: port2 } satisfies ListRequest, [port2]);
    });
    if (answer && 'paths' in answer) return answer.paths;
    if (answer) throw Object.assign(new Error(answer.error.message), answer.error.code ? { code: answer.error.code } : {});
  }
  return listTreeInSlices(dir);
}

/** What the worker script runs for a {@link ListRequest}. */
export function answerListRequest(request: ListRequest): void {
  let answer: ListAnswer;
  try {
    answer = { paths: listTreeSync(request.list) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    answer = { error: { ...(code ? { code } : {}), message: (error as Error).message } };
  }
  request.port.postMessage(answer);
  request.port.close();
}

/** A started spare worker, or a new one. */
function takeWorker(): Worker {
  const spare = spareWorkers.pop();
  if (!spare) return new Worker(WORKER_URL);
  spare.removeAllListeners();
  spare.ref();
  return spare;
}

async function hashInThread(
  requests: readonly FileHashRequest[],
  indices: Iterable<number>,
  onResult: (index: number, outcome: FileHashOutcome) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  for (const i of indices) {
    if (signal?.aborted) return;
    const r = requests[i];
    let outcome: FileHashOutcome;
    try {
      outcome = toOutcome(await hashNodeFile(r.path, r.expectedSize));
    } catch (error) {
      outcome = toErrorOutcome(error);
    }
    if (signal?.aborted) return;
    onResult(i, outcome);
  }
}

/** Batches a worker holds (sent and not answered), so it does not wait for a main thread busy with a slice of its own. */
const BATCHES_IN_HAND = 4;

/**
 * `FileSystem.hashFiles` on the real disk: batches of {@link BATCH_FILES} handed to worker
 * threads, {@link BATCHES_IN_HAND} ahead each, as they answer; the main thread takes batches
 * too, in slices between its other work. When a worker fails, the files it had not answered
 * are hashed on the main thread. On abort, workers are stopped and nothing more is reported.
 */
export async function hashFilesInWorkers(
  requests: readonly FileHashRequest[],
  onResult: (index: number, outcome: FileHashOutcome) => void,
  signal?: AbortSignal,
): Promise<void> {
  const threads = Math.min(resolveHashWorkers(requests.length), Math.ceil(requests.length / BATCH_FILES));
  if (threads === 0) return hashInThread(requests, requests.keys(), onResult, signal);
  const answered = new Uint8Array(requests.length);
  let next = 0;
  const workers: Worker[] = [];
  const takeBatch = (): HashBatch | undefined => {
    if (next >= requests.length || signal?.aborted) return undefined;
    const end = Math.min(requests.length, next + BATCH_FILES);
    const items: [number, string, number][] = [];
    for (; next < end; next++) items.push([next, requests[next].path, requests[next].expectedSize ?? -1]);
    return { items };
  };
  let failed = false;
  const workersDone = new Promise<void>((resolve) => {
    let running = 0;
    const stopAll = (): void => {
      for (const w of workers) void w.terminate();
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = (): void => stopAll();
    signal?.addEventListener('abort', onAbort, { once: true });
    for (let t = 0; t < threads; t++) {
      const first = takeBatch();
      if (!first) break;
      const worker = takeWorker();
      workers.push(worker);
      running++;
      let done = false;
      let inFlight = 0;
      const send = (batch: HashBatch): void => {
        inFlight++;
        worker.postMessage(batch);
      };
      const finish = (): void => {
        if (done) return;
        done = true;
        void worker.terminate();
        if (--running === 0) stopAll();
      };
      worker.on('message', (result: HashBatchResult) => {
        inFlight--;
        for (const [index, outcome] of result.outcomes) {
          if (signal?.aborted) return;
          answered[index] = 1;
          onResult(index, outcome);
        }
        const batch = takeBatch();
        if (batch) send(batch);
        else if (inFlight === 0) finish();
      });
      worker.once('error', () => {
        failed = true;
        finish();
      });
      worker.once('exit', () => {
        if (!done) failed = true;
        finish();
      });
      send(first);
      for (let more = 1; more < BATCHES_IN_HAND; more++) {
        const batch = takeBatch();
        if (!batch) break;
        send(batch);
      }
    }
    if (running === 0) stopAll();
  });
  // Meanwhile the main thread hashes the batches no worker has taken yet.
  const onMain = (index: number, outcome: FileHashOutcome): void => {
    answered[index] = 1;
    onResult(index, outcome);
  };
  for (let batch = takeBatch(); batch; batch = takeBatch()) {
    await hashInThread(requests, batch.items.map(([index]) => index), onMain, signal);
  }
  await workersDone;
  if (signal?.aborted) return;
  // Files a failed worker never answered, and any batch not handed out.
  if (failed || next < requests.length) {
    const left: number[] = [];
    for (let i = 0; i < requests.length; i++) if (!answered[i]) left.push(i);
    await hashInThread(requests, left, onResult, signal);
  }
}

/** What the worker script runs for one batch. */
export function hashBatch(batch: HashBatch, buffer: Buffer): HashBatchResult {
  return {
    outcomes: batch.items.map(([index, path, expected]): [number, FileHashOutcome] => {
      try {
        return [index, toOutcome(hashFileSync(path, expected < 0 ? undefined : expected, buffer))];
      } catch (error) {
        return [index, toErrorOutcome(error)];
      }
    }),
  };
}
