import { resolve } from 'node:path';
import { recoverOutputFolder } from '../../build/write-output.js';
import { createDiagnostic } from '../../errors/catalogue.js';
import { HARDEN_BASE_PATH_MISMATCH } from '../../errors/codes-harden.js';
import { formatDiagnostic } from '../../errors/format.js';
import { normalizeBasePath } from '../../harden/content-types.js';
import { resolveNotFoundLinkRoot } from '../../harden/not-found-page.js';
import { createServerConfigs, type SERVER_CONFIG_FILES } from '../../harden/server-configs.js';
import { readSiteFolder } from '../../site/output.js';
import type { RegisterCommand } from '../context.js';

const KINDS: Record<string, (typeof SERVER_CONFIG_FILES)[number]> = {
  nginx: 'nginx.conf',
  caddy: 'Caddyfile',
  headers: '_headers',
  htaccess: '.htaccess',
};

/** `stele server-config <kind> [site]`: print the server config for a built site. */
export const registerServerConfigCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('server-config <kind> [site]', `Print a server config with the security headers for a built site (kind: ${Object.keys(KINDS).join(', ')})`)
    .option('--root <dir>', 'Folder the server serves the site from', { default: '/var/www/site' })
    .option('--server-name <name>', 'nginx server_name', { default: '_' })
    .option('--listen <listen>', 'nginx listen', { default: '80' })
    .option('--address <address>', 'Caddy site address', { default: 'example.org' })
    .option('--base-path <path>', 'URL path the site lives under (default: the path of `baseUrl` the site was built with, else /)')
    .example('stele server-config nginx examples/cfcr/dist --root /srv/cfcr --server-name cfcr.example > /etc/nginx/sites-available/cfcr')
    .action(async (kind: string, site: string | undefined, opts: { root: string; serverName: string; listen: string; address: string; basePath?: string }) => {
      const file = KINDS[kind];
      if (!file) {
        ctx.stderr(`error: unknown kind ${JSON.stringify(kind)}; use one of ${Object.keys(KINDS).join(', ')}\n`);
        ctx.exitCode = 2;
        return;
      }
      const folder = resolve(ctx.cwd, site ?? 'dist');
      await recoverOutputFolder(folder, ctx.host);
      if (!(await ctx.host.fs.exists(folder))) {
        ctx.stderr(`error: ${folder} does not exist; run \`stele build\` first\n`);
        ctx.exitCode = 2;
        return;
      }
      const output = await readSiteFolder(folder, ctx.host.fs);
      const linkRoot = resolveNotFoundLinkRoot(output);
      const basePath = opts.basePath === undefined ? undefined : normalizeBasePath(String(opts.basePath));
      if (basePath && linkRoot && basePath !== linkRoot) {
        const warning = createDiagnostic(HARDEN_BASE_PATH_MISMATCH, { file: `${site ?? 'dist'}/404.html` }, basePath, linkRoot);
        ctx.stderr(`${formatDiagnostic(warning, { color: ctx.isTTY && !process.env.NO_COLOR })}\n`);
      }
      const configs = createServerConfigs(output, {
        root: opts.root,
        serverName: opts.serverName,
        listen: String(opts.listen),
        siteAddress: opts.address,
        ...(basePath ? { basePath } : {}),
      });
      ctx.stdout(configs.get(file)!);
    });
};
