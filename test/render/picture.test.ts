import { describe, expect, it } from 'vitest';
import { renderPicture, resolveRelativeUrl, validateAlt } from '../../src/render/picture.js';
import { processImage } from '../../src/assets/process-image.js';
import type { ProcessedImage } from '../../src/assets/types.js';
import { createNoiseJpeg } from '../assets/fixtures.js';

function fakeResult(formats: string[], widths: number[]): ProcessedImage {
  const files = formats.flatMap((format) =>
    widths.map((width) => ({ path: `assets/img/rally-${width}.abcd1234.${format === 'jpeg' ? 'jpg' : format}`, data: new Uint8Array(1), width, height: width / 2, format })),
  );
  return { files, width: Math.max(...widths), height: Math.max(...widths) / 2, diagnostics: [] };
}

describe('resolveRelativeUrl', () => {
  it.each([
    ['news/2024/rally/index.html', 'assets/img/x.webp', '../../../assets/img/x.webp'],
    ['news/rally/index.html', 'assets/img/x-480.abcd1234.webp', '../../assets/img/x-480.abcd1234.webp'],
    ['news/rally/', 'assets/img/x.webp', '../../assets/img/x.webp'],
    ['index.html', 'assets/img/x.webp', 'assets/img/x.webp'],
    ['/about.html', 'assets/img/x.webp', 'assets/img/x.webp'],
    ['assets/page.html', 'assets/img/x.webp', 'img/x.webp'],
    ['assets/img/page.html', 'assets/img/x.webp', 'x.webp'],
    ['fr/assets/index.html', 'assets/img/x.webp', '../../assets/img/x.webp'],
    ['a/b.html', 'assets/img/a b,c.webp', '../assets/img/a%20b%2Cc.webp'],
  ])('page %j → %j is %j', (page, target, expected) => {
    expect(resolveRelativeUrl(page, target)).toBe(expected);
  });

  it('throws (a caller bug) for a page outside the site', () => {
    expect(() => resolveRelativeUrl('../x.html', 'assets/img/x.webp')).toThrow(RangeError);
  });
});

describe('renderPicture', () => {
  it('renders avif and webp sources and a jpeg img with relative URLs, sizes and intrinsic size', async () => {
    const result = await processImage(await createNoiseJpeg(200, 100), { sourcePath: 'content/rally.jpg', widths: [100, 200] });
    const markup = renderPicture(result, { alt: 'Marchers outside the court', loading: 'lazy', pagePath: 'news/rally/index.html' });
    const [avif100, avif200, webp100, webp200, jpg100, jpg200] = result.files.map((f) => `../../${f.path}`);
    expect(markup).toBe(
      '<picture>' +
        `<source type="image/avif" srcset="${avif100} 100w, ${avif200} 200w" sizes="(max-width: 200px) 100vw, 200px">` +
        `<source type="image/webp" srcset="${webp100} 100w, ${webp200} 200w" sizes="(max-width: 200px) 100vw, 200px">` +
        `<img src="${jpg200}" srcset="${jpg100} 100w, ${jpg200} 200w" sizes="(max-width: 200px) 100vw, 200px" width="200" height="100" alt="Marchers outside the court" loading="lazy" decoding="async">` +
        '</picture>',
    );
    expect(markup).toMatch(/srcset="\.\.\/\.\.\/assets\/img\/rally-100\.[0-9a-f]{8}\.avif 100w/);
  });

  it('escapes hostile alt, sizes and class values', () => {
    const markup = renderPicture(fakeResult(['webp', 'jpeg'], [480]), {
      alt: '"><script>alert(1)</script><img src=x onerror=alert(2) \'',
      sizes: '100vw" onload="alert(3)',
      className: 'hero" onclick="alert(4)',
      loading: 'eager',
      pagePath: 'index.html',
    });
    expect(markup).not.toContain('<script');
    expect(markup).not.toMatch(/" on\w+=/);
    expect(markup).toContain('alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2) &#39;"');
    expect(markup).toContain('class="hero&quot; onclick=&quot;alert(4)"');
    expect(markup).toContain('sizes="100vw&quot; onload=&quot;alert(3)"');
    expect(markup).toContain('loading="eager"');
    // Exactly one element of each kind: nothing injected.
    expect(markup.match(/</g)).toHaveLength(4); // <picture>, <source>, <img>, </picture>
  });

  it('uses the PNG fallback for transparent images and a lone format as the img', () => {
    const png = renderPicture(fakeResult(['avif', 'png'], [480, 960]), { alt: 'Logo', loading: 'lazy', pagePath: 'a/' });
    expect(png).toContain('<source type="image/avif"');
    expect(png).toContain('<img src="../assets/img/rally-960.abcd1234.png"');
    const lone = renderPicture(fakeResult(['webp'], [480]), { alt: 'x y', loading: 'lazy', pagePath: 'index.html' });
    expect(lone).toBe(
      '<picture><img src="assets/img/rally-480.abcd1234.webp" srcset="assets/img/rally-480.abcd1234.webp 480w" sizes="(max-width: 480px) 100vw, 480px" width="480" height="240" alt="x y" loading="lazy" decoding="async"></picture>',
    );
  });

  it('picks an img src of at most 1000 px wide when there is one', () => {
    const markup = renderPicture(fakeResult(['jpeg'], [480, 960, 1600]), { alt: 'x', loading: 'lazy', pagePath: 'index.html' });
    expect(markup).toContain('src="assets/img/rally-960.abcd1234.jpg"');
    expect(markup).toContain('width="1600" height="800"');
  });

  it('renders nothing for a failed image', () => {
    expect(renderPicture({ files: [], width: 0, height: 0, diagnostics: [] }, { alt: 'x', loading: 'lazy', pagePath: 'index.html' })).toBe('');
  });
});

describe('validateAlt', () => {
  it.each([undefined, null, '', '   \n', 42])('missing alt %j is an error', (alt) => {
    const [d] = validateAlt(alt, { file: 'content/a.md', line: 3 });
    expect(d).toMatchObject({ code: 'STELE3007', severity: 'error', file: 'content/a.md', line: 3 });
    expect(d!.hint).toBeTruthy();
  });

  it.each(['IMG_1234.jpg', 'photo.png', 'DSC0042', 'img-77'])('file-name alt %j is a warning', (alt) => {
    expect(validateAlt(alt).map((d) => [d.code, d.severity])).toEqual([['STELE3008', 'warning']]);
  });

  it('accepts a description', () => {
    expect(validateAlt('Two people hold a banner reading "Free them all"')).toEqual([]);
  });
});
