/**
 * Property: whatever front matter (and body) an author writes, `buildProject`
 * never throws. It either builds, or returns error diagnostics that all name a
 * file (and, when they give a position in the post, one inside it).
 * Runs on an in-memory file system with a JSON config, so each build is fast.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildProject } from '../../src/build/build-project.js';
import { hasErrors } from '../../src/errors/diagnostic.js';
import type { Host } from '../../src/io/host.js';
import { createMemoryFileSystem } from '../../src/io/memory-fs.js';
import { FIXED_NOW } from '../helpers/temp-site.js';

const ROOT = '/site';
const POST = 'content/posts/2012-02-14-rally.en.md';
const CONFIG = JSON.stringify({ siteId: 'prop', title: { en: 'Prop', 'zh-Hans': '属性' }, baseUrl: 'https://prop.example/', languages: ['en', 'zh-Hans'] });

const KNOWN_KEYS = ['title', 'date', 'updated', 'tags', 'summary', 'draft', 'slug', 'translationKey', 'cover'];

/** Strings authors (and attackers) write: any code point, markup, YAML specials, very long. */
const weirdString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '2012-02-30',
    '2012-02-14',
    '2012-02-14T10:00:00+08:00',
    '../../etc/passwd',
    'rally\u202Egpj',
    '</title><script>alert(1)</script>',
    '{{ title }}',
    '---',
    ': colon',
    '言论自由',
    '\u0000\u0007\u001b',
    'https://example.org/x.png',
    './missing.png',
    '\uD800',
  ),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

/** Values: scalars, lists and nested objects of weird strings. */
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    weirdString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_KEYS, 'src', 'alt', 'blur', 'x'), weirdString), tie('value'), { maxKeys: 4 }),
  ),
}));

const frontMatterObject = fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_KEYS), weirdString), value, { maxKeys: 8 });

/** Front-matter text: well-formed YAML of random data, or random lines that may not be YAML at all. */
const frontMatterText = fc.oneof(
  frontMatterObject.map((o) => stringify(o)),
  frontMatterObject.map((o) => stringify({ title: 'Rally', date: '2012-02-14', ...o })),
  fc.array(weirdString, { maxLength: 6 }).map((lines) => `${lines.join('\n')}\n`),
  fc.tuple(fc.constantFrom(...KNOWN_KEYS), weirdString).map(([k, v]) => `title: Rally\ndate: 2012-02-14\n${k}: ${v}\n`),
);

const body = fc.oneof(fc.constant('Text.\n'), weirdString.map((s) => `${s}\n`), fc.constant('![A](./a.png) [b](./b.en.md)\n'));

function createHost(source: string): Host {
  return {
    fs: createMemoryFileSystem({ [`${ROOT}/stele.config.json`]: CONFIG, [`${ROOT}/${POST}`]: source }),
    now: () => FIXED_NOW,
    log: { info() {}, warn() {}, error() {} },
  };
}

describe('random front matter', () => {
  it('never makes buildProject throw: it builds or names the file at fault', async () => {
    await fc.assert(
      fc.asyncProperty(frontMatterText, body, fc.boolean(), async (yamlText, markdown, closed) => {
        const source = closed ? `---\n${yamlText}---\n\n${markdown}` : `---\n${yamlText}${markdown}`;
        const result = await buildProject({ root: ROOT, host: createHost(source), mode: 'production', write: false, noSeal: true });
        expect(result.ok).toBe(!hasErrors(result.diagnostics));
        if (result.ok) {
          expect(result.output!.size).toBeGreaterThan(0);
          return;
        }
        const lineCount = source.split('\n').length;
        for (const d of result.diagnostics.filter((x) => x.severity === 'error')) {
          // The post itself, or (for the output checks' echo of a broken link) the built page.
          expect(d.file === POST || d.file?.startsWith('dist/'), JSON.stringify(d)).toBe(true);
          expect(d.message.length).toBeGreaterThan(0);
          if (d.file === POST && d.line !== undefined) {
            expect(Number.isInteger(d.line) && d.line >= 1 && d.line <= lineCount, JSON.stringify(d)).toBe(true);
          }
          if (d.column !== undefined) expect(Number.isInteger(d.column) && d.column >= 1, JSON.stringify(d)).toBe(true);
        }
      }),
      { numRuns: 150, seed: Number(process.env.FC_SEED ?? 20120214) },
    );
  }, 60_000);

  it('still builds a valid post (the property is not vacuous)', async () => {
    const result = await buildProject({
      root: ROOT,
      host: createHost('---\ntitle: Rally\ndate: 2012-02-14\n---\n\nText.\n'),
      mode: 'production',
      write: false,
      noSeal: true,
    });
    expect(result.ok).toBe(true);
    expect(result.output!.has('posts/rally/index.html')).toBe(true);
  });
});
