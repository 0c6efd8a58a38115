/**
 * Effects go through the ports: a project that exists only on the in-memory
 * file system is given a key (`createKeyFiles`), built in production mode with
 * `write: true` (config loaded through the port, content read, site sealed,
 * written through a temporary sibling and verified there), verified again,
 * rebuilt after a key rotation, and found tampered — with no file on the real
 * disk. The project lives under a path that does not exist on disk, so any
 * stage that reached for `node:fs` would fail to read it or leave a trace.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { createMemoryFileSystem } from '../../src/io/memory-fs.js';
import { createKeyFiles, rotateKeyFiles } from '../../src/seal/key-store.js';
import { parseManifest } from '../../src/trust/manifest.js';
import { MANIFEST_PATH } from '../../src/trust/paths.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { createTestHost } from '../helpers/temp-site.js';

const ROOT = `/stele-memory-host-${process.pid}/site`;
const NOW = new Date('2026-03-01T12:00:00.000Z');

function createProject() {
  return createMemoryFileSystem({
    // The config imports a sibling module the TypeScript way (`./x.js` for `x.ts`): both are read through the port.
    [`${ROOT}/stele.config.ts`]: `import { defineConfig } from 'stele';
import { TITLE } from './site-title.js';

export default defineConfig({
  siteId: 'memory-site',
  title: TITLE,
  baseUrl: 'https://memory.example.org/',
  languages: ['en'],
  defaultLanguage: 'en',
});
`,
    [`${ROOT}/site-title.ts`]: `export const TITLE: string = 'Held in Memory';\n`,
    [`${ROOT}/content/posts/2026-02-01-first-report.en.md`]: '---\ntitle: First report\ndate: 2026-02-01\ntags: [reports]\n---\n\nA report written on no disk at all.\n',
    [`${ROOT}/content/pages/about.en.md`]: '---\ntitle: About\n---\n\nWho we are.\n',
  });
}

describe('a production build on the in-memory host', () => {
  it('creates keys, builds, seals, writes, verifies, rotates and detects tampering without touching the disk', async () => {
    const fs = createProject();
    const host = createTestHost({ now: NOW, fs });

    const keys = await createKeyFiles({ dir: `${ROOT}/keys`, unencrypted: true, fs });
    expect(keys.ok).toBe(true);
    // The secret key was created through the port with owner-only permissions, never over an existing file.
    expect((await fs.stat(`${ROOT}/keys/stele.key`))?.mode).toBe(0o600);
    expect((await createKeyFiles({ dir: `${ROOT}/keys`, unencrypted: true, fs })).ok).toBe(false);

    const first = await buildProject({ root: ROOT, host, mode: 'production', write: true });
    expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(first.ok).toBe(true);
    expect(first.seal?.keyId).toBe(keys.ok ? keys.value.keyId : '');
    const dist = `${ROOT}/dist`;
    const written = [...fs.files.keys()].filter((p) => p.startsWith(`${dist}/`));
    expect(written).toContain(`${dist}/${MANIFEST_PATH}`);
    expect(written).toContain(`${dist}/posts/first-report/index.html`);
    expect(new TextDecoder().decode(fs.files.get(`${dist}/index.html`))).toContain('Held in Memory');
    // Only the project, its keys and its output: no temporary folders left beside dist.
    expect([...fs.files.keys()].filter((p) => !p.startsWith(`${ROOT}/`))).toEqual([]);
    expect([...fs.files.keys()].filter((p) => p.includes('stele-tmp') || p.includes('stele-old'))).toEqual([]);

    const publicKey = await fs.readText(`${ROOT}/keys/stele.pub`);
    const report = await verifySite(dist, { publicKey, trustStoreDir: false, now: NOW, fs });
    expect(report.problems).toEqual([]);
    expect(report.status).toBe('genuine');
    const manifest = parseManifest(await fs.readText(`${dist}/${MANIFEST_PATH}`));
    expect(manifest.ok && manifest.manifest.files.length).toBeGreaterThan(5);
    expect(report.checkedFiles).toBe(manifest.ok ? manifest.manifest.files.length : -1);

    // A rotation is published by the next build: the previous version number is read back through the port.
    const rotated = await rotateKeyFiles({ dir: `${ROOT}/keys`, unencrypted: true, now: NOW, fs });
    expect(rotated.ok).toBe(true);
    const second = await buildProject({ root: ROOT, host, mode: 'production', write: true });
    expect(second.ok).toBe(true);
    expect(second.seal!.version).toBeGreaterThan(first.seal!.version);
    // The rotation link (new key signed by the old one) was read from the key folder through the port and published.
    const newKeyId = rotated.ok ? rotated.value.newKeyId : 'none';
    expect([...fs.files.keys()].filter((p) => p.startsWith(`${dist}/.well-known/stele/`) && p.includes(newKeyId))).not.toEqual([]);
    const newKey = await fs.readText(`${ROOT}/keys/stele.pub`);
    expect((await verifySite(dist, { publicKey: newKey, trustStoreDir: false, now: NOW, fs })).status).toBe('genuine');

    // Tampering with the written copy is found.
    fs.files.set(`${dist}/about/index.html`, new TextEncoder().encode('<p>planted</p>'));
    const tampered = await verifySite(dist, { publicKey: newKey, trustStoreDir: false, now: NOW, fs });
    expect(tampered.status).toBe('not-genuine');
    expect(tampered.problems.map((p) => [p.kind, p.path])).toContainEqual(['modified', 'about/index.html']);

    expect(existsSync(`/stele-memory-host-${process.pid}`)).toBe(false);
  }, 120_000);

  it('reports an error in a file the config imports with that file, line and column, read through the port', async () => {
    const fs = createProject();
    fs.files.set(`${ROOT}/site-title.ts`, new TextEncoder().encode(`export const TITLE: string = 'Held in Memory';\nexport const BROKEN = ;\n`));
    const result = await buildProject({ root: ROOT, host: createTestHost({ now: NOW, fs }), mode: 'production', noSeal: true, write: false });
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'STELE1001', file: 'site-title.ts', line: 2, column: 23 }));
    fs.files.delete(`${ROOT}/site-title.ts`);
    const missing = await buildProject({ root: ROOT, host: createTestHost({ now: NOW, fs }), mode: 'production', noSeal: true, write: false });
    expect(missing.diagnostics).toContainEqual(expect.objectContaining({ code: 'STELE1001', line: 2, message: expect.stringContaining('./site-title.js') }));
    expect(existsSync(`/stele-memory-host-${process.pid}`)).toBe(false);
  });
});
