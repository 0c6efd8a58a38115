import { describe, expect, it } from 'vitest';
import { createCollectionRegistry } from '../../src/content/collection-registry.js';
import { advocacyCollectionFields, type EventFields, validateAdvocacyEntry } from '../../src/content/collections/index.js';
import { parseFrontMatter } from '../../src/content/front-matter.js';
import {
  checkRoster,
  collectWithheldNames,
  formatChineseSurnameForm,
  formatLatinInitials,
  type RosterEntry,
  resolveRosterName,
  rosterEntrySchema,
  scanForWithheldNames,
} from '../../src/content/consent.js';
import { readExample, SEED_ROSTER_EN, SEED_ROSTER_ZH } from './helpers.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const consent = { recordedBy: 'CFCR secretariat', date: '2012-02-14' };
const zhu = (over: Partial<RosterEntry> = {}): RosterEntry => ({
  id: 'm01',
  names: { en: 'Zhu Yufu', 'zh-Hans': '朱虞夫' },
  publish: 'full',
  consent,
  ...over,
});

describe('resolveRosterName', () => {
  it('publishes full names in each script (Traditional generated)', () => {
    expect(resolveRosterName(zhu(), 'en', NOW)).toBe('Zhu Yufu');
    expect(resolveRosterName(zhu(), 'zh-Hans', NOW)).toBe('朱虞夫');
    expect(resolveRosterName(zhu({ names: { en: 'Deng Huanhuan', 'zh-Hans': '邓欢欢' } }), 'zh-Hant', NOW)).toBe('鄧歡歡');
    // surname 朴 stays 朴 in Traditional (prose conversion would give 樸)
    expect(resolveRosterName(zhu({ names: { en: 'Piao Hulin', 'zh-Hans': '朴虎林' } }), 'zh-Hant', NOW)).toBe('朴虎林');
    // a hand-written Traditional form wins
    expect(resolveRosterName(zhu({ names: { 'zh-Hans': '朱虞夫', 'zh-Hant': '硃虞夫' } }), 'zh-Hant', NOW)).toBe('硃虞夫');
  });

  it('initials: Latin initials in English, surname + 某 in Chinese', () => {
    const e = zhu({ publish: 'initials' });
    expect(resolveRosterName(e, 'en', NOW)).toBe('Z. Y.');
    expect(resolveRosterName(e, 'zh-Hans', NOW)).toBe('朱某');
    expect(resolveRosterName(zhu({ publish: 'initials', names: { 'zh-Hans': '欧阳修' } }), 'zh-Hant', NOW)).toBe('歐陽某');
    // no Latin form: initials derived from pinyin
    expect(resolveRosterName(zhu({ publish: 'initials', names: { 'zh-Hans': '欧阳修' } }), 'en', NOW)).toBe('O. X.');
    expect(formatLatinInitials('Jean-Paul Sartre')).toBe('J.-P. S.');
    expect(formatChineseSurnameForm('朱虞夫')).toBe('朱某');
  });

  it('pseudonym uses the localized pseudonym', () => {
    const e = zhu({ publish: 'pseudonym', pseudonym: { en: 'A poet', 'zh-Hans': '一位诗人' } });
    expect(resolveRosterName(e, 'en', NOW)).toBe('A poet');
    expect(resolveRosterName(e, 'zh-Hant', NOW)).toBe('一位詩人');
  });

  it('withheld, no consent, and withdrawn on or before the build date ⇒ null', () => {
    expect(resolveRosterName(zhu({ publish: 'withheld' }), 'en', NOW)).toBeNull();
    expect(resolveRosterName(zhu({ consent: undefined }), 'en', NOW)).toBeNull();
    expect(resolveRosterName(zhu({ withdrawn: '2026-11-25' }), 'en', NOW)).toBeNull();
    expect(resolveRosterName(zhu({ withdrawn: '2020-01-01' }), 'zh-Hans', NOW)).toBeNull();
    // withdrawal dated after this build: still published in this build
    expect(resolveRosterName(zhu({ withdrawn: '2026-11-26' }), 'en', NOW)).toBe('Zhu Yufu');
  });
});

describe('collectWithheldNames', () => {
  const entries: RosterEntry[] = [
    zhu({ id: 'm01', publish: 'withheld' }),
    zhu({ id: 'm02', names: { en: 'Jin Fengnu', 'zh-Hans': '金凤女' }, publish: 'initials' }),
    zhu({ id: 'm03', names: { en: 'Deng Huanhuan', 'zh-Hans': '邓欢欢' }, publish: 'full' }),
    zhu({ id: 'm04', names: { en: 'Cui Yonglu', 'zh-Hans': '崔永绿' }, publish: 'full', withdrawn: '2025-01-01' }),
    zhu({ id: 'm05', names: { en: 'Ming Jian', 'zh-Hans': '明键' }, publish: 'full', consent: undefined }),
    zhu({ id: 'm06', names: { en: 'Piao Meihua', 'zh-Hans': '朴美花' }, publish: 'withheld' }),
  ];
  const names = collectWithheldNames(entries, { now: NOW });
  const set = new Set(names.map((n) => n.name));

  it('expands English, reversed, joined and hyphenated forms', () => {
    for (const n of ['Zhu Yufu', 'Yufu Zhu', 'ZhuYufu', 'YufuZhu', 'Zhu-Yufu', 'Yufu-Zhu']) expect(set).toContain(n);
  });

  it('includes Simplified, Traditional and spaced Chinese', () => {
    for (const n of ['朱虞夫', '朱 虞 夫', '金凤女', '金鳳女', '崔永绿', '崔永綠', '明键', '明鍵', '朴美花', '樸美花']) expect(set).toContain(n);
  });

  it('includes pinyin with and without tones and spaces, and ü spellings', () => {
    for (const n of ['Zhū Yúfū', 'Zhu Yu Fu', 'Zhū Yú Fū', 'Jin Fengnü', 'Jin Fengnv', 'Jin Fengnu', 'Jīn Fèngnǚ', 'Cui Yonglü', 'Cui Yonglv']) {
      expect(set).toContain(n);
    }
  });

  it('never collects published full names, and labels never contain the name', () => {
    expect([...set].some((n) => n.includes('邓') || n.includes('Deng') || n.includes('鄧'))).toBe(false);
    for (const n of names) {
      expect(n.label).toMatch(/^roster m0\d: /);
      expect(n.label).not.toContain(n.name);
    }
  });

  it('scanForWithheldNames finds leaks case-insensitively', () => {
    const hits = scanForWithheldNames('<p>Thanks to zhu yufu and 鄧歡歡 and 金鳳女.</p>', names);
    expect(hits.map((h) => h.label)).toEqual(expect.arrayContaining(['roster m01: English name', 'roster m02: Chinese name']));
    expect(hits.some((h) => h.label.startsWith('roster m03'))).toBe(false);
  });
});

describe('checkRoster', () => {
  it('reports missing consent as an error, plus pseudonym, duplicates, dates', () => {
    const ds = checkRoster(
      [
        zhu({ consent: undefined }),
        zhu({ publish: 'pseudonym' }),
        zhu({ id: 'm02', withdrawn: '2000-01-01' }),
        zhu({ id: 'm03', names: { 'zh-Hans': '明键' } }),
      ],
      { file: 'events/x.en.md' },
    );
    expect(ds.map((d) => [d.code, d.severity])).toEqual([
      ['STELE6400', 'error'],
      ['STELE6402', 'error'],
      ['STELE6401', 'error'],
      ['STELE6403', 'warning'],
      ['STELE6500', 'warning'],
    ]);
    expect(ds[0]!.file).toBe('events/x.en.md');
    expect(ds[4]!.hint).toContain('Ming Jian');
  });

  it('needs no consent to withhold a name, and says what to do otherwise', () => {
    expect(checkRoster([zhu({ consent: undefined, publish: 'withheld' })])).toEqual([]);
    const [d] = checkRoster([zhu({ consent: undefined, publish: 'initials' })]);
    expect(d!.message).toBe('Roster entry "m01" asks for `publish: initials` but has no `consent` record; a name is shown only with recorded consent.');
    expect(d!.hint).toContain('or set `publish: withheld`');
    expect(`${d!.message} ${d!.hint}`).not.toContain('Until then');
  });

  it('locates each problem at the entry at fault', async () => {
    const text = [
      '---',
      'title: Vigil',
      'kind: vigil',
      'start: "2012-02-14"',
      'place: { name: { en: Square } }',
      'roster:',
      '  - id: m01',
      '    names: { en: Shi Aiqin }',
      '    publish: withheld',
      '  - id: m02',
      '    names: { en: Li Hai }',
      '    publish: full',
      '    consent: { recordedBy: CFCR, date: 2012-02-10 }',
      '  - id: m03',
      '    names: { en: Wang Lihong }',
      '    publish: full',
      '  - id: m02',
      '    names: { en: Zhang Lin }',
      '    publish: pseudonym',
      '    consent: { recordedBy: CFCR, date: 2012-02-10 }',
      '---',
      '',
    ].join('\n');
    const fm = parseFrontMatter(text, 'content/events/vigil.en.md');
    const events = createCollectionRegistry(advocacyCollectionFields).get('events')!.schema;
    const ds = validateAdvocacyEntry({ collection: 'events', data: events.parse(fm.data) }, fm.locate);
    expect(ds.map((d) => `${d.line}:${d.column} ${d.code}`).sort()).toEqual(['16:14 STELE6400', '17:9 STELE6402', '19:14 STELE6401']);
  });

  it('schema refuses ids that look like names and unknown publish modes', () => {
    expect(rosterEntrySchema.safeParse({ ...zhu(), id: 'Zhu Yufu' }).success).toBe(false);
    expect(rosterEntrySchema.safeParse({ ...zhu(), publish: 'partial' }).success).toBe(false);
  });
});

describe('the CFCR rally roster', () => {
  const events = createCollectionRegistry(advocacyCollectionFields).get('events')!.schema;
  const parsed = events.parse(readExample('events/rally-2012-02-14.en.md').data) as EventFields;
  const rally = { ...parsed, roster: parsed.roster ?? [] };

  it('has exactly the 33 members of the statement, in order, in both scripts', () => {
    expect(rally.roster).toHaveLength(33);
    expect(rally.roster.map((r) => r.names.en)).toEqual(SEED_ROSTER_EN);
    expect(rally.roster.map((r) => r.names['zh-Hans'])).toEqual(SEED_ROSTER_ZH);
    expect(rally.roster.every((r) => r.consent?.recordedBy === 'CFCR secretariat')).toBe(true);
  });

  it('shows one member by initials and withholds one; everyone else in full', () => {
    const modes = rally.roster.map((r) => r.publish);
    expect(modes.filter((m) => m === 'initials')).toHaveLength(1);
    expect(modes.filter((m) => m === 'withheld')).toHaveLength(1);
    expect(modes.filter((m) => m === 'full')).toHaveLength(31);
    const en = rally.roster.map((r) => resolveRosterName(r, 'en', NOW)).filter((n) => n !== null);
    expect(en).toHaveLength(32);
    expect(en).toContain('S. A.');
    const zh = rally.roster.map((r) => resolveRosterName(r, 'zh-Hans', NOW));
    expect(zh).toContain('石某');
  });

  it('the secret full names appear nowhere in the example bodies', () => {
    const secret = collectWithheldNames(rally.roster, { now: NOW });
    expect(secret.length).toBeGreaterThan(20);
    const bodies = ['events/rally-2012-02-14.en.md', 'events/rally-2012-02-14.zh.md', 'posts/2012-02-14-rally-for-zhu-yufu.en.md', 'posts/2012-02-14-rally-for-zhu-yufu.zh.md']
      .map((f) => readExample(f).body)
      .join('\n');
    expect(scanForWithheldNames(bodies, secret)).toEqual([]);
  });
});
