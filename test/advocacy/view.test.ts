import { describe, expect, it } from 'vitest';
import {
  createCampaignView,
  createEventJsonLd,
  createEventView,
  createPersonJsonLd,
  createPersonView,
  formatStatusLabel,
} from '../../src/content/advocacy-view.js';
import { createTraditionalConverter } from '../../src/content/chinese.js';
import { createCollectionRegistry } from '../../src/content/collection-registry.js';
import { advocacyCollectionFields, type CampaignFields, type EventFields, type PersonFields } from '../../src/content/collections/index.js';
import { readExample } from './helpers.js';

const registry = createCollectionRegistry(advocacyCollectionFields);
const load = <T>(collection: 'people' | 'campaigns' | 'events', key: string) =>
  registry.get(collection)!.schema.parse(readExample(`${collection}/${key}.en.md`).data) as T & { title: string; summary?: string };
const NOW = new Date('2026-11-25T00:00:00Z');
const toTraditional = createTraditionalConverter();

describe('person view', () => {
  const zhu = load<PersonFields>('people', 'zhu-yufu');

  it('English: names, status, facts, timeline with honest dates', () => {
    const v = createPersonView(zhu, { lang: 'en', now: NOW });
    expect(v.name).toEqual({ text: 'Zhu Yufu', lang: 'en' });
    expect(v.otherNames).toEqual([{ text: '朱虞夫', lang: 'zh-Hans' }]);
    expect(v.status.label).toBe('Imprisoned');
    expect(v.statusAsOf?.text).toBe('14 February 2012');
    expect(v.facts.find((f) => f.key === 'sentence')?.value).toBe('7 years');
    expect(v.facts.find((f) => f.key === 'charges')?.value).toBe('Inciting subversion of state power');
    expect(v.timeline.map((t) => [t.date.text, t.label])).toEqual([
      ['early February 2012', 'Sentenced'],
      ['14 February 2012', 'Event'],
    ]);
    expect(v.timeline[0]!.date.datetime).toBe('2012-02');
    expect(v.timeline[0]!.sources[0]!.url).toBe('https://gongminziyoulianmeng.blogspot.com/');
    expect(v.portrait).toEqual({ kind: 'placeholder', alt: 'Placeholder in place of a portrait of Zhu Yufu' });
    // sentenced "early February", confirmed 14 February: at least 0 days is meaningless, so nothing is claimed
    expect(v.timeServed).toBeUndefined();
  });

  it('Traditional Chinese: converted structured strings', () => {
    const v = createPersonView(zhu, { lang: 'zh-Hant', now: NOW, toTraditional });
    expect(v.name.text).toBe('朱虞夫');
    expect(v.status.label).toBe('在押服刑');
    expect(v.facts.find((f) => f.key === 'place')?.value).toBe('浙江省杭州市');
    expect(v.facts.find((f) => f.key === 'charges')?.value).toBe('煽動顛覆國家政權罪');
    expect(v.timeline[0]!.date.text).toBe('2012年2月初');
  });

  it('time served stops at the last confirmation and says so', () => {
    const liu = load<PersonFields>('people', 'liu-xiaobo');
    const v = createPersonView(liu, { lang: 'en', now: NOW });
    expect(v.timeServed?.text).toBe('at least 2 years, 1 month and 14 days');
    expect(v.timeServed?.notice).toBe('As of 14 February 2012, the last date this record was confirmed.');
    const zh = createPersonView(liu, { lang: 'zh-Hans', now: NOW });
    expect(zh.timeServed?.text).toBe('至少2年1个月14天');
  });

  it('status labels per language', () => {
    expect(formatStatusLabel('house-arrest', 'en')).toBe('Under house arrest');
    expect(formatStatusLabel('house-arrest', 'zh-Hans')).toBe('遭软禁');
    expect(formatStatusLabel('house-arrest', 'zh-Hant')).toBe('遭軟禁');
  });

  it('JSON-LD Person is plain data with both scripts', () => {
    const ld = createPersonJsonLd(zhu, { lang: 'en', now: NOW, url: 'https://example.org/en/people/zhu-yufu/' });
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Person',
      name: 'Zhu Yufu',
      alternateName: ['朱虞夫'],
      jobTitle: 'Democracy activist',
      gender: 'https://schema.org/Male',
      homeLocation: { '@type': 'Place', name: 'Hangzhou, Zhejiang Province' },
    });
    expect(JSON.parse(JSON.stringify(ld))).toEqual(ld);
  });
});

describe('campaign view', () => {
  it('resolves subjects and lists actions', () => {
    const c = load<CampaignFields>('campaigns', 'free-liu-xiaobo-and-chen-guangcheng');
    const people = new Map(['liu-xiaobo', 'chen-guangcheng', 'zhu-yufu'].map((k) => [k, load<PersonFields>('people', k)]));
    const v = createCampaignView(c, { lang: 'zh-Hans', now: NOW, people });
    expect(v.subjects).toEqual([
      { key: 'liu-xiaobo', name: '刘晓波', status: '在押服刑' },
      { key: 'chen-guangcheng', name: '陈光诚', status: '遭软禁' },
    ]);
    expect(v.status.label).toBe('进行中');
    expect(v.started).toBeUndefined();
    expect(v.actions).toHaveLength(3);
    expect(v.updates[0]!.date.text).toBe('2011年');
  });
});

describe('event view', () => {
  const rally = load<EventFields>('events', 'rally-2012-02-14');

  it('roster without withheld names; initials shown', () => {
    const en = createEventView(rally, { lang: 'en', now: NOW });
    expect(en.roster).toHaveLength(32);
    expect(en.rosterHidden).toBe(1);
    expect(en.roster).toContain('S. A.');
    expect(en.roster).not.toContain('Lian Jizi');
    expect(en.roster).not.toContain('Shi Aiqin');
    expect(en.roster[0]).toBe('Du Linze');
    expect(en.when).toEqual({ text: '14 February 2012', datetime: '2012-02-14' });
    expect(en.place.text).toBe('United Nations Square');
    expect(en.timeZone).toBeUndefined();
    const hant = createEventView(rally, { lang: 'zh-Hant', now: NOW, toTraditional });
    expect(hant.roster).toContain('石某');
    expect(hant.roster).toContain('鄧歡歡');
    expect(hant.roster).toContain('朴虎林');
    expect(hant.roster).not.toContain('廉姬子');
    expect(hant.place.text).toBe('聯合國廣場');
  });

  it('formats an instant with its zone or with its offset', () => {
    const withZone = createEventView(
      { ...rally, start: '2012-02-14T10:30:00+08:00', timeZone: 'Asia/Shanghai' },
      { lang: 'en', now: NOW },
    );
    expect(withZone.when.datetime).toBe('2012-02-14T10:30:00+08:00');
    expect(withZone.when.text).toBe('14 February 2012, 10:30 (Asia/Shanghai)');
    const elsewhere = createEventView(
      { ...rally, start: '2012-02-14T23:30:00-05:00', timeZone: 'Asia/Shanghai' },
      { lang: 'zh-Hant', now: NOW },
    );
    expect(elsewhere.when.text).toBe('2012年2月15日 12:30（Asia/Shanghai）');
    const noZone = createEventView({ ...rally, start: '2012-02-14T10:30:00+08:00' }, { lang: 'zh-Hans', now: NOW });
    expect(noZone.when.text).toBe('2012年2月14日 10:30（UTC+08:00）');
  });

  it('JSON-LD Event never lists attendees', () => {
    const ld = createEventJsonLd(rally, { lang: 'en', now: NOW });
    expect(ld).toMatchObject({ '@type': 'Event', startDate: '2012-02-14', location: { '@type': 'Place', name: 'United Nations Square' } });
    expect(ld.organizer).toEqual({ '@type': 'Organization', name: 'Coalition for Citizens Rights' });
    const text = JSON.stringify(ld);
    expect(text).not.toContain('Du Linze');
    expect(text).not.toContain('attendee');
  });
});
