/**
 * A server reached with rsync over SSH. The server's host key must already be in
 * the configured known_hosts file (`StrictHostKeyChecking=yes`): an unknown or
 * changed key stops the publish instead of being accepted. Files go in two passes:
 * everything but the manifest first, then the manifest and its signature (with
 * the release log and the timestamp, which speak of it), with
 * removed files deleted only in that last pass.
 */
import { resolve } from 'node:path';
import type { RsyncTargetConfig } from '../config/publish-schema.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../trust/paths.js';
import { RELEASE_LOG_DIR } from '../trust/release-log.js';
import { TIMESTAMP_PATH, TIMESTAMP_SIG_PATH } from '../trust/timestamp.js';
import { PublishError, type PublishTarget, type SealedSite, type TargetContext, type TargetSendResult } from './types.js';

/** Quote one word for rsync's `-e` parser (it splits on spaces and honours single quotes). */
function quoteWord(word: string): string {
  if (word.includes("'")) throw new PublishError(`a path given for SSH contains a single quote: ${word}`);
  return `'${word}'`;
}

/** The ssh command line rsync runs; the key is named, never read or printed by stele. */
export function createSshCommand(options: { port: number; identityFile: string; knownHostsFile: string }): string {
  return [
    'ssh',
    '-F',
    '/dev/null',
    '-p',
    String(options.port),
    '-i',
    quoteWord(options.identityFile),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    quoteWord(`UserKnownHostsFile=${options.knownHostsFile}`),
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'ConnectTimeout=20',
  ].join(' ');
}

/** Turn an rsync/ssh failure into words a person can act on. */
function explainFailure(code: number | null, stderr: string): string {
  const last = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' / ');
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No .* host key is known/i.test(stderr)) {
    return `the server's identity (host key) is not the one in the known_hosts file, so nothing was sent (${last})`;
  }
  if (/Permission denied/i.test(stderr)) return `the server refused the SSH key (${last})`;
  if (code === 255) return `could not connect over SSH (${last})`;
  return `rsync failed with exit code ${code ?? 'signal'} (${last})`;
}

/** The rsync-over-SSH target. */
export function createRsyncTarget(config: RsyncTargetConfig, projectRoot: string): PublishTarget {
  const identityFile = resolve(projectRoot, config.identityFile);
  const knownHostsFile = resolve(projectRoot, config.knownHostsFile);
  const remote = `${config.user}@${config.host}:${config.path.replace(/\/*$/, '/')}`;
  return {
    name: config.name,
    type: 'rsync',
    description: `${config.user}@${config.host}:${config.path} (SSH port ${config.port})`,
    url: config.url,
    async send(site: SealedSite, ctx: TargetContext): Promise<TargetSendResult> {
      for (const [what, file] of [
        ['SSH key', identityFile],
        ['known_hosts file', knownHostsFile],
      ] as const) {
        if (!(await ctx.fs.exists(file))) throw new PublishError(`the ${what} ${file} does not exist`);
      }
      const ssh = createSshCommand({ port: config.port, identityFile, knownHostsFile });
      const env = { PATH: ctx.env.PATH ?? '/usr/bin:/bin', HOME: ctx.tempDir, LANG: 'C' };
      const common = ['-rlc', '--protect-args', '--delay-updates', '--chmod=D755,F644', '--out-format=%i %l %n', '-e', ssh];
      const source = `${site.dir.replace(/\/*$/, '')}/`;
      let filesSent = 0;
      let bytesSent = 0;
      let filesDeleted = 0;
      const total = site.files.length + 2;
      const run = async (args: string[]) => {
        await ctx.pace();
        const result = await ctx.processes.run('rsync', [...common, ...args, source, remote], { env });
        if (result.code !== 0) throw new PublishError(explainFailure(result.code, result.stderr));
        for (const line of result.stdout.split('\n')) {
          const m = /^(\S+)\s+(\d+) (.+)$/.exec(line);
          if (!m) continue;
          if (m[1].startsWith('*deleting')) filesDeleted++;
          else if (/^[<>]f/.test(m[1])) {
            filesSent++;
            bytesSent += Number(m[2]);
          }
        }
        ctx.progress('sending', Math.min(filesSent, total), total);
      };
      // Pass 1: every file except the manifest and its signature; nothing deleted yet.
      // The release log and the timestamp speak of the manifest: they wait for it too.
      await run([
        `--exclude=/${MANIFEST_PATH}`,
        `--exclude=/${MANIFEST_SIG_PATH}`,
        `--exclude=/${RELEASE_LOG_DIR}/`,
        `--exclude=/${TIMESTAMP_PATH}`,
        `--exclude=/${TIMESTAMP_SIG_PATH}`,
      ]);
      // Pass 2: the manifest and signature, the release log and the timestamp, then removal of files the new build no longer has.
      await run(['--delete-after']);
      return { filesSent, bytesSent, filesDeleted };
    },
  };
}
