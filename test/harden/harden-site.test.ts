import { describe, expect, it } from 'vitest';
import { computeSha256Base64, createContentSecurityPolicy } from '../../src/harden/csp.js';
import { hardenSite } from '../../src/harden/harden-site.js';
import { createSecurityHeaders } from '../../src/harden/security-headers.js';
import type { OutputFiles } from '../../src/site/output.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
function site(files: Record<string, string>): OutputFiles {
  return new Map(Object.entries(files).map(([k, v]) => [k, enc.encode(v)]));
}
const read = (out: OutputFiles, p: string) => dec.decode(out.get(p));

describe('createContentSecurityPolicy', () => {
  it('hashes exact inline bodies and denies everything else', () => {
    const csp = createContentSecurityPolicy({ inlineStyles: ['p{color:red}'], inlineScripts: [], forMeta: true });
    const hash = computeSha256Base64('p{color:red}');
    expect(hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(csp).toBe(
      `default-src 'none'; script-src 'none'; style-src 'sha256-${hash}'; img-src 'self'; font-src 'self'; media-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'`,
    );
    const header = createContentSecurityPolicy({ inlineStyles: [], inlineScripts: ['x()'], forMeta: false, reportUri: '/r', formAction: ['https://pay.example'] });
    expect(header).toContain(`script-src 'sha256-${computeSha256Base64('x()')}'`);
    expect(header).toContain("style-src 'none'");
    expect(header).toContain("form-action https://pay.example");
    expect(header).toContain("frame-ancestors 'none'");
    expect(header).toContain('report-uri /r');
    expect(csp).not.toContain('frame-ancestors');
  });
});

describe('createSecurityHeaders', () => {
  it('returns every header', () => {
    const h = createSecurityHeaders();
    expect(Object.keys(h)).toEqual([
      'Content-Security-Policy',
      'Referrer-Policy',
      'X-Content-Type-Options',
      'X-Frame-Options',
      'Permissions-Policy',
      'Cross-Origin-Opener-Policy',
      'Cross-Origin-Resource-Policy',
      'Strict-Transport-Security',
    ]);
    expect(h['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains');
    expect(h['Permissions-Policy']).toMatch(/camera=\(\).*geolocation=\(\).*interest-cohort=\(\).*microphone=\(\)/);
    expect(h['Permissions-Policy']).toContain('browsing-topics=()');
    expect(createSecurityHeaders({ hstsMaxAge: 0 })['Strict-Transport-Security']).toBeUndefined();
  });
});

describe('hardenSite', () => {
  const style = 'body{font:16px/1.5 serif}\r\np{margin:0}';
  const files = {
    'index.html': `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Home</title>\n<style>${style}</style>\n<link rel="stylesheet" href="assets/extra.1234abcd.css">\n<script src="assets/app.deadbeef.js" defer></script>\n</head>\n<body>\n<a href="https://other.example/" rel="external">out</a>\n<a href="//cdn.example/x">proto</a>\n<a href="about/">in</a>\n<script type="application/ld+json">{"@type":"Thing"}</script>\n</body>\n</html>\n`,
    'about/index.html': '<html><head><title>About</title><meta name="referrer" content="origin"><meta http-equiv="content-security-policy" content="default-src *"></head><body><p>x</p></body></html>',
    'assets/extra.1234abcd.css': 'p{color:red}',
    'assets/app.deadbeef.js': 'console.log(1)',
    'broken.html': '<p>no head</p><link rel="stylesheet" href="nope.css">',
  };

  it('adds CSP meta, referrer meta, SRI and rel, and leaves the rest byte-for-byte', () => {
    const out = site(files);
    const diagnostics = hardenSite(out);
    const html = read(out, 'index.html');
    const styleHash = computeSha256Base64(style.replace(/\r\n/g, '\n'));
    const cssHash = computeSha256Base64(files['assets/extra.1234abcd.css']);
    const jsHash = computeSha256Base64(files['assets/app.deadbeef.js']);
    expect(html).toContain(
      `<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self' 'sha256-${styleHash}'; img-src 'self'; font-src 'self'; media-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"><meta name="referrer" content="no-referrer">\n<title>`,
    );
    expect(html).toContain(`<link rel="stylesheet" href="assets/extra.1234abcd.css" integrity="sha256-${cssHash}">`);
    expect(html).toContain(`<script src="assets/app.deadbeef.js" defer integrity="sha256-${jsHash}"></script>`);
    expect(html).toContain('<a href="https://other.example/" rel="external noopener noreferrer">out</a>');
    expect(html).toContain('<a href="//cdn.example/x" rel="noopener noreferrer">proto</a>');
    expect(html).toContain('<a href="about/">in</a>');
    // The JSON-LD data block is not hashed as a script.
    expect(html).not.toContain(computeSha256Base64('{"@type":"Thing"}'));
    // Removing the inserted parts gives back the original page.
    const restored = html
      .replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*"><meta name="referrer" content="no-referrer">/, '')
      .replace(/ integrity="[^"]*"/g, '')
      .replace(' noopener noreferrer', '')
      .replace(' rel="noopener noreferrer"', '');
    expect(restored).toBe(files['index.html']);

    const about = read(out, 'about/index.html');
    expect(about.match(/Content-Security-Policy/gi)).toHaveLength(1);
    expect(about).not.toContain('default-src *');
    expect(about).not.toContain('content="origin"');
    expect(about.startsWith('<html><head><meta http-equiv="Content-Security-Policy"')).toBe(true);

    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['STELE4002', 'broken.html'],
      ['STELE4001', 'broken.html'],
    ]);
  });

  it('is idempotent and deterministic', () => {
    const a = site(files);
    hardenSite(a);
    const once = new Map([...a].map(([k, v]) => [k, dec.decode(v)]));
    hardenSite(a);
    const twice = new Map([...a].map(([k, v]) => [k, dec.decode(v)]));
    expect(twice).toEqual(once);
    const b = site(files);
    hardenSite(b);
    expect(new Map([...b].map(([k, v]) => [k, dec.decode(v)]))).toEqual(once);
  });
});

describe('site-wide header options', () => {
  it('are the same from harden’s page summaries as from parsing every page again', async () => {
    const { collectSiteHeaderOptions } = await import('../../src/harden/server-configs.js');
    const enc = new TextEncoder();
    const out: OutputFiles = new Map([
      ['index.html', enc.encode('<!doctype html><html><head><title>a</title><style>p{color:red}</style></head><body><p>a</p></body></html>')],
      ['b/index.html', enc.encode('<!doctype html><html><head><title>b</title><style>h1{margin:0}</style><link rel="stylesheet" href="../s.css"></head><body><script>1</script></body></html>')],
      ['s.css', enc.encode('p{}')],
    ]);
    hardenSite(out);
    const fromSummaries = collectSiteHeaderOptions(out);
    // Fresh byte arrays miss the summary cache and are parsed again.
    const copy: OutputFiles = new Map([...out].map(([k, v]) => [k, new Uint8Array(v)]));
    const parsed = collectSiteHeaderOptions(copy);
    const norm = (o: typeof parsed) => ({ ...o, inlineStyles: [...(o.inlineStyles ?? [])].sort(), inlineScripts: [...(o.inlineScripts ?? [])].sort() });
    expect(norm(fromSummaries)).toEqual(norm(parsed));
    expect(parsed.inlineStyles).toHaveLength(2);
    expect(parsed.selfStyles).toBe(true);
  });
});
