/**
 * An S3-compatible bucket. Order matters, so a reader never gets a manifest that
 * names files not yet uploaded: content-hashed files first (new names, invisible
 * until referenced), then every other changed file, then the manifest and its
 * signature, then the release log and the timestamp (they speak of that
 * manifest); files the new build no longer has are deleted only after the new
 * manifest is live. Only files whose hash differs from the manifest the bucket
 * already serves are uploaded. Credentials come from environment variables or a
 * JSON file, never from config text, and are never printed.
 */
import { resolve } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { S3TargetConfig } from '../config/publish-schema.js';
import { CACHE_IMMUTABLE, CACHE_REVALIDATE, isHashedAssetPath, resolveContentType } from '../harden/content-types.js';
import { listSignedFiles, type Manifest, parseManifest } from '../trust/manifest.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../trust/paths.js';
import { isReleaseLogPath } from '../trust/release-log.js';
import { isPublishedAfterManifest, listChangedFiles } from './sealed-site.js';
import { PublishError, type PublishTarget, type SealedSite, type TargetContext, type TargetSendResult } from './types.js';

const PARALLEL_UPLOADS = 8;

/** Content-Type and Cache-Control for one site path. */
export function resolveObjectHeaders(path: string): { contentType: string; cacheControl: string } {
  const ext = /\.([^./]+)$/.exec(path)?.[1] ?? '';
  const base = path.split('/').pop() ?? '';
  const contentType =
    resolveContentType(ext) ?? (base === '.htaccess' || base === '_headers' || base === '_redirects' ? 'text/plain; charset=utf-8' : 'application/octet-stream');
  return { contentType, cacheControl: isHashedAssetPath(path) ? CACHE_IMMUTABLE : CACHE_REVALIDATE };
}

async function runPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** Read the credentials: from the JSON file named in config, else from the named environment variables. */
async function resolveCredentials(config: S3TargetConfig, projectRoot: string, ctx: TargetContext): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  if (config.credentialsFile) {
    const file = resolve(projectRoot, config.credentialsFile);
    let data: unknown;
    try {
      data = JSON.parse(await ctx.fs.readText(file));
    } catch {
      throw new PublishError(`cannot read the credentials file ${file} (it must be JSON with accessKeyId and secretAccessKey)`);
    }
    const { accessKeyId, secretAccessKey } = (data ?? {}) as Record<string, unknown>;
    if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string' || !accessKeyId || !secretAccessKey) {
      throw new PublishError(`the credentials file ${file} must hold accessKeyId and secretAccessKey`);
    }
    return { accessKeyId, secretAccessKey };
  }
  const accessKeyId = ctx.env[config.accessKeyIdEnv];
  const secretAccessKey = ctx.env[config.secretAccessKeyEnv];
  if (!accessKeyId || !secretAccessKey) {
    throw new PublishError(`set the environment variables ${config.accessKeyIdEnv} and ${config.secretAccessKeyEnv} (or name a credentialsFile)`);
  }
  return { accessKeyId, secretAccessKey };
}

/** Words for an S3 error; never includes credentials (the SDK does not put them in messages). */
function explainS3Error(error: unknown): string {
  if (error instanceof S3ServiceException) return `${error.name}: ${error.message}`;
  const e = error as { code?: string; message?: string };
  return e.code ? `${e.code} ${e.message ?? ''}`.trim() : (e.message ?? String(error));
}

/** The S3 target. */
export function createS3Target(config: S3TargetConfig, projectRoot: string): PublishTarget {
  const key = (path: string) => `${config.prefix}${path}`;
  return {
    name: config.name,
    type: 's3',
    description: `bucket ${config.bucket}${config.prefix ? `/${config.prefix}` : ''}${config.endpoint ? ` at ${new URL(config.endpoint).host}` : ''}`,
    url: config.url,
    async send(site: SealedSite, ctx: TargetContext): Promise<TargetSendResult> {
      const client = new S3Client({
        region: config.region,
        endpoint: config.endpoint,
        forcePathStyle: config.forcePathStyle,
        credentials: await resolveCredentials(config, projectRoot, ctx),
        maxAttempts: 3,
      });
      try {
        return await sendTo(client, site, ctx);
      } catch (error) {
        if (error instanceof PublishError) throw error;
        throw new PublishError(`the bucket refused or could not be reached (${explainS3Error(error)})`);
      } finally {
        client.destroy();
      }
    },
  };

  async function readLiveManifest(client: S3Client): Promise<Manifest | undefined> {
    try {
      const response = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: key(MANIFEST_PATH) }));
      const parsed = parseManifest((await response.Body?.transformToString('utf8')) ?? '');
      return parsed.ok ? parsed.manifest : undefined;
    } catch (error) {
      if (error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)) return undefined;
      throw error;
    }
  }

  async function sendTo(client: S3Client, site: SealedSite, ctx: TargetContext): Promise<TargetSendResult> {
    const live = await readLiveManifest(client);
    // The release log of a build is fixed when it is sealed: the same manifest and signature mean the same log.
    const signedFiles = site.files.filter((f) => !isReleaseLogPath(f.path));
    if (live && live.version === site.manifest.version && listChangedFiles(signedFiles, listSignedFiles(live)).changed.length === 0 && live.keyId === site.manifest.keyId) {
      const liveSig = await client
        .send(new GetObjectCommand({ Bucket: config.bucket, Key: key(MANIFEST_SIG_PATH) }))
        .then((r) => r.Body?.transformToString('utf8'))
        .catch(() => undefined);
      if (liveSig === new TextDecoder().decode(site.signatureBytes)) {
        // An earlier run may have stopped after the manifest went live: finish its clean-up.
        return { filesSent: 0, bytesSent: 0, filesDeleted: await deleteUnlisted(client, site), note: 'already live' };
      }
    }
    const { changed } = listChangedFiles(site.files, live ? listSignedFiles(live) : undefined);
    const hashed = changed.filter(isHashedAssetPath);
    const trailing = changed.filter((p) => !isHashedAssetPath(p) && isPublishedAfterManifest(p));
    const others = changed.filter((p) => !isHashedAssetPath(p) && !isPublishedAfterManifest(p));
    const total = changed.length + 2;
    let done = 0;
    let bytesSent = 0;
    const put = async (path: string) => {
      await ctx.pace();
      const body = await site.read(path);
      const headers = resolveObjectHeaders(path);
      await client.send(
        new PutObjectCommand({
          Bucket: config.bucket,
          Key: key(path),
          Body: body,
          ContentType: headers.contentType,
          CacheControl: headers.cacheControl,
        }),
      );
      bytesSent += body.byteLength;
      ctx.progress('uploading', ++done, total);
    };
    await runPool(hashed, PARALLEL_UPLOADS, put);
    await runPool(others, PARALLEL_UPLOADS, put);
    // The manifest goes up only when every file it names is in place; its signature right after.
    await put(MANIFEST_PATH);
    await put(MANIFEST_SIG_PATH);
    // The release log and the timestamp speak of this manifest: right after it, all at once.
    await runPool(trailing, PARALLEL_UPLOADS, put);
    return { filesSent: changed.length + 2, bytesSent, filesDeleted: await deleteUnlisted(client, site) };
  }

  /** Delete every object under the prefix that the (live) new manifest does not name. */
  async function deleteUnlisted(client: S3Client, site: SealedSite): Promise<number> {
    const keep = new Set([...site.files.map((f) => key(f.path)), key(MANIFEST_PATH), key(MANIFEST_SIG_PATH)]);
    const stale: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: config.prefix || undefined, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key && !keep.has(object.Key)) stale.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    // One request per object: every S3-compatible service supports it (not all have multi-delete).
    await runPool(stale, PARALLEL_UPLOADS, async (k) => {
      await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: k }));
    });
    return stale.length;
  }
}
