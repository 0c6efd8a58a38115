/**
 * The verify page tells readers three ways to check a copy; each instruction is
 * followed here exactly as printed (in every language): the standard-tools command
 * (Debian's minisign and coreutils) in the written site folder, genuine and tampered;
 * the stele install from a copy of the source (`npm pack`, then
 * `npm install -g` of the tarball into a temporary prefix) followed by
 * `stele verify`; and the extension build command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { createNodeHost } from '../../src/io/host.js';
import { createSignerFromSeed } from '../../src/seal/signer.js';
import { STELE_VERSION } from '../../src/version.js';
import { REPO_ROOT } from '../browser/helpers.js';

const signer = createSignerFromSeed(new Uint8Array(32).fill(7));
const LANG_PAGES = ['verify/index.html', 'zh-hans/verify/index.html', 'zh-hant/verify/index.html'];
let dir: string;
let dist: string;

/** The text of the `<code data-stele-command=NAME>` block of a page, entities decoded. */
function readCommand(page: string, name: string): string {
  const m = new RegExp(`<code data-stele-command="${name}">([^<]*)</code>`).exec(page);
  if (!m) throw new Error(`no ${name} command on the page`);
  return m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stele-instructions-'));
  dist = join(dir, 'dist');
  const result = await buildProject({
    root: join(REPO_ROOT, 'examples/cfcr'),
    host: createNodeHost({ quiet: true }),
    mode: 'production',
    signer,
    outDir: dist,
    logDir: join(dir, 'log'),
  });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the verify page in every language', () => {
  it('writes out the key and the same three instructions', () => {
    const publicKey = signer.publicKeyFile.trim().split('\n').at(-1)!;
    const pages = LANG_PAGES.map((p) => readFileSync(join(dist, p), 'utf8'));
    for (const page of pages) {
      expect(page).toContain(publicKey);
      expect(page).toContain('stele Verify');
      expect(page).toContain('stele-verify-chromium.zip');
      expect(readCommand(page, 'build-extension')).toBe('npm ci && npm run build:extension');
      expect(readCommand(page, 'standard-tools')).toBe(
        `minisign -Vm .well-known/stele/SHA256SUMS -P ${publicKey} && sha256sum -c .well-known/stele/SHA256SUMS`,
      );
      expect(readCommand(page, 'stele-verify')).toBe(
        `npm ci && npm pack\nnpm install -g ./stele-${STELE_VERSION}.tgz\nstele verify https://cfcr.example/ --key-id ${signer.keyId}`,
      );
    }
  });
});

describe('the standard-tools command, run as printed in the site folder', () => {
  it('verifies the genuine example and fails on a tampered copy', () => {
    const command = readCommand(readFileSync(join(dist, 'verify/index.html'), 'utf8'), 'standard-tools');
    const genuine = spawnSync('bash', ['-c', command], { cwd: dist, encoding: 'utf8' });
    expect(genuine.stderr).toBe('');
    expect(genuine.status).toBe(0);
    expect(genuine.stdout).toContain('Signature and comment signature verified');
    expect(genuine.stdout).not.toContain('FAILED');
    const copy = join(dir, 'tampered-tools');
    cpSync(dist, copy, { recursive: true });
    writeFileSync(join(copy, 'about/index.html'), '<p>defaced</p>');
    const tampered = spawnSync('bash', ['-c', command], { cwd: copy, encoding: 'utf8' });
    expect(tampered.status).not.toBe(0);
    expect(tampered.stdout).toContain('about/index.html: FAILED');
  });
});

describe('stele installed from its source as the verify page says', () => {
  let source: string;
  let prefix: string;

  beforeAll(() => {
    // A copy of the source as a clone has it; `npm ci` is the node_modules already installed here.
    source = join(dir, 'stele-source');
    prefix = join(dir, 'prefix');
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of tracked) {
      if (!existsSync(join(REPO_ROOT, file))) continue;
      cpSync(join(REPO_ROOT, file), join(source, file), { recursive: true });
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
  }, 120_000);

  it('npm pack, npm install -g of the tarball (temporary prefix), stele verify: genuine; tampered: not genuine', () => {
    const page = readFileSync(join(dist, 'verify/index.html'), 'utf8');
    const [, pack, install, verify] = ['', ...readCommand(page, 'stele-verify').split('\n')];
    const env = { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: join(dir, 'config'), npm_config_update_notifier: 'false' };
    // `npm ci &&` is the install already done; then the page's pack command.
    expect(pack).toBe('npm ci && npm pack');
    execFileSync('npm', ['pack', '--silent'], { cwd: source, env, stdio: 'pipe' });
    const tarball = install.split(' ').at(-1)!;
    expect(existsSync(join(source, tarball))).toBe(true);
    const args = install.split(' ').slice(1);
    execFileSync('npm', [...args, '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: source, env, stdio: 'pipe' });
    const stele = join(prefix, 'bin', 'stele');
    expect(existsSync(stele)).toBe(true);
    // The page names the site's own address; here the copy is the built folder.
    const verifyArgs = verify.split(' ').slice(1);
    verifyArgs[1] = dist;
    const genuine = spawnSync(stele, verifyArgs, { env, encoding: 'utf8' });
    expect(genuine.stderr).toBe('');
    expect(genuine.stdout).toMatch(/genuine/i);
    expect(genuine.status).toBe(0);
    const copy = join(dir, 'tampered-cli');
    cpSync(dist, copy, { recursive: true });
    writeFileSync(join(copy, 'evil.js'), 'alert(1)\n');
    verifyArgs[1] = copy;
    const tampered = spawnSync(stele, verifyArgs, { env, encoding: 'utf8' });
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toContain('evil.js');
  }, 600_000);

  it('npm run build:extension makes the two zips the page names', () => {
    execFileSync('npm', ['run', 'build:extension', '--silent'], { cwd: source, stdio: 'pipe' });
    for (const target of ['chromium', 'firefox']) {
      expect(existsSync(join(source, 'extension/dist', `stele-verify-${target}.zip`)), target).toBe(true);
      const manifest = JSON.parse(readFileSync(join(source, 'extension/dist', target, 'manifest.json'), 'utf8'));
      expect(manifest.manifest_version).toBe(3);
    }
  }, 120_000);
});
