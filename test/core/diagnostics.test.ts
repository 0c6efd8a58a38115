/**
 * Bad input becomes diagnostics with a code, file, line, column, message and
 * hint: one temp project per kind of problem, built with `buildProject`, plus
 * a project with problems in several files that must all come back in one run
 * and print as `file:line:col` with a code frame through `runCli`.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildProject } from '../../src/build/build-project.js';
import { runCli } from '../../src/cli/index.js';
import type { Diagnostic } from '../../src/errors/diagnostic.js';
import { createConfigSource, createTempDir, createTempSite, createTestHost, removeTempDirs, writeFiles } from '../helpers/temp-site.js';

/** A valid English post with the given front matter lines and body. */
const post = (frontMatter: string, body = 'Text.\n') => `---\n${frontMatter}\n---\n\n${body}`;
const GOOD_POST = post('title: Fine\ndate: 2012-02-14');
/** A 1×1 PNG. */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC', 'base64');

interface Case {
  name: string;
  files: Record<string, string | Uint8Array>;
  /** Config source; default: `createConfigSource()`. `null` writes no config at all. */
  config?: string | null;
  expected: Partial<Diagnostic> & { code: string };
  /**
   * Other errors the same mistake currently also produces (reported to the lead):
   * a later stage echoing the problem without a line.
   */
  echoes?: string[];
  /** Fragments of the message and hint. */
  message?: string;
  hint?: string;
}

const CASES: Case[] = [
  {
    name: 'unknown front-matter key, with a suggestion',
    files: { 'content/posts/2012-02-14-rally.en.md': post('title: Rally\ndate: 2012-02-14\ntagz: [news]') },
    expected: { code: 'STELE1103', file: 'content/posts/2012-02-14-rally.en.md', line: 4, column: 1 },
    message: 'Unknown front-matter key `tagz` for posts',
    hint: 'Did you mean `tags`?',
  },
  {
    name: 'wrong type',
    files: { 'content/posts/2012-02-14-rally.en.md': post('title: Rally\ndate: 2012-02-14\ndraft: "yes"') },
    expected: { code: 'STELE1104', file: 'content/posts/2012-02-14-rally.en.md', line: 4, column: 8 },
    message: 'Front-matter `draft`: Invalid input: expected boolean',
    hint: 'Fix the value of `draft`',
  },
  {
    name: 'impossible date 2012-02-30',
    files: { 'content/posts/2012-02-14-rally.en.md': post('title: Rally\ndate: 2012-02-30') },
    expected: { code: 'STELE1106', file: 'content/posts/2012-02-14-rally.en.md', line: 3, column: 7 },
    message: '`date` is not a valid date: "2012-02-30"',
    hint: 'Write dates as YYYY-MM-DD',
  },
  {
    name: 'missing title',
    files: { 'content/posts/2012-02-14-rally.en.md': post('date: 2012-02-14\ntags: [a]') },
    expected: { code: 'STELE1105', file: 'content/posts/2012-02-14-rally.en.md', line: 2, column: 1 },
    message: 'Required front-matter key `title` is missing',
    hint: 'Add a line `title: …`',
  },
  {
    name: 'unclosed front matter',
    files: { 'content/posts/2012-02-14-rally.en.md': '---\ntitle: Rally\ndate: 2012-02-14\n\nBody without a closing line.\n' },
    expected: { code: 'STELE1101', file: 'content/posts/2012-02-14-rally.en.md', line: 1, column: 1 },
    message: 'never closed',
    hint: 'only `---`',
  },
  {
    name: 'invalid YAML (an unquoted colon in a value)',
    files: { 'content/posts/2012-02-14-rally.en.md': post('title: Rally: for Zhu Yufu\ndate: 2012-02-14') },
    expected: { code: 'STELE1100', file: 'content/posts/2012-02-14-rally.en.md', line: 2, column: 8 },
    message: 'Front matter is not valid YAML: Nested mappings are not allowed in compact mappings',
    hint: 'quote values',
  },
  {
    name: 'YAML key given twice',
    files: { 'content/posts/2012-02-14-rally.en.md': post('title: Rally\ndate: 2012-02-14\ntitle: Again') },
    expected: { code: 'STELE1100', file: 'content/posts/2012-02-14-rally.en.md', line: 4, column: 1 },
    message: 'Map keys must be unique',
  },
  {
    name: 'front matter that is a list, not a mapping',
    files: { 'content/posts/2012-02-14-rally.en.md': post('- title\n- date') },
    expected: { code: 'STELE1102', file: 'content/posts/2012-02-14-rally.en.md', line: 2, column: 1 },
    message: 'set of `key: value` pairs',
  },
  {
    name: 'duplicate slug',
    files: {
      'content/posts/2012-02-14-rally.en.md': GOOD_POST,
      'content/posts/2013-06-01-rally.en.md': post('title: Another rally\ndate: 2013-06-01'),
    },
    expected: { code: 'STELE1202', file: 'content/posts/2013-06-01-rally.en.md', line: 1, column: 1 },
    message: 'posts/rally/ (en); the other is content/posts/2012-02-14-rally.en.md',
    hint: 'different `slug:`',
  },
  {
    name: 'translation whose translationKey names no original',
    files: { 'content/posts/2012-02-14-rally.zh.md': post('title: 集会\ndate: 2012-02-14\ntranslationKey: 2012-02-14-ralyl') },
    expected: { code: 'STELE1203', file: 'content/posts/2012-02-14-rally.zh.md', line: 4, column: 17 },
    message: 'This zh-Hans file says it is a translation of `2012-02-14-ralyl` (`translationKey:`), but there is no en file by that name',
    hint: 'remove it to publish this page in its own language only',
  },
  {
    name: 'file name without a language',
    files: { 'content/posts/2012-02-14-rally.md': GOOD_POST },
    expected: { code: 'STELE1200', file: 'content/posts/2012-02-14-rally.md', line: undefined, column: undefined },
    message: 'Cannot tell the language of "2012-02-14-rally.md"',
    hint: 'rally-2012.en.md',
  },
  {
    name: 'language not in the config',
    config: createConfigSource().replace("languages: ['en', 'zh-Hans'],", "languages: ['en'],"),
    files: { 'content/posts/2012-02-14-rally.en.md': GOOD_POST, 'content/posts/2012-02-14-rally.zh.md': post('title: 集会') },
    expected: { code: 'STELE1205', file: 'content/posts/2012-02-14-rally.zh.md', line: undefined, column: undefined },
    message: 'The file is in zh-Hans',
    hint: 'Add the language to `languages`',
  },
  {
    name: 'unsafe slug with ../ in front matter',
    files: { 'content/posts/2012-02-14-rally.en.md': post('title: Rally\ndate: 2012-02-14\nslug: ../../etc/passwd') },
    expected: { code: 'STELE1201', file: 'content/posts/2012-02-14-rally.en.md', line: 4, column: 7 },
    message: '"../../etc/passwd" cannot be used as a URL: it contains a path separator',
  },
  {
    name: 'unsafe file name with ..',
    files: { 'content/posts/a..b.en.md': GOOD_POST },
    expected: { code: 'STELE1201', file: 'content/posts/a..b.en.md' },
    message: '"a..b" cannot be used as a URL: it contains `..`',
  },
  {
    name: 'file name with a bidi override (U+202E)',
    files: { 'content/posts/2012-02-14-rally\u202Egpj.en.md': GOOD_POST },
    expected: { code: 'STELE1201', file: 'content/posts/2012-02-14-rally\u202Egpj.en.md' },
    message: 'control or bidirectional-override characters',
    hint: 'lowercase ASCII letters, digits and hyphens',
  },
  {
    name: 'file name of 100 characters',
    files: { [`content/posts/${'a'.repeat(100)}.en.md`]: GOOD_POST },
    expected: { code: 'STELE1201', file: `content/posts/${'a'.repeat(100)}.en.md` },
    message: 'it is 100 characters long (at most 80)',
  },
  {
    name: 'reserved page slug',
    files: { 'content/pages/verify.en.md': post('title: Verify') },
    expected: { code: 'STELE1207', file: 'content/pages/verify.en.md', line: 1, column: 1 },
    message: 'The page slug `verify` is reserved',
  },
  {
    name: 'two files for one language through translationKey',
    files: {
      'content/posts/2012-02-14-rally.en.md': GOOD_POST,
      'content/posts/2012-02-15-rally-report.en.md': post('title: Report\ndate: 2012-02-15\ntranslationKey: 2012-02-14-rally'),
    },
    expected: { code: 'STELE1204', file: 'content/posts/2012-02-15-rally-report.en.md', line: 1, column: 1 },
    message: '`2012-02-14-rally` has two en versions; the other is content/posts/2012-02-14-rally.en.md',
    hint: 'translationKey',
  },
  {
    name: 'file that is not UTF-8',
    files: { 'content/posts/2012-02-14-rally.en.md': new Uint8Array([...new TextEncoder().encode('---\ntitle: R'), 0xe9, 0x73, 0x75, 0x6d, 0xe9, 0x0a, 0x2d, 0x2d, 0x2d, 0x0a]) },
    expected: { code: 'STELE1210', file: 'content/posts/2012-02-14-rally.en.md', line: 1, column: 1 },
    message: 'not valid UTF-8',
    hint: 'Save the file as UTF-8',
  },
  {
    name: 'content outside a collection folder',
    files: { 'content/notes/idea.en.md': GOOD_POST },
    expected: { code: 'STELE1206', file: 'content/notes/idea.en.md' },
    message: 'Content folder `notes` is not a collection (known: posts, pages, campaigns, people, events)',
  },
  {
    name: 'image from another site',
    files: { 'content/posts/2012-02-14-rally.en.md': post('title: Rally\ndate: 2012-02-14', 'Intro.\n\n![A crowd](https://tracker.example/crowd.jpg)\n') },
    expected: { code: 'STELE1212', file: 'content/posts/2012-02-14-rally.en.md', line: 8, column: undefined },
    message: '"https://tracker.example/crowd.jpg" would be loaded from another site',
    hint: 'Download the image',
  },
  {
    name: 'image without alt text',
    files: { 'content/posts/2012-02-14-rally.en.md': post('title: Rally\ndate: 2012-02-14', '![](./crowd.png)\n'), 'content/posts/crowd.png': TINY_PNG },
    expected: { code: 'STELE1213', file: 'content/posts/2012-02-14-rally.en.md', line: 6, column: undefined },
    message: 'Image "./crowd.png" has no alt text',
    hint: 'Describe the image',
  },
  {
    name: 'missing image',
    files: { 'content/posts/2012-02-14-rally.en.md': post('title: Rally\ndate: 2012-02-14', 'Intro.\n\nMore.\n\n![A crowd](./missing.jpg)\n') },
    expected: { code: 'STELE1208', file: 'content/posts/2012-02-14-rally.en.md', line: 10, column: undefined },
    // The assets stage reports the same missing file again, without a line.
    message: 'Image "./missing.jpg" does not exist',
    hint: 'relative to the Markdown file',
  },
  {
    name: 'broken link to a Markdown file',
    files: { 'content/posts/2012-02-14-rally.en.md': post('title: Rally\ndate: 2012-02-14', 'See [the report](../events/nowhere.en.md#roster).\n') },
    expected: { code: 'STELE1211', file: 'content/posts/2012-02-14-rally.en.md', line: 6, column: undefined },
    // The unresolved href stays in the page, so the output link check reports it again.
    message: 'Link target "../events/nowhere.en.md#roster" is not a content file',
    hint: 'relative path',
  },
  {
    name: 'unknown key in stele.config.ts',
    config: createConfigSource("\n  homePost: 5,"),
    files: { 'content/posts/2012-02-14-rally.en.md': GOOD_POST },
    expected: { code: 'STELE1002', file: 'stele.config.ts', line: 8, column: 3 },
    message: 'Config homePost: unknown key(s) homePost',
  },
  {
    name: 'unknown nested key in stele.config.ts',
    config: createConfigSource("\n  seal: {\n    required: false,\n    expiresInDay: 10,\n  },"),
    files: { 'content/posts/2012-02-14-rally.en.md': GOOD_POST },
    expected: { code: 'STELE1002', file: 'stele.config.ts', line: 10, column: 5 },
    message: 'Config seal.expiresInDay: unknown key(s) expiresInDay',
  },
  {
    name: 'config error under a commented-out key of the same name',
    config: createConfigSource("\n  // baseUrl: 'https://example.org/',\n  /* homePosts: 3, */\n  homePosts: 'ten', // homePosts: 4"),
    files: { 'content/posts/2012-02-14-rally.en.md': GOOD_POST },
    expected: { code: 'STELE1002', file: 'stele.config.ts', line: 10, column: 3 },
    message: 'Config homePosts: Invalid input: expected number',
  },
  {
    name: 'wrong type in stele.config.ts',
    config: createConfigSource("\n  homePosts: 'ten',"),
    files: { 'content/posts/2012-02-14-rally.en.md': GOOD_POST },
    expected: { code: 'STELE1002', file: 'stele.config.ts', line: 8, column: 3 },
    message: 'Config homePosts: Invalid input: expected number',
  },
  {
    name: 'syntax error in stele.config.ts',
    config: "import { defineConfig } from 'stele';\n\nexport default defineConfig({\n  siteId: 'x',\n  title: 'X'\n  languages: ['en'],\n});\n",
    files: { 'content/posts/2012-02-14-rally.en.md': GOOD_POST },
    expected: { code: 'STELE1001', file: 'stele.config.ts', line: 6, column: 3 },
    message: 'Expected "}" but found "languages"',
    hint: 'export default defineConfig',
  },
  {
    name: 'no config file',
    config: null,
    files: { 'content/posts/2012-02-14-rally.en.md': GOOD_POST },
    expected: { code: 'STELE1000', file: undefined, line: undefined, column: undefined },
    message: 'No stele.config.ts (or .mjs, .js, .json) found in',
    hint: 'stele init',
  },
];

const results = new Map<string, BuildResult>();

beforeAll(async () => {
  await Promise.all(
    CASES.map(async (c) => {
      let root: string;
      if (c.config === null) {
        root = await createTempDir();
        await writeFiles(root, c.files);
      } else root = await createTempSite(c.files, c.config);
      results.set(c.name, await buildProject({ root, host: createTestHost(), mode: 'production', write: false, noSeal: true }));
    }),
  );
}, 30_000);
afterAll(removeTempDirs);

describe('one diagnostic per kind of bad input', () => {
  it('covers at least 20 kinds', () => {
    expect(new Set(CASES.map((c) => c.expected.code)).size).toBeGreaterThanOrEqual(20);
  });

  for (const c of CASES) {
    it(c.name, () => {
      const r = results.get(c.name)!;
      expect(r.ok).toBe(false);
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      // Exactly one error: the problem is reported once, not echoed by later stages.
      expect(errors.map((d) => d.code).sort()).toEqual([c.expected.code, ...(c.echoes ?? [])].sort());
      const d = errors.find((e) => e.code === c.expected.code && (!('line' in c.expected) || e.line === c.expected.line)) ?? errors[0]!;
      expect({ code: d.code, file: d.file, line: d.line, column: d.column }).toEqual({
        code: c.expected.code,
        file: 'file' in c.expected ? c.expected.file : d.file,
        line: 'line' in c.expected ? c.expected.line : d.line,
        column: 'column' in c.expected ? c.expected.column : d.column,
      });
      if (c.message) expect(d.message).toContain(c.message);
      if (c.hint) expect(d.hint).toContain(c.hint);
    });
  }
});

describe('every problem in one run', () => {
  const files = {
    'content/posts/2012-02-14-rally.en.md': post('title: Rally\ndate: 2012-02-14\ntagz: [news]'),
    'content/posts/2012-02-15-trial.en.md': post('title: Trial\ndate: 2012-02-30'),
    'content/posts/2012-02-16-verdict.md': GOOD_POST,
    'content/pages/about.en.md': post('title: About: us'),
    'content/pages/contact.en.md': GOOD_POST,
  };

  it('reports problems from several files together, sorted by file and line', async () => {
    const root = await createTempSite(files);
    const r = await buildProject({ root, host: createTestHost(), mode: 'production', write: false, noSeal: true });
    expect(r.ok).toBe(false);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.file}:${d.line ?? '-'}:${d.column ?? '-'} ${d.code}`)).toEqual([
      'content/pages/about.en.md:2:8 STELE1100',
      'content/posts/2012-02-14-rally.en.md:4:1 STELE1103',
      'content/posts/2012-02-15-trial.en.md:3:7 STELE1106',
      'content/posts/2012-02-16-verdict.md:-:- STELE1200',
    ]);
  });

  it('reports render problems from several files together', async () => {
    const root = await createTempSite({
      'content/posts/2012-02-14-rally.en.md': post('title: Rally\ndate: 2012-02-14', 'See [x](./nowhere.en.md).\n'),
      'content/pages/about.en.md': post('title: About', 'Intro.\n\n![Logo](https://cdn.example/logo.png)\n'),
    });
    const r = await buildProject({ root, host: createTestHost(), mode: 'production', write: false, noSeal: true });
    expect(r.diagnostics.filter((d) => d.code.startsWith('STELE12') && d.severity === 'error').map((d) => `${d.file}:${d.line} ${d.code}`)).toEqual([
      'content/pages/about.en.md:7 STELE1212',
      'content/posts/2012-02-14-rally.en.md:6 STELE1211',
    ]);
  });

  it('prints file:line:col, a code frame with a caret and a summary through `stele build`, exit code 1', async () => {
    const root = await createTempSite(files);
    await mkdir(`${root}/dist`);
    await writeFile(`${root}/dist/keep.txt`, 'previous');
    let stdout = '';
    let stderr = '';
    const code = await runCli(['build', root], {
      host: createTestHost(),
      cwd: root,
      isTTY: false,
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('content/posts/2012-02-14-rally.en.md:4:1 error STELE1103: Unknown front-matter key `tagz` for posts.');
    expect(stderr).toContain('hint: Did you mean `tags`?');
    // Code frame: the offending line marked with `>` and a caret under column 8.
    expect(stderr).toContain(
      [
        'content/pages/about.en.md:2:8 error STELE1100: Front matter is not valid YAML: Nested mappings are not allowed in compact mappings',
        '  1 | ---',
        '> 2 | title: About: us',
        '    |        ^',
        '  3 | ---',
        '  hint: Front matter sits between two `---` lines',
      ].join('\n'),
    );
    expect(stderr).toContain('> 3 | date: 2012-02-30\n    |       ^');
    expect(stderr).toContain('content/posts/2012-02-16-verdict.md error STELE1200');
    // Four content errors and the missing signing key.
    expect(stderr).toContain('STELE1301');
    expect(stderr).toContain('5 errors, 1 warning');
    expect(stderr).toContain('nothing was written');
    expect(await readdir(`${root}/dist`)).toEqual(['keep.txt']);
  });
});
