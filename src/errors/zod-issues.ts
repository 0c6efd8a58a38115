/**
 * Map zod issues to diagnostics, located by a caller-supplied function that
 * turns a value path into a line and column (YAML node ranges, config source).
 */
import type { z } from 'zod';
import { createDiagnostic, type Location } from './catalogue.js';
import { FrontMatterBadDate, FrontMatterInvalid, FrontMatterMissing, FrontMatterUnknownKey } from './codes-core.js';
import type { Diagnostic } from './diagnostic.js';

/** Resolves a path inside the validated object to a place in the file. */
export type PathLocator = (path: readonly PropertyKey[], keyOnly?: boolean) => Location;

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') || '(root)';
}

/** Closest match by edit distance, for "did you mean". */
export function suggestName(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(input.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return bestScore <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** Turn every zod issue into a diagnostic. `knownKeys(path)` lists valid keys at a path, for suggestions. */
export function mapZodIssues(
  error: z.ZodError,
  locate: PathLocator,
  options: {
    collection: string;
    knownKeys?: (path: readonly PropertyKey[]) => string[];
    input?: unknown;
    /** Where the reference documents the field at a path (a hint names it). */
    referenceLink?: (path: readonly PropertyKey[]) => string;
  },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const see = (path: readonly PropertyKey[]) => (options.referenceLink ? ` See ${options.referenceLink(path)}.` : '');
  for (const issue of error.issues) {
    const path = issue.path as PropertyKey[];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const full = [...path, key];
        const suggestion = suggestName(key, options.knownKeys?.(path) ?? []);
        const d = createDiagnostic(FrontMatterUnknownKey, locate(full, true), formatPath(full), options.collection);
        if (suggestion) d.hint = `Did you mean \`${suggestion}\`?${see([...path, suggestion])}`;
        else if (options.referenceLink) d.hint = `Remove \`${formatPath(full)}\` or check its spelling.${see(path)}`;
        out.push(d);
      }
      continue;
    }
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    if (missing) {
      out.push(createDiagnostic(FrontMatterMissing, locate(path.slice(0, -1), false), formatPath(path)));
      continue;
    }
    if (issue.code === 'custom' && /^must be a date like/.test(issue.message)) {
      out.push(createDiagnostic(FrontMatterBadDate, locate(path), formatPath(path), String(valueAt(options.input, path) ?? '')));
      continue;
    }
    const invalid = createDiagnostic(FrontMatterInvalid, locate(path), formatPath(path), issue.message);
    if (options.referenceLink) invalid.hint = `Fix the value of \`${formatPath(path)}\`.${see(path)}`;
    out.push(invalid);
  }
  return out;
}
