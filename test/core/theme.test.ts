/**
 * `theme: { logo, accent, css }` and `contact` in the config: a sanitized SVG
 * or pipeline-processed raster logo in every header, an accent colour refused
 * below WCAG AA contrast at its config line, an extra stylesheet inlined under
 * the CSP hash (refused when it would load anything), and contact and donation
 * links in every footer.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { computeContrastRatio, resolveAccentContrast } from '../../src/config/contrast.js';
import { sanitizeSvg } from '../../src/assets/sanitize-svg.js';
import { readOutputText } from '../../src/site/output.js';
import { createConfigSource, createTempSite, createTestHost, removeTempDirs } from '../helpers/temp-site.js';

afterAll(removeTempDirs);

const POST = { 'content/posts/2026-01-01-hello.en.md': '---\ntitle: Hello\ndate: 2026-01-01\n---\n\nText.\n' };
const EVIL_SVG = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 64 32" onload="alert(1)">
<script>alert(2)</script><a href="https://evil.example/"><rect width="10" height="10"/></a>
<image href="https://evil.example/x.png" width="5" height="5"/><use xlink:href="https://evil.example/s.svg#a"/>
<foreignObject><div>x</div></foreignObject><style>@import url(https://evil.example/c.css);</style>
<circle cx="16" cy="16" r="12" fill="#1a5c8a" style="fill:url(https://evil.example/f)"/><path d="M0 0h4" stroke="url(https://evil.example/g)" fill="url(#ok)"/>
</svg>`;

async function build(extra: string, files: Record<string, string | Uint8Array> = {}) {
  const root = await createTempSite({ ...POST, ...files }, createConfigSource(`\n  seal: { required: false },${extra}`));
  return buildProject({ root, host: createTestHost(), mode: 'production', write: false, noSeal: true });
}

describe('theme and contact', () => {
  it('refuses an accent colour below 4.5:1 at its config line, with a darker suggestion', async () => {
    const result = await build("\n  theme: {\n    accent: '#f5a623',\n  },");
    expect(result.ok).toBe(false);
    const d = result.diagnostics.find((x) => x.message.startsWith('Config theme.accent'))!;
    expect(d).toMatchObject({ code: 'STELE1002', severity: 'error', file: 'stele.config.ts', line: 10 });
    expect(d.message).toMatch(/contrast of 1\.\d\d:1 .* at least 4\.5:1 \(WCAG AA\)/);
    const suggested = d.hint!.match(/#[0-9a-f]{6}/)![0];
    expect(resolveAccentContrast(suggested)).toBeGreaterThanOrEqual(4.5);
    expect(computeContrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
  });

  it('uses a passing accent, an SVG logo (sanitized) and an extra stylesheet under the CSP hash; footer links', async () => {
    const result = await build(
      "\n  theme: { accent: '#1a5c8a', logo: 'brand/logo.svg', css: 'brand/extra.css' },\n  contact: { email: 'info@test.example.org', signal: 'https://signal.me/#eu/abc', donate: 'https://pay.example.net/cfcr' },",
      { 'brand/logo.svg': EVIL_SVG, 'brand/extra.css': '.site-title {\n  letter-spacing: .02em;\n}\n' },
    );
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const output = result.output!;
    for (const path of ['index.html', 'posts/hello/index.html', 'zh-hans/index.html']) {
      const page = readOutputText(output, path)!;
      const style = page.match(/<style>([\s\S]*?)<\/style>/)![1]!;
      expect(style).toContain(':root{--accent:#1a5c8a;');
      expect(style).toContain('.site-title {\nletter-spacing: .02em;\n}');
      const hash = createHash('sha256').update(style).digest('base64');
      expect(page).toContain(`'sha256-${hash}'`);
      const logo = page.match(/<img class="logo" src="([^"]+)" alt="" role="presentation" width="96" height="48">/);
      expect(logo, path).not.toBeNull();
      expect(page).toContain('<a href="mailto:info@test.example.org">info@test.example.org</a>');
      expect(page).toContain('href="https://signal.me/#eu/abc"');
      expect(page).toContain('<a class="donate" href="https://pay.example.net/cfcr" rel="noopener noreferrer">');
    }
    const logoPath = [...output.keys()].find((p) => /^assets\/logo-[0-9a-f]{16}\.svg$/.test(p))!;
    const svg = readOutputText(output, logoPath)!;
    expect(svg).toContain('<circle cx="16" cy="16" r="12" fill="#1a5c8a"/>');
    expect(svg).toContain('fill="url(#ok)"');
    expect(svg).not.toMatch(/script|onload|href|evil|<image|<use|foreignObject|<style|@import/i);
  });

  it('puts a raster logo through the image pipeline (no metadata kept)', async () => {
    const png = await sharp({ create: { width: 400, height: 200, channels: 4, background: { r: 20, g: 60, b: 120, alpha: 0.5 } } })
      .png()
      .withMetadata({ exif: { IFD0: { Copyright: 'secret-maker' } } })
      .toBuffer();
    const result = await build("\n  theme: { logo: 'logo.png' },", { 'logo.png': new Uint8Array(png) });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const file = [...result.output!.keys()].find((p) => p.startsWith('assets/logo'))!;
    expect(file).toMatch(/\.png$/);
    expect(Buffer.from(result.output!.get(file)!).includes('secret-maker')).toBe(false);
    expect(readOutputText(result.output!, 'index.html')).toContain('<img class="logo" src="assets/logo');
  });

  it('refuses a stylesheet that loads anything, a logo outside the project and an SVG with a DOCTYPE', async () => {
    const css = await build("\n  theme: {\n    css: 'x.css',\n  },", { 'x.css': '@import url("https://evil.example/a.css");' });
    expect(css.diagnostics.find((d) => d.message.startsWith('Config theme.css'))).toMatchObject({ line: 10, message: expect.stringContaining('@import') });
    const url = await build("\n  theme: { css: 'x.css' },", { 'x.css': 'body{background:url(//evil.example/b.png)}' });
    expect(url.ok).toBe(false);
    const outside = await build("\n  theme: { logo: '../logo.svg' },");
    expect(outside.diagnostics.find((d) => d.message.startsWith('Config theme.logo'))!.message).toContain('outside the project folder');
    expect(sanitizeSvg('<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')).toMatchObject({ ok: false });
  });
});
