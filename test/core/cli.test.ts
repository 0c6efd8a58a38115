/**
 * The `stele` command line through `runCli` (no child processes): help and
 * version on every command, `init` + `build` working first time, `new`, and
 * exit codes for usage errors. cac prints help and version with
 * `console.info`, so those are captured with a spy.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createKeyFiles } from '../../src/seal/key-store.js';
import { STELE_VERSION } from '../../src/version.js';
import { runCliCapturing } from '../helpers/run-cli.js';
import { createTempDir, FIXED_NOW, removeTempDirs } from '../helpers/temp-site.js';

/** One CLI run, captured. */
const run = (argv: string[], cwd: string, now = FIXED_NOW) => runCliCapturing(argv, cwd, now);

afterEach(() => vi.restoreAllMocks());
afterAll(removeTempDirs);

describe('help and version', () => {
  it('lists the commands in `stele --help`', async () => {
    const cwd = await createTempDir();
    const r = await run(['--help'], cwd);
    expect(r.code).toBe(0);
    for (const name of ['build', 'dev', 'serve', 'init', 'new']) expect(r.printed).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('answers --help and --version on every command with exit 0 and does nothing else', async () => {
    const cwd = await createTempDir();
    const top = await run(['--help'], cwd);
    const commands = [...top.printed.matchAll(/^ {2}\$ stele (\S+) --help$/gm)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThanOrEqual(6);
    expect(commands).toEqual(expect.arrayContaining(['build', 'dev', 'serve', 'init', 'new']));
    for (const command of commands) {
      const help = await run([command, '--help'], cwd);
      expect(help.code, `${command} --help`).toBe(0);
      expect(help.printed, `${command} --help`).toContain(`$ stele ${command}`);
      expect(help.stderr, `${command} --help`).toBe('');
      // Every option is listed once (a command must not repeat a global option such as --quiet).
      const options = help.printed.split('\n').map((l) => /^\s+(--[a-z-]+|-[a-z], --[a-z-]+)/.exec(l)?.[1]).filter(Boolean);
      expect(options.filter((o) => o!.endsWith('--quiet')), `${command} --help`).toHaveLength(1);
      expect(new Set(options).size, `${command} --help: ${options.join(' ')}`).toBe(options.length);
      const version = await run([command, '--version'], cwd);
      expect(version.code, `${command} --version`).toBe(0);
      expect(version.printed, `${command} --version`).toContain(`stele/${STELE_VERSION}`);
      expect(version.stderr, `${command} --version`).toBe('');
    }
    const top2 = await run(['--version'], cwd);
    expect(top2.code).toBe(0);
    expect(top2.printed).toContain(`stele/${STELE_VERSION}`);
    // Neither help nor version ran a command: nothing was created.
    expect(await readdir(cwd)).toEqual([]);
  });
});

describe('init, build and new', () => {
  it('builds the starter site first time, then adds posts in both languages', async () => {
    const cwd = await createTempDir();
    const init = await run(['init', 'my-site'], cwd);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`created ${join(cwd, 'my-site')}`);
    expect(existsSync(join(cwd, 'my-site/stele.config.ts'))).toBe(true);

    // A second init does not overwrite anything.
    const again = await run(['init', 'my-site'], cwd);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has a stele.config.ts');

    // The starter requires a signing key: without one nothing is written, and the error says what to do.
    expect(await readFile(join(cwd, 'my-site/stele.config.ts'), 'utf8')).toContain('required: true');
    const keyless = await run(['build', 'my-site'], cwd);
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toContain('STELE1301');
    expect(keyless.stderr).toContain('stele keygen --dir keys');
    expect(keyless.stderr).toContain('--no-seal');
    expect(existsSync(join(cwd, 'my-site/dist'))).toBe(false);

    // An unsigned preview only with --no-seal, and every page says so.
    const build = await run(['build', 'my-site', '--no-seal'], cwd);
    expect(build.stderr).not.toMatch(/\berror\b/);
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(/^built \d+ pages, \d+ files, .* → .*my-site\/dist; NOT sealed\n$/);
    const home = await readFile(join(cwd, 'my-site/dist/index.html'), 'utf8');
    expect(home).toContain('<title>My organisation</title>');
    expect(home).toContain('This copy is NOT signed');
    expect(home).not.toContain('how to check this copy');
    expect(await readFile(join(cwd, 'my-site/dist/zh-hans/posts/welcome/index.html'), 'utf8')).toContain('此副本没有签名');
    expect(await readFile(join(cwd, 'my-site/dist/verify/index.html'), 'utf8')).not.toContain('minisign -Vm');

    const date = FIXED_NOW.toISOString().slice(0, 10);
    const en = await run(['new', 'post', 'Rally for Zhu Yufu', '--dir', 'my-site'], cwd);
    expect(en.code).toBe(0);
    const enFile = join(cwd, `my-site/content/posts/${date}-rally-for-zhu-yufu.en.md`);
    expect(en.stdout).toBe(`${enFile}\n`);
    expect(await readFile(enFile, 'utf8')).toBe(`---\ntitle: "Rally for Zhu Yufu"\ndate: ${date}\ntags: []\ndraft: true\n---\n\nWrite here.\n`);

    const zh = await run(['new', 'post', 'Rally for Zhu Yufu', '--lang', 'zh', '--dir', 'my-site'], cwd);
    expect(zh.code).toBe(0);
    expect(existsSync(join(cwd, `my-site/content/posts/${date}-rally-for-zhu-yufu.zh.md`))).toBe(true);

    // Refuses to overwrite.
    const dup = await run(['new', 'post', 'Rally for Zhu Yufu', '--dir', 'my-site'], cwd);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');

    // The new files are valid: the site still builds, and the drafts appear only with --drafts.
    const rebuilt = await run(['build', 'my-site', '--no-seal'], cwd);
    expect(rebuilt.code).toBe(0);
    expect(existsSync(join(cwd, 'my-site/dist/posts/rally-for-zhu-yufu/index.html'))).toBe(false);
    const drafts = await run(['build', 'my-site', '--drafts'], cwd);
    expect(drafts.code).toBe(0);
    expect(existsSync(join(cwd, 'my-site/dist/posts/rally-for-zhu-yufu/index.html'))).toBe(true);
    expect(existsSync(join(cwd, 'my-site/dist/zh-hans/posts/rally-for-zhu-yufu/index.html'))).toBe(true);
  }, 30_000);

  it('never replaces a sealed site with an unsigned one', async () => {
    const cwd = await createTempDir();
    expect((await run(['init', 'my-site'], cwd)).code).toBe(0);
    const pass = 'correct horse battery staple';
    const made = await createKeyFiles({ dir: join(cwd, 'my-site/keys'), passphrase: pass, limits: { opslimit: 1 << 16, memlimit: 1 << 22 } });
    expect(made.ok).toBe(true);
    const saved = process.env.STELE_PASSPHRASE;
    process.env.STELE_PASSPHRASE = pass;
    try {
      const sealed = await run(['build', 'my-site'], cwd);
      expect(sealed.code, sealed.stderr).toBe(0);
      expect(sealed.stdout).toMatch(/; sealed version \d+ with key [0-9A-F]{16}, verified\n$/);
      const manifest = join(cwd, 'my-site/dist/.well-known/stele/manifest.json');
      const before = await readFile(manifest, 'utf8');
      const home = await readFile(join(cwd, 'my-site/dist/index.html'), 'utf8');
      expect(home).toContain('how to check this copy');
      expect(home).not.toContain('NOT signed');

      // `stele demo` (npm start) explains why the verified count differs from the built count.
      const demo = await run(['demo', 'my-site', '--no-serve'], cwd);
      expect(demo.code, demo.stderr).toBe(0);
      const built = Number(/built \d+ pages, (\d+) files/.exec(demo.stdout)?.[1]);
      const m = /: genuine \((\d+) files match the signed manifest; the other (\d+) of the (\d+) built are the signature itself \((.*?)\) and the release log, signed by its checkpoint \(\d+ files under \.well-known\/stele\/log\/\)\)/.exec(demo.stdout);
      expect(m, demo.stdout).not.toBeNull();
      expect(Number(m![1]) + Number(m![2])).toBe(built);
      expect(Number(m![3])).toBe(built);
      expect(m![4]).toContain('.well-known/stele/manifest.json.minisig');
      const before2 = await readFile(manifest, 'utf8');
      const home2 = await readFile(join(cwd, 'my-site/dist/index.html'), 'utf8');

      // The key is gone: the build fails and the sealed site stays.
      await rm(join(cwd, 'my-site/keys/stele.key'));
      const keyless = await run(['build', 'my-site'], cwd);
      expect(keyless.code).toBe(1);
      expect(keyless.stderr).toContain('STELE1301');
      // --no-seal and --drafts refuse to replace it too.
      for (const flag of ['--no-seal', '--drafts']) {
        const unsigned = await run(['build', 'my-site', flag], cwd);
        expect(unsigned.code, flag).toBe(1);
        expect(unsigned.stderr, flag).toContain('STELE1303');
        expect(unsigned.stderr, flag).toContain('dist/ holds a sealed site');
      }
      expect(before).not.toBe(before2);
      expect(await readFile(manifest, 'utf8')).toBe(before2);
      expect(await readFile(join(cwd, 'my-site/dist/index.html'), 'utf8')).toBe(home2);
      expect(home2).toBe(home);
    } finally {
      if (saved === undefined) delete process.env.STELE_PASSPHRASE;
      else process.env.STELE_PASSPHRASE = saved;
    }
  }, 60_000);

  it('starts every kind in every language with front matter that builds once the draft flag is removed', async () => {
    const cwd = await createTempDir();
    expect((await run(['init', 'site'], cwd)).code).toBe(0);
    const made: string[] = [];
    for (const kind of ['post', 'page', 'campaign', 'person', 'event']) {
      for (const [lang, title] of [['en', `English ${kind}`], ['zh', `中文${kind}`]] as const) {
        const r = await run(['new', kind, title, '--lang', lang, '--dir', 'site', ...(lang === 'zh' ? ['--slug', `zh-${kind}`] : [])], cwd);
        expect(r.code, r.stderr).toBe(0);
        made.push(r.stdout.trim());
      }
    }
    for (const file of made) await writeFile(file, (await readFile(file, 'utf8')).replace('draft: true\n', ''));
    const build = await run(['build', 'site', '--no-seal'], cwd);
    expect(build.stderr).not.toMatch(/\berror\b/);
    expect(build.code).toBe(0);
    expect(existsSync(join(cwd, 'site/dist/zh-hans/events/zh-event/index.html'))).toBe(true);
    expect(existsSync(join(cwd, 'site/dist/people/english-person/index.html'))).toBe(true);
  }, 60_000);

  it('creates a translation with the original\'s name, date and key, on another day', async () => {
    const cwd = await createTempDir();
    expect((await run(['init', 'site'], cwd)).code).toBe(0);
    const en = await run(['new', 'post', 'Rally for Zhu Yufu', '--dir', 'site'], cwd);
    const original = en.stdout.trim();
    expect(original).toMatch(/2026-03-01-rally-for-zhu-yufu\.en\.md$/);
    await writeFile(original, (await readFile(original, 'utf8')).replace('draft: true\n', 'translationKey: rally-zhu\n'));
    const nextDay = new Date('2026-03-02T09:00:00Z');
    const zh = await run(['new', '--translation-of', 'site/content/posts/2026-03-01-rally-for-zhu-yufu.en.md', '--lang', 'zh', '为朱虞夫集会', '--dir', 'site'], cwd, nextDay);
    expect(zh.code, zh.stderr).toBe(0);
    expect(zh.stdout.trim()).toBe(join(cwd, 'site/content/posts/2026-03-01-rally-for-zhu-yufu.zh.md'));
    expect(await readFile(zh.stdout.trim(), 'utf8')).toBe('---\ntitle: "为朱虞夫集会"\ntranslationKey: rally-zhu\ndraft: true\n---\n\nWrite here.\n');
    // With the kind, and a path relative to the project; the title defaults to the original's.
    const hant = await run(['new', 'post', '--translation-of', 'content/posts/2026-03-01-rally-for-zhu-yufu.en.md', '--lang', 'zh-Hant', '--dir', 'site'], cwd, nextDay);
    expect(hant.code, hant.stderr).toBe(0);
    expect(await readFile(hant.stdout.trim(), 'utf8')).toContain('title: "Rally for Zhu Yufu"');
    await rm(hant.stdout.trim());
    // The pair builds as one page in two languages.
    const drafts = await run(['build', 'site', '--drafts'], cwd);
    expect(drafts.stderr).not.toMatch(/\berror\b/);
    expect(drafts.code).toBe(0);
    expect(await readFile(join(cwd, 'site/dist/zh-hans/posts/rally-for-zhu-yufu/index.html'), 'utf8')).toContain('为朱虞夫集会');

    const same = await run(['new', '--translation-of', original, '--lang', 'en', '--dir', 'site'], cwd);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('already the en version');
    const wrongKind = await run(['new', 'event', '--translation-of', original, '--lang', 'zh-Hant', '--dir', 'site'], cwd);
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toContain('is a post, not an event');
    const missing = await run(['new', '--translation-of', 'site/content/posts/nope.en.md', '--lang', 'zh', '--dir', 'site'], cwd);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
    const again = await run(['new', '--translation-of', original, '--lang', 'zh', '--dir', 'site'], cwd);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  }, 60_000);

  it('makes Chinese titles into pinyin file names', async () => {
    const cwd = await createTempDir();
    expect((await run(['init', 'site'], cwd)).code).toBe(0);
    const r = await run(['new', 'page', '言论自由', '--lang', 'zh', '--dir', 'site'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(join(cwd, 'site/content/pages/yan-lun-zi-you.zh.md'));
  });
});

describe('usage errors', () => {
  it('exits 2 for an unknown command', async () => {
    const cwd = await createTempDir();
    const r = await run(['frobnicate'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: unknown command "frobnicate"; run `stele --help`\n');
  });

  it('exits 2 for a missing argument, an unknown kind or language', async () => {
    const cwd = await createTempDir();
    const missing = await run(['init'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing required args');
    expect((await run(['init', 'site'], cwd)).code).toBe(0);
    const kind = await run(['new', 'poem', 'X', '--dir', 'site'], cwd);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain('unknown kind "poem"');
    const lang = await run(['new', 'post', 'X', '--lang', 'fr', '--dir', 'site'], cwd);
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain('unknown language "fr"');
  });

  it('exits 2 (could not run) for a missing site folder or outside a project', async () => {
    const cwd = await createTempDir();
    for (const command of ['build', 'check']) {
      const r = await run([command, 'no-such-site'], cwd);
      expect(r.code, command).toBe(2);
      expect(r.stderr, command).toContain('STELE1000');
    }
    const r = await run(['new', 'post', 'X'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('STELE1000');
    expect(await readdir(cwd)).toEqual([]);
  });
});
