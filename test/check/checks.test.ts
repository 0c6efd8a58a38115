import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, summarizeDiagnostics } from '../../src/errors/format.js';
import { checkImageAlt } from '../../src/check/image-alt.js';
import { checkImageMetadata, scanImageContainer } from '../../src/check/image-metadata.js';
import { checkLinks } from '../../src/check/links.js';
import { runChecks } from '../../src/check/run-checks.js';
import { checkScriptsAndCsp } from '../../src/check/scripts-and-csp.js';
import { createSitePages } from '../../src/check/site-pages.js';
import { checkThirdParty } from '../../src/check/third-party.js';
import { hardenSite } from '../../src/harden/harden-site.js';
import type { OutputFiles } from '../../src/site/output.js';

function site(files: Record<string, string | Uint8Array>): OutputFiles {
  const enc = new TextEncoder();
  return new Map(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? enc.encode(v) : v]));
}
const page = (body: string, head = '') => `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;

describe('links', () => {
  const run = (files: Record<string, string>) => {
    const out = site(files);
    return checkLinks(out, createSitePages(out));
  };
  it('accepts valid relative links to files, anchors and external links', () => {
    const d = run({
      'index.html': page('<a href="about/index.html">a</a><a href="about/index.html#team">t</a><a href="#top">top</a><a href="#x" id="x">x</a><a href="https://other.example/">o</a><a href="mailto:a@b">m</a><img src="img/a.png" srcset="img/a.png 1x, img/b.png 2x" alt="a">'),
      'about/index.html': page('<h2 id="team">Team</h2><a href="../index.html">home</a><a href="../index.html?x=1#x">home x</a>'),
      'img/a.png': 'x',
      'img/b.png': 'x',
    });
    expect(d).toEqual([]);
  });
  it('reports broken files, missing anchors, root-relative, escaping and folder-without-slash links', () => {
    const d = run({
      'index.html': page('<a href="nope.html">1</a>\n<a href="about/index.html#nobody">2</a>\n<a href="/about/">3</a>\n<a href="../../x">4</a>\n<a href="about">5</a>\n<a href="#gone">6</a>\n<img src="img/missing.png" alt="x">'),
      'about/index.html': page('<h2 id="team">Team</h2>'),
    });
    expect(d.map((x) => [x.code, x.line])).toEqual([
      ['STELE4101', 1],
      ['STELE4102', 2],
      ['STELE4103', 3],
      ['STELE4104', 4],
      ['STELE4105', 5],
      ['STELE4102', 6],
      ['STELE4101', 7],
    ]);
    // Column of the href attribute: after the page prefix and '<a '.
    expect(d[0]).toMatchObject({ file: 'index.html', column: page('').indexOf('</body>') + 4, severity: 'error' });
    expect(d[4]).toMatchObject({ severity: 'error', hint: 'Name the page file: "about/index.html".' });
  });
  it('refuses links to folders (they do not open the page from file://), with the file to name instead', () => {
    const d = run({
      'index.html': page('<a href="posts/">1</a>\n<a href="posts/#top">2</a>\n<a href="./">3</a>'),
      'posts/index.html': page('<a href="..">up</a>\n<a href="../">up</a>'),
    });
    expect(d.map((x) => [x.file, x.code, x.line, x.severity, x.hint])).toEqual([
      ['index.html', 'STELE4106', 1, 'error', 'Name the page file: "posts/index.html".'],
      ['index.html', 'STELE4106', 2, 'error', 'Name the page file: "posts/index.html#top".'],
      ['index.html', 'STELE4106', 3, 'error', 'Name the page file: "index.html".'],
      ['posts/index.html', 'STELE4106', 1, 'error', 'Name the page file: "../index.html".'],
      ['posts/index.html', 'STELE4106', 2, 'error', 'Name the page file: "../index.html".'],
    ]);
  });
  it('decodes percent-encoded paths', () => {
    expect(run({ 'index.html': page('<a href="a%20b/index.html">x</a>'), 'a b/index.html': page('') })).toEqual([]);
  });
  it('resolves the root-relative links of 404 pages from the site path their icon names, and nowhere else', () => {
    const icon = '<link rel="icon" href="/campaign/favicon.svg">';
    const d = run({
      '404.html': page('<a href="/campaign/index.html">1</a>\n<a href="/campaign/zh-hans/index.html#top">2</a>\n<a href="/campaign/gone.html">3</a>\n<a href="/elsewhere/index.html">4</a>\n<a href="/campaign/zh-hans/">5</a>\n<a href="/campaign/../x.html">6</a>\n<a href="index.html">7</a>', icon),
      'zh-hans/404.html': page('<a href="/campaign/zh-hans/index.html">1</a>\n<a href="/campaign/zh-hans/verify/index.html">2</a>', '<link rel="icon" href="/campaign/favicon.svg">'),
      'about/index.html': page('<a href="/campaign/index.html">1</a>'),
      'index.html': page(''),
      'favicon.svg': '<svg/>',
      'zh-hans/index.html': page(''),
      'zh-hans/verify/index.html': page(''),
    });
    const found = d.map((x) => [x.file, x.code, x.line, x.message.match(/"[^"]*"/)?.[0]]).sort((a, b) => `${a[0]}:${a[2]}`.localeCompare(`${b[0]}:${b[2]}`));
    expect(found).toEqual([
      ['404.html', 'STELE4101', 3, '"/campaign/gone.html"'],
      ['404.html', 'STELE4103', 4, '"/elsewhere/index.html"'],
      ['404.html', 'STELE4106', 5, '"/campaign/zh-hans/"'],
      ['404.html', 'STELE4104', 6, '"/campaign/../x.html"'],
      // Only 404 pages link from the site path: other pages stay relative.
      ['about/index.html', 'STELE4103', 1, '"/campaign/index.html"'],
    ]);
  });
});

describe('image alt', () => {
  const run = (body: string) => checkImageAlt(createSitePages(site({ 'p.html': page(body) })));
  it('accepts alt text and decorative images', () => {
    expect(run('<img src="a" alt="A cat"><img src="b" alt="" role="presentation"><img src="c" alt="" aria-hidden="true"><img src="d" alt role="none">')).toEqual([]);
  });
  it('rejects a missing alt and a non-decorative empty alt', () => {
    expect(run('<img src="a.png"><img src="b.png" alt="">').map((d) => d.code)).toEqual(['STELE4201', 'STELE4202']);
  });
});

describe('third-party resources', () => {
  const run = (files: Record<string, string>, allowedOrigins: string[] = []) => {
    const out = site(files);
    return checkThirdParty(out, createSitePages(out), { allowedOrigins });
  };
  it('allows plain links to other sites and same-site resources', () => {
    expect(run({ 'p.html': page('<a href="https://a.example/">a</a><img src="x.png" alt="x"><link rel="alternate" href="https://feeds.example/x">', '<style>a{background:url(img/x.png)}</style>') })).toEqual([]);
  });
  const bad: [string, string, string?][] = [
    ['img src', '<img src="https://cdn.example/x.png" alt="x">'],
    ['protocol-relative', '<img src="//cdn.example/x.png" alt="x">'],
    ['srcset', '<img src="x.png" srcset="x.png 1x, https://cdn.example/x2.png 2x" alt="x">'],
    ['script', '<script src="https://cdn.example/x.js"></script>'],
    ['stylesheet', '<link rel="stylesheet" href="https://fonts.example/css">'],
    ['icon', '<link rel="icon" href="https://cdn.example/favicon.ico">'],
    ['preconnect', '<link rel="preconnect" href="https://fonts.example">'],
    ['iframe', '<iframe src="https://video.example/embed/1"></iframe>'],
    ['video poster', '<video src="v.mp4" poster="https://cdn.example/p.jpg"></video>'],
    ['audio', '<audio src="https://cdn.example/a.mp3"></audio>'],
    ['source', '<picture><source srcset="https://cdn.example/a.avif"><img src="a.png" alt="a"></picture>'],
    ['track', '<video src="v.mp4"><track src="https://cdn.example/t.vtt"></video>'],
    ['object', '<object data="https://cdn.example/x.pdf"></object>'],
    ['embed', '<embed src="https://cdn.example/x.swf">'],
    ['a ping', '<a href="x.html" ping="https://tracker.example/p">x</a>'],
    ['style attribute url()', '<div style="background:url(https://cdn.example/bg.png)"></div>'],
    ['<style> @import', '', '<style>@import "https://fonts.example/css";</style>'],
    ['<style> url()', '', "<style>@font-face{src:url('https://fonts.example/f.woff2')}</style>"],
    ['CSS escape evasion', '', '<style>a{background:url(ht\\74ps://cdn.example/x.png)}</style>'],
  ];
  for (const [name, body, head] of bad) {
    it(`rejects ${name}`, () => {
      const d = run({ 'p.html': page(body, head) });
      expect(d.length).toBe(1);
      expect(['STELE4301', 'STELE4302']).toContain(d[0].code);
      expect(d[0].file).toBe('p.html');
    });
  }
  it('checks .css files with line and column', () => {
    const d = run({ 'a.css': 'body{color:red}\n@font-face{src:url("https://fonts.example/a.woff2")}' });
    expect(d).toMatchObject([{ code: 'STELE4302', file: 'a.css', line: 2, column: 16 }]);
  });
  it('honours allowed origins', () => {
    expect(run({ 'p.html': page('<form action="https://pay.example/donate"></form>') }, ['https://pay.example'])).toEqual([]);
    expect(run({ 'p.html': page('<form action="https://pay.example/donate"></form>') })).toHaveLength(1);
  });
});

describe('scripts and CSP', () => {
  const run = (files: Record<string, string>) => checkScriptsAndCsp(createSitePages(site(files)));
  it('accepts a hardened page with inline style and JSON-LD', () => {
    const out = site({ 'p.html': page('<p>x</p><script type="application/ld+json">{"a":1}</script>', '<style>p{color:red}</style>') });
    hardenSite(out);
    expect(checkScriptsAndCsp(createSitePages(out))).toEqual([]);
  });
  it('rejects a page without CSP, handlers, javascript: URLs and unhashed inline code', () => {
    expect(run({ 'p.html': page('<p>x</p>') }).map((d) => d.code)).toEqual(['STELE4404']);
    const out = site({ 'p.html': page('<p>x</p>', '<style>p{color:red}</style>') });
    hardenSite(out);
    const html = new TextDecoder()
      .decode(out.get('p.html'))
      .replace('p{color:red}', 'p{color:blue}')
      .replace('<p>x</p>', '<p onclick="x()">x</p><a href=" JaVa\tScript:alert(1)">y</a><script>alert(1)</script><b style="color:red">s</b>');
    const d = run({ 'p.html': html });
    expect(d.map((x) => x.code).sort()).toEqual(['STELE4401', 'STELE4402', 'STELE4403', 'STELE4403', 'STELE4405', 'STELE4406']);
  });
  it('refuses every executable script in production pages, even one the CSP allows; only dev may allow them', () => {
    const scripts = [
      '<script>alert(1)</script>',
      '<script type="module">import "./a.js"</script>',
      '<script src="a.js"></script>',
      '<script type="text/javascript; charset=utf-8">x()</script>',
      '<script type="importmap">{}</script>',
    ];
    const out = site({ 'p.html': page(`<p>x</p>${scripts.join('\n')}<script type="application/ld+json">{"a":1}</script>`), 'a.js': 'x()' });
    hardenSite(out);
    const d = checkScriptsAndCsp(createSitePages(out));
    // harden hashed every inline script into the CSP: only the production rule stops them.
    expect(d.map((x) => [x.code, x.line])).toEqual(scripts.map((_, i) => ['STELE4406', i + 1]));
    expect(d[2]!.message).toContain('<script src="a.js">');
    expect(checkScriptsAndCsp(createSitePages(out), { allowScripts: true })).toEqual([]);
    const svg = site({ 'i.svg': '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' });
    expect(checkScriptsAndCsp(createSitePages(svg)).map((x) => x.code)).toEqual(['STELE4406']);
  });
});

describe('image metadata', () => {
  it('passes clean images from sharp and fails images with EXIF/GPS/XMP', async () => {
    const base = sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } });
    const cleanJpeg = new Uint8Array(await base.clone().jpeg().toBuffer());
    const cleanPng = new Uint8Array(await base.clone().png().toBuffer());
    const cleanWebp = new Uint8Array(await base.clone().webp().toBuffer());
    const cleanAvif = new Uint8Array(await base.clone().avif().toBuffer());
    const exif = { IFD0: { Make: 'Canon', Model: 'EOS' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 0/1' } };
    const dirtyJpeg = new Uint8Array(await base.clone().withExif(exif).jpeg().toBuffer());
    const dirtyWebp = new Uint8Array(await base.clone().withExif(exif).webp().toBuffer());
    const dirtyPng = new Uint8Array(await base.clone().withExif(exif).png().toBuffer());
    const xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>';
    const xmpJpeg = new Uint8Array(await base.clone().withXmp(xmp).jpeg().toBuffer());
    const out = site({
      'assets/a.jpg': cleanJpeg,
      'assets/a.png': cleanPng,
      'assets/a.webp': cleanWebp,
      'assets/a.avif': cleanAvif,
      'assets/dirty.jpg': dirtyJpeg,
      'assets/dirty.webp': dirtyWebp,
      'assets/dirty.png': dirtyPng,
      'assets/xmp.jpg': xmpJpeg,
    });
    const d = await checkImageMetadata(out);
    expect(d.map((x) => x.file)).toEqual(['assets/dirty.jpg', 'assets/dirty.png', 'assets/dirty.webp', 'assets/xmp.jpg']);
    expect(d[0].message).toContain('GPS');
    expect(d[0].message).toContain('camera make/model');
    expect(d[3].message).toContain('XMP');
    expect(scanImageContainer(cleanAvif).size).toBe(0);
    expect([...scanImageContainer(dirtyWebp)]).toContain('EXIF');
  });
});

describe('runChecks and the report', () => {
  it('runs every check, sorts, stays JSON-serialisable and formats for humans', async () => {
    const out = site({ 'index.html': page('<img src="https://cdn.example/a.png"><a href="missing/">x</a><p>Zhu Yufu</p>') });
    hardenSite(out);
    const d = await runChecks(out, { withheldNames: [{ name: 'Zhu Yufu', label: 'witness 1' }] });
    expect(d.map((x) => x.code).sort()).toEqual(['STELE4101', 'STELE4201', 'STELE4301', 'STELE4501']);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    const text = d.map((x) => formatDiagnostic(x)).join('\n');
    expect(text).toMatch(/^index\.html:1:\d+ error STELE4\d{3}/m);
    expect(summarizeDiagnostics(d)).toBe('4 errors, 0 warnings');
  });
});
