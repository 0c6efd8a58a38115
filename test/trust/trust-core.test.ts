/**
 * The trust core's rules: no Node and no builder imports, the verifier's import
 * closure holds no builder or signing code, every export is documented, and the
 * same module, bundled for a browser, verifies a sealed site inside Chromium.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../../src/trust/paths.js';
import { launchChromium } from '../browser/helpers.js';
import { SIGNER, sealFixture } from '../verify/fixture.js';
import { collectClosure, listImports, listSourceFiles, ROOT } from './imports.js';

const TRUST_PACKAGES = /^(?:@noble\/hashes\/[a-z0-9]+\.js|@noble\/curves\/[a-z0-9]+\.js|zod(?:\/mini|\/locales|\/v4\/core)?)$/;
/** Builder and signing code: nothing the verifier loads may come from here. */
const BUILDER_OR_SIGNING =
  /^src\/(?:seal|render|site|content|assets|harden|check|config|build|pipeline|dev|cli|import|publish)\//;

describe('trust core layering', () => {
  const trustFiles = listSourceFiles('src/trust');

  it('imports only its own files, @noble and zod: no node: modules, no builder', () => {
    expect(trustFiles).toContain('src/trust/index.ts');
    for (const file of trustFiles) {
      for (const spec of listImports(file)) {
        const ok = spec.startsWith('./') ? !spec.includes('/..') : TRUST_PACKAGES.test(spec);
        expect(ok, `${file} imports ${spec}`).toBe(true);
      }
    }
  });

  it('uses no Node globals (Buffer, process, require, __dirname)', () => {
    for (const file of trustFiles) {
      const code = readFileSync(join(ROOT, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(code, file).not.toMatch(/\b(?:Buffer|process|require|__dirname|__filename|NodeJS)\b/);
    }
  });

  it("the verifier's import closure (src/verify/** and what it imports) contains no builder or signing code", () => {
    const { files, packages } = collectClosure(listSourceFiles('src/verify'));
    const offending = [...files].filter((f) => BUILDER_OR_SIGNING.test(f));
    expect(offending).toEqual([]);
    expect([...files].some((f) => f.startsWith('src/trust/'))).toBe(true);
    // fflate reads `stele verify site.zip` bundles in memory (a decompressor: neither builder nor signing code).
    expect([...packages].filter((p) => !p.startsWith('node:') && !TRUST_PACKAGES.test(p) && p !== 'fflate')).toEqual([]);
  });

  it("watch's import closure contains no builder or signing code either", () => {
    const { files } = collectClosure(listSourceFiles('src/watch'));
    expect([...files].filter((f) => BUILDER_OR_SIGNING.test(f))).toEqual([]);
  });

  it('every export of the trust core carries JSDoc', () => {
    const undocumented: string[] = [];
    for (const file of trustFiles) {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!/^export\s/.test(line)) return;
        // The nearest non-blank line above must close a comment block that opened with `/**`.
        let j = i - 1;
        while (j >= 0 && lines[j].trim() === '') j--;
        let documented = false;
        if (j >= 0 && lines[j].trim().endsWith('*/')) {
          let k = j;
          while (k >= 0 && !lines[k].includes('/*')) k--;
          documented = k >= 0 && lines[k].trim().startsWith('/**');
        }
        if (!documented) undocumented.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(undocumented).toEqual([]);
  });
});

describe('trust core in a browser', () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  it('bundles for the browser platform and verifies a sealed manifest inside Chromium', async () => {
    const bundle = await build({
      entryPoints: [join(ROOT, 'src/trust/index.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'steleTrust',
      platform: 'browser',
      target: 'es2022',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.filter((p) => p.startsWith('src/') && !p.startsWith('src/trust/'))).toEqual([]);
    const code = bundle.outputFiles[0].text;

    const site = sealFixture();
    const files = Object.fromEntries([...site].map(([path, data]) => [path, Buffer.from(data).toString('base64')]));
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>trust core</title>');
    await page.addScriptTag({ content: code });
    const run = (tamper: boolean) =>
      page.evaluate(
        async ({ files, publicKey, tamper, manifestPath, sigPath }) => {
          // biome-ignore lint/suspicious/noExplicitAny: the bundle's global
          const t = (globalThis as any).steleTrust;
          const bytes = (b64: string): Uint8Array => t.decodeBase64Strict(b64);
          const reader = {
            read: async (path: string) => (files[path] ? { status: 'ok', data: bytes(files[path]) } : { status: 'missing' }),
          };
          const manifestBytes = bytes(files[manifestPath]);
          if (tamper) manifestBytes[40] ^= 1;
          const read = t.readSignedManifest(manifestBytes, t.decodeUtf8(bytes(files[sigPath])));
          if (!read.ok) return { read: false, kind: read.problem.kind };
          const key = t.parsePublicKey(publicKey);
          const result = await t.verifyManifestSignature({
            reader,
            manifestBytes,
            read,
            anchor: { key: key.value, keyId: key.value.keyId, mismatchKind: 'wrong-key' },
            revoked: new Set(),
          });
          const index = read.manifest.files.find((f: { path: string }) => f.path === 'index.html');
          return {
            read: true,
            trusted: result.trusted,
            kinds: result.problems.map((p: { kind: string }) => p.kind),
            indexMatches: t.matchesManifestEntry(bytes(files['index.html']), index),
            isBrowser: typeof (globalThis as { process?: unknown }).process === 'undefined',
          };
        },
        { files, publicKey: SIGNER.publicKeyFile, tamper, manifestPath: MANIFEST_PATH, sigPath: MANIFEST_SIG_PATH },
      );
    expect(await run(false)).toEqual({ read: true, trusted: true, kinds: [], indexMatches: true, isBrowser: true });
    const tampered = await run(true);
    expect(tampered.trusted === true).toBe(false);
  }, 60_000);
});
