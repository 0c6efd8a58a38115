/**
 * The withheld-name scan reads Pagefind's compressed index chunks: a name that
 * reached the search index is refused like a name in a page.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hashExcludedEmail } from '../../src/content/import-records.js';
import { decodeSearchIndex, runChecks } from '../../src/check/run-checks.js';
import { CheckExcludedEmail } from '../../src/errors/codes-import.js';
import { createSearchIndex, resolveSearchChunks } from '../../src/site/search-pagefind.js';

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

  it('scans every chunk of an index too large to inflate at once, with the other files, and only those files', async () => {
    // More chunks than the scan inflates at a time: names in the first, a middle and the last one, and in a page.
    const out = new Map<string, Uint8Array>([['posts/a/index.html', encoder.encode('<p>Shi Aiqin</p>')]]);
    for (let i = 0; i < 600; i++) {
      out.set(`pagefind/fragment/en_${String(i).padStart(4, '0')}.pf_fragment`, chunk(`{"content":"${[0, 300, 599].includes(i) ? 'Shi Aiqin' : `page ${i}`}"}`));
    }
    out.set('pagefind/fragment/en_9999.pf_fragment', chunk('{"content":"an address: banned@example.org"}'));
    const d = await runChecks(out, {
      withheldNames: [{ name: 'Shi Aiqin', label: 'roster m10' }],
      excludedEmailHashes: new Set([hashExcludedEmail('banned@example.org')]),
    });
    expect(d.filter((x) => x.code === 'STELE4501').map((x) => x.file)).toEqual([
      'pagefind/fragment/en_0000.pf_fragment',
      'pagefind/fragment/en_0300.pf_fragment',
      'pagefind/fragment/en_0599.pf_fragment',
      'posts/a/index.html',
    ]);
    expect(d.filter((x) => x.code === CheckExcludedEmail.code).map((x) => x.file)).toEqual(['pagefind/fragment/en_9999.pf_fragment']);
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

  it('scans the chunks of an index split in several, where each page is', async () => {
    const page = (text: string) => encoder.encode(`<!doctype html><html lang="en"><head><title>a</title></head><body><main data-pagefind-body><h1>Post</h1><p>${text}</p></main></body></html>`);
    const paths = Array.from({ length: 8 }, (_, i) => `posts/p${i}/index.html`);
    const out = new Map<string, Uint8Array>(paths.map((path, i) => [path, page(i === 5 ? 'Zhu Yufu was sentenced.' : `Page ${i} of the archive.`)]));
    expect(await createSearchIndex(out, { pages: paths, chunkPages: 1 })).toEqual([]);
    const listed = JSON.parse(new TextDecoder().decode(out.get('pagefind/stele-chunks.json')!)) as Record<string, string[]>;
    expect(listed.en!.length).toBeGreaterThan(1);
    const d = await runChecks(out, { withheldNames: [{ name: 'Zhu Yufu', label: 'person 1' }] });
    const files = d.filter((x) => x.code === 'STELE4501').map((x) => x.file!);
    // The page itself, and the fragment of the further chunk it was indexed in.
    const bucket = resolveSearchChunks(paths, 1).findIndex((c) => c.has('posts/p5/index.html'));
    expect(listed.en).toContain(`chunks/en/${bucket}/`);
    expect(files.filter((f) => f.startsWith('pagefind/')).map((f) => f.replace(/_[0-9a-f]+\./, '_*.'))).toEqual([`pagefind/chunks/en/${bucket}/fragment/en_*.pf_fragment`]);
    expect(files).toContain('posts/p5/index.html');
  }, 60_000);
});

describe('scripts on search pages', () => {
  it('allows the search bootstrap on a search page only, and nothing else there', async () => {
    const { SEARCH_BOOTSTRAP } = await import('../../src/render/theme/search.js');
    const { computeSha256Base64 } = await import('../../src/harden/csp.js');
    const page = (script: string) =>
      encoder.encode(
        `<!doctype html><html lang="en"><head><meta http-equiv="Content-Security-Policy" content="script-src 'sha256-${computeSha256Base64(script)}'"><title>s</title></head><body><main><h1>Search</h1><script>${script}</script></main></body></html>`,
      );
    const searchPages = { paths: new Set(['search/index.html']), script: SEARCH_BOOTSTRAP };
    const out = new Map<string, Uint8Array>([
      ['search/index.html', page(SEARCH_BOOTSTRAP)],
      ['about/index.html', page(SEARCH_BOOTSTRAP)],
    ]);
    const codes = (d: Awaited<ReturnType<typeof runChecks>>) => d.filter((x) => x.code === 'STELE4406').map((x) => x.file);
    expect(codes(await runChecks(out, { searchPages }))).toEqual(['about/index.html']);
    out.set('search/index.html', page(`${SEARCH_BOOTSTRAP}fetch('//evil.example/');`));
    expect(codes(await runChecks(out, { searchPages }))).toEqual(['about/index.html', 'search/index.html']);
  });
});
