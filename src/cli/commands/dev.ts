import { resolve } from 'node:path';
import { type BuildCache, type BuildResult, buildProject } from '../../build/build-project.js';
import { renderDiagnosticsOverlay } from '../../dev/overlay.js';
import { summarizeDiagnostics } from '../../errors/format.js';
import { createCachedFileSystem } from '../../io/cached-fs.js';
import { watchFolderTree } from '../../io/watch-tree.js';
import { startStaticServer } from '../../dev/static-server.js';
import { unsafeRawHtml } from '../../render/html.js';
import { renderContent } from '../../render/render-content.js';
import type { RegisterCommand } from '../context.js';
import { createOutputSourceReader, formatDiagnosticBlocks, printDiagnostics, resolveExitCode } from '../output.js';
import { waitForShutdown } from './serve.js';

/** The dev-only live-reload script (never in production builds; allowed by a CSP hash). */
export const LIVE_RELOAD_PATH = '/__stele/reload';
/** The live-reload script every dev page carries (in `<head>`). */
export const LIVE_RELOAD = unsafeRawHtml(`<script>new EventSource("${LIVE_RELOAD_PATH}").onmessage=function(){location.reload()}</script>`);

/** Entries the warm-up renders in the main thread (see `warmUp`). */
const WARM_UP_RENDERS = 24;

/** Quiet time after the last edit before `stele dev` makes the search index again. */
const SEARCH_IDLE_MS = 1000;

/** `stele dev [dir]`: build with drafts in memory, serve, rebuild on every change and reload the browser. */
export const registerDevCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('dev [dir]', 'Serve the site with drafts, rebuilding and reloading the browser on every change')
    .option('--port <port>', 'Port', { default: 4000 })
    .action(async (dir: string | undefined, opts: { port: number }) => {
      const root = resolve(ctx.cwd, dir ?? '.');
      const cache: BuildCache = { processed: new Map(), cards: new Map() };
      // Watched before the first build, so that its reads are kept and an edit meanwhile is seen.
      let onChange = () => {
        changedEarly = true;
      };
      let changedEarly = false;
      let refreshing = Promise.resolve();
      // Files are read once and kept until the watcher reports them changed.
      const files = createCachedFileSystem(ctx.host.fs, (path) => watcher.covers(path));
      const watcher = watchFolderTree(root, {
        ignore: (path) => /(^|\/)(node_modules|dist|\.git)(\/|$)|^\.stele\/cache(\/|$)|\.stele-(tmp|old)-/.test(path),
        // A batch whose files all hold the bytes the last build read (the second event of one save) builds nothing.
        onChange: (paths) => {
          refreshing = refreshing.then(async () => {
            const changed = await files.refresh(paths).catch(() => {
              files.forget(paths);
              return true;
            });
            if (changed) onChange();
          });
        },
      });
      try {
        const host = { ...ctx.host, fs: files.fs };
        const build = (deferSearch = false, signal?: AbortSignal) =>
          buildProject({ root, host, mode: 'development', write: false, headExtra: LIVE_RELOAD, cache, devConnect: true, deferSearch, ...(signal ? { signal } : {}) });
        // Warnings already shown are not repeated on every rebuild (the missing baseUrl, say); errors always are.
        let shownWarnings = new Set<string>();
        const report = async (result: BuildResult) => {
          const warnings = new Set(result.diagnostics.filter((d) => d.severity !== 'error').map((d) => JSON.stringify([d.code, d.file, d.line, d.message])));
          const fresh = result.diagnostics.filter((d) => d.severity === 'error' || !shownWarnings.has(JSON.stringify([d.code, d.file, d.line, d.message])));
          shownWarnings = warnings;
          await printDiagnostics(ctx, fresh, root, { redactor: result.redactor });
        };
        /** The diagnostics page served while the build fails. */
        const overlayFor = async (result: BuildResult) =>
          renderDiagnosticsOverlay(
            summarizeDiagnostics(result.diagnostics),
            await formatDiagnosticBlocks(ctx, result.diagnostics, root, {
              readSource: createOutputSourceReader(result.output, result.config?.outDir ?? 'dist'),
              ...(result.redactor ? { redactor: result.redactor } : {}),
            }),
            LIVE_RELOAD_PATH,
          );
        let result = await build();
        await report(result);
        const code = resolveExitCode(result.diagnostics);
        if (code === 2) {
          ctx.exitCode = 2;
          return;
        }
        const server = await startStaticServer(result.ok && result.output ? result.output : new Map(), { port: Number(opts.port), reloadPath: LIVE_RELOAD_PATH });
        if (!result.ok) server.setOverlay(await overlayFor(result));
        ctx.stdout(`dev server at ${server.url} (drafts shown, not sealed); watching ${root}\n`);
        let pending: Promise<void> | undefined;
        let again = false;
        /** The search index is made again once edits pause (it takes seconds on big sites; pages come first). */
        let searchTimer: NodeJS.Timeout | undefined;
        /** Stops the search build under way, if any: an edit must not wait for an index it makes moot. */
        let searchBuild: AbortController | undefined;
        const runBuilds = async (deferSearch: boolean) => {
          if (pending) {
            again = true;
            return;
          }
          pending = (async () => {
            let defer = deferSearch;
            do {
              again = false;
              const t0 = performance.now();
              searchBuild = defer ? undefined : new AbortController();
              const built = await build(defer, searchBuild?.signal);
              searchBuild = undefined;
              if (built.aborted) {
                // An edit came in: it is built now, and the index after it.
                defer = true;
                continue;
              }
              result = built;
              if (defer) await report(result);
              if (result.output && result.ok) {
                server.setSite(result.output);
                server.setOverlay(undefined);
                if (defer) ctx.stdout(`rebuilt in ${Math.round(performance.now() - t0)} ms\n`);
              } else {
                // Never the previous pages as if nothing happened: the browser shows what to fix.
                server.setOverlay(await overlayFor(result));
                ctx.stdout('build failed: the browser shows the problems until they are fixed\n');
              }
              if (defer || !result.ok) server.notifyReload();
              // An edit during a search build is an edit build again, with its reload.
              defer = true;
            } while (again);
            if (result.ok && result.stats.searchDeferred) searchTimer = setTimeout(() => void runBuilds(false), SEARCH_IDLE_MS);
          })();
          await pending;
          pending = undefined;
        };
        const rebuild = () => {
          clearTimeout(searchTimer);
          searchBuild?.abort();
          return runBuilds(true);
        };
        // Every batch of changes starts a rebuild at once (one during a build makes another after it).
        onChange = () => void rebuild();
        /**
         * One rebuild with nothing changed, in the background right after start:
         * the paths that reuse earlier work run once (and V8 compiles them), and
         * the first build's garbage is collected, so the first edit is as quick as
         * the ones after it. Not served: an edit meanwhile is built again after it.
         */
        const warmUp = async () => {
          pending = build(true).then(
            (warm) => {
              // The first build rendered in worker threads: render a few entries here too (results
              // dropped), so that V8 has compiled the Markdown renderer and sanitizer for the first edit.
              try {
                if (warm.config && warm.content) renderContent(warm.config, warm.content, () => undefined, { entries: warm.content.entries.slice(0, WARM_UP_RENDERS) });
              } catch {
                // Only a warm-up: the next build reports whatever this was.
              }
            },
            () => undefined,
          );
          await pending;
          pending = undefined;
          if (again) await runBuilds(true);
        };
        // A change seen during the first build is built (and served) after the warm-up.
        again = changedEarly;
        if (result.ok) void warmUp();
        else if (changedEarly) void rebuild();
        await waitForShutdown();
        clearTimeout(searchTimer);
        searchBuild?.abort();
        await pending;
        await server.close();
      } finally {
        watcher.close();
      }
    });
};
