/**
 * What `stele` loads to start a command: `bin/stele.js` in a child process, under a module
 * loader hook (`node --import`) that records the URL of every module loaded, on the main
 * thread and in worker threads (ES modules through the hook, CommonJS from the require
 * cache). `stele verify` must not load the builder (dist/build, render, site, content,
 * harden, check, seal) or its packages (sharp, Pagefind, markdown-it, …): a check of a local
 * copy is as short as `sha256sum -c`, and start-up is a large part of it (issue 19). The
 * same hook sees `stele build --help` load them, so the check can fail.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealSite } from '../../src/seal/seal-site.js';
import { CHANNELS, cleanupTempDirs, createFixtureOutput, makeTempDir, NOW, SIGNER, writeOutput, writeSealedFixture } from '../verify/fixture.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/stele.js');
const DIST = pathToFileURL(join(ROOT, 'dist')).href;

/** The hook: registers a `load` hook that appends each file: URL to $STELE_TEST_MODULE_LOG, and lists the require cache at exit. */
const RECORDER = `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
const log = process.env.STELE_TEST_MODULE_LOG;
register(new URL('./hooks.mjs', import.meta.url), { data: { log } });
process.on('exit', () => {
  appendFileSync(log, Object.keys(createRequire(import.meta.url).cache).map((p) => pathToFileURL(p).href + '\\n').join(''));
});
`;
const HOOKS = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) appendFileSync(log, url + '\\n');
  return nextLoad(url, context);
}
`;

/** Builder areas of dist/ that `stele verify` must not load. */
const BUILDER_DIRS = ['build', 'render', 'site', 'content', 'harden', 'check', 'seal', 'assets', 'config', 'publish', 'dev'];
/** Packages only the builder (or publish) uses. */
const BUILDER_PACKAGES = ['sharp', '@img', 'pagefind', 'markdown-it', 'sanitize-html', 'opencc-js', 'pinyin-pro', 'htmlparser2', 'yaml', '@aws-sdk', 'esbuild'];

let hookDir: string;

/** Run `bin/stele.js argv` under the hook; its exit code, stdout and the module URLs it loaded. */
async function runRecorded(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; modules: string[] }> {
  const log = join(hookDir, `log-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(log, '');
  // The fixtures are sealed at NOW; the CLI reads its clock from SOURCE_DATE_EPOCH.
  const childEnv = { ...process.env, STELE_TEST_MODULE_LOG: log, SOURCE_DATE_EPOCH: String(NOW.getTime() / 1000), ...env };
  let code = 0;
  let stdout = '';
  try {
    stdout = (await promisify(execFile)(process.execPath, ['--import', pathToFileURL(join(hookDir, 'recorder.mjs')).href, BIN, ...argv], { env: childEnv, timeout: 60_000 })).stdout;
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    if (typeof failed.code !== 'number') throw error;
    code = failed.code;
    stdout = failed.stdout ?? '';
  }
  const modules = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
  return { code, stdout, modules };
}

/** The loaded modules that belong to the builder. */
function findBuilderModules(modules: readonly string[]): string[] {
  return modules.filter(
    (url) =>
      BUILDER_DIRS.some((dir) => url.startsWith(`${DIST}/${dir}/`)) ||
      BUILDER_PACKAGES.some((name) => url.includes(`/node_modules/${name}/`) || url.includes(`/node_modules/${name}-`)),
  );
}

beforeAll(() => {
  hookDir = makeTempDir('stele-startup-');
  writeFileSync(join(hookDir, 'recorder.mjs'), RECORDER);
  writeFileSync(join(hookDir, 'hooks.mjs'), HOOKS);
});
afterAll(cleanupTempDirs);

describe('what a command loads to start', () => {
  it('the recorder sees the builder where it is loaded: `stele build --help` loads dist/build and sharp', async () => {
    const run = await runRecorded(['build', '--help']);
    expect(run.code).toBe(0);
    const builder = findBuilderModules(run.modules);
    expect(builder.some((url) => url.startsWith(`${DIST}/build/`))).toBe(true);
    expect(builder.some((url) => url.includes('/node_modules/sharp/'))).toBe(true);
  }, 60_000);

  it('`stele verify --help` loads the verify bundle and nothing of the builder', async () => {
    const run = await runRecorded(['verify', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('verify <source>');
    expect(run.modules).toContain(`${DIST}/cli/verify-cli.bundle.js`);
    expect(findBuilderModules(run.modules)).toEqual([]);
  }, 60_000);

  it('`stele verify` of a small sealed folder says genuine without loading the builder', async () => {
    const site = writeSealedFixture();
    const key = join(makeTempDir(), 'site.pub');
    writeFileSync(key, SIGNER.publicKeyFile);
    const run = await runRecorded(['verify', site, '--key', key, '--trust-store', 'off', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).status).toBe('genuine');
    expect(run.modules).toContain(`${DIST}/cli/verify-cli.bundle.js`);
    expect(findBuilderModules(run.modules)).toEqual([]);
  }, 60_000);

  it('`stele verify` of a folder hashed on a worker thread loads no builder module there either', async () => {
    const out = createFixtureOutput();
    for (let i = 0; i < 700; i++) out.set(`notes/${i % 20}/${i}.txt`, new TextEncoder().encode(`note ${i}\n`));
    sealSite(out, { siteId: 'rights-watch', version: 3, now: NOW, signer: SIGNER, channels: CHANNELS });
    const site = makeTempDir();
    mkdirSync(site, { recursive: true });
    writeOutput(out, site);
    const key = join(makeTempDir(), 'site.pub');
    writeFileSync(key, SIGNER.publicKeyFile);
    const run = await runRecorded(['verify', site, '--key', key, '--trust-store', 'off', '--json'], { STELE_HASH_WORKERS: '1' });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'genuine', checkedFiles: expect.any(Number) });
    expect(JSON.parse(run.stdout).checkedFiles).toBeGreaterThan(700);
    // The worker's own modules were recorded: the hook runs in worker threads too.
    expect(run.modules).toContain(`${DIST}/io/hash-worker.js`);
    expect(findBuilderModules(run.modules)).toEqual([]);
    rmSync(site, { recursive: true, force: true });
  }, 60_000);

  it('`stele --version` loads no command', async () => {
    const run = await runRecorded(['--version']);
    expect(run.code).toBe(0);
    expect(run.modules.filter((url) => url.startsWith(`${DIST}/cli/commands/`))).toEqual([]);
    expect(findBuilderModules(run.modules)).toEqual([]);
  }, 60_000);
});
