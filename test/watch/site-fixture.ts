/**
 * A small sealed site for end-to-end watch tests, and a static file server for it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize } from 'node:path';
import { sealSite } from '../../src/seal/seal-site.js';
import { createSignerFromSeed } from '../../src/seal/signer.js';
import type { OutputFiles } from '../../src/site/output.js';

/** The fixture's signing key (fixed seed, so the key id is stable). */
export const fixtureSigner = createSignerFromSeed(new Uint8Array(32).fill(7));

/** Build and seal a three-page site at `version`. */
export function buildSealedSite(version: number, headline: string): OutputFiles {
  const enc = new TextEncoder();
  const output: OutputFiles = new Map([
    [
      'index.html',
      enc.encode(
        `<!doctype html><html lang="en"><head><title>Rights Watch</title><link rel="stylesheet" href="style.css"></head><body><h1>${headline}</h1><a href="about/">About</a></body></html>\n`,
      ),
    ],
    ['about/index.html', enc.encode('<!doctype html><html lang="en"><title>About</title><p>About us.</p></html>\n')],
    ['style.css', enc.encode('body { font-family: serif; }\n')],
  ]);
  sealSite(output, {
    siteId: 'rights-watch',
    version,
    now: new Date('2025-03-01T00:00:00.000Z'),
    expiresInDays: 30,
    signer: fixtureSigner,
    channels: { official: [], revoked: [] },
  });
  return output;
}

/** Write output files under `dir`. */
export async function writeOutputFiles(dir: string, output: OutputFiles): Promise<void> {
  for (const [path, data] of output) {
    const abs = join(dir, ...path.split('/'));
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, data);
  }
}

/** Serve `root` on 127.0.0.1 (index.html for folders, 404 otherwise). */
export async function serveStatic(root: string): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const rel = normalize(path.endsWith('/') ? `${path}index.html` : path).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(root, rel));
      res.writeHead(200).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
