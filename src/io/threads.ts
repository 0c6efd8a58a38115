/**
 * How many worker threads a stage uses (render, file hashing): one policy, so
 * every stage reads its override and the core count the same way.
 */
import { availableParallelism } from 'node:os';

/** What {@link resolveWorkerThreads} decides from. */
export interface WorkerThreadOptions {
  /** Units of work waiting (entries, files). */
  work: number;
  /** Below this much work, starting threads costs more than it saves. */
  threshold: number;
  /** The override from the environment (e.g. `STELE_WORKERS`): a whole number, 0 for none. */
  forced: string | undefined;
  /** The most threads an override may ask for. */
  forcedMax: number;
  /** The most threads the core count gives. */
  coresMax: number;
  /** False when stele runs from TypeScript sources: there is no compiled worker script. */
  compiled: boolean;
  /**
   * The calling thread does a share of the work too: one thread fewer than the
   * cores give (an override is taken as it is).
   */
  callerWorks?: boolean;
}

/**
 * Worker threads for a batch of work: the override when set, otherwise one per
 * core (at most `coresMax`, less the caller's own thread when `callerWorks`)
 * once the work reaches `threshold`; none on one core, and none from
 * TypeScript sources.
 */
export function resolveWorkerThreads(options: WorkerThreadOptions): number {
  if (!options.compiled) return 0;
  if (options.forced !== undefined && /^\d+$/.test(options.forced)) return Math.min(Number(options.forced), options.forcedMax);
  if (options.work < options.threshold) return 0;
  const cores = availableParallelism();
  if (cores < 2) return 0;
  const threads = Math.min(cores, options.coresMax);
  return options.callerWorks ? threads - 1 : threads;
}
