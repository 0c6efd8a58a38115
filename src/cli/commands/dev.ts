import { resolve } from 'node:path';
import { watch } from 'chokidar';
import { type BuildCache, buildProject } from '../../build/build-project.js';
import { startStaticServer } from '../../dev/static-server.js';
import { unsafeRawHtml } from '../../render/html.js';
import type { RegisterCommand } from '../context.js';
import { printDiagnostics } from '../output.js';
import { waitForShutdown } from './serve.js';

/** The dev-only live-reload script (never in production builds; allowed by a CSP hash). */
export const LIVE_RELOAD_PATH = '/__stele/reload';
const LIVE_RELOAD = unsafeRawHtml(`<script>new EventSource("${LIVE_RELOAD_PATH}").onmessage=function(){location.reload()}</script>`);

/** `stele dev [dir]`: build with drafts in memory, serve, rebuild on every change and reload the browser. */
export const registerDevCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('dev [dir]', 'Serve the site with drafts, rebuilding and reloading the browser on every change')
    .option('--port <port>', 'Port', { default: 4000 })
    .action(async (dir: string | undefined, opts: { port: number }) => {
      const root = resolve(ctx.cwd, dir ?? '.');
      const cache: BuildCache = { processed: new Map() };
      const build = () => buildProject({ root, host: ctx.host, mode: 'development', write: false, headExtra: LIVE_RELOAD, cache, devConnect: true });
      let result = await build();
      await printDiagnostics(ctx, result.diagnostics, root, { redactor: result.redactor });
      const server = await startStaticServer(result.output ?? new Map(), { port: Number(opts.port), reloadPath: LIVE_RELOAD_PATH });
      ctx.stdout(`dev server at ${server.url} (drafts shown, not sealed); watching ${root}\n`);
      let pending: Promise<void> | undefined;
      let again = false;
      const rebuild = async () => {
        if (pending) {
          again = true;
          return;
        }
        pending = (async () => {
          do {
            again = false;
            const t0 = performance.now();
            result = await build();
            await printDiagnostics(ctx, result.diagnostics, root, { redactor: result.redactor });
            if (result.output && result.ok) {
              server.setSite(result.output);
              server.notifyReload();
              ctx.stdout(`rebuilt in ${Math.round(performance.now() - t0)} ms\n`);
            }
          } while (again);
        })();
        await pending;
        pending = undefined;
      };
      const watcher = watch(root, {
        ignored: (p: string) => /(^|\/)(node_modules|dist|\.git)(\/|$)|\.stele-(tmp|old)-/.test(p.slice(root.length)),
        ignoreInitial: true,
      });
      watcher.on('all', () => void rebuild());
      await waitForShutdown();
      await watcher.close();
      await server.close();
    });
};
