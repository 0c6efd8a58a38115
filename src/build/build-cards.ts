/**
 * The build's preview-card step: one PNG card per language (site name and
 * description, for generated pages) and one per entry page without a cover
 * (site name and title), drawn by `renderSocialCard`, named by the SHA-256 of
 * their bytes. Cards are kept by the hash of their SVG in memory (dev) and
 * under `node_modules/.cache/stele/cards`, so an unchanged card is drawn once.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createSocialCardSvg, renderSocialCard, SOCIAL_CARD_HEIGHT, SOCIAL_CARD_WIDTH, type SocialCardOptions } from '../assets/index.js';
import type { LanguageCode } from '../config/languages.js';
import { localize, type ResolvedConfig } from '../config/resolve-config.js';
import type { Host } from '../io/host.js';
import type { RenderedEntry } from '../render/render-content.js';
import type { SocialImage } from '../site/create-site.js';

/** The cards of a build: files to add to the output and a lookup for pages. */
export interface SocialCards {
  files: Map<string, Uint8Array>;
  /** The card of an entry (by id), or of the language when `entryId` is undefined. */
  resolve(lang: LanguageCode, entryId?: string): SocialImage | undefined;
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Draw (or reuse) every card the site needs. `memo` (dev) keeps PNGs by SVG hash across builds.
 * Without `baseUrl` pages carry no preview image (it must be absolute), so no card is drawn.
 */
export async function createSocialCards(
  config: ResolvedConfig,
  rendered: Iterable<RenderedEntry>,
  host: Host,
  options: { memo?: Map<string, Uint8Array>; accent?: string } = {},
): Promise<SocialCards> {
  if (!config.baseUrl) return { files: new Map(), resolve: () => undefined };
  const def = config.defaultLanguage;
  const requests = new Map<string, SocialCardOptions>();
  const keyOf = new Map<string, string>();
  const add = (id: string, o: SocialCardOptions) => {
    const key = sha256(`card-v3\n${createSocialCardSvg(o)}`);
    requests.set(key, o);
    keyOf.set(id, key);
  };
  for (const lang of config.languages) {
    const siteName = localize(config.title, lang, def);
    add(`lang:${lang}`, { siteName, title: localize(config.description, lang, def) || siteName, lang, ...(options.accent ? { accent: options.accent } : {}) });
  }
  for (const r of rendered) {
    if (r.entry.data.cover) continue;
    add(`entry:${r.entry.id}`, { siteName: localize(config.title, r.entry.lang, def), title: r.entry.data.title, lang: r.entry.lang, ...(options.accent ? { accent: options.accent } : {}) });
  }
  const cacheDir = join(config.root, 'node_modules', '.cache', 'stele', 'cards');
  const pngs = new Map<string, Uint8Array>();
  const todo = [...requests.keys()];
  const worker = async () => {
    for (let key = todo.shift(); key !== undefined; key = todo.shift()) {
      let png = options.memo?.get(key);
      const file = join(cacheDir, `${key}.png`);
      if (!png) png = await host.fs.readFile(file).catch(() => undefined);
      if (!png) {
        png = await renderSocialCard(requests.get(key)!);
        await host.fs
          .mkdir(cacheDir)
          .then(() => host.fs.writeFile(file, png!))
          .catch(() => undefined); // a read-only project still builds
      }
      options.memo?.set(key, png);
      pngs.set(key, png);
    }
  };
  await Promise.all([worker(), worker()]);
  const files = new Map<string, Uint8Array>();
  const pathOf = new Map<string, string>();
  for (const [key, png] of pngs) {
    const path = `assets/cards/card-${sha256(png).slice(0, 16)}.png`;
    files.set(path, png);
    pathOf.set(key, path);
  }
  return {
    files,
    resolve(lang, entryId) {
      const key = keyOf.get(entryId === undefined ? `lang:${lang}` : `entry:${entryId}`);
      const path = key ? pathOf.get(key) : undefined;
      return path ? { path, width: SOCIAL_CARD_WIDTH, height: SOCIAL_CARD_HEIGHT } : undefined;
    },
  };
}
