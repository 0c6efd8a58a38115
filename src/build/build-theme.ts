/**
 * The build's theme step (`theme` and `contact` in the config): the logo (an
 * SVG sanitized, or a raster image through the image pipeline), the accent
 * colour as CSS custom properties (its contrast was checked with the config),
 * and the extra stylesheet, refused when it would load anything (`@import`,
 * `url()` other than `#id` and `data:`) or end the `<style>` element. The CSS
 * is inlined after the theme's in the one `<style>`, so the CSP hash covers it.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, join, relative } from 'node:path';
import { processImage, sanitizeSvg } from '../assets/index.js';
import { resolveAccentBackground } from '../config/contrast.js';
import { locateConfigKey, type ResolvedConfig } from '../config/resolve-config.js';
import { createDiagnostic } from '../errors/catalogue.js';
import { ConfigInvalid } from '../errors/codes-core.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { Host } from '../io/host.js';
import type { SiteTheme } from '../site/create-site.js';

/** Theme files for the output, what pages need, and problems at the config line. */
export interface ThemeAssets {
  files: Map<string, Uint8Array>;
  theme: SiteTheme;
  diagnostics: Diagnostic[];
}

/** Check an extra stylesheet; returns why it is refused, or undefined. */
export function checkExtraCss(css: string): string | undefined {
  if (/<\/style/i.test(css)) return 'it contains `</style`, which would end the style element';
  if (/@import/i.test(css)) return 'it uses @import (it would load another file)';
  for (const m of css.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) {
    if (!m[2]!.startsWith('#') && !m[2]!.startsWith('data:')) return `it loads ${m[2]} with url() (inline it as data: or leave it out)`;
  }
  if (/expression\(|javascript:|behavior\s*:|-moz-binding/i.test(css)) return 'it contains script';
  return undefined;
}

/** Prepare the logo and stylesheet of `config.theme` and the footer links of `config.contact`. */
export async function prepareTheme(config: ResolvedConfig, host: Host): Promise<ThemeAssets> {
  const files = new Map<string, Uint8Array>();
  const diagnostics: Diagnostic[] = [];
  const source = config.configFile ? await host.fs.readText(config.configFile).catch(() => undefined) : undefined;
  const configName = config.configFile ? relative(config.root, config.configFile) : undefined;
  const fail = (key: 'logo' | 'css', detail: string) => {
    const d = createDiagnostic(ConfigInvalid, { file: configName, ...(source ? locateConfigKey(source, ['theme', key]) : {}) }, `theme.${key}`, detail);
    diagnostics.push(d);
  };
  const read = async (key: 'logo' | 'css', path: string): Promise<Uint8Array | undefined> => {
    const abs = join(config.root, path);
    const rel = relative(config.root, abs);
    if (isAbsolute(path) || rel.startsWith('..')) {
      fail(key, `${path} is outside the project folder`);
      return undefined;
    }
    const real = await host.fs.realpath(abs).catch(() => undefined);
    const root = await host.fs.realpath(config.root).catch(() => config.root);
    if (!real) {
      fail(key, `${path} does not exist`);
      return undefined;
    }
    if (!real.startsWith(`${root}/`)) {
      fail(key, `${path} is a link to a file outside the project folder`);
      return undefined;
    }
    return host.fs.readFile(real);
  };
  const hash = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex').slice(0, 16);

  const theme: SiteTheme = { css: '', contact: config.contact };
  const { logo, accent, css } = config.theme;
  if (logo) {
    const bytes = await read('logo', logo);
    if (bytes && /\.svg$/i.test(logo)) {
      const clean = sanitizeSvg(new TextDecoder().decode(bytes));
      if (!clean.ok) fail('logo', `${logo} is not a usable SVG: ${clean.reason}`);
      else {
        const path = `assets/logo-${hash(clean.svg)}.svg`;
        files.set(path, new TextEncoder().encode(clean.svg));
        theme.logo = { path, width: clean.width ?? 48, height: clean.height ?? 48 };
      }
    } else if (bytes) {
      const result = await processImage(bytes, { sourcePath: logo, widths: [192], formats: ['jpeg'], outDir: 'assets', baseName: 'logo' });
      const file = result.files[0];
      if (!file) fail('logo', `${logo}: ${result.diagnostics[0]?.message ?? 'not an image'}`);
      else {
        files.set(file.path, file.data);
        theme.logo = { path: file.path, width: file.width, height: file.height };
      }
    }
  }
  if (accent) theme.css += `:root{--accent:${accent};--accent-bg:${resolveAccentBackground(accent)}}@media (prefers-color-scheme:dark){:root{--accent:#ff9c8a;--accent-bg:#3a201b}}`;
  if (css) {
    const bytes = await read('css', css);
    if (bytes) {
      const text = new TextDecoder().decode(bytes);
      const problem = checkExtraCss(text);
      if (problem) fail('css', `${css} is refused: ${problem}`);
      else theme.css += text.replace(/\s*\n\s*/g, '\n').trim();
    }
  }
  return { files, theme, diagnostics };
}
