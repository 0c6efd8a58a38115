/**
 * A branch of a git repository, for Pages-style hosts: each publish is one
 * commit whose tree is exactly the sealed site, pushed in one ref update (a
 * reader of the branch sees the old commit or the new one). Runs the `git`
 * program through the process port, with hooks, user config and excludes off.
 */
import { join, resolve } from 'node:path';
import type { GitTargetConfig } from '../config/publish-schema.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../trust/paths.js';
import { createSshCommand } from './target-rsync.js';
import { PublishError, type PublishTarget, type SealedSite, type TargetContext, type TargetSendResult } from './types.js';

/** The git target. */
export function createGitTarget(config: GitTargetConfig, projectRoot: string): PublishTarget {
  // A local path is resolved against the project; URLs and scp-style addresses are kept.
  const repo = /^[a-z][a-z0-9+.-]*:\/\//i.test(config.repo) || /^[^/]+@[^/]+:/.test(config.repo) ? config.repo : resolve(projectRoot, config.repo);
  const ref = `refs/heads/${config.branch}`;
  return {
    name: config.name,
    type: 'git',
    description: `branch ${config.branch} of ${repo}`,
    url: config.url,
    async send(site: SealedSite, ctx: TargetContext): Promise<TargetSendResult> {
      const work = join(ctx.tempDir, 'git');
      const env: Record<string, string | undefined> = {
        PATH: ctx.env.PATH ?? '/usr/bin:/bin',
        HOME: ctx.tempDir,
        LANG: 'C',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_TERMINAL_PROMPT: '0',
        GIT_AUTHOR_NAME: 'stele',
        GIT_AUTHOR_EMAIL: 'stele@localhost',
        GIT_COMMITTER_NAME: 'stele',
        GIT_COMMITTER_EMAIL: 'stele@localhost',
        GIT_AUTHOR_DATE: ctx.now.toISOString(),
        GIT_COMMITTER_DATE: ctx.now.toISOString(),
      };
      if (config.identityFile) {
        if (!config.knownHostsFile) throw new PublishError('an SSH git remote needs knownHostsFile next to identityFile');
        env.GIT_SSH_COMMAND = createSshCommand({
          port: 22,
          identityFile: resolve(projectRoot, config.identityFile),
          knownHostsFile: resolve(projectRoot, config.knownHostsFile),
        });
      }
      const git = async (args: string[], options: { cwd?: string; allowFail?: boolean } = {}) => {
        const result = await ctx.processes.run(
          'git',
          ['-c', 'core.hooksPath=/dev/null', '-c', 'core.excludesFile=/dev/null', '-c', 'core.autocrlf=false', '-c', 'init.defaultBranch=stele', ...args],
          { cwd: options.cwd ?? work, env },
        );
        if (result.code !== 0 && !options.allowFail) {
          const last = result.stderr.trim().split('\n').slice(-2).join(' / ');
          throw new PublishError(`git ${args[0]} failed (${last})`);
        }
        return result;
      };
      await ctx.fs.mkdir(work);
      await git(['init', '-q', work], { cwd: ctx.tempDir });
      const listed = await git(['ls-remote', '--heads', repo, ref]);
      const exists = listed.stdout.trim().length > 0;
      if (exists) {
        await git(['fetch', '-q', '--depth=1', repo, `+${ref}:refs/remotes/target/live`]);
        await git(['reset', '-q', '--mixed', 'refs/remotes/target/live']);
      }
      const total = site.files.length + 2;
      let done = 0;
      for (const path of [...site.files.map((f) => f.path), MANIFEST_PATH, MANIFEST_SIG_PATH]) {
        const dest = join(work, ...path.split('/'));
        await ctx.fs.mkdir(join(dest, '..'));
        await ctx.fs.writeFile(dest, await site.read(path));
        ctx.progress('preparing', ++done, total);
      }
      await git(['add', '-A', '--', '.']);
      const status = await git(['diff', '--cached', '--no-renames', '--name-status', '-z']);
      const fields = status.stdout.split('\0').filter(Boolean);
      const sizes = new Map([...site.files.map((f) => [f.path, f.size] as const), [MANIFEST_PATH, site.manifestBytes.byteLength], [MANIFEST_SIG_PATH, site.signatureBytes.byteLength]]);
      let filesSent = 0;
      let filesDeleted = 0;
      let bytesSent = 0;
      for (let i = 0; i + 1 < fields.length; i += 2) {
        if (fields[i] === 'D') filesDeleted++;
        else {
          filesSent++;
          bytesSent += sizes.get(fields[i + 1]) ?? 0;
        }
      }
      if (fields.length === 0) return { filesSent: 0, bytesSent: 0, filesDeleted: 0, verifyFolder: await exportBranch(), note: 'already live' };
      await git(['commit', '-q', '--no-verify', '-m', `stele publish: ${site.manifest.siteId} version ${site.manifest.version}`]);
      const commit = (await git(['rev-parse', 'HEAD'])).stdout.trim();
      await ctx.pace();
      ctx.progress('pushing', total, total);
      await git(['push', '-q', repo, `HEAD:${ref}`]);
      return { filesSent, bytesSent, filesDeleted, verifyFolder: await exportBranch(), note: `commit ${commit.slice(0, 12)} on ${config.branch}` };

      /** Fetch what the branch now holds into a clean folder, to verify it. */
      async function exportBranch(): Promise<string> {
        const out = join(ctx.tempDir, 'published');
        await ctx.fs.rm(out);
        await git(['clone', '-q', '--depth=1', '--branch', config.branch, repo, out], { cwd: ctx.tempDir });
        await ctx.fs.rm(join(out, '.git'));
        return out;
      }
    },
  };
}
