/**
 * Issue 12 item 2: build and check output must never print a withheld name.
 * Every diagnostic that can point near a roster entry or a withheld hit is
 * produced here through the real CLI, in every output format (terminal,
 * `--json`, `stele check`, `stele check --site`, `stele dev`), and the whole
 * of stdout + stderr is searched for every spelling of the protected names.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWithheldNameMatcher, findWithheldNames } from '../../src/check/withheld-names.js';
import { runCli } from '../../src/cli/index.js';
import { collectWithheldNames } from '../../src/content/consent.js';
import { createConfigSource, createTempSite, createTestHost, removeTempDirs, writeFiles } from '../helpers/temp-site.js';
import { stopChildProcess } from '../helpers/child-process.js';

afterAll(removeTempDirs);

const PEOPLE = [
  { en: 'Shi Aiqin', 'zh-Hans': '石爱钦' },
  { en: 'Guo Yuhan', 'zh-Hans': '郭宇涵' },
  { en: 'Wang Lifen', 'zh-Hans': '王丽芬' },
];
const SPELLINGS = collectWithheldNames(
  PEOPLE.map((names, i) => ({ id: `p${i}`, names, publish: 'withheld' as const })),
  { now: new Date(0) },
);
const MATCHER = createWithheldNameMatcher(SPELLINGS);

/** Assert no spelling of any protected name is in `text` (and that the check itself works). */
function expectNoNames(text: string): void {
  const hits = findWithheldNames(MATCHER, text);
  expect(hits.map((h) => text.slice(Math.max(0, h.start - 30), h.last + 30)), 'a protected name was printed').toEqual([]);
  for (const literal of ['Shi Aiqin', 'Aiqin Shi', 'ShiAiqin', 'shi-aiqin', '石爱钦', '石愛欽', 'Guo Yuhan', '郭宇涵', 'Wang Lifen', '王丽芬']) {
    expect(text.toLowerCase()).not.toContain(literal.toLowerCase());
  }
}

it('the name search used by these tests finds every spelling', () => {
  for (const t of ['met Shi Aiqin', 'AIQIN SHI', 'shi-aiqin.jpg', '石 爱 钦', '石愛欽', 'Shí Àiqīn', 'Guo&nbsp;Yuhan']) {
    expect(findWithheldNames(MATCHER, t).length, t).toBeGreaterThan(0);
  }
});

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(argv, {
    host: createTestHost(),
    isTTY: false,
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      out += t;
    },
  });
  return { code, out };
}

const EVENT = (roster: string) => `---
title: Rally
kind: rally
start: 2012-02-14
place: { name: { en: Square } }
roster:
${roster}---

Report.
`;

const ENTRY_OK = `  - id: m01
    names: { en: Shi Aiqin, zh-Hans: 石爱钦 }
    publish: withheld
    consent: { recordedBy: CFCR secretariat, date: 2012-02-14 }
  - id: m03
    names:
      en: Wang Lifen
      zh-Hans: 王丽芬
    publish: initials
    consent: { recordedBy: CFCR secretariat, date: 2012-02-14 }
`;

/** Every command and format over one project. */
async function runEverything(root: string, expectCodes: string[]): Promise<string> {
  let all = '';
  for (const argv of [
    ['build', root, '--no-seal'],
    ['build', root, '--no-seal', '--json'],
    ['check', root],
    ['check', root, '--json'],
  ]) {
    const r = await run(argv);
    expect(r.code, argv.join(' ')).toBe(1);
    for (const code of expectCodes) expect(r.out, `${argv.join(' ')} reports ${code}`).toContain(code);
    expectNoNames(r.out);
    all += r.out;
  }
  return all;
}

describe('diagnostics near roster entries and withheld hits', () => {
  it('a typo in a withheld person’s roster entry (line with both spellings)', async () => {
    const root = await createTempSite({
      'content/events/rally.en.md': EVENT(`${ENTRY_OK}  - id: m02
    names: { en: Guo Yuhan, zh-Hnas: 郭宇涵 }
    publish: initials
    consent: { recordedBy: CFCR secretariat, date: 2012-02-14 }
`),
    });
    const out = await runEverything(root, ['STELE1103']);
    expect(out).toContain('content/events/rally.en.md:18');
  });

  it('a misspelt publish mode, an unknown key and a missing consent in roster entries', async () => {
    const root = await createTempSite({
      'content/events/rally.en.md': EVENT(`  - id: m01
    names: { en: Shi Aiqin, zh-Hans: 石爱钦 }
    publsh: withheld
  - id: m02
    nmes: { en: Guo Yuhan }
    publish: withheld
    consent: { recordedBy: CFCR secretariat, date: 2012-02-14 }
  - id: m03
    names: { en: Wang Lifen, zh-Hans: 王丽芬 }
    publish: Wang Lifen
`),
    });
    await runEverything(root, ['STELE1103']);
  });

  it('a YAML syntax error inside a roster', async () => {
    const root = await createTempSite({
      'content/events/rally.en.md': EVENT(`  - id: m01
    names: { en: Shi Aiqin, zh-Hans: 石爱钦
    publish: withheld
`),
    });
    await runEverything(root, ['STELE1100']);
  });

  it('a withheld name leaking into pages (every spelling), and other problems on those lines', async () => {
    const root = await createTempSite({
      'content/events/rally.en.md': EVENT(ENTRY_OK),
      'content/posts/2012-02-15-after.en.md':
        '---\ntitle: After\ndate: 2012-02-15\n---\n\nWe met Shi Aiqin at the rally, and 石愛欽 too.\n\nAlso <b>Wang</b> Lifen.\n',
      'content/posts/2012-02-16-link.en.md': '---\ntitle: Link\ndate: 2012-02-16\n---\n\nSee [Aiqin Shi](./missing.en.md) and ![photo of shi-aiqin](./shi-aiqin.jpg).\n',
    });
    const r = await run(['build', root, '--no-seal']);
    expect(r.out).toContain('STELE1211');
    expectNoNames(r.out);
    // Without the broken references the build reaches the output scan.
    await writeFiles(root, { 'content/posts/2012-02-16-link.en.md': '---\ntitle: Link\ndate: 2012-02-16\n---\n\nNothing here.\n' });
    const out = await runEverything(root, ['STELE4']);
    expect(out).toMatch(/dist\/posts\/after\/index\.html:\d+:\d+ error/);
  });

  it('check.forbiddenTerms never printed either', async () => {
    const root = await createTempSite(
      { 'content/posts/2012-02-15-after.en.md': '---\ntitle: After\ndate: 2012-02-15\n---\n\nThe codename Wang Lifen appears, [broken](./nope.en.md).\n' },
      createConfigSource("\n  check: { forbiddenTerms: ['Wang Lifen'] },"),
    );
    await runEverything(root, ['STELE1211']);
  });

  it('`stele check --site` on a copy whose paths and pages hold names', async () => {
    const root = await createTempSite({ 'content/events/rally.en.md': EVENT(ENTRY_OK) });
    const page = '<!doctype html><html lang="en"><head><title>x</title></head><body><p>Shi Aiqin</p><a href="../missing/index.html">Aiqin Shi</a><img src="a.png"></body></html>\n';
    await writeFiles(root, { 'copy/index.html': page, 'copy/shi-aiqin/index.html': page });
    for (const argv of [
      ['check', root, '--site', join(root, 'copy')],
      ['check', root, '--site', join(root, 'copy'), '--json'],
    ]) {
      const r = await run(argv);
      expect(r.code).toBe(1);
      expect(r.out).toContain('STELE4101');
      expectNoNames(r.out);
    }
  });
});

describe('stele dev', () => {
  let child: ChildProcess | undefined;
  afterAll(() => stopChildProcess(child));

  it('prints the first build’s problems without names', async () => {
    const root = await createTempSite({
      'content/events/rally.en.md': EVENT(`${ENTRY_OK}  - id: m02
    names: { en: Guo Yuhan, zh-Hnas: 郭宇涵 }
    publish: initials
    consent: { recordedBy: CFCR secretariat, date: 2012-02-14 }
`),
      'content/posts/2012-02-15-after.en.md': '---\ntitle: After\ndate: 2012-02-15\n---\n\nWe met Shi Aiqin. [x](./nope.en.md)\n',
    });
    child = spawn(process.execPath, [join(import.meta.dirname, '../../bin/stele.js'), 'dev', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = await new Promise<string>((resolve, reject) => {
      let text = '';
      const onData = (b: Buffer) => {
        text += b;
        if (/dev server at http/.test(text)) resolve(text);
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', (code) => reject(new Error(`dev exited ${code}: ${text}`)));
    });
    expect(out).toContain('STELE1103');
    expect(out).toContain('STELE1211');
    expectNoNames(out);
  }, 60_000);
});
