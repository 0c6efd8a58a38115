import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createCollectionRegistry } from '../../src/content/collection-registry.js';
import {
  advocacyCollectionFields,
  type CampaignFields,
  checkAdvocacyReferences,
  checkCampaign,
  checkEvent,
  checkPerson,
  type EventFields,
  type PersonFields,
  personFieldsSchema,
} from '../../src/content/collections/index.js';
import { listExample, readExample } from './helpers.js';

const registry = createCollectionRegistry(advocacyCollectionFields);

function validate(collection: 'people' | 'campaigns' | 'events' | 'posts' | 'pages', file: string) {
  const def = registry.get(collection)!;
  const { data } = readExample(file);
  const schema = file.endsWith('.en.md') ? def.schema : def.translationSchema;
  return schema.safeParse(data);
}

function messages(result: { success: boolean; error?: z.ZodError }): string {
  return result.error ? result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n') : '';
}

describe('example content validates against the merged strict schemas', () => {
  for (const collection of ['people', 'campaigns', 'events', 'posts', 'pages'] as const) {
    for (const file of listExample(collection)) {
      it(file, () => {
        const result = validate(collection, file);
        expect(messages(result)).toBe('');
        expect(result.success).toBe(true);
      });
    }
  }

  it('every original has a Simplified Chinese translation', () => {
    for (const collection of ['people', 'campaigns', 'events', 'posts', 'pages']) {
      const files = listExample(collection);
      const en = files.filter((f) => f.endsWith('.en.md')).map((f) => f.replace('.en.md', ''));
      const zh = files.filter((f) => f.endsWith('.zh.md')).map((f) => f.replace('.zh.md', ''));
      expect(zh).toEqual(en);
    }
  });

  it('cross-field and cross-collection checks find nothing in the example', () => {
    const parse = <T>(collection: 'people' | 'campaigns' | 'events') =>
      new Map(
        listExample(collection)
          .filter((f) => f.endsWith('.en.md'))
          .map((f) => [f.slice(collection.length + 1, -'.en.md'.length), registry.get(collection)!.schema.parse(readExample(f).data) as T]),
      );
    const people = parse<PersonFields>('people');
    const campaigns = parse<CampaignFields>('campaigns');
    const events = parse<EventFields>('events');
    expect([...people.keys()]).toEqual(['chen-guangcheng', 'liu-xiaobo', 'zhu-yufu']);
    const diagnostics = [
      ...[...people.values()].flatMap((p) => checkPerson(p)),
      ...[...campaigns.values()].flatMap((c) => checkCampaign(c)),
      ...[...events.values()].flatMap((e) => checkEvent(e)),
      ...checkAdvocacyReferences({ people, campaigns, events }),
    ];
    expect(diagnostics).toEqual([]);
  });
});

describe('rejects bad input with useful messages', () => {
  const people = registry.get('people')!.schema;
  const base = { title: 'Zhu Yufu', names: { en: 'Zhu Yufu', 'zh-Hans': '朱虞夫' }, status: 'imprisoned' };

  it('translations get no defaults that would override the original when merged', () => {
    const translation = registry.get('people')!.translationSchema.parse({ title: '朱虞夫' });
    expect(Object.keys(translation).filter((k) => k in advocacyCollectionFields.people)).toEqual([]);
    const ev = registry.get('events')!.translationSchema.parse({ title: '集会' });
    expect(Object.keys(ev).filter((k) => k in advocacyCollectionFields.events)).toEqual([]);
    const c = registry.get('campaigns')!.translationSchema.parse({ title: '行动' });
    expect(Object.keys(c).filter((k) => k in advocacyCollectionFields.campaigns)).toEqual([]);
  });

  it('refuses unknown keys (strict)', () => {
    const r = people.safeParse({ ...base, nickname: 'x' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.code).toBe('unrecognized_keys');
  });

  it('explains a bad EDTF date and lists valid forms', () => {
    const r = people.safeParse({ ...base, timeline: [{ date: '2012-02-30', event: 'sentenced' }] });
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(issue.path).toEqual(['timeline', 0, 'date']);
    expect(issue.message).toContain('2012-02 has no day 30');
    expect(issue.message).toContain('2012-02-XX');
  });

  it('refuses negative sentences and unknown statuses', () => {
    expect(messages(people.safeParse({ ...base, sentence: { years: -1 } }))).toContain('sentence.years: must not be negative');
    expect(messages(people.safeParse({ ...base, status: 'jailed' }))).toContain('status');
  });

  it('refuses a name object with no names and non-http source URLs', () => {
    expect(messages(people.safeParse({ ...base, names: {} }))).toContain('at least one script');
    const src = { id: 's1', title: 't', url: 'javascript:alert(1)', publisher: 'p', accessed: '2012-02-14' };
    expect(messages(people.safeParse({ ...base, sources: [src] }))).toContain('http(s) URL');
  });

  it('accepts a placeholder portrait but not a placeholder with src', () => {
    expect(people.safeParse({ ...base, portrait: { placeholder: true, alt: 'x' } }).success).toBe(true);
    expect(people.safeParse({ ...base, portrait: { placeholder: true, src: 'a.jpg', alt: 'x' } }).success).toBe(false);
  });

  it('checkPerson: unknown source ids, empty sentence, release without date, reversed dates, missing Latin name', () => {
    const p = personFieldsSchema.parse({
      names: { 'zh-Hans': '朱虞夫' },
      status: 'released',
      sentence: { years: 0 },
      sentenceStart: '2012',
      expectedRelease: '2010',
      timeline: [{ date: '2012-02', event: 'sentenced', sources: ['nope'] }],
      sources: [
        { id: 'a', title: 't', url: 'https://example.org/', publisher: 'p', accessed: '2012-02-14' },
        { id: 'a', title: 't', url: 'https://example.org/', publisher: 'p', accessed: '2012-02-14' },
      ],
    });
    const ds = checkPerson(p, (path) => ({ file: 'people/x.en.md', line: path.length }));
    const codes = ds.map((d) => d.code).sort();
    expect(codes).toEqual(['STELE6100', 'STELE6101', 'STELE6102', 'STELE6103', 'STELE6104', 'STELE6500']);
    const unknown = ds.find((d) => d.code === 'STELE6100')!;
    expect(unknown.message).toContain('"nope"');
    expect(unknown.hint).toContain('Known source ids: a');
    expect(unknown.file).toBe('people/x.en.md');
    expect(ds.find((d) => d.code === 'STELE6500')!.hint).toContain('Zhu Yufu');
    expect(ds.find((d) => d.code === 'STELE6500')!.severity).toBe('warning');
  });

  it('checkPerson: status that needs a timeline entry warns', () => {
    const p = personFieldsSchema.parse({ names: { en: 'A B' }, status: 'deceased' });
    expect(checkPerson(p).map((d) => [d.code, d.severity])).toEqual([['STELE6105', 'warning']]);
  });

  it('events: refuse a time without offset and an unknown time zone', () => {
    const events = registry.get('events')!.schema;
    const ev = { title: 'x', kind: 'rally', start: '2012-02-14T10:00', place: { name: { en: 'Square' } } };
    expect(messages(events.safeParse(ev))).toContain('no UTC offset');
    expect(messages(events.safeParse({ ...ev, start: '2012-02-14T10:00:00+08:00', timeZone: 'Mars/Olympus' }))).toContain(
      'not an IANA time zone',
    );
    expect(events.safeParse({ ...ev, start: '2012-02-14T10:00:00+08:00', timeZone: 'Asia/Shanghai' }).success).toBe(true);
  });

  it('references: unknown subjects and concerns, with suggestions', () => {
    const campaigns = new Map([['c', { subjects: ['liu-xiaobo', 'liu-xiaoboo'] } as unknown as CampaignFields]]);
    const events = new Map([['e', { concerns: { people: ['zhu-yufo'], campaigns: ['nope'] } } as unknown as EventFields]]);
    const people = new Map([['liu-xiaobo', {} as PersonFields], ['zhu-yufu', {} as PersonFields]]);
    const ds = checkAdvocacyReferences({ people, campaigns, events }, (c, k) => ({ file: `${c}/${k}.en.md` }));
    expect(ds.map((d) => d.code)).toEqual(['STELE6200', 'STELE6300', 'STELE6300']);
    expect(ds[0]!.hint).toContain('liu-xiaobo');
    expect(ds[1]!.hint).toContain('zhu-yufu');
    expect(ds[0]!.file).toBe('campaigns/c.en.md');
  });
});

describe('validateAdvocacyEntry (loader hook)', () => {
  it('checks originals, skips translations and derived entries', async () => {
    const { validateAdvocacyEntry } = await import('../../src/content/collections/index.js');
    const people = registry.get('people')!;
    const bad = people.schema.parse({ title: 'x', names: { en: 'A B' }, status: 'released' });
    expect(validateAdvocacyEntry({ collection: 'people', data: bad }).map((d) => d.code)).toEqual(['STELE6103']);
    expect(validateAdvocacyEntry({ collection: 'people', data: bad, derived: true })).toEqual([]);
    expect(validateAdvocacyEntry({ collection: 'people', data: bad, lang: 'zh-Hans' })).toEqual([]);
    expect(validateAdvocacyEntry({ collection: 'people', data: bad, lang: 'en' }).map((d) => d.code)).toEqual(['STELE6103']);
    expect(validateAdvocacyEntry({ collection: 'people', data: bad, lang: 'zh-Hans' }, undefined, { originalLang: 'zh-Hans' })).toHaveLength(1);
    expect(validateAdvocacyEntry({ collection: 'people', data: { title: '刘晓波' } })).toEqual([]);
    const rally = registry.get('events')!.schema.parse(readExample('events/rally-2012-02-14.en.md').data);
    expect(validateAdvocacyEntry({ collection: 'events', data: rally })).toEqual([]);
    const noConsent = { ...rally, roster: [{ id: 'm01', names: { en: 'A B' }, publish: 'full' }] };
    expect(validateAdvocacyEntry({ collection: 'events', data: noConsent }).map((d) => d.code)).toEqual(['STELE6400']);
    expect(validateAdvocacyEntry({ collection: 'posts', data: {} })).toEqual([]);
  });
});
