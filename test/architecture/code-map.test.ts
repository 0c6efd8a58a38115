/**
 * ARCHITECTURE.md's code map is enforced: every import in `src/` must be one
 * its folder's line allows, every unit of `src/` has a line, and the library
 * entry (`import 'stele'`) does not load the CLI. The document is the only
 * source of the rules (see `code-map.ts` for the line format).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findMapViolations,
  type MapEntry,
  parseCodeMap,
  REPO_ROOT,
  resolveUnit,
  type SourceImport,
  SRC,
  scanImports,
  scanSourceTree,
} from './code-map.js';

const DOC = 'ARCHITECTURE.md';
const map = parseCodeMap(readFileSync(join(REPO_ROOT, DOC), 'utf8'));
const imports = scanSourceTree();

/** Files that still import `node:fs` although `src/io/` is the only folder meant to (ARCHITECTURE.md "Tech debt"). This list may only shrink. */
const FS_DEBT = new Set<string>([]);

describe('the code map in ARCHITECTURE.md', () => {
  it('has a line for every folder and top-level file of src/, and none for things that do not exist', () => {
    const units = readdirSync(SRC, { withFileTypes: true })
      .map((e) => (e.isDirectory() ? e.name : e.name.replace(/\.ts$/, '')))
      .sort();
    const missing = units.filter((u) => !map.has(u));
    expect(missing.map((u) => `src/${u} has no line in the "## Code map" section of ${DOC}: add "- \`src/${u}/\` — what it owns · what it may import."`)).toEqual([]);
    const stale = [...map.values()].filter((e) => !units.includes(e.unit));
    expect(stale.map((e) => `${DOC}:${e.line} describes src/${e.unit}, which does not exist: ${e.text}`)).toEqual([]);
    for (const entry of map.values()) {
      for (const a of entry.allows) {
        expect(map.has(a.unit), `${DOC}:${entry.line} allows "${a.unit}", which has no code-map line`).toBe(true);
        if (a.within) {
          const base = join(SRC, a.unit, a.within);
          expect(existsSync(`${base}.ts`) || existsSync(base), `${DOC}:${entry.line} names src/${a.unit}/${a.within}, which does not exist`).toBe(true);
        }
      }
    }
  });

  it('allows every import in src/ (fix the import, or edit the line named in the message)', () => {
    expect(imports.length).toBeGreaterThan(300);
    expect(findMapViolations(map, imports)).toEqual([]);
  });

  it('keeps node:fs inside src/io/ (apart from the listed debt, which may only shrink)', () => {
    const fsImports = imports.filter((i) => /^(node:)?fs(\/promises)?$/.test(i.specifier) && !i.file.startsWith('src/io/'));
    const offenders = [...new Set(fsImports.map((i) => i.file))].filter((f) => !FS_DEBT.has(f));
    expect(offenders.map((f) => `${f} imports node:fs: take a FileSystem from Host (src/io/host.ts) instead`)).toEqual([]);
    const paid = [...FS_DEBT].filter((f) => !fsImports.some((i) => i.file === f));
    expect(paid.map((f) => `${f} no longer imports node:fs: remove it from FS_DEBT in this test and from "Tech debt" in ${DOC}`)).toEqual([]);
  });

  it('keeps node:child_process inside src/io/: programs run through the process port (ProcessRunner)', () => {
    const offenders = imports.filter((i) => /^(node:)?child_process$/.test(i.specifier) && !i.file.startsWith('src/io/')).map((i) => i.file);
    expect(offenders.map((f) => `${f} imports node:child_process: take a ProcessRunner (src/io/process.ts) instead`)).toEqual([]);
  });

  it('keeps the library entry free of the CLI: the import closure of src/index.ts loads no cac, file watcher or src/cli', () => {
    const byFile = new Map<string, SourceImport[]>();
    for (const i of imports) byFile.set(i.file, [...(byFile.get(i.file) ?? []), i]);
    const seen = new Set<string>();
    const packages = new Set<string>();
    const stack = ['src/index.ts'];
    while (stack.length) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const i of byFile.get(file) ?? []) {
        if (i.typeOnly) continue;
        if (i.target === undefined) packages.add(i.specifier);
        else stack.push(`src/${i.target}.ts`);
      }
    }
    expect([...seen].filter((f) => f.startsWith('src/cli/'))).toEqual([]);
    expect([...packages].filter((p) => p === 'cac')).toEqual([]);
    expect(seen.has('src/io/watch-tree.ts')).toBe(false);
    // The scan really follows the graph: the pipeline and the verifier are in it.
    expect(seen.has('src/build/build-project.ts') && seen.has('src/verify/verify-site.ts')).toBe(true);
  });

  it('keeps import a stage of its own: the import closure of src/import/ (type imports included) reaches no render or site code', () => {
    const byFile = new Map<string, SourceImport[]>();
    for (const i of imports) byFile.set(i.file, [...(byFile.get(i.file) ?? []), i]);
    const seen = new Set<string>();
    const stack = [...byFile.keys()].filter((f) => f.startsWith('src/import/'));
    expect(stack).toContain('src/import/import-export.ts');
    while (stack.length) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const i of byFile.get(file) ?? []) if (i.target !== undefined) stack.push(`src/${i.target}.ts`);
    }
    expect([...seen].filter((f) => /^src\/(render|site|harden|check|seal|build|cli)\//.test(f))).toEqual([]);
    // The walk follows the graph: import reaches content and config.
    expect(seen.has('src/content/write-front-matter.ts') && seen.has('src/config/resolve-config.ts')).toBe(true);
  });
});

describe('the checker itself', () => {
  const fixture = parseCodeMap(
    [
      '# x',
      '## Code map',
      '- `src/errors/` — problems · nothing.',
      '- `src/assets/` — images · errors, render (types), seal/channels (schema only).',
      '- `src/render/` — markup · assets (types).',
      '- `src/seal/` — keys · errors.',
      '## Invariants',
      '- `src/ignored/` — after the section · anything.',
    ].join('\n'),
  );

  it('parses units, paths and type-only allowances', () => {
    expect([...fixture.keys()]).toEqual(['errors', 'assets', 'render', 'seal']);
    expect(fixture.get('assets')!.allows).toEqual([
      { unit: 'errors', within: '', typesOnly: false },
      { unit: 'render', within: '', typesOnly: true },
      { unit: 'seal', within: 'channels', typesOnly: false },
    ]);
    expect(fixture.get('errors')!.allows).toEqual([]);
  });

  it('reports a disallowed edge with the file, the line, the import and the map line to edit', () => {
    const source = [
      "import { html } from '../render/html.js';",
      "import type { SafeHtml } from '../render/html.js';",
      "import { channelSchema } from '../seal/channels.js';",
      "import { keygen } from '../seal/key-store.js';",
      "import {",
      '  type A,',
      '  b,',
      "} from '../errors/catalogue.js';",
      "const m = await import('../render/markdown.js');",
      "const s = `import { x } from '../seal/key-store.js'`;",
    ].join('\n');
    const found = scanImports('src/assets/picture.ts', source);
    expect(found.map((i) => [i.line, i.target, i.typeOnly])).toEqual([
      [1, 'render/html', false],
      [2, 'render/html', true],
      [3, 'seal/channels', false],
      [4, 'seal/key-store', false],
      [5, 'errors/catalogue', false],
      [9, 'render/markdown', false],
    ]);
    const problems = findMapViolations(fixture as Map<string, MapEntry>, found);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('src/assets/picture.ts:1 imports ../render/html.js');
    expect(problems[0]).toContain('write `import type`');
    expect(problems[0]).toContain('ARCHITECTURE.md:4:');
    expect(problems[0]).toContain('- `src/assets/` — images');
    expect(problems[1]).toContain('src/assets/picture.ts:4 imports ../seal/key-store.js');
    expect(problems[2]).toContain('src/assets/picture.ts:9 imports ../render/markdown.js');
  });

  it('follows worker URLs and resolves units of nested files', () => {
    const found = scanImports('src/render/theme/x.ts', "const W = new URL('../render-worker.js', import.meta.url);");
    expect(found.map((i) => i.target)).toEqual(['render/render-worker']);
    expect(resolveUnit('render/theme/layout')).toBe('render');
    expect(resolveUnit('index')).toBe('index');
  });
});
