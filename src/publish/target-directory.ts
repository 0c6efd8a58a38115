/**
 * A local folder, switched atomically: each publish writes a new folder under
 * `versions/`, then a new `current` symbolic link is renamed over the old one,
 * so a reader sees the old site or the new one and never a mix. The last N
 * versions stay for `stele publish --rollback`.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { DirectoryTargetConfig } from '../config/publish-schema.js';
import type { FileSystem } from '../io/host.js';
import type { LinkPort } from '../io/links.js';
import { listSignedFiles, parseManifest } from '../trust/manifest.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../trust/paths.js';
import { hashSha256Hex } from '../trust/release-log.js';
import { isTimestampPath } from '../trust/timestamp.js';
import { listChangedFiles } from './sealed-site.js';
import { PublishError, type PublishTarget, type SealedSite, type TargetContext, type TargetSendResult } from './types.js';

const VERSION_DIR = /^v(\d+)-[0-9TZ]+(?:-\d+)?$/;

function nativePath(root: string, path: string): string {
  return join(root, ...path.split('/'));
}

/** The version folders under `root/versions`, oldest first. */
async function listVersions(root: string, links: LinkPort): Promise<string[]> {
  const names = await links.listNames(join(root, 'versions'));
  return names
    .filter((n) => VERSION_DIR.test(n))
    .sort((a, b) => Number(VERSION_DIR.exec(a)![1]) - Number(VERSION_DIR.exec(b)![1]) || a.localeCompare(b));
}

/** The version folder name `current` points to, or undefined. */
async function readCurrent(root: string, links: LinkPort): Promise<string | undefined> {
  const target = await links.readlink(join(root, 'current'));
  const name = target?.replace(/^versions\//, '');
  return name && VERSION_DIR.test(name) ? name : undefined;
}

/** Point `root/current` at `versions/name` atomically (a new link renamed over the old one). */
async function switchCurrent(root: string, name: string, fs: FileSystem, links: LinkPort): Promise<void> {
  const tmp = join(root, `.current-${randomBytes(6).toString('hex')}`);
  await links.symlink(`versions/${name}`, tmp);
  try {
    await fs.rename(tmp, join(root, 'current'));
  } catch (error) {
    await fs.rm(tmp).catch(() => {});
    throw error;
  }
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** The directory target. */
export function createDirectoryTarget(config: DirectoryTargetConfig, projectRoot: string): PublishTarget {
  const root = resolve(projectRoot, config.path);
  return {
    name: config.name,
    type: 'directory',
    description: `folder ${root}`,
    url: config.url,
    async send(site: SealedSite, ctx: TargetContext): Promise<TargetSendResult> {
      await ctx.fs.mkdir(join(root, 'versions'));
      // Folders left by an interrupted publish are never served; clear them.
      for (const n of await ctx.links.listNames(join(root, 'versions'))) if (n.startsWith('.incoming-')) await ctx.fs.rm(join(root, 'versions', n));
      for (const n of await ctx.links.listNames(root)) if (n.startsWith('.current-')) await ctx.fs.rm(join(root, n));

      const currentName = await readCurrent(root, ctx.links);
      const currentDir = currentName ? join(root, 'versions', currentName) : undefined;
      let previous: SealedSite['files'] | undefined;
      if (currentDir) {
        const text = await ctx.fs.readText(nativePath(currentDir, MANIFEST_PATH)).catch(() => undefined);
        const parsed = text === undefined ? undefined : parseManifest(text);
        if (parsed?.ok) {
          previous = listSignedFiles(parsed.manifest);
          const same = new TextDecoder().decode(site.manifestBytes) === text;
          const genuine = same && (await ctx.isGenuineCopy(join(root, 'current')));
          if (genuine && (await hasSameTimestamp(site, currentDir, ctx.fs))) {
            return { filesSent: 0, bytesSent: 0, filesDeleted: 0, verifyFolder: join(root, 'current'), note: 'already live' };
          }
          // Same build with a new timestamp (`stele refresh`): a new version linking the live files.
          // The live copy was altered (or is stale): write every file afresh instead of linking to it.
          if (same && !genuine) previous = undefined;
        }
      }
      const { changed, unchanged, removed } = listChangedFiles(site.files, previous);
      const incoming = join(root, 'versions', `.incoming-${randomBytes(6).toString('hex')}`);
      const total = site.files.length + 2;
      let done = 0;
      let bytesSent = 0;
      const changedSet = new Set(changed);
      for (const file of site.files) {
        const dest = nativePath(incoming, file.path);
        await ctx.fs.mkdir(dirname(dest));
        if (!changedSet.has(file.path) && currentDir && previous) {
          // Unchanged: a hard link to the live copy (a copy when links are not possible).
          const src = nativePath(currentDir, file.path);
          await ctx.links.linkOrCopy(src, dest);
        } else {
          await ctx.pace();
          const data = await site.read(file.path);
          await ctx.fs.writeFile(dest, data);
          bytesSent += data.byteLength;
        }
        ctx.progress('copying', ++done, total);
      }
      for (const path of [MANIFEST_PATH, MANIFEST_SIG_PATH]) {
        const data = await site.read(path);
        await ctx.fs.mkdir(dirname(nativePath(incoming, path)));
        await ctx.fs.writeFile(nativePath(incoming, path), data);
        bytesSent += data.byteLength;
        ctx.progress('copying', ++done, total);
      }
      let name = `v${site.manifest.version}-${stamp(ctx.now)}`;
      for (let i = 2; await ctx.fs.exists(join(root, 'versions', name)); i++) name = `v${site.manifest.version}-${stamp(ctx.now)}-${i}`;
      await ctx.fs.rename(incoming, join(root, 'versions', name));
      await switchCurrent(root, name, ctx.fs, ctx.links);
      await pruneVersions(root, config.keep, name, ctx);
      return {
        filesSent: changed.length + 2,
        bytesSent,
        filesDeleted: currentDir ? removed.length : 0,
        verifyFolder: join(root, 'current'),
        note: `live version: versions/${name}${unchanged.length ? `; ${unchanged.length} unchanged files linked` : ''}`,
      };
    },
  };
}

/** True when the live folder holds the site's timestamp files byte for byte (or neither has any). */
async function hasSameTimestamp(site: SealedSite, currentDir: string, fs: FileSystem): Promise<boolean> {
  for (const file of site.files.filter((f) => isTimestampPath(f.path))) {
    const live = await fs.readFile(nativePath(currentDir, file.path)).catch(() => undefined);
    if (!live || live.byteLength !== file.size || hashSha256Hex(live) !== file.sha256) return false;
  }
  return true;
}

async function pruneVersions(root: string, keep: number, live: string, ctx: TargetContext): Promise<void> {
  const versions = await listVersions(root, ctx.links);
  const excess = versions.length - keep;
  for (const name of versions.slice(0, Math.max(0, excess))) {
    if (name !== live) await ctx.fs.rm(join(root, 'versions', name));
  }
}

/** Switch a directory target back to the version before the live one. */
export async function rollbackDirectoryTarget(
  config: DirectoryTargetConfig,
  projectRoot: string,
  ports: { fs: FileSystem; links: LinkPort },
): Promise<{ from: string; to: string; folder: string }> {
  const root = resolve(projectRoot, config.path);
  const current = await readCurrent(root, ports.links);
  if (!current) throw new PublishError(`${root} has no live version to roll back from`);
  const versions = await listVersions(root, ports.links);
  const index = versions.indexOf(current);
  const to = index > 0 ? versions[index - 1] : undefined;
  if (!to) throw new PublishError(`no older version is kept in ${join(root, 'versions')}; nothing to roll back to`);
  await switchCurrent(root, to, ports.fs, ports.links);
  return { from: current, to, folder: join(root, 'current') };
}
