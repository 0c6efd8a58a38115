import { resolve } from 'node:path';
import { recoverOutputFolder } from '../../build/write-output.js';
import { startStaticServer } from '../../dev/static-server.js';
import { readSiteFolder } from '../../site/output.js';
import type { RegisterCommand } from '../context.js';

/** Wait until SIGINT/SIGTERM (or the signal aborts), then resolve. */
export function waitForShutdown(signal?: AbortSignal): Promise<void> {
  return new Promise((res) => {
    // A server whose parent is gone (a closed terminal, a test runner that was
    // killed) stops too instead of running on as an orphan.
    const parent = process.ppid;
    const orphaned = setInterval(() => {
      if (process.ppid !== parent) done();
    }, 500);
    orphaned.unref();
    const done = () => {
      clearInterval(orphaned);
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, done);
      res();
    };
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** `stele serve [dir]`: serve a built folder on 127.0.0.1 with the production headers. */
export const registerServeCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('serve [dir]', 'Serve a built site folder (default: dist) on 127.0.0.1')
    .option('--port <port>', 'Port', { default: 4000 })
    .action(async (dir: string | undefined, opts: { port: number }) => {
      const folder = resolve(ctx.cwd, dir ?? 'dist');
      await recoverOutputFolder(folder, ctx.host);
      if (!(await ctx.host.fs.exists(folder))) {
        ctx.stderr(`error: ${folder} does not exist; run \`stele build\` first\n`);
        ctx.exitCode = 2;
        return;
      }
      const server = await startStaticServer(await readSiteFolder(folder, ctx.host.fs), { port: Number(opts.port) });
      ctx.stdout(`serving ${folder} at ${server.url}\n`);
      await waitForShutdown();
      await server.close();
    });
};
