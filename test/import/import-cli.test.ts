/**
 * `stele import` end to end through the CLI: each fixture export (Blogger
 * classic, Google Takeout, WordPress WXR 1.1 and 1.2) becomes a site that
 * `stele build` builds, with every published post and page, tags, languages,
 * comments as an archive, redirects from the old URLs and no personal data of
 * commenters anywhere (output or site folder). Re-runs are idempotent and keep
 * edited files; malformed exports fail with a diagnostic and write nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { createTempDir, createTestHost, removeTempDirs } from '../helpers/temp-site.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/import');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd,
    host: createTestHost(),
    isTTY: false,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

/** Every file under `dir` (recursively), as relative paths. */
async function listAll(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(join(e.parentPath, e.name).slice(dir.length + 1));
  return out.sort();
}

/** All bytes of a folder as one string (to search for data that must not be there). */
async function readAll(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const f of await listAll(dir)) parts.push(f, (await readFile(join(dir, f))).toString('latin1'), (await readFile(join(dir, f))).toString('utf8'));
  return parts.join('\n');
}

/** Personal data in the fixtures that must never be written: commenter e-mails and IPs, post GPS, the password. */
const FORBIDDEN = [
  'wang.li@example.net',
  'chen.mei@example.com',
  'spam@spam.example',
  'pending@example.org',
  '203.0.113.7',
  '198.51.100.9',
  '192.0.2.44',
  '30.274084',
  '120.155070',
  'Hangzhou',
  '39.9042',
  '116.4074',
  '北京市',
  'hunter2',
  'Names of sources',
  'Secret.',
];

afterAll(removeTempDirs);

describe('stele import + stele build', () => {
  it('imports a Blogger classic export: posts, pages, drafts, labels, languages, comments, redirects', async () => {
    const cwd = await createTempDir();
    const imported = await run(['import', join(FIXTURES, 'blogger-classic.xml'), '--out', 'site'], cwd);
    expect(imported.stderr).not.toMatch(/\berror\b/);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('imported blogger export');
    expect(imported.stdout).toContain('posts 5, pages 1 (drafts 1)');
    expect(imported.stdout).toContain('comments 2');
    // The template is reported, not dropped silently; the remote images are listed.
    expect(imported.stderr).toMatch(/blogger-classic\.xml:2:1 warning STELE7101: the Blogger template was not imported: stele has its own theme\.\n {2}hint: /);
    expect(imported.stderr).toContain('https://1.bp.blogspot.com/-abc/T0/AAA/xyz/s1600/rally.jpg');
    const site = join(cwd, 'site');
    expect(await listAll(join(site, 'content'))).toEqual([
      'pages/contact.en.md',
      'posts/2012-02-14-rally-for-zhu-yufu.en.md',
      'posts/2012-02-14-rally-for-zhu-yufu.zh.md',
      'posts/2012-03-01-blog-post.en.md',
      'posts/2013-01-05-rally-for-zhu-yufu-2.en.md',
      'posts/2013-02-01-unfinished-report.en.md',
    ]);
    const post = await readFile(join(site, 'content/posts/2012-02-14-rally-for-zhu-yufu.en.md'), 'utf8');
    expect(post).toContain('tags:\n  - rallies\n  - "free expression"\n');
    expect(post).toContain('summary: "Hundreds gathered on Saturday. Read the 中文版."');
    expect(post).toContain('[e-mail address removed]');
    expect(post).not.toContain('<script>alert');
    expect(post).toContain('H<sub>2</sub>O');

    const built = await run(['build', 'site', '--no-seal'], cwd);
    expect(built.stderr).not.toMatch(/\berror\b/);
    expect(built.code).toBe(0);
    // Images left on the old host are flagged where they are linked, by build and by check --site.
    const flagged = /posts\/rally-for-zhu-yufu\/index\.html:\d+:\d+ warning STELE7403: This page links the image https:\/\/1\.bp\.blogspot\.com\/-abc\/T0\/AAA\/xyz\/s1600\/rally\.jpg,/;
    expect(built.stderr).toMatch(flagged);
    const checked = await run(['check', 'site', '--site', 'site/dist'], cwd);
    expect(checked.code).toBe(0);
    expect(checked.stderr).toMatch(flagged);
    const dist = join(site, 'dist');
    const page = await readFile(join(dist, 'posts/rally-for-zhu-yufu/index.html'), 'utf8');
    expect(page).toContain('<h2 id="comments-archive">Comments (archive)</h2>');
    expect(page).toContain('Second line &lt;script&gt;');
    expect(page).toContain('href="https://1.bp.blogspot.com/-abc/T0/AAA/xyz/s1600/rally.jpg"');
    expect(page).not.toMatch(/<img[^>]+blogspot/);
    expect(existsSync(join(dist, 'zh-hans/posts/rally-for-zhu-yufu/index.html'))).toBe(true);
    expect(existsSync(join(dist, 'posts/rally-for-zhu-yufu-2/index.html'))).toBe(true);
    expect(existsSync(join(dist, 'posts/unfinished-report/index.html'))).toBe(false);
    expect(existsSync(join(dist, 'tags/free-expression/index.html'))).toBe(true);
    // Old permalinks: static, relative, no script.
    const redirect = await readFile(join(dist, '2012/02/rally-for-zhu-yufu.html'), 'utf8');
    expect(redirect).toContain('<meta http-equiv="refresh" content="0; url=../../posts/rally-for-zhu-yufu/index.html">');
    expect(redirect).toContain('<a href="../../posts/rally-for-zhu-yufu/index.html">');
    expect(redirect).not.toContain('<script');
    expect(await readFile(join(dist, '2012/02/blog-post.html'), 'utf8')).toContain('url=../../zh-hans/posts/rally-for-zhu-yufu/index.html');
    expect(await readFile(join(dist, 'p/contact.html'), 'utf8')).toContain('url=../contact/index.html');
    expect(await readFile(join(dist, '_redirects'), 'utf8')).toContain('/2012/02/rally-for-zhu-yufu.html /posts/rally-for-zhu-yufu/ 301');

    const everything = await readAll(site);
    for (const secret of FORBIDDEN) expect(everything.includes(secret), secret).toBe(false);
  }, 60_000);

  it('imports a Google Takeout feed.atom: statuses, Chinese-only posts, no location', async () => {
    const cwd = await createTempDir();
    const imported = await run(['import', 'takeout', join(FIXTURES, 'takeout-feed.atom'), '--out', 'site'], cwd);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('posts 3, pages 1 (drafts 1)');
    expect(imported.stderr).toContain('it was deleted on Blogger');
    expect(imported.stderr).toContain('it is in the Blogger trash');
    const site = join(cwd, 'site');
    const zh = await readFile(join(site, 'content/posts/2019-06-04-blog-post.zh.md'), 'utf8');
    expect(zh).toContain('  - "审查"\n  - "言论自由"');
    expect(zh).toContain('author: "读者小李"');
    expect(zh).toContain('summary: "我们记录了今年的网络审查案例。"');
    expect(existsSync(join(site, 'content/posts/2019-06-10-annual-report-on-online-censorship.en.md'))).toBe(true);
    expect(existsSync(join(site, 'content/pages/about.zh.md'))).toBe(true);
    const built = await run(['build', 'site', '--no-seal'], cwd);
    expect(built.stderr).not.toMatch(/\berror\b/);
    expect(built.code).toBe(0);
    const dist = join(site, 'dist');
    expect(await readFile(join(dist, 'zh-hans/posts/blog-post/index.html'), 'utf8')).toContain('谢谢你们的记录。');
    expect(existsSync(join(dist, 'zh-hant/posts/blog-post/index.html'))).toBe(true);
    expect(await readFile(join(dist, '2019/06/blog-post.html'), 'utf8')).toContain('url=../../zh-hans/posts/blog-post/index.html');
    expect(await readFile(join(dist, 'p/about.html'), 'utf8')).toContain('url=../zh-hans/about/index.html');
    const everything = await readAll(site);
    for (const secret of FORBIDDEN) expect(everything.includes(secret), secret).toBe(false);
    expect(everything).not.toContain('cheap pills');
  }, 60_000);

  for (const version of ['1.1', '1.2']) {
    it(`imports WordPress WXR ${version}: statuses, categories with parents, Polylang pairs, captions, media, comments`, async () => {
      const cwd = await createTempDir();
      const imported = await run(['import', join(FIXTURES, `wordpress-wxr-${version}.xml`), '--out', 'site', '--media', join(FIXTURES, 'media')], cwd);
      expect(imported.stderr).not.toMatch(/\berror\b/);
      expect(imported.code).toBe(0);
      expect(imported.stdout).toContain('posts 4, pages 2 (drafts 2)');
      expect(imported.stdout).toContain('comments 1');
      expect(imported.stdout).toContain('media 1');
      // Each skipped item points at its record: line and column of the start tag.
      expect(imported.stderr).toMatch(new RegExp(`wordpress-wxr-${version.replace('.', '\\.')}\\.xml:\\d+:3 warning STELE7101: comment \\d+ on post "Lawyer detained in Beijing" was not imported: it is spam\\.`));
      for (const reason of [
        'it is in the WordPress trash',
        'it is private in WordPress',
        'it is password-protected',
        'it is spam',
        'it is a pingback',
        'it was never approved',
        'WordPress item type "nav_menu_item"',
      ])
        expect(imported.stderr).toContain(reason);
      const site = join(cwd, 'site');
      expect(await listAll(join(site, 'content'))).toEqual([
        'media/court.jpg',
        'pages/about.en.md',
        'pages/team.en.md',
        'posts/2012-02-14-lawyer-detained.en.md',
        'posts/2012-02-14-lawyer-detained.zh.md',
        'posts/2013-05-01-draft-next-steps.en.md',
        'posts/2013-05-02-pending-review.en.md',
      ]);
      const en = await readFile(join(site, 'content/posts/2012-02-14-lawyer-detained.en.md'), 'utf8');
      expect(en).toContain('tags:\n  - "Asia"\n  - "China"\n  - detention\n');
      expect(en).toContain('<table>');
      expect(en).not.toContain('wp:paragraph');
      expect(en).toContain('![The court building](../media/court.jpg)');
      const zh = await readFile(join(site, 'content/posts/2012-02-14-lawyer-detained.zh.md'), 'utf8');
      expect(zh).toContain('![法院](../media/court.jpg)\n\n*法院大楼*');

      const built = await run(['build', 'site', '--no-seal'], cwd);
      expect(built.stderr).not.toMatch(/\berror\b/);
      expect(built.code).toBe(0);
      const dist = join(site, 'dist');
      const page = await readFile(join(dist, 'posts/lawyer-detained/index.html'), 'utf8');
      expect(page).toMatch(/<picture>[\s\S]*court[\s\S]*<\/picture>/);
      expect(page).toContain('Chen Mei');
      expect(page).not.toContain('<iframe');
      expect(await readFile(join(dist, 'zh-hans/posts/lawyer-detained/index.html'), 'utf8')).toContain('法院大楼');
      expect(existsSync(join(dist, 'about/index.html'))).toBe(true);
      expect(await readFile(join(dist, 'about/team/index.html'), 'utf8')).toContain('url=../../team/index.html');
      expect(await readFile(join(dist, '2012/02/lawyer-detained/index.html'), 'utf8')).toContain('url=../../../posts/lawyer-detained/index.html');
      const redirects = await readFile(join(dist, '_redirects'), 'utf8');
      expect(redirects).toContain('/ p=123 /posts/lawyer-detained/ 301');
      expect(redirects).toContain('/ p=124 /zh-hans/posts/lawyer-detained/ 301');
      expect(redirects).not.toMatch(/^\/about\/ /m);
      const everything = await readAll(site);
      for (const secret of FORBIDDEN) expect(everything.includes(secret), secret).toBe(false);
    }, 60_000);
  }

  it('drops comments with --no-comments and prints a JSON report with --json', async () => {
    const cwd = await createTempDir();
    const r = await run(['import', join(FIXTURES, 'blogger-classic.xml'), '--out', 'site', '--no-comments', '--json'], cwd);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { ok: boolean; report: { comments: number; commentsDropped: number; posts: number; skipped: { reason: string }[] } };
    expect(json.ok).toBe(true);
    expect(json.report).toMatchObject({ comments: 0, commentsDropped: 2, posts: 5 });
    expect(json.report.skipped.map((s) => s.reason)).toContain('stele has its own theme');
    expect(await readFile(join(cwd, 'site/content/posts/2012-02-14-rally-for-zhu-yufu.en.md'), 'utf8')).not.toContain('comments:');
    // The addresses are excluded all the same.
    const state = JSON.parse(await readFile(join(cwd, 'site/.stele/import.json'), 'utf8')) as { excludedEmails: string[] };
    expect(state.excludedEmails).toHaveLength(1);
  }, 30_000);

  it('re-runs idempotently, keeps files edited since, and adds to an existing site', async () => {
    const cwd = await createTempDir();
    expect((await run(['import', join(FIXTURES, 'wordpress-wxr-1.2.xml'), '--out', 'site'], cwd)).code).toBe(0);
    const site = join(cwd, 'site');
    const before = await readAll(site);
    const again = await run(['import', join(FIXTURES, 'wordpress-wxr-1.2.xml'), '--out', 'site'], cwd);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('files written 0,');
    expect(await readAll(site)).toBe(before);

    const edited = join(site, 'content/posts/2012-02-14-lawyer-detained.en.md');
    const mine = `${await readFile(edited, 'utf8')}\nAn update written after the move.\n`;
    await writeFile(edited, mine);
    const third = await run(['import', join(FIXTURES, 'wordpress-wxr-1.2.xml'), '--out', 'site', '--json'], cwd);
    expect(third.code).toBe(0);
    const report = JSON.parse(third.stdout) as { report: { conflicts: string[] }; diagnostics: { code: string }[] };
    expect(report.report.conflicts).toEqual(['content/posts/2012-02-14-lawyer-detained.en.md']);
    expect(report.diagnostics.map((d) => d.code)).toContain('STELE7100');
    expect(await readFile(edited, 'utf8')).toBe(mine);

    // A second export into the same (now existing) site adds its content next to the first.
    const more = await run(['import', join(FIXTURES, 'blogger-classic.xml'), '--out', 'site'], cwd);
    expect(more.code).toBe(0);
    expect(more.stdout).not.toContain('(new site)');
    expect(existsSync(join(site, 'content/posts/2012-02-14-rally-for-zhu-yufu.en.md'))).toBe(true);
    const redirects = JSON.parse(await readFile(join(site, 'redirects.json'), 'utf8')) as { redirects: { from: string }[] };
    expect(redirects.redirects.map((r) => r.from)).toEqual(expect.arrayContaining(['/?p=123', '/2012/02/rally-for-zhu-yufu.html']));
    const built = await run(['build', 'site', '--no-seal'], cwd);
    expect(built.stderr).not.toMatch(/\berror\b/);
    expect(built.code).toBe(0);
  }, 90_000);

  it('fails the build when an excluded commenter address reaches the output, without printing it', async () => {
    const cwd = await createTempDir();
    expect((await run(['import', join(FIXTURES, 'wordpress-wxr-1.2.xml'), '--out', 'site'], cwd)).code).toBe(0);
    const about = join(cwd, 'site/content/pages/about.en.md');
    await writeFile(about, `${await readFile(about, 'utf8')}\nWrite to Chen.Mei&#64;example.com or chen.mei@EXAMPLE.com.\n`);
    const built = await run(['build', 'site', '--no-seal'], cwd);
    expect(built.code).toBe(1);
    expect(built.stderr).toContain('STELE7400');
    expect(built.stderr).not.toMatch(/chen\.mei/i);
    expect(existsSync(join(cwd, 'site/dist/about/index.html'))).toBe(false);
    const check = await run(['check', 'site'], cwd);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('STELE7400');
  }, 60_000);
});

describe('malformed exports', () => {
  const cases: [string, string, RegExp][] = [
    ['malformed-empty.xml', 'STELE7000', /malformed-empty\.xml error/],
    ['malformed-truncated.xml', 'STELE7002', /malformed-truncated\.xml:44:\d+ error STELE7002: The export is not well-formed XML: unclosed tag/],
    ['malformed-not-xml.xml', 'STELE7001', /malformed-not-xml\.xml:1:1 error/],
    ['malformed-entity-bomb.xml', 'STELE7003', /malformed-entity-bomb\.xml:\d+:\d+ error/],
    ['malformed-external-entity.xml', 'STELE7003', /malformed-external-entity\.xml:2:\d+ error/],
  ];
  for (const [file, code, where] of cases) {
    it(`${file}: ${code}, exit 1, nothing written`, async () => {
      const cwd = await createTempDir();
      const r = await run(['import', join(FIXTURES, file), '--out', 'site'], cwd);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(code);
      expect(r.stderr).toMatch(where);
      expect(r.stderr).toContain('nothing was written');
      expect(r.stderr).not.toContain('root:');
      expect(await readdir(cwd)).toEqual([]);
    });
  }

  it('reports every problem of a hand-damaged export in one run, each with line, column and how to fix it', async () => {
    const cwd = await createTempDir();
    const file = join(FIXTURES, 'malformed-several.xml');
    const r = await run(['import', file, '--out', 'site'], cwd);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n');
    const entity = lines.findIndex((l) => l.startsWith(`${file}:8:27 error STELE7002: The export is not well-formed XML: undefined entity.`));
    expect(entity, r.stderr).toBeGreaterThanOrEqual(0);
    expect(lines[entity + 1]).toContain('write &#160; for &nbsp;');
    const tag = lines.findIndex((l) => l.startsWith(`${file}:20:9 error STELE7002: The export is not well-formed XML: unexpected close tag (<item> is the element open here).`));
    expect(tag, r.stderr).toBeGreaterThan(entity);
    expect(lines[tag + 1]).toContain('A closing tag does not match');
    // What follows the broken tree only repeats it, so it is not listed.
    expect(r.stderr).toContain('2 errors, 0 warnings');
    expect(r.stderr).toContain('nothing was written');
    expect(await readdir(cwd)).toEqual([]);
    const json = await run(['import', file, '--out', 'site', '--json'], cwd);
    const report = JSON.parse(json.stdout) as { ok: boolean; diagnostics: { line: number; column: number; hint: string }[] };
    expect(report.ok).toBe(false);
    expect(report.diagnostics.map((d) => [d.line, d.column, Boolean(d.hint)])).toEqual([
      [8, 27, true],
      [20, 9, true],
    ]);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('refuses a file of another format than the one named, and a missing file', async () => {
    const cwd = await createTempDir();
    const wrong = await run(['import', 'blogger', join(FIXTURES, 'wordpress-wxr-1.2.xml'), '--out', 'site'], cwd);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('STELE7005');
    const unknown = await run(['import', 'tumblr', join(FIXTURES, 'wordpress-wxr-1.2.xml'), '--out', 'site'], cwd);
    expect(unknown.code).toBe(2);
    const noOut = await run(['import', join(FIXTURES, 'wordpress-wxr-1.2.xml')], cwd);
    expect(noOut.code).toBe(2);
    const missing = await run(['import', 'nope.xml', '--out', 'site'], cwd);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('STELE7007');
    expect(await readdir(cwd)).toEqual([]);
  });

  it('completes an import killed while moving its files into an existing site on the next run', async () => {
    const bin = join(import.meta.dirname, '../../bin/stele.js');
    const reference = await createTempDir();
    expect((await run(['import', join(FIXTURES, 'wordpress-wxr-1.2.xml'), '--out', 'site'], reference)).code).toBe(0);
    expect((await run(['import', join(FIXTURES, 'blogger-classic.xml'), '--out', 'site'], reference)).code).toBe(0);

    const cwd = await createTempDir();
    expect((await run(['import', join(FIXTURES, 'wordpress-wxr-1.2.xml'), '--out', 'site'], cwd)).code).toBe(0);
    const killed = spawnSync(process.execPath, [bin, 'import', join(FIXTURES, 'blogger-classic.xml'), '--out', 'site'], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, STELE_TEST_KILL_AT: 'import-switch' },
      timeout: 120_000,
    });
    expect(killed.signal).toBe('SIGKILL');
    // Cut short after the first move: the journal and the temporary folder say what is left to do.
    expect(existsSync(join(cwd, 'site/.stele/import-pending.json'))).toBe(true);
    expect((await readdir(cwd)).filter((n) => n.startsWith('.site.import-'))).toHaveLength(1);
    expect(existsSync(join(cwd, 'site/content/posts/2012-02-14-rally-for-zhu-yufu.zh.md'))).toBe(false);

    const again = await run(['import', join(FIXTURES, 'blogger-classic.xml'), '--out', 'site'], cwd);
    expect(again.code).toBe(0);
    expect(existsSync(join(cwd, 'site/.stele/import-pending.json'))).toBe(false);
    expect(await readdir(cwd)).toEqual(['site']);
    expect(await readAll(join(cwd, 'site'))).toBe(await readAll(join(reference, 'site')));
  }, 120_000);

  it('leaves an existing site untouched when the export is malformed', async () => {
    const cwd = await createTempDir();
    expect((await run(['import', join(FIXTURES, 'blogger-classic.xml'), '--out', 'site'], cwd)).code).toBe(0);
    const before = await readAll(join(cwd, 'site'));
    const r = await run(['import', join(FIXTURES, 'malformed-truncated.xml'), '--out', 'site'], cwd);
    expect(r.code).toBe(1);
    expect(await readAll(join(cwd, 'site'))).toBe(before);
    expect(await readdir(cwd)).toEqual(['site']);
  }, 30_000);
});
