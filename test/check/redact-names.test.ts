/**
 * The redactor behind every printed diagnostic (issue 12 item 2): messages,
 * hints, file names and code-frame lines lose every protected name, also one
 * split over two lines or hidden by markup, and roster lines are never shown.
 */
import { describe, expect, it } from 'vitest';
import { createNameRedactor } from '../../src/check/redact-names.js';
import { findRosterLines } from '../../src/content/load-content.js';
import { formatDiagnostic } from '../../src/errors/format.js';

const redactor = createNameRedactor([{ name: 'Shi Aiqin', label: 'roster m01' }, { name: '石爱钦', label: 'roster m01' }], {
  'content/events/a.en.md': [[6, 9]],
});

describe('createNameRedactor', () => {
  it('redacts names in text, keeping the rest', () => {
    expect(redactor.redactText('Image "./shi-aiqin.jpg" and S&#104;i Aiqin and 石<b>爱</b>钦.')).toBe('Image "./[withheld].jpg" and [withheld] and [withheld].');
    expect(redactor.redactText('nothing here')).toBe('nothing here');
  });

  it('finds every line a name touches, also across a line break', () => {
    expect([...redactor.findLines('a\nmet Shi\nAiqin there\nb')].sort()).toEqual([1, 2]);
  });

  it('formatDiagnostic hides frame lines with names and roster lines, and redacts message, hint and file', () => {
    const source = ['---', 'title: x', 'kind: rally', 'start: 2012-02-14', 'place: {}', 'roster:', '  - id: m01', '    names: { en: Somebody Else }', '    publish: withheld', '---', 'We met Shi', 'Aiqin.', 'end'].join('\n');
    const inRoster = formatDiagnostic(
      { code: 'STELE1103', severity: 'error', message: 'Unknown key', file: 'content/events/a.en.md', line: 8, column: 5 },
      { source, redactor },
    );
    expect(inRoster).not.toContain('Somebody Else');
    expect(inRoster).toContain('> 8 | [not shown');
    const inBody = formatDiagnostic(
      { code: 'STELE1211', severity: 'error', message: 'Link "shi aiqin.md"', hint: 'Ask Shi Aiqin', file: 'content/events/a.en.md', line: 12 },
      { source, redactor },
    );
    expect(inBody).not.toMatch(/Shi|Aiqin/i);
    expect(inBody).toContain('end');
  });
});

describe('findRosterLines', () => {
  it('spans the roster block up to the next top-level key or the closing line, also in invalid YAML', () => {
    expect(findRosterLines('---\ntitle: x\nroster:\n- id: a\n  names: {\nkind: rally\n---\nbody\n')).toEqual([[3, 5]]);
    expect(findRosterLines('---\nroster: [{ names: { en: X Y } }]\n---\n')).toEqual([[2, 2]]);
    expect(findRosterLines('---\ntitle: x\n---\nroster: in the body\n')).toEqual([]);
  });
});
