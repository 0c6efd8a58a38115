/**
 * Stage `publish`: send a sealed build to every configured target in parallel,
 * then verify each copy where it is served (its public URL, or the folder a
 * target produced). One failing target never stops the others; running again
 * resumes, because every target compares with what it already has.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublishTargetConfig } from '../config/publish-schema.js';
import type { FileSystem } from '../io/host.js';
import type { LinkPort } from '../io/links.js';
import type { FetchPort } from '../io/network.js';
import type { ProcessRunner } from '../io/process.js';
import { verifySite } from '../verify/verify-site.js';
import { readSealedSite } from './sealed-site.js';
import { createCarTarget } from './target-car.js';
import { createDirectoryTarget } from './target-directory.js';
import { createGitTarget } from './target-git.js';
import { createRsyncTarget } from './target-rsync.js';
import { createS3Target } from './target-s3.js';
import { DEFAULT_PUBLISH_VERIFY_DEADLINE_MS, PublishError, type PublishReport, type PublishTarget, type SealedSite, type TargetReport } from './types.js';

/** Inputs of `publishSite`. */
export interface PublishOptions {
  /** The sealed build folder (the project's `dist`). */
  dir: string;
  /** Project folder: relative paths in target configs resolve against it. */
  projectRoot: string;
  targets: readonly PublishTargetConfig[];
  /** Text of the project's public key (`stele.pub`): the build and every copy must verify with it. */
  publicKey: string;
  fs: FileSystem;
  links: LinkPort;
  processes: ProcessRunner;
  fetch: FetchPort;
  env: Readonly<Record<string, string | undefined>>;
  now: () => Date;
  /** Publish only to these target names. */
  only?: readonly string[];
  onProgress?: (target: string, phase: string, done: number, total: number) => void;
  onTargetStart?: (target: PublishTarget) => void;
  onTargetDone?: (report: TargetReport) => void;
  /** Test hook: wait this long before each file is sent. */
  delayPerFileMs?: number;
  /**
   * Deadline of each copy's check where it is served (default
   * {@link DEFAULT_PUBLISH_VERIFY_DEADLINE_MS}; 0 for none): a copy that does
   * not answer in time is "verified: no", and the other targets go on.
   */
  verifyDeadlineMs?: number;
}


/** Build the target object for one config entry. */
export function createPublishTarget(config: PublishTargetConfig, projectRoot: string): PublishTarget {
  switch (config.type) {
    case 'directory':
      return createDirectoryTarget(config, projectRoot);
    case 'rsync':
      return createRsyncTarget(config, projectRoot);
    case 's3':
      return createS3Target(config, projectRoot);
    case 'git':
      return createGitTarget(config, projectRoot);
    case 'car':
      return createCarTarget(config, projectRoot);
  }
}

/** Publish the sealed build in `options.dir`. `error` means nothing could be published at all. */
export async function publishSite(options: PublishOptions): Promise<{ report?: PublishReport; error?: string }> {
  const unknown = (options.only ?? []).filter((n) => !options.targets.some((t) => t.name === n));
  if (unknown.length) return { error: `no publish target named ${unknown.join(', ')} in the config` };
  const chosen = options.targets.filter((t) => !options.only?.length || options.only.includes(t.name));
  if (chosen.length === 0) return { error: 'no publish targets: add publish.targets to stele.config.ts' };
  const read = await readSealedSite(options.dir, { fs: options.fs, publicKey: options.publicKey, now: options.now() });
  if ('error' in read) return { error: read.error };
  const site = read.site;
  const targets = chosen.map((c) => createPublishTarget(c, options.projectRoot));
  const reports = await Promise.all(targets.map((t) => publishOne(t, site, options)));
  return {
    report: {
      siteId: site.manifest.siteId,
      version: site.manifest.version,
      targets: reports,
      ok: reports.every((r) => r.status === 'published' && r.verified !== 'no'),
    },
  };
}

async function publishOne(target: PublishTarget, site: SealedSite, options: PublishOptions): Promise<TargetReport> {
  const started = Date.now();
  options.onTargetStart?.(target);
  const report: TargetReport = {
    name: target.name,
    type: target.type,
    description: target.description,
    status: 'failed',
    filesSent: 0,
    bytesSent: 0,
    filesDeleted: 0,
    filesTotal: site.files.length + 2,
    durationMs: 0,
    verified: 'not-checked',
  };
  const tempDir = join(tmpdir(), `stele-publish-${target.name}-${randomBytes(6).toString('hex')}`);
  await options.fs.mkdir(tempDir);
  try {
    const delay = options.delayPerFileMs ?? 0;
    const result = await target.send(site, {
      fs: options.fs,
      links: options.links,
      processes: options.processes,
      fetch: options.fetch,
      env: options.env,
      now: options.now(),
      tempDir,
      progress: (phase, done, total) => options.onProgress?.(target.name, phase, done, total),
      pace: () => (delay > 0 ? new Promise((r) => setTimeout(r, delay)) : Promise.resolve()),
      isGenuineCopy: async (folder) => {
        const check = await verifySite(folder, { publicKey: options.publicKey, trustStoreDir: false, now: options.now(), fs: options.fs });
        return check.status === 'genuine' && check.manifest?.version === site.manifest.version;
      },
    });
    Object.assign(report, { status: 'published', filesSent: result.filesSent, bytesSent: result.bytesSent, filesDeleted: result.filesDeleted, note: result.note });
    const where = target.url ?? result.verifyFolder;
    if (!where) {
      report.verifyNote = 'no public address (url) in the config, so this copy was not checked';
    } else {
      options.onProgress?.(target.name, 'verifying', 0, report.filesTotal);
      const deadlineMs = options.verifyDeadlineMs ?? DEFAULT_PUBLISH_VERIFY_DEADLINE_MS;
      const check = await verifySite(where, {
        publicKey: options.publicKey,
        trustStoreDir: false,
        now: options.now(),
        fetch: options.fetch as typeof fetch,
        ...(deadlineMs > 0 ? { deadlineMs } : {}),
        onProgress: (done, total) => options.onProgress?.(target.name, 'verifying', done, total),
      });
      const version = check.manifest?.version;
      if (check.status === 'genuine' && version === site.manifest.version) {
        report.verified = 'yes';
        report.verifyNote = target.url ? `checked at ${target.url}` : 'checked the copy as written';
      } else {
        report.verified = 'no';
        const problems = check.problems.slice(0, 3).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
        report.verifyNote =
          check.status === 'genuine'
            ? `${where} still serves version ${version}, not ${site.manifest.version} (a cache, or the upload did not arrive)`
            : `${where} does not verify: ${problems.join('; ')}`;
      }
    }
  } catch (error) {
    // Whatever went wrong stays with this target; the others carry on.
    report.error = error instanceof PublishError ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
  } finally {
    report.durationMs = Date.now() - started;
    await options.fs.rm(tempDir);
  }
  options.onTargetDone?.(report);
  return report;
}
