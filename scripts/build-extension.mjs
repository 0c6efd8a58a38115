// Build the stele Verify browser extension (extension/) for Chromium and Firefox:
// bundle each entry with esbuild, write a Manifest V3 manifest per browser, copy
// the static pages, and zip each folder with fflate (fixed dates: same input,
// same bytes). Usage: node scripts/build-extension.mjs [--out DIR] (default extension/dist).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { zipSync } from 'fflate';

const root = new URL('..', import.meta.url).pathname;
const ext = join(root, 'extension');
const outArg = process.argv.indexOf('--out');
const outDir = outArg > 0 ? process.argv[outArg + 1] : join(ext, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const ENTRIES = {
  background: 'src/background.ts',
  content: 'src/content.ts',
  interstitial: 'src/pages/interstitial.ts',
  options: 'src/pages/options.ts',
  popup: 'src/pages/popup.ts',
};

/** Manifest V3 for one browser: the least the extension needs. */
function createManifest(target) {
  const manifest = {
    manifest_version: 3,
    name: 'stele Verify',
    short_name: 'stele',
    version: pkg.version,
    description:
      'Checks pages of sites published with stele against their signed manifest: genuine, NOT GENUINE, revoked address. No telemetry; talks only to the site you visit.',
    // storage: pinned keys and versions. Host access: read the .well-known/stele files of the site being visited.
    permissions: ['storage'],
    host_permissions: ['http://*/*', 'https://*/*'],
    background: target === 'firefox' ? { scripts: ['background.js'] } : { service_worker: 'background.js' },
    content_scripts: [{ matches: ['http://*/*', 'https://*/*'], js: ['content.js'], run_at: 'document_start', all_frames: false }],
    action: { default_title: 'stele Verify', default_popup: 'popup.html' },
    options_ui: { page: 'options.html', open_in_tab: true },
    content_security_policy: { extension_pages: "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src http: https:" },
  };
  if (target === 'firefox') {
    manifest.browser_specific_settings = { gecko: { id: 'stele-verify@stele.invalid', strict_min_version: '128.0' } };
  } else {
    manifest.minimum_chrome_version = '120';
  }
  return manifest;
}

function listFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

rmSync(outDir, { recursive: true, force: true });
for (const target of ['chromium', 'firefox']) {
  const dir = join(outDir, target);
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(ext, file)])),
    outdir: dir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: target === 'firefox' ? 'firefox128' : 'chrome120',
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  for (const file of listFiles(join(ext, 'static'))) {
    writeFileSync(join(dir, relative(join(ext, 'static'), file)), readFileSync(file));
  }
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(createManifest(target), null, 2)}\n`);
  const mtime = new Date('2000-01-01T00:00:00Z');
  const files = Object.fromEntries(listFiles(dir).map((f) => [relative(dir, f), [readFileSync(f), { mtime }]]));
  writeFileSync(join(outDir, `stele-verify-${target}.zip`), zipSync(files, { level: 9 }));
}
console.log(`stele Verify ${pkg.version} → ${relative(process.cwd(), outDir) || '.'}/{chromium,firefox} and stele-verify-{chromium,firefox}.zip`);
