/**
 * The errors catalogue (after Astro's): every diagnostic stele can emit has a
 * stable code, a title, a message template and a hint. Codes by range:
 * 1xxx config & content, 2xxx render & site, 3xxx assets, 4xxx harden & check,
 * 5xxx seal, verify & watch, 6xxx advocacy collections.
 * Each area keeps its entries in `codes-<area>.ts`.
 */
import type { Diagnostic, Severity } from './diagnostic.js';

/** One catalogue entry. `message` receives the entry's parameters. */
export interface ErrorDefinition<P extends unknown[] = never[]> {
  code: string;
  title: string;
  severity: Severity;
  message: (...params: P) => string;
  hint?: string | ((...params: P) => string);
}

/** Where a problem is. */
export interface Location {
  file?: string;
  line?: number;
  column?: number;
}

const registry = new Map<string, ErrorDefinition<never>>();

/** Declare a catalogue entry. Codes must be unique across the catalogue. */
export function defineError<P extends unknown[]>(def: ErrorDefinition<P>): ErrorDefinition<P> {
  if (registry.has(def.code)) throw new Error(`duplicate error code ${def.code}`);
  registry.set(def.code, def as unknown as ErrorDefinition<never>);
  return def;
}

/** Every registered entry, sorted by code (for docs and the catalogue test). */
export function listErrorDefinitions(): ErrorDefinition<never>[] {
  return [...registry.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** Make a diagnostic from a catalogue entry. */
export function createDiagnostic<P extends unknown[]>(
  def: ErrorDefinition<P>,
  location: Location,
  ...params: P
): Diagnostic {
  const hint = typeof def.hint === 'function' ? def.hint(...params) : def.hint;
  return {
    code: def.code,
    severity: def.severity,
    message: def.message(...params),
    ...(hint ? { hint } : {}),
    ...location,
  };
}
