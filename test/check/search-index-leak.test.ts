/**
 * The withheld-name scan reads Pagefind's compressed index chunks: a name that
 * reached the search index is refused like a name in a page.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeSearchIndex, runChecks } from '../../src/check/run-checks.js';
import { createSearchIndex } from '../../src/site/search-pagefind.js';

const encoder = new TextEncoder();
const chunk = (text: string) => new Uint8Array(gzipSync(Buffer.concat([Buffer.from('pagefind_dcd'), Buffer.from(text)])));

describe('withheld names in the search index', () => {
  it('decompresses index chunks for the scan and finds a name in a fragment', async () => {
    const out = new Map<string, Uint8Array>([
      ['pagefind/fragment/en_1234567.pf_fragment', chunk('{"url":"/a/","content":"The witness Shi Aiqin spoke."}')],
      ['pagefind/fragment/zh-hans_1234567.pf_fragment', chunk('{"content":"证人石\u200b爱钦发言"}')],
    ]);
    expect(new TextDecoder().decode(decodeSearchIndex(out).get('pagefind/fragment/en_1234567.pf_fragment'))).toContain('Shi Aiqin');
    const d = await runChecks(out, { withheldNames: [{ name: 'Shi Aiqin', label: 'roster m10' }, { name: '石爱钦', label: 'roster m10' }] });
    const hits = d.filter((x) => x.code === 'STELE4501');
    expect(hits.map((x) => x.file).sort()).toEqual(['pagefind/fragment/en_1234567.pf_fragment', 'pagefind/fragment/zh-hans_1234567.pf_fragment']);
    expect(JSON.stringify(d)).not.toContain('Aiqin');
  });

  it('indexes a real page with Pagefind and the scan sees its text', async () => {
    const out = new Map<string, Uint8Array>([
      ['posts/a/index.html', encoder.encode('<!doctype html><html lang="en"><head><title>a</title></head><body><main data-pagefind-body><h1>Rally</h1><p>Zhu Yufu was sentenced.</p></main></body></html>')],
    ]);
    expect(await createSearchIndex(out, { pages: ['posts/a/index.html'] })).toEqual([]);
    expect([...out.keys()].some((p) => p.startsWith('pagefind/fragment/'))).toBe(true);
    expect(out.has('pagefind/pagefind.js')).toBe(true);
    expect([...out.keys()].some((p) => /pagefind-ui|playground/.test(p))).toBe(false);
    const d = await runChecks(out, { withheldNames: [{ name: 'Zhu Yufu', label: 'person 1' }] });
    expect(d.some((x) => x.file?.startsWith('pagefind/fragment/'))).toBe(true);
  }, 60_000);
});
