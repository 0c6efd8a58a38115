/**
 * Real nginx, Caddy and Apache on 127.0.0.1, each configured with a config
 * `stele server-config` (or a build) wrote: the test passes the config text;
 * the starter adds what a throwaway instance needs (nginx main config, Caddy
 * without admin or HTTPS, Apache reading the site's `.htaccess`), waits until
 * it answers and returns how to stop it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApacheConfig } from './apache-config.js';
import { stopChildProcess } from './child-process.js';
import { createNginxMainConfig } from './nginx-config.js';

export type ConfiguredServerKind = 'nginx' | 'caddy' | 'apache';

export interface ConfiguredServerOptions {
  /** An empty folder for the server's own files (made readable by Apache's `nobody`). */
  dir: string;
  /** Folder served as the document root (Apache; nginx and Caddy take it from their config). */
  documentRoot: string;
  port: number;
  /** nginx server block, Caddyfile site block; for Apache the `.htaccess` text, written to `htaccessPath` (omit it to keep the site's own). */
  config?: string;
  htaccessPath?: string;
}

/** Start `kind` and wait (bounded attempts) until it answers; fails with its log. */
export async function startConfiguredServer(kind: ConfiguredServerKind, options: ConfiguredServerOptions): Promise<{ url: string; stop(): Promise<void> }> {
  const { dir, port } = options;
  await chmod(dir, 0o755);
  let child: ChildProcess;
  let stderr = '';
  let logFile: string | undefined;
  if (kind === 'nginx') {
    await mkdir(join(dir, 'tmp'), { recursive: true });
    await writeFile(join(dir, 'server.conf'), options.config ?? '');
    await writeFile(join(dir, 'main.conf'), createNginxMainConfig(dir));
    child = spawn('/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'main.conf'), '-e', `${dir}/error.log`], { stdio: 'ignore' });
    logFile = join(dir, 'error.log');
  } else if (kind === 'caddy') {
    const file = join(dir, 'Caddyfile');
    await writeFile(file, `{\n\tadmin off\n\tauto_https off\n}\n\n${options.config ?? ''}`);
    const env = { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
    child = spawn('/usr/bin/caddy', ['run', '--config', file, '--adapter', 'caddyfile'], { stdio: ['ignore', 'ignore', 'pipe'], env });
  } else {
    if (options.config !== undefined) await writeFile(options.htaccessPath ?? join(options.documentRoot, '.htaccess'), options.config);
    await writeFile(join(dir, 'httpd.conf'), createApacheConfig(dir, options.documentRoot, port));
    child = spawn('/usr/sbin/apache2', ['-X', '-f', join(dir, 'httpd.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    logFile = join(dir, 'error.log');
  }
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const log = async () => `${stderr}\n${logFile ? await readFile(logFile, 'utf8').catch(() => '') : ''}`;
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`${kind} exited with ${child.exitCode}: ${await log()}`);
      if (await fetch(`${url}/`).then((r) => r.arrayBuffer().then(() => true), () => false)) break;
      if (attempt >= 300) throw new Error(`${kind} did not start: ${await log()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (error) {
    await stopChildProcess(child);
    throw error;
  }
  return { url, stop: () => stopChildProcess(child) };
}
