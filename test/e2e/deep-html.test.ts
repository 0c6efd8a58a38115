/**
 * Issue 12 item 6: deeply nested raw HTML in author content is refused with a
 * diagnostic at its Markdown line, and every stage stays linear: a 100,000-deep
 * nesting builds to that diagnostic (it used to take minutes and exhaust
 * memory in the sanitizer and the page scanner).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { scanHtml } from '../../src/harden/html-scan.js';
import { MAX_HTML_DEPTH } from '../../src/render/markdown.js';
import { runCliCapturing } from '../helpers/run-cli.js';
import { createTempSite, removeTempDirs } from '../helpers/temp-site.js';

afterAll(removeTempDirs);

async function build(root: string): Promise<{ code: number; out: string }> {
  const r = await runCliCapturing(['build', root, '--no-seal'], root);
  return { code: r.code, out: r.output };
}

const post = (body: string) => `---\ntitle: Deep\ndate: 2026-01-01\n---\n\nIntro.\n\n${body}\n`;
const POST = 'content/posts/2026-01-01-deep.en.md';

describe('raw HTML nesting depth', () => {
  it(
    'a 100,000-deep nesting finishes and is reported at its file and line, with the other problems of the run',
    async () => {
      const n = 100_000;
      const root = await createTempSite({
        [POST]: post(`${'<div>'.repeat(n)}x${'</div>'.repeat(n)}`),
        'content/posts/2026-01-02-bad.en.md': '---\ntitle: Bad\ndate: notadate\n---\n\nHello.\n',
        'content/posts/2026-01-03-nested.en.md': post(`${'<span>'.repeat(n)}x${'</b>'.repeat(n)}\n\n${'>'.repeat(n)} quoted`),
      });
      const r = await build(root);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`${POST}:8 error STELE1253`);
      expect(r.out).toContain('content/posts/2026-01-03-nested.en.md:8 error STELE1253');
      expect(r.out).toContain('content/posts/2026-01-02-bad.en.md:3:7 error STELE1106');
      // The code frame shows the line, not 100,000 tags.
      expect(r.out.length).toBeLessThan(20_000);
    },
    120_000,
  );

  it('nesting up to the limit builds', async () => {
    const n = MAX_HTML_DEPTH - 1;
    const root = await createTempSite({
      [POST]: post(`${'<div>'.repeat(n)}x${'</div>'.repeat(n)}\n\n<p>${'<p>'.repeat(1000)}many paragraphs</p>`),
    });
    const r = await build(root);
    expect(r.out).not.toContain('STELE1253');
    expect(r.code, r.out).toBe(0);
  });

  it('one past the limit is refused, at the line where it is passed', async () => {
    const n = MAX_HTML_DEPTH + 1;
    const root = await createTempSite({ [POST]: post(`<section>\n${'<div>\n'.repeat(n)}x${'</div>'.repeat(n)}\n</section>`) });
    const r = await build(root);
    expect(r.code).toBe(1);
    // <section> is level 1 on line 8, so the div on line 8 + MAX_HTML_DEPTH passes the limit.
    expect(r.out).toContain(`${POST}:${8 + MAX_HTML_DEPTH} error STELE1253`);
  });

  it('the page scanner keeps no copy of the open elements per element (a hostile folder for `stele check --site`)', () => {
    const n = 20_000;
    const scanned = scanHtml(`<html><head></head><body>${'<div>'.repeat(n)}x${'</div>'.repeat(n)}</body></html>`);
    expect(scanned.elements).toHaveLength(n + 3);
    expect(scanned.elements[4]!.ancestors).toEqual(['html', 'body', 'div']);
    expect(scanned.elements.at(-1)!.ancestors).toHaveLength(n + 1);
  });
});
