/**
 * Stage `config`: find, load and validate `stele.config.ts`, producing a
 * `ResolvedConfig` with every default filled in, or diagnostics.
 */
import { dirname, extname, join, relative, resolve } from 'node:path';
import { build, type Loader, type Plugin } from 'esbuild';
import type { z } from 'zod';
import { createDiagnostic } from '../errors/catalogue.js';
import { CONFIG_REFERENCE_PATH, resolveConfigReferenceLink } from './config-reference.js';
import { ConfigInvalid, ConfigLoadFailed, ConfigNotFound } from '../errors/codes-core.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import { suggestName } from '../errors/zod-issues.js';
import type { FileSystem, Host } from '../io/host.js';
import { MIN_CONTRAST, mixColours, resolveAccentContrast, THEME_BACKGROUND } from './contrast.js';
import type { LanguageCode } from './languages.js';
import { type LocalizedText, type UserConfig, userConfigSchema } from './schema.js';

/** Names tried, in order. */
export const CONFIG_FILES = ['stele.config.ts', 'stele.config.mts', 'stele.config.mjs', 'stele.config.js', 'stele.config.json'];

type ParsedConfig = z.output<typeof userConfigSchema>;

/** The config every stage receives: validated, defaults applied, paths absolute. */
export interface ResolvedConfig extends Omit<ParsedConfig, 'languages'> {
  /** Absolute project folder. */
  root: string;
  /** Absolute path of the config file, or undefined for inline configs. */
  configFile?: string;
  /** Output languages in order: authored ones, then derived zh-Hant. */
  languages: LanguageCode[];
  /** Absolute output folder. */
  outDirAbs: string;
  /** Absolute content folder. */
  contentDirAbs: string;
  /** Build mode: production drops drafts and seals; development shows drafts. */
  mode: 'production' | 'development';
  /** Where each `menu` entry's `path:` is written in the config file (same order as `menu`), for diagnostics. */
  menuLocations?: { line?: number; column?: number }[];
}

/** Typed helper for `stele.config.ts`: `export default defineConfig({ ... })`. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}

/** Pick the text for `lang` from a localized value, falling back to the default language and then any. */
export function localize(text: LocalizedText | undefined, lang: LanguageCode, fallback: LanguageCode = 'en'): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[lang] ?? (lang === 'zh-Hant' ? text['zh-Hans'] : undefined) ?? text[fallback] ?? Object.values(text)[0] ?? '';
}

/** Load the config module's default export. Throws only for bugs; problems become diagnostics. */
async function loadConfigModule(file: string, host: Host): Promise<{ value?: unknown; diagnostics: Diagnostic[] }> {
  if (file.endsWith('.json')) {
    try {
      return { value: JSON.parse(await host.fs.readText(file)), diagnostics: [] };
    } catch (error) {
      return { diagnostics: [createDiagnostic(ConfigLoadFailed, { file }, (error as Error).message)] };
    }
  }
  // Bundle with esbuild (as Vite does) so TypeScript configs work on plain Node.
  // `stele` resolves to a tiny virtual module: configs only need `defineConfig`.
  // Every file is read through the host's file system, and the bundle runs from
  // a data: URL, so loading a config writes nothing anywhere.
  let code: string;
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      packages: 'external',
      plugins: [
        {
          name: 'stele-virtual',
          setup(b) {
            b.onResolve({ filter: /^stele$/ }, () => ({ path: 'stele', namespace: 'stele-virtual' }));
            b.onLoad({ filter: /.*/, namespace: 'stele-virtual' }, () => ({
              contents: 'export function defineConfig(c) { return c; }',
              loader: 'js',
            }));
          },
        },
        createHostFilePlugin(host.fs),
      ],
    });
    code = result.outputFiles[0]!.text;
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file?: string; line: number; column: number } }[] }).errors ?? [];
    if (errors.length === 0) return { diagnostics: [createDiagnostic(ConfigLoadFailed, { file }, String(error))] };
    return {
      diagnostics: errors.map((e) =>
        createDiagnostic(
          ConfigLoadFailed,
          { file: e.location?.file?.replace(/^stele-host:/, '') || file, line: e.location?.line, column: e.location ? e.location.column + 1 : undefined },
          e.text,
        ),
      ),
    };
  }
  try {
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { default?: unknown };
    return { value: mod.default, diagnostics: [] };
  } catch (error) {
    return { diagnostics: [createDiagnostic(ConfigLoadFailed, { file }, (error as Error).message)] };
  }
}

const CONFIG_LOADERS: Record<string, Loader> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.json': 'json' };

/**
 * An esbuild plugin that reads the config and the files it imports by
 * relative path through `fs` (TypeScript's `./x.js` → `./x.ts` included);
 * packages and `node:` modules stay imports.
 */
function createHostFilePlugin(fs: FileSystem): Plugin {
  const isFile = async (path: string) => (await fs.stat(path))?.kind === 'file';
  return {
    name: 'stele-host-fs',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point') return { path: resolve(args.path), namespace: 'stele-host' };
        if (!/^\.{1,2}(?:\/|$)|^\//.test(args.path)) return { path: args.path, external: true };
        const base = resolve(args.importer ? dirname(args.importer) : args.resolveDir, args.path);
        const candidates = [base, base.replace(/\.(m|c)?js$/, '.$1ts'), ...Object.keys(CONFIG_LOADERS).map((e) => `${base}${e}`), join(base, 'index.ts'), join(base, 'index.js')];
        for (const candidate of candidates) if (await isFile(candidate)) return { path: candidate, namespace: 'stele-host' };
        return { errors: [{ text: `Could not resolve ${JSON.stringify(args.path)} (no such file)` }] };
      });
      b.onLoad({ filter: /.*/, namespace: 'stele-host' }, async (args) => ({
        contents: await fs.readText(args.path),
        loader: CONFIG_LOADERS[extname(args.path)] ?? 'js',
        resolveDir: dirname(args.path),
      }));
    },
  };
}

/** Key names under `publish` that would hold a secret. */
const SECRET_KEY_NAME = /secret|password|passphrase|token|private|credential(?!sFile)|accessKey(?!IdEnv)|^key$/i;

/**
 * The config source with every comment replaced by spaces (line breaks kept),
 * so a commented-out key is never taken for the real one. Strings are skipped
 * (`'https://…'` is not a comment).
 */
export function blankComments(source: string): string {
  const out = source.split('');
  let quote: string | undefined;
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote || (c === '\n' && quote !== '`')) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '/' && out[i + 1] === '/') {
      while (i < out.length && out[i] !== '\n') out[i++] = ' ';
    } else if (c === '/' && out[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? out.length : end + 2;
      for (; i < stop; i++) if (out[i] !== '\n') out[i] = ' ';
      i--;
    }
  }
  return out.join('');
}

/** Find the line/column of the last path key in config source text (best effort; comments are ignored). */
export function locateConfigKey(text: string, path: readonly PropertyKey[]): { line?: number; column?: number } {
  return locateInSource(text, path);
}

function locateInSource(text: string, path: readonly PropertyKey[]): { line?: number; column?: number } {
  const source = blankComments(text);
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i];
    if (typeof key !== 'string') continue;
    const re = new RegExp(`(^|[\\s{,])["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`, 'm');
    const m = re.exec(source);
    if (m) {
      const offset = m.index + m[1]!.length;
      const before = source.slice(0, offset).split('\n');
      return { line: before.length, column: before[before.length - 1]!.length + 1 };
    }
  }
  return {};
}

/**
 * Menu paths name a page file relative to each language's root
 * (`about/index.html`). An absolute path (`/about/`), a folder (`about/`,
 * `about`) or another site's address would be a broken link on every page:
 * one diagnostic at the menu entry instead, with the path to write.
 */
function checkMenuPaths(menu: readonly { path: string }[], file: string | undefined, source: string | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  menu.forEach((item, i) => {
    const path = item.path.trim();
    let problem: string | undefined;
    if (/^[a-z][a-z0-9+.-]*:|^[\\/]{2}/i.test(path)) problem = 'is an address on another site; the menu links pages of this site';
    else if (path.startsWith('/')) problem = 'starts with "/", which breaks when the site is served from a sub-folder or opened from disk';
    else if (path === '' || path.endsWith('/') || !/\.[a-z0-9]+(?:[?#].*)?$/i.test(path)) problem = 'names a folder, not a page file, which does not open from disk (file://) or on hosts without index files';
    if (!problem) return;
    const suggestion = `${path.replace(/^\/+/, '').replace(/[?#].*$/, '').replace(/\/+$/, '')}/index.html`.replace(/^\//, '');
    const d = createDiagnostic(ConfigInvalid, { file, ...(source ? locateMenuPath(source, i) : {}) }, `menu[${i}].path`, `${JSON.stringify(item.path)} ${problem}`);
    d.hint = `Write the page file relative to the language's root, e.g. \`path: '${/^[a-z][a-z0-9+.-]*:|^[\\/]{2}/i.test(path) ? 'about/index.html' : suggestion}'\` (see ${resolveConfigReferenceLink(['menu', 'path'])}).`;
    out.push(d);
  });
  return out;
}

/** Line and column of the `path:` of menu entry `index` (the index-th `path:` after `menu:`). */
function locateMenuPath(text: string, index: number): { line?: number; column?: number } {
  const source = blankComments(text);
  const menu = /(^|[\s{,])["']?menu["']?\s*:/m.exec(source);
  if (!menu) return {};
  const re = /(^|[\s{,])["']?path["']?\s*:/gm;
  re.lastIndex = menu.index;
  let m: RegExpExecArray | null = null;
  for (let k = 0; k <= index; k++) {
    m = re.exec(source);
    if (!m) return locateInSource(text, ['menu']);
  }
  const offset = m!.index + m![1]!.length;
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Validate a config object (from a file or inline) into a `ResolvedConfig`. */
export function validateConfig(
  value: unknown,
  options: { root: string; configFile?: string; source?: string; mode?: 'production' | 'development' },
): { config?: ResolvedConfig; diagnostics: Diagnostic[] } {
  const parsed = userConfigSchema.safeParse(value);
  const file = options.configFile ? relativeTo(options.root, options.configFile) : undefined;
  if (!parsed.success) {
    return {
      diagnostics: parsed.error.issues.map((issue) => {
        const path = issue.path as PropertyKey[];
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
        const secret = path[0] === 'publish' ? keys.find((k) => SECRET_KEY_NAME.test(k)) : undefined;
        if (secret) {
          // No line or code frame: the frame would print the secret itself.
          const d = createDiagnostic(ConfigInvalid, { file }, [...path, secret].map(String).join('.'), 'secrets are not allowed in the config file');
          d.hint = 'Put the value in an environment variable or a file and name it in the config (accessKeyIdEnv/secretAccessKeyEnv, credentialsFile, identityFile). Remove it from the file and replace the secret: it may have been shared.';
          return d;
        }
        const where = options.source ? locateInSource(options.source, keys.length ? [...path, keys[0]!] : path) : {};
        const label = [...path, ...keys.slice(0, 1)].map(String).join('.') || '(root)';
        const message = issue.code === 'unrecognized_keys' ? `unknown key(s) ${keys.join(', ')}` : issue.message;
        const d = createDiagnostic(ConfigInvalid, { file, ...where }, label, message);
        const reference = resolveConfigReferenceLink(keys.length ? path : [...path]);
        d.hint = `See ${reference === CONFIG_REFERENCE_PATH ? 'the config reference' : `\`${[...path].filter((p) => typeof p === 'string').join('.')}\``} in ${reference}.`;
        const suggestion = keys.length && path.length === 0 ? suggestName(keys[0]!, Object.keys(userConfigSchema.shape)) : undefined;
        if (suggestion) d.hint = `Did you mean \`${suggestion}\`? See ${resolveConfigReferenceLink([suggestion])}.`;
        return d;
      }),
    };
  }
  const data = parsed.data;
  const diagnostics: Diagnostic[] = [];
  if (!data.languages.includes(data.defaultLanguage)) {
    diagnostics.push(
      createDiagnostic(
        ConfigInvalid,
        { file, ...(options.source ? locateInSource(options.source, ['defaultLanguage']) : {}) },
        'defaultLanguage',
        `${data.defaultLanguage} is not one of languages (${data.languages.join(', ')})`,
      ),
    );
    diagnostics.at(-1)!.hint = `See \`defaultLanguage\` in ${resolveConfigReferenceLink(['defaultLanguage'])}.`;
  }
  if (data.theme.accent) {
    const ratio = resolveAccentContrast(data.theme.accent);
    if (ratio < MIN_CONTRAST) {
      const d = createDiagnostic(
        ConfigInvalid,
        { file, ...(options.source ? locateInSource(options.source, ['theme', 'accent']) : {}) },
        'theme.accent',
        `${data.theme.accent} has a contrast of ${ratio.toFixed(2)}:1 with the page background ${THEME_BACKGROUND}; links and badges need at least ${MIN_CONTRAST}:1 (WCAG AA)`,
      );
      d.hint = `Choose a darker colour (for example ${darkenToContrast(data.theme.accent)}). See \`theme.accent\` in ${resolveConfigReferenceLink(['theme', 'accent'])}.`;
      diagnostics.push(d);
    }
  }
  diagnostics.push(...checkMenuPaths(data.menu, file, options.source));
  const languages = [...new Set(data.languages)] as LanguageCode[];
  if (data.traditional.enabled && languages.includes('zh-Hans') && !languages.includes('zh-Hant')) languages.push('zh-Hant');
  const config: ResolvedConfig = {
    ...data,
    languages,
    root: options.root,
    configFile: options.configFile,
    outDirAbs: resolve(options.root, data.outDir),
    contentDirAbs: resolve(options.root, data.contentDir),
    mode: options.mode ?? 'production',
    ...(options.source && data.menu.length ? { menuLocations: data.menu.map((_, i) => locateMenuPath(options.source!, i)) } : {}),
  };
  return { config: diagnostics.length ? undefined : config, diagnostics };
}

function relativeTo(root: string, file: string): string {
  return file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
}

/** Find and load the project's config file. */
export async function resolveConfig(
  root: string,
  host: Host,
  options: { mode?: 'production' | 'development'; cache?: Map<string, unknown> } = {},
): Promise<{ config?: ResolvedConfig; diagnostics: Diagnostic[] }> {
  const absRoot = resolve(root);
  for (const name of CONFIG_FILES) {
    const file = join(absRoot, name);
    if (!(await host.fs.exists(file))) continue;
    const source = await host.fs.readText(file);
    // `stele dev` keeps loaded configs by source text: an unchanged file is not bundled again.
    const cacheKey = `${file}\u0000${source}`;
    let value = options.cache?.get(cacheKey);
    if (value === undefined) {
      const loaded = await loadConfigModule(file, host);
      if (loaded.diagnostics.length) return { diagnostics: loaded.diagnostics.map((d) => ({ ...d, file: d.file && d.file !== file ? relative(absRoot, d.file) : name })) };
      value = loaded.value;
      options.cache?.clear();
      options.cache?.set(cacheKey, value);
    }
    return validateConfig(value, { root: absRoot, configFile: file, source, mode: options.mode });
  }
  return { diagnostics: [createDiagnostic(ConfigNotFound, {}, absRoot)] };
}

/** The same hue darkened (mixed with black) until it passes. */
function darkenToContrast(accent: string): string {
  for (let k = 0.95; k > 0; k -= 0.05) {
    const c = mixColours(accent, '#000000', k);
    if (resolveAccentContrast(c) >= MIN_CONTRAST) return c;
  }
  return '#000000';
}
