/**
 * Reading ARCHITECTURE.md's code map and the imports of `src/`, for the
 * architecture tests. The document is the single source of the rules: each
 * code-map line names a unit of `src/` (a folder `src/x/` or a file `src/x.ts`)
 * and, after its last ` · `, the units it may import:
 *
 *   - `src/assets/` — what it owns · errors, io, render (types), seal/channels.
 *
 * An item is a unit name (`errors`), optionally narrowed to a file or folder
 * inside it (`seal/channels`); a note in parentheses is a comment, except
 * `(types)`, which allows only type-only imports. `nothing` (with an optional
 * note in parentheses) allows nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '../..');
export const SRC = join(REPO_ROOT, 'src');

/** One allowed import of a unit. */
export interface MapAllowance {
  /** The imported unit (`errors`, `version`). */
  unit: string;
  /** A path inside the unit the allowance is limited to (`channels` for `seal/channels`), or '' for all of it. */
  within: string;
  typesOnly: boolean;
}

/** One code-map line. */
export interface MapEntry {
  /** The unit this line describes: `assets` for `src/assets/`, `index` for `src/index.ts`. */
  unit: string;
  /** 1-based line number in ARCHITECTURE.md. */
  line: number;
  text: string;
  allows: MapAllowance[];
}

/** Parse the `## Code map` section of ARCHITECTURE.md. Throws (a broken map is a bug in the doc) on a line it cannot read. */
export function parseCodeMap(markdown: string): Map<string, MapEntry> {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^## Code map\s*$/.test(l));
  if (start < 0) throw new Error('ARCHITECTURE.md has no "## Code map" section');
  const entries = new Map<string, MapEntry>();
  for (let i = start + 1; i < lines.length && !/^## /.test(lines[i]!); i++) {
    const text = lines[i]!;
    const m = /^- `src\/([a-z0-9-]+)(\/|\.ts)`/.exec(text);
    if (!m) continue;
    const unit = m[1]!;
    const sep = text.lastIndexOf(' · ');
    if (sep < 0) throw new Error(`ARCHITECTURE.md:${i + 1}: code-map line for src/${unit} has no " · <imports>" part`);
    const list = text
      .slice(sep + 3)
      .trim()
      .replace(/\.$/, '');
    const allows: MapAllowance[] = [];
    if (!/^nothing(\s+\([^)]*\))?$/.test(list)) {
      for (const raw of splitTopLevel(list)) {
        const item = /^([a-z0-9-]+)((?:\/[a-z0-9.-]+)*)(?:\s+\(([^)]*)\))?$/.exec(raw.trim());
        if (!item) throw new Error(`ARCHITECTURE.md:${i + 1}: cannot read import item ${JSON.stringify(raw.trim())} (write "unit", "unit/path" or "unit (note)")`);
        allows.push({ unit: item[1]!, within: item[2]!.slice(1), typesOnly: item[3]?.trim() === 'types' });
      }
    }
    if (entries.has(unit)) throw new Error(`ARCHITECTURE.md:${i + 1}: src/${unit} has two code-map lines`);
    entries.set(unit, { unit, line: i + 1, text, allows });
  }
  return entries;
}

function splitTopLevel(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) out.push(current);
  return out;
}

/** One import found in a source file. */
export interface SourceImport {
  /** Importing file, relative to the repository root (`src/assets/picture.ts`). */
  file: string;
  line: number;
  /** The specifier as written (`../render/html.js`). */
  specifier: string;
  /** The imported file relative to `src/` without extension (`render/html`), or undefined for packages. */
  target?: string;
  typeOnly: boolean;
}

/** Every `.ts` file under `dir`, sorted, relative to the repository root. */
export function listSourceFiles(dir = SRC): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const p = join(abs, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(relative(REPO_ROOT, p));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * The imports of one TypeScript file: static `import`/`export … from`, side-effect
 * imports, dynamic `import('…')` and worker URLs (`new URL('./x.js', import.meta.url)`).
 * Statements are matched at the start of a line, so code inside template strings
 * (generated config files) is not mistaken for an import.
 */
export function scanImports(file: string, source: string): SourceImport[] {
  const out: SourceImport[] = [];
  const text = source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  const add = (index: number, specifier: string, typeOnly: boolean) => {
    out.push({ file, line: lineOf(index), specifier, target: resolveTarget(file, specifier), typeOnly });
  };
  const statement = /^[ \t]*(import|export)\b(\s+type\b)?([^;'"`]*?)\bfrom\s*['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(statement)) {
    const clause = m[3]!;
    const named = /\{([^}]*)\}/.exec(clause);
    const onlyTypes =
      Boolean(m[2]) ||
      (named !== null &&
        !/^\s*[\w$]+\s*,/.test(clause.replace(/^\s*type\s/, '')) &&
        !clause.includes('*') &&
        named[1]!
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .every((s) => s.startsWith('type ')));
    add(m.index!, m[4]!, onlyTypes);
  }
  for (const m of text.matchAll(/^[ \t]*import\s*['"]([^'"]+)['"]/gm)) add(m.index!, m[1]!, false);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const before = text.slice(text.lastIndexOf('\n', m.index!) + 1, m.index!);
    add(m.index!, m[1]!, /\btypeof\s*$/.test(before));
  }
  for (const m of text.matchAll(/new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)) add(m.index!, m[1]!, false);
  return out;
}

function resolveTarget(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const dir = file.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '.' || part === '') continue;
    if (part === '..') dir.pop();
    else dir.push(part);
  }
  const joined = dir.join('/');
  if (!joined.startsWith('src/')) return `../${joined}`;
  return joined.slice(4).replace(/\.(js|ts|mjs)$/, '');
}

/** The unit of a path relative to `src/` (`render/theme/layout` → `render`, `index` → `index`). */
export function resolveUnit(srcPath: string): string {
  return srcPath.split('/')[0]!.replace(/\.ts$/, '');
}

/** Every import of every file under `src/`. */
export function scanSourceTree(): SourceImport[] {
  return listSourceFiles().flatMap((file) => scanImports(file, readFileSync(join(REPO_ROOT, file), 'utf8')));
}

/**
 * The imports the code map does not allow, each as a message naming the file,
 * the line, the import and the code-map line to edit.
 */
export function findMapViolations(map: Map<string, MapEntry>, imports: SourceImport[]): string[] {
  const problems: string[] = [];
  for (const imp of imports) {
    if (imp.target === undefined) continue;
    const fromUnit = resolveUnit(imp.file.slice(4));
    const entry = map.get(fromUnit);
    if (!entry) continue; // reported by the "every unit has a line" check
    if (imp.target.startsWith('../')) {
      problems.push(`${imp.file}:${imp.line} imports ${imp.specifier}, which is outside src/`);
      continue;
    }
    const toUnit = resolveUnit(imp.target);
    if (toUnit === fromUnit) continue;
    const inner = imp.target.split('/').slice(1).join('/');
    const allowed = entry.allows.some(
      (a) =>
        a.unit === toUnit &&
        (a.within === '' || inner === a.within || inner.startsWith(`${a.within}/`)) &&
        (!a.typesOnly || imp.typeOnly),
    );
    if (allowed) continue;
    const typesNote = entry.allows.some((a) => a.unit === toUnit && a.typesOnly) ? ` (the map allows only type imports of ${toUnit}; write \`import type\`)` : '';
    problems.push(
      `${imp.file}:${imp.line} imports ${imp.specifier} (src/${imp.target}.ts, unit "${toUnit}"), which the code map does not allow for "${fromUnit}"${typesNote}.\n` +
        `    Either move the code, or, if the edge is intended, add "${toUnit}" to the import list of ARCHITECTURE.md:${entry.line}:\n` +
        `    ${entry.text}`,
    );
  }
  return problems;
}
