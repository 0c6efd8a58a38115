/**
 * "Copies that travel": the sealed site as one zip archive, manifest and
 * signature included, to pass hand to hand where the site is blocked. Every
 * page links relatively to `index.html` files, so the unpacked folder opens
 * from disk; `stele verify site.zip` checks it without unpacking.
 */
import { type Zippable, zipSync } from 'fflate';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../trust/paths.js';
import type { SealedSite } from './types.js';

/** Already-compressed formats are stored, not deflated again. */
const STORED = /\.(?:png|jpe?g|gif|webp|avif|woff2?|zip|gz|br|mp4|webm|mp3|m4a|ogg|opus|pdf)$/i;

/** The folder name inside the archive: `<siteId>-v<version>`. */
export function resolveBundleFolder(site: SealedSite): string {
  return `${site.manifest.siteId}-v${site.manifest.version}`;
}

/** Build the zip bytes (deterministic: entries in manifest order, times from the build time). */
export async function createSiteBundle(site: SealedSite): Promise<Uint8Array> {
  const folder = resolveBundleFolder(site);
  const mtime = new Date(site.manifest.buildTime);
  const entries: Zippable = {};
  for (const path of [...site.files.map((f) => f.path), MANIFEST_PATH, MANIFEST_SIG_PATH]) {
    entries[`${folder}/${path}`] = [await site.read(path), { level: STORED.test(path) ? 0 : 6, mtime }];
  }
  return zipSync(entries, {
    comment: `${site.manifest.siteId} version ${site.manifest.version}. Unzip, then open ${folder}/index.html in a browser. Check it is genuine with: stele verify <this file>.zip --key stele.pub`,
  });
}
