/**
 * Server configuration (`.htaccess`, `_headers`, `_redirects`) is signed in the
 * manifest's `serverConfig` section, apart from the files a reader can fetch.
 */
import { describe, expect, it } from 'vitest';
import { sealSite } from '../../src/seal/seal-site.js';
import { createSignerFromSeed } from '../../src/seal/signer.js';
import { isServerConfigPath, listSignedFiles, parseManifest, serializeManifest } from '../../src/trust/manifest.js';
import { MANIFEST_PATH, SHA256SUMS_PATH } from '../../src/trust/paths.js';

const signer = createSignerFromSeed(new Uint8Array(32).fill(7));
const enc = new TextEncoder();

function seal(): { manifest: ReturnType<typeof parseManifest>; sums: string } {
  const output = new Map<string, Uint8Array>([
    ['index.html', enc.encode('<!doctype html><title>x</title>')],
    ['.htaccess', enc.encode('Options -Indexes\n')],
    ['old/.htaccess', enc.encode('Require all denied\n')],
    ['_headers', enc.encode('/*\n  X-Frame-Options: DENY\n')],
    ['_redirects', enc.encode('/old /new 301\n')],
    ['about/_headers', enc.encode('not a config: only the root one is read\n')],
  ]);
  sealSite(output, { siteId: 'x', version: 1, now: new Date('2026-03-01T00:00:00Z'), signer, channels: { official: [], revoked: [] } });
  return { manifest: parseManifest(new TextDecoder().decode(output.get(MANIFEST_PATH))), sums: new TextDecoder().decode(output.get(SHA256SUMS_PATH)) };
}

describe('server configuration in the manifest', () => {
  it('names .htaccess in any folder, _headers and _redirects at the root only', () => {
    expect(['.htaccess', 'a/b/.htaccess', '_headers', '_redirects'].every(isServerConfigPath)).toBe(true);
    expect(['a/_headers', 'a/_redirects', 'index.html', '.htaccess.bak', 'x.htaccess', '.well-known/stele/manifest.json'].some(isServerConfigPath)).toBe(false);
  });

  it('seal lists server configuration in serverConfig, every other file in files, and leaves it out of SHA256SUMS', () => {
    const { manifest, sums } = seal();
    expect(manifest.ok).toBe(true);
    if (!manifest.ok) return;
    expect(manifest.manifest.serverConfig?.map((f) => f.path)).toEqual(['.htaccess', '_headers', '_redirects', 'old/.htaccess']);
    expect(manifest.manifest.files.map((f) => f.path)).toContain('about/_headers');
    expect(manifest.manifest.files.some((f) => isServerConfigPath(f.path))).toBe(false);
    expect(listSignedFiles(manifest.manifest).map((f) => f.path)).toContain('old/.htaccess');
    expect(sums).not.toMatch(/\.htaccess| {2}_headers|_redirects/);
    expect(sums).toMatch(/ {2}about\/_headers$/m);
  });

  it('refuses a serverConfig entry that is not server configuration, and a path listed in both sections', () => {
    const { manifest } = seal();
    if (!manifest.ok) throw new Error(manifest.reason);
    const m = manifest.manifest;
    const entry = m.files.find((f) => f.path === 'index.html')!;
    const smuggled = parseManifest(serializeManifest({ ...m, serverConfig: [...(m.serverConfig ?? []), entry] }));
    expect(smuggled.ok).toBe(false);
    const twice = m.serverConfig![0];
    const both = parseManifest(serializeManifest({ ...m, files: [...m.files, twice] }));
    expect(both).toEqual({ ok: false, reason: `manifest lists ${twice.path} twice` });
  });
});
