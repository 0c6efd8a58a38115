// Compile src/**/*.ts to dist/ (ESM, one file per module) with esbuild.
// Type-checking is `npm run typecheck`; this only strips types, fast.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) files.push(p);
  }
};
walk(join(root, 'src'));
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: files,
  outdir: join(root, 'dist'),
  outbase: join(root, 'src'),
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});

// `stele verify` from one file: the verify command and everything it imports, packages
// included (src/cli/verify-cli.ts; bin/stele.js loads it for `stele verify`). Beside
// dist/cli/ so that the hash worker it starts, `../io/hash-worker.js`, is the compiled one.
// zod's sixty-odd message locales are a third of that file and verify uses none of them (zod
// itself loads `en` directly): the bundle's `zod/v4/locales/index.js` exports `en` alone.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      resolveDir: dirname(args.path),
    }));
  },
};
await build({
  plugins: [zodEnglishOnly],
  entryPoints: [join(root, 'src/cli/verify-cli.ts')],
  outfile: join(root, 'dist/cli/verify-cli.bundle.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});

// The code id: which compiled stele made a build cache (`.stele/cache`). A cache
// written by other code (another commit, other dependencies) is never read.
const hash = createHash('sha256');
const compiled = [];
const walkDist = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walkDist(p);
    else if (e.name.endsWith('.js')) compiled.push(p);
  }
};
walkDist(join(root, 'dist'));
for (const p of compiled.sort()) hash.update(p.slice(root.length)).update('\0').update(readFileSync(p)).update('\0');
hash.update(readFileSync(join(root, 'package-lock.json')));
writeFileSync(join(root, 'dist', 'code-id.txt'), `${hash.digest('hex')}\n`);
