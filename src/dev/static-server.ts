/**
 * A small static server for `stele serve`, `stele dev` and `npm start`: serves
 * an in-memory site (or a folder read into one) on 127.0.0.1 with the same
 * security headers the generated server configs send.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { CACHE_IMMUTABLE, CACHE_REVALIDATE, isHashedAssetPath, resolveContentType } from '../harden/content-types.js';
import { createSecurityHeaders } from '../harden/security-headers.js';
import { resolveNotFoundLinkRoot } from '../harden/not-found-page.js';
import { collectSiteHeaderOptions } from '../harden/server-configs.js';
import type { OutputFiles } from '../site/output.js';

export interface StaticServer {
  server: Server;
  url: string;
  /** Swap the site being served (dev rebuilds). */
  setSite(output: OutputFiles): void;
  /** Notify live-reload listeners. */
  notifyReload(): void;
  /** Serve this page (with its CSP) for every request instead of the site, or the site again when undefined (dev: a failed build). */
  setOverlay(page: { html: string; csp: string } | undefined): void;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  port?: number;
  host?: string;
  /** Path of the server-sent-events endpoint for dev live reload (the header CSP then allows `connect-src 'self'`). */
  reloadPath?: string;
}

/** Resolve a request path to a site file (`/a/` → `a/index.html`), refusing traversal. */
export function resolveRequestPath(urlPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  const parts = path.split('/').filter((p) => p && p !== '.');
  if (parts.some((p) => p === '..')) return undefined;
  const joined = parts.join('/');
  return path.endsWith('/') || joined === '' ? `${joined ? `${joined}/` : ''}index.html` : joined;
}

/** Start serving `output`. */
export async function startStaticServer(initial: OutputFiles, options: StaticServerOptions = {}): Promise<StaticServer> {
  let site = initial;
  // The site is served at `/` and also under the path its 404 pages link from (`baseUrl`'s), so their links work here too.
  let linkRoot = resolveNotFoundLinkRoot(site);
  let headers = createSecurityHeaders({ ...collectSiteHeaderOptions(site), hstsMaxAge: 0, ...(options.reloadPath ? { connectSrc: ["'self'"] } : {}) });
  const listeners = new Set<ServerResponse>();
  let overlay: { body: Uint8Array; csp: string } | undefined;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (options.reloadPath && req.url === options.reloadPath) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      listeners.add(res);
      req.on('close', () => listeners.delete(res));
      return;
    }
    if (overlay) {
      res.writeHead(500, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': overlay.csp,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Content-Length': overlay.body.byteLength,
      });
      res.end(req.method === 'HEAD' ? undefined : overlay.body);
      return;
    }
    const url = req.url ?? '/';
    let path = resolveRequestPath(url);
    if (linkRoot && linkRoot !== '/' && url.startsWith(linkRoot) && !(path && site.has(path))) path = resolveRequestPath(url.slice(linkRoot.length - 1));
    let status = 200;
    if (path && !site.has(path) && site.has(`${path}/index.html`)) {
      res.writeHead(301, { Location: `${req.url!.split('?')[0]}/` }).end();
      return;
    }
    if (!path || !site.has(path) || (path.split('/').some((p) => p.startsWith('.')) && !path.startsWith('.well-known/'))) {
      // A language folder's own 404 page (zh-hans/404.html), as the generated server configs serve it.
      const folder = path?.split('/')[0];
      path = folder && path!.includes('/') && site.has(`${folder}/404.html`) ? `${folder}/404.html` : '404.html';
      status = 404;
    }
    const body = site.get(path);
    const type = resolveContentType(extname(path).slice(1)) ?? 'application/octet-stream';
    res.writeHead(status, {
      ...headers,
      'Content-Type': type,
      'Cache-Control': isHashedAssetPath(path) ? CACHE_IMMUTABLE : CACHE_REVALIDATE,
      'Content-Length': body ? body.byteLength : 0,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const server = createServer(handler);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://${host}:${port}/`,
    setSite(output) {
      site = output;
      linkRoot = resolveNotFoundLinkRoot(site);
      headers = createSecurityHeaders({ ...collectSiteHeaderOptions(site), hstsMaxAge: 0, ...(options.reloadPath ? { connectSrc: ["'self'"] } : {}) });
    },
    setOverlay(page) {
      overlay = page ? { body: new TextEncoder().encode(page.html), csp: page.csp } : undefined;
    },
    notifyReload() {
      for (const res of listeners) res.write('data: reload\n\n');
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of listeners) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
