/**
 * Dev edit latency: start `stele dev` on a site, edit one post, and time until
 * the page a browser reloads shows the new text, over HTTP: the measurement
 * listens to the live-reload event stream, as the page's own script does, and
 * on each reload message fetches the post's page; if a message comes before
 * the page changed (or none comes), it polls. Repeated; median reported.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { LIVE_RELOAD_PATH } from '../src/cli/commands/dev.js';

/** Result of the dev edit latency measurement. */
export interface DevLatencyResult {
  /** Each edit's latency (ms), in order. */
  samplesMs: number[];
  medianMs: number;
  /** Time from spawn until the server printed its URL (first build included). */
  startupMs: number;
  url: string;
}

/** Median of a non-empty list. */
export function computeMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait for `dev server at http://…/` on the child's stdout. */
function waitForServerUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`dev server did not start within ${timeoutMs} ms; stderr: ${err.slice(-2000)}`)), timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /dev server at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dev server exited early (code ${code}); stderr: ${err.slice(-2000)}`));
    });
  });
}

/** The live-reload stream's messages, as the dev page's `EventSource` gets them: `next()` resolves at the next one after the call. */
function listenForReloads(url: string): { next(timeoutMs: number): Promise<boolean>; close(): void } {
  const controller = new AbortController();
  let waiting: ((got: boolean) => void) | undefined;
  void (async () => {
    try {
      const res = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffered += decoder.decode(value, { stream: true });
        let end = buffered.indexOf('\n\n');
        while (end >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          if (/^data:/m.test(event)) waiting?.(true);
          end = buffered.indexOf('\n\n');
        }
      }
    } catch {
      // closed
    }
  })();
  return {
    next(timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiting = (got) => {
          clearTimeout(timer);
          waiting = undefined;
          resolve(got);
        };
      });
    },
    close: () => controller.abort(),
  };
}

async function fetchText(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { headers: { 'cache-control': 'no-cache' } });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Measure edit → served latency.
 * @param options.steleBin path of the `stele` bin script to run with node
 * @param options.siteDir site folder
 * @param options.postFile absolute path of the post source to edit
 * @param options.pagePath URL path of that post (e.g. `posts/slug/`)
 */
export async function measureDevEditLatency(options: {
  steleBin: string;
  siteDir: string;
  postFile: string;
  pagePath: string;
  repeats?: number;
  /** Give up on one edit after this long (ms). */
  timeoutMs?: number;
  /** Poll interval (ms). */
  pollMs?: number;
}): Promise<DevLatencyResult> {
  const repeats = options.repeats ?? 5;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const pollMs = options.pollMs ?? 20;
  const original = await readFile(options.postFile, 'utf8');
  const started = performance.now();
  const child = spawn(process.execPath, [options.steleBin, 'dev', options.siteDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let reloads: ReturnType<typeof listenForReloads> | undefined;
  try {
    const url = await waitForServerUrl(child, timeoutMs);
    const startupMs = performance.now() - started;
    const pageUrl = new URL(options.pagePath, url).href;
    const first = await fetchText(pageUrl);
    if (first === undefined) throw new Error(`dev server does not serve ${pageUrl}`);
    // Let the watcher finish its initial scan before the first edit.
    await sleep(1000);
    reloads = listenForReloads(new URL(LIVE_RELOAD_PATH.replace(/^\//, ''), url).href);
    await sleep(100);
    const samplesMs: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const marker = `benchedit${i}x${Date.now().toString(36)}`;
      const edited = original.replace(/\n---\n\n/, `\n---\n\nMarker paragraph ${marker} for the dev benchmark.\n\n`);
      if (edited === original) throw new Error(`could not find the end of the front matter in ${options.postFile}`);
      const t0 = performance.now();
      const reload = reloads.next(timeoutMs);
      await writeFile(options.postFile, edited);
      let seen = false;
      // The browser reloads on the stream's message: the page is fetched then.
      if (await reload) seen = (await fetchText(pageUrl))?.includes(marker) ?? false;
      while (!seen && performance.now() - t0 < timeoutMs) {
        await sleep(pollMs);
        seen = (await fetchText(pageUrl))?.includes(marker) ?? false;
      }
      if (!seen) throw new Error(`edit ${i + 1} did not show up at ${pageUrl} within ${timeoutMs} ms`);
      samplesMs.push(performance.now() - t0);
      // Let any trailing rebuild settle before the next edit.
      await sleep(500);
    }
    return { samplesMs, medianMs: computeMedian(samplesMs), startupMs, url };
  } finally {
    reloads?.close();
    await writeFile(options.postFile, original);
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  }
}
