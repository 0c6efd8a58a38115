/**
 * Issue 12 item 10: a YAML alias bomb ("billion laughs") in front matter is a
 * diagnostic with file and line, not a stack trace.
 */
import { afterAll, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { parseFrontMatter } from '../../src/content/front-matter.js';
import { createTempSite, createTestHost, removeTempDirs } from '../helpers/temp-site.js';

afterAll(removeTempDirs);

const BOMB = [
  'title: T',
  'date: 2012-01-01',
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
].join('\n');

it('reports an alias bomb with the line of the first alias', () => {
  const r = parseFrontMatter(`---\n${BOMB}\n---\nbody\n`, 'content/posts/x.en.md');
  expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'STELE1252', file: 'content/posts/x.en.md', line: 5 })]);
  expect(r.data).toEqual({});
});

it('keeps ordinary anchors and aliases working', () => {
  const r = parseFrontMatter('---\ntitle: &t Hello\nsummary: *t\n---\n', 'x.md');
  expect(r.diagnostics).toEqual([]);
  expect(r.data).toEqual({ title: 'Hello', summary: 'Hello' });
});

it('`stele build` prints the diagnostic and exits 1 instead of crashing', async () => {
  const root = await createTempSite({ 'content/posts/2012-01-01-x.en.md': `---\n${BOMB}\n---\nbody\n` });
  let out = '';
  const code = await runCli(['build', root, '--no-seal'], {
    host: createTestHost(),
    isTTY: false,
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      out += t;
    },
  });
  expect(code).toBe(1);
  expect(out).toContain('content/posts/2012-01-01-x.en.md:5');
  expect(out).toContain('STELE1252');
  expect(out).not.toMatch(/ReferenceError|\n\s+at /);
});
