/**
 * The build's preview-card step: one PNG card per language (site name and
 * description, for generated pages) and one per entry page without a cover
 * (site name and title), drawn by one `createSocialCardRenderer` (backgrounds
 * once per build), named by the SHA-256 of their bytes. Cards are kept by the
 * hash of what they are drawn from in the build's memo (in memory for dev, in
 * the persistent `.stele/cache` otherwise), so an unchanged card is drawn once.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createSocialCardLayers, createSocialCardRenderer, SOCIAL_CARD_HEIGHT, SOCIAL_CARD_VERSION, SOCIAL_CARD_WIDTH, type SocialCardOptions } from '../assets/index.js';
import type { LanguageCode } from '../config/languages.js';
import { localize, type ResolvedConfig } from '../config/resolve-config.js';
import type { Memo } from '../io/memo.js';
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

/** PNG digests by the PNG's bytes (never changed once drawn), so a card kept in memory is hashed once. */
const PNG_DIGESTS = new WeakMap<Uint8Array, string>();
function digestPng(png: Uint8Array): string {
  let digest = PNG_DIGESTS.get(png);
  if (digest === undefined) {
    digest = sha256(png);
    PNG_DIGESTS.set(png, digest);
  }
  return digest;
}

/**
 * How many cards to draw at once: one per core (a card's title is laid out by
 * sharp, then its rows deflated by node:zlib, each on one thread), at most the 4
 * threads of libuv's default pool that both run on.
 */
export function resolveCardConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const pool = Number(env.UV_THREADPOOL_SIZE) || 4;
  return Math.max(1, Math.min(availableParallelism(), pool));
}

/**
 * Draw (or reuse) every card the site needs. `memo` keeps PNGs by drawing hash across builds (dev, persistent cache).
 * Without `baseUrl` pages carry no preview image (it must be absolute), so no card is drawn.
 */
export async function createSocialCards(
  config: ResolvedConfig,
  rendered: Iterable<RenderedEntry>,
  options: {
    memo?: Map<string, Uint8Array>;
    /** Card keys (the hash of what a card is drawn from) by the card's options, from earlier builds in this process (dev). */
    keyMemo?: Memo<string>;
    accent?: string;
  } = {},
): Promise<SocialCards> {
  if (!config.baseUrl) return { files: new Map(), resolve: () => undefined };
  const def = config.defaultLanguage;
  const requests = new Map<string, SocialCardOptions>();
  const keyOf = new Map<string, string>();
  const add = (id: string, o: SocialCardOptions) => {
    // The drawing is a function of the options: the same options → the same key, without laying it out again.
    const optionsKey = options.keyMemo ? JSON.stringify(o) : '';
    let key = options.keyMemo?.get(optionsKey);
    if (key === undefined) {
      key = sha256(`${SOCIAL_CARD_VERSION}\n${JSON.stringify(createSocialCardLayers(o))}`);
      options.keyMemo?.set(optionsKey, key);
    }
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
  const pngs = await drawCards(requests, options.memo);
  const files = new Map<string, Uint8Array>();
  const pathOf = new Map<string, string>();
  for (const [key, png] of pngs) {
    const path = `assets/cards/card-${digestPng(png).slice(0, 16)}.png`;
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

/**
 * The PNG of each card requested, by key: from `memo`, or drawn (and put in
 * it). A function of its own so that the renderer (its backgrounds and
 * buffers, about 10 MB) is let go of once the cards are drawn, not kept by
 * `SocialCards.resolve` for the rest of the build.
 */
async function drawCards(requests: ReadonlyMap<string, SocialCardOptions>, memo: Map<string, Uint8Array> | undefined): Promise<Map<string, Uint8Array>> {
  const render = createSocialCardRenderer();
  const pngs = new Map<string, Uint8Array>();
  const todo = [...requests.keys()];
  const worker = async () => {
    for (let key = todo.pop(); key !== undefined; key = todo.pop()) {
      let png = memo?.get(key);
      if (!png) {
        png = await render(requests.get(key)!);
        memo?.set(key, png);
      }
      pngs.set(key, png);
    }
  };
  await Promise.all(Array.from({ length: resolveCardConcurrency() }, worker));
  return pngs;
}
