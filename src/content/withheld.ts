/**
 * The names that must never reach output: every spelling of every roster
 * member whose consent does not allow their full name (withheld, withdrawn,
 * initials, pseudonym), across all content.
 *
 * Invariant: a withheld name never reaches any output file; `runChecks` scans
 * every byte of the built site for these spellings and the build fails if one is found.
 */
import { createTraditionalConverter } from './chinese.js';
import { collectWithheldNames, type RosterEntry, type WithheldName } from './consent.js';
import type { ContentSet } from './load-content.js';

/** Collect secret names from every roster in the content (originals only; translations share rosters). */
export function collectProjectWithheldNames(content: ContentSet, now: Date, overrides: Record<string, string> = {}): WithheldName[] {
  const toTraditional = createTraditionalConverter(overrides);
  const out: WithheldName[] = [];
  const seen = new Set<string>();
  for (const e of content.entries) {
    const roster = (e.data as { roster?: RosterEntry[] }).roster;
    if (!roster?.length || e.derived) continue;
    for (const n of collectWithheldNames(roster, { now, toTraditional, labelPrefix: `${e.collection}/${e.key}` })) {
      const k = n.name.toLowerCase();
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(n);
    }
  }
  return out;
}
