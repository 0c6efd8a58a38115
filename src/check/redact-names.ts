/**
 * The `Redactor` every command that prints diagnostics about a project gets:
 * the withheld-name matcher (every spelling, every obfuscation the output scan
 * sees through) applied to messages, hints, file names and code frames, plus
 * the line ranges of roster entries, which are never shown.
 */
import type { Redactor } from '../errors/redact.js';
import { createWithheldNameMatcher, findWithheldNames, type WithheldName } from './withheld-names.js';

/** Line ranges (1-based, inclusive) never to show, by project-relative file. */
export type ProtectedLines = Readonly<Record<string, readonly (readonly [from: number, to: number])[]>>;

/** Build a redactor for `names` and the roster line ranges `lines`. */
export function createNameRedactor(names: readonly WithheldName[], lines: ProtectedLines = {}): Redactor {
  const matcher = createWithheldNameMatcher(names);
  const find = (text: string) => (matcher.searchable && text ? findWithheldNames(matcher, text) : []);
  return {
    redactText(text) {
      const hits = find(text);
      if (!hits.length) return text;
      // Merge overlapping spans, then replace each by a marker (right to left keeps offsets valid).
      const spans: [number, number][] = [];
      for (const { start, last } of [...hits].sort((a, b) => a.start - b.start)) {
        const prev = spans.at(-1);
        if (prev && start <= prev[1] + 1) prev[1] = Math.max(prev[1], last);
        else spans.push([start, last]);
      }
      let out = text;
      for (const [start, last] of spans.reverse()) out = `${out.slice(0, start)}[withheld]${out.slice(last + 1)}`;
      return out;
    },
    findLines(text) {
      const out = new Set<number>();
      const hits = find(text);
      if (!hits.length) return out;
      const starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      const lineOf = (offset: number) => {
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (starts[mid]! <= offset) lo = mid;
          else hi = mid - 1;
        }
        return lo;
      };
      for (const { start, last } of hits) for (let n = lineOf(start); n <= lineOf(last); n++) out.add(n);
      return out;
    },
    protectsLine(file, line) {
      return (lines[file] ?? []).some(([from, to]) => line >= from && line <= to);
    },
  };
}
