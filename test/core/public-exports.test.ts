/**
 * The public API is deliberate: this pins the sorted export names of
 * `src/index.ts`. Changing the surface means updating this snapshot on purpose
 * (`npx vitest run test/core/public-exports.test.ts -u`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

describe('public exports', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "LANGUAGES",
        "STELE_VERSION",
        "buildProject",
        "createDiagnostic",
        "createMarkdownRenderer",
        "createMemoryFileSystem",
        "createNodeFetch",
        "createNodeHost",
        "createNodeLinkPort",
        "createNodeProcessRunner",
        "createServerConfigs",
        "createSignerFromSeed",
        "createSite",
        "createSiteBundle",
        "createWatcher",
        "defineConfig",
        "defineError",
        "digestOutput",
        "formatDiagnostic",
        "formatPublishReport",
        "hardenSite",
        "hasErrors",
        "listErrorDefinitions",
        "loadContent",
        "loadSigner",
        "localize",
        "publishSite",
        "refreshSiteTimestamp",
        "renderContent",
        "resolveConfig",
        "runChecks",
        "sanitizeAuthorHtml",
        "sealSite",
        "validateConfig",
        "verifySite",
        "writeOutputAtomically",
      ]
    `);
  });

  it('exports functions, plus the language table and the version', () => {
    for (const [name, value] of Object.entries(api)) {
      if (name === 'LANGUAGES') expect(Object.keys(value as object)).toEqual(['en', 'zh-Hans', 'zh-Hant']);
      else if (name === 'STELE_VERSION') expect(value).toBe(JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version);
      else expect(typeof value, name).toBe('function');
    }
  });

  it('defineConfig returns its argument unchanged (configs only need this one import)', () => {
    const config = { siteId: 'x', title: 'X' };
    expect(api.defineConfig(config)).toBe(config);
  });
});
