/**
 * A hostile mirror, started by the test on 127.0.0.1: it serves signed-looking
 * manifests that do not verify, listing many files whose requests never answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { parseManifest, serializeManifest } from '../../src/trust/manifest.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../../src/trust/paths.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { cleanupTempDirs, makeTempDir, NOW, OTHER_SIGNER, SIGNER, sealFixture } from './fixture.js';

interface HostileServer {
  url: string;
  /** Request paths seen, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serve `files` (site-relative paths); anything else gets `fallback`, which may never answer. */
async function startHostile(
  files: Map<string, Uint8Array>,
  fallback: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<HostileServer> {
  const requests: string[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    requests.push(path);
    const body = files.get(path);
    if (body) {
      res.writeHead(200).end(body);
      return;
    }
    open.add(res);
    res.on('close', () => open.delete(res));
    fallback(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const servers: HostileServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
  cleanupTempDirs();
});

/** Listed files never answer (the request stays open until the server closes); stele's own files 404. */
const never = (req: IncomingMessage, res: ServerResponse): void => {
  if (req.url?.startsWith('/.well-known/stele/')) res.writeHead(404).end();
};

/** A manifest listing `count` extra files, signed by `signer` or with its signature left over from the genuine one. */
function forgeManifest(count: number, resign: boolean): Map<string, Uint8Array> {
  const site = sealFixture();
  const parsed = parseManifest(new TextDecoder().decode(site.get(MANIFEST_PATH)));
  if (!parsed.ok) throw new Error(parsed.reason);
  const files = [...parsed.manifest.files];
  for (let i = 0; i < count; i++) files.push({ path: `trap/${String(i).padStart(6, '0')}.html`, size: 10, sha256: '0'.repeat(64) });
  const manifest = { ...parsed.manifest, files };
  const bytes = new TextEncoder().encode(serializeManifest(manifest));
  const out = new Map(site);
  out.set(MANIFEST_PATH, bytes);
  if (resign) {
    // Signed by another key, in the exact form stele writes.
    const sig = OTHER_SIGNER.sign(bytes, `stele site=${manifest.siteId} version=${manifest.version} expires=${manifest.expires} keyid=${OTHER_SIGNER.keyId}`, `stele manifest for ${manifest.siteId}`);
    out.set(MANIFEST_SIG_PATH, new TextEncoder().encode(sig));
  }
  return out;
}

describe('a manifest whose signature does not verify', () => {
  it.each([
    ['bad signature (genuine signature over other bytes)', false, 'bad-signature'],
    ['signed by another key', true, 'wrong-key'],
  ])('%s: verdict at once, no listed file is fetched', async (_name, resign, kind) => {
    const srv = await startHostile(forgeManifest(20_000, resign), never);
    servers.push(srv);
    const report = await verifySite(srv.url, {
      publicKey: SIGNER.publicKeyFile,
      trustStoreDir: makeTempDir('stele-trust-'),
      now: NOW,
      timeoutMs: 20_000,
    });
    expect(report.status).toBe('not-genuine');
    expect(report.problems.map((p) => p.kind)).toContain(kind);
    expect(report.checkedFiles).toBe(0);
    const fetched = srv.requests.filter((p) => !p.startsWith('.well-known/stele/'));
    expect(fetched).toEqual([]);
  }, 60_000);
});
