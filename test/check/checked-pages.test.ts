/**
 * The build checks each page's own problems while the search index is still
 * being made (`checkPages`), then `runChecks` reuses those results only for
 * pages whose bytes are still the very ones checked: a page changed or added
 * afterwards is checked again, and results made under other options are not used.
 */
import { describe, expect, it } from 'vitest';
import { checkPages, runChecks } from '../../src/check/run-checks.js';
import { hardenSite } from '../../src/harden/harden-site.js';

const encoder = new TextEncoder();
const page = (body: string) => encoder.encode(`<!doctype html><html lang="en"><head><title>t</title></head><body><main>${body}</main></body></html>`);
const codes = (d: { code: string; file?: string }[]) => d.map((x) => `${x.file} ${x.code}`).sort();

describe('page checks made early', () => {
  it('are the same diagnostics as a check from scratch', async () => {
    const out = new Map<string, Uint8Array>([
      ['a/index.html', page('<img src="https://tracker.example/x.png" alt="x"><a href="../b/">b</a>')],
      ['b/index.html', page('<a href="../missing/">gone</a>')],
    ]);
    const checked = checkPages(out);
    expect(codes(await runChecks(out, { checked }))).toEqual(codes(await runChecks(out)));
    expect(codes(await runChecks(out)).length).toBeGreaterThan(0);
  });

  it('check again a page whose bytes changed after, and a page added after', async () => {
    const out = new Map<string, Uint8Array>([['a/index.html', page('<p>clean</p>')]]);
    hardenSite(out);
    const checked = checkPages(out);
    expect(await runChecks(out, { checked })).toEqual([]);
    // The page changes (a later stage rewrote it) and another one appears: both must be seen.
    out.set('a/index.html', page('<img src="https://tracker.example/x.png" alt="x">'));
    out.set('c/index.html', page('<img src="https://cdn.example/y.png" alt="y">'));
    hardenSite(out);
    const found = codes(await runChecks(out, { checked }));
    expect(found.some((line) => line.startsWith('a/index.html'))).toBe(true);
    expect(found.some((line) => line.startsWith('c/index.html'))).toBe(true);
  });

  it('check again a page whose bytes were changed in place, the same object', async () => {
    const out = new Map<string, Uint8Array>([['a/index.html', page('<p>clean clean clean clean clean clean clean clean</p>')]]);
    hardenSite(out);
    const checked = checkPages(out);
    // Some later step (a bug) rewrites the page in the same array: a remote image of the same length.
    const bytes = out.get('a/index.html')!;
    const text = new TextDecoder().decode(bytes);
    const swapped = text.replace('<p>clean clean clean clean clean clean clean clean</p>', '<img src="https://t.example/x.png" alt="">'.padEnd(54, ' '));
    expect(swapped.length).toBe(text.length);
    bytes.set(encoder.encode(swapped));
    expect(out.get('a/index.html')).toBe(bytes);
    expect(codes(await runChecks(out, { checked })).some((line) => line.startsWith('a/index.html'))).toBe(true);
  });

  it('are not used under other options', async () => {
    const script = '<script>alert(1)</script>';
    const out = new Map<string, Uint8Array>([['a/index.html', page(script)]]);
    hardenSite(out);
    // Checked as `stele dev` (scripts allowed), then checked for production: the script must be reported.
    const checked = checkPages(out, { allowScripts: true });
    expect(await runChecks(out, { allowScripts: true, checked })).toEqual([]);
    expect((await runChecks(out, { checked })).length).toBeGreaterThan(0);
  });
});
