/**
 * View models for the theme: pure functions that turn validated people,
 * campaigns and events into plain strings and lists for one language at one
 * build time. Nothing here escapes HTML; the templates do.
 *
 * Roster names go through consent resolution: the view's `roster` never
 * holds a withheld or withdrawn name, and the JSON-LD never lists attendees.
 */
import { convertPersonName, type TextConverter } from './chinese.js';
import type { CampaignFields, CampaignStatus } from './collections/campaigns.js';
import { type EventFields, type EventKind, resolveEventTime } from './collections/events.js';
import { type LocalizedString, resolveLocalized, resolveLocalizedText } from './collections/localized.js';
import type { PersonFields, PersonStatus, Sentence, TimelineEventKind } from './collections/people.js';
import { resolveRosterName } from './consent.js';
import { compareEdtf, type ContentLang, type EdtfInput, type EdtfValue, formatEdtf, formatMachineDate, resolveEdtf } from './edtf.js';
import { computeTimeServed, formatDuration, formatTimeServed } from './time-served.js';

/** Inputs every view needs. */
export interface ViewOptions {
  lang: ContentLang;
  /** Build time: decides withdrawn consent and time served. */
  now: Date;
  /** Simplified → Traditional converter for zh-Hant pages (structured strings without a zh-Hant form). */
  toTraditional?: TextConverter;
  /** Absolute URL of the page, for JSON-LD. */
  url?: string;
}

/** Entry data as the views accept it: the collection fields plus base title/summary. */
export type WithTitle<T> = T & { title?: string; summary?: string };

type Labels = Record<ContentLang, string>;

const STATUS_LABELS: Record<PersonStatus, Labels> = {
  detained: { en: 'Detained', 'zh-Hans': '被拘留', 'zh-Hant': '被拘留' },
  arrested: { en: 'Formally arrested', 'zh-Hans': '被逮捕', 'zh-Hant': '被逮捕' },
  imprisoned: { en: 'Imprisoned', 'zh-Hans': '在押服刑', 'zh-Hant': '在押服刑' },
  disappeared: { en: 'Disappeared', 'zh-Hans': '下落不明', 'zh-Hant': '下落不明' },
  'house-arrest': { en: 'Under house arrest', 'zh-Hans': '遭软禁', 'zh-Hant': '遭軟禁' },
  released: { en: 'Released', 'zh-Hans': '已获释', 'zh-Hant': '已獲釋' },
  exiled: { en: 'In exile', 'zh-Hans': '流亡', 'zh-Hant': '流亡' },
  deceased: { en: 'Deceased', 'zh-Hans': '已去世', 'zh-Hant': '已去世' },
  unknown: { en: 'Status unknown', 'zh-Hans': '状况不明', 'zh-Hant': '狀況不明' },
};

const EVENT_LABELS: Record<TimelineEventKind, Labels> = {
  detained: { en: 'Detained', 'zh-Hans': '被拘留', 'zh-Hant': '被拘留' },
  arrested: { en: 'Formally arrested', 'zh-Hans': '被逮捕', 'zh-Hant': '被逮捕' },
  charged: { en: 'Charged', 'zh-Hans': '被指控', 'zh-Hant': '被指控' },
  indicted: { en: 'Indicted', 'zh-Hans': '被起诉', 'zh-Hant': '被起訴' },
  tried: { en: 'Tried', 'zh-Hans': '受审', 'zh-Hant': '受審' },
  sentenced: { en: 'Sentenced', 'zh-Hans': '被判刑', 'zh-Hant': '被判刑' },
  appealed: { en: 'Appealed', 'zh-Hans': '提出上诉', 'zh-Hant': '提出上訴' },
  'appeal-rejected': { en: 'Appeal rejected', 'zh-Hans': '上诉被驳回', 'zh-Hant': '上訴被駁回' },
  released: { en: 'Released', 'zh-Hans': '获释', 'zh-Hant': '獲釋' },
  'house-arrest': { en: 'Placed under house arrest', 'zh-Hans': '遭软禁', 'zh-Hant': '遭軟禁' },
  disappeared: { en: 'Disappeared', 'zh-Hans': '失踪', 'zh-Hant': '失蹤' },
  exiled: { en: 'Exiled', 'zh-Hans': '被迫流亡', 'zh-Hant': '被迫流亡' },
  died: { en: 'Died', 'zh-Hans': '去世', 'zh-Hant': '去世' },
  other: { en: 'Event', 'zh-Hans': '事件', 'zh-Hant': '事件' },
};

const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, Labels> = {
  active: { en: 'Active', 'zh-Hans': '进行中', 'zh-Hant': '進行中' },
  won: { en: 'Won', 'zh-Hans': '已取得成功', 'zh-Hant': '已取得成功' },
  closed: { en: 'Closed', 'zh-Hans': '已结束', 'zh-Hant': '已結束' },
};

const EVENT_KIND_LABELS: Record<EventKind, Labels> = {
  rally: { en: 'Rally', 'zh-Hans': '集会', 'zh-Hant': '集會' },
  vigil: { en: 'Vigil', 'zh-Hans': '守夜活动', 'zh-Hant': '守夜活動' },
  hearing: { en: 'Hearing', 'zh-Hans': '听证会', 'zh-Hant': '聽證會' },
  statement: { en: 'Statement', 'zh-Hans': '声明', 'zh-Hant': '聲明' },
  other: { en: 'Event', 'zh-Hans': '活动', 'zh-Hant': '活動' },
};

const GENDER_LABELS: Record<'female' | 'male' | 'other' | 'unknown', Labels> = {
  female: { en: 'Female', 'zh-Hans': '女', 'zh-Hant': '女' },
  male: { en: 'Male', 'zh-Hans': '男', 'zh-Hant': '男' },
  other: { en: 'Other', 'zh-Hans': '其他', 'zh-Hant': '其他' },
  unknown: { en: 'Not known', 'zh-Hans': '不详', 'zh-Hant': '不詳' },
};

const FACT_LABELS = {
  gender: { en: 'Sex', 'zh-Hans': '性别', 'zh-Hant': '性別' },
  born: { en: 'Born', 'zh-Hans': '出生', 'zh-Hant': '出生' },
  occupation: { en: 'Occupation', 'zh-Hans': '职业', 'zh-Hant': '職業' },
  place: { en: 'Home', 'zh-Hans': '居住地', 'zh-Hant': '居住地' },
  ethnicity: { en: 'Ethnic group', 'zh-Hans': '民族', 'zh-Hant': '民族' },
  religion: { en: 'Religion', 'zh-Hans': '宗教', 'zh-Hant': '宗教' },
  placeOfDetention: { en: 'Held at', 'zh-Hans': '关押地点', 'zh-Hant': '關押地點' },
  charges: { en: 'Charges', 'zh-Hans': '罪名', 'zh-Hant': '罪名' },
  court: { en: 'Court', 'zh-Hans': '法院', 'zh-Hant': '法院' },
  sentence: { en: 'Sentence', 'zh-Hans': '刑期', 'zh-Hant': '刑期' },
  sentenceStart: { en: 'Sentence began', 'zh-Hans': '刑期起算', 'zh-Hant': '刑期起算' },
  expectedRelease: { en: 'Expected release', 'zh-Hans': '预计释放', 'zh-Hant': '預計釋放' },
  actualRelease: { en: 'Released', 'zh-Hans': '获释日期', 'zh-Hant': '獲釋日期' },
  timeServed: { en: 'Time held so far', 'zh-Hans': '已被关押', 'zh-Hant': '已被關押' },
} satisfies Record<string, Labels>;

/** The label of a person's status in `lang`. */
export function formatStatusLabel(status: PersonStatus, lang: ContentLang): string {
  return STATUS_LABELS[status][lang];
}

/** The label of a timeline event kind in `lang`. */
export function formatTimelineEventLabel(event: TimelineEventKind, lang: ContentLang): string {
  return EVENT_LABELS[event][lang];
}

/** The label of a campaign status in `lang`. */
export function formatCampaignStatusLabel(status: CampaignStatus, lang: ContentLang): string {
  return CAMPAIGN_STATUS_LABELS[status][lang];
}

/** The label of an event kind in `lang`. */
export function formatEventKindLabel(kind: EventKind, lang: ContentLang): string {
  return EVENT_KIND_LABELS[kind][lang];
}

/** A date ready for `<time>`: human text and, when there is one, a machine value. */
export interface DateView {
  text: string;
  /** For `<time datetime>`; absent for seasons, unspecified digits and intervals. */
  datetime?: string;
}

function dateView(input: EdtfInput | EdtfValue, lang: ContentLang): DateView {
  const value = typeof input === 'object' && 'kind' in input ? input : resolveEdtf(input);
  const datetime = formatMachineDate(value);
  return datetime ? { text: formatEdtf(value, lang), datetime } : { text: formatEdtf(value, lang) };
}

/** Text with the language it is in (for a `lang` attribute when it differs from the page). */
export interface TextView {
  text: string;
  lang: ContentLang;
}

function text(value: LocalizedString | string | undefined, o: ViewOptions): TextView | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { text: value, lang: o.lang };
  return resolveLocalized(value, o.lang, o.toTraditional);
}

/** Format a sentence: "7 years", "4 years and 3 months", "life imprisonment" / "7年" / "无期徒刑". */
export function formatSentence(sentence: Sentence, lang: ContentLang): string {
  if (sentence.life) return lang === 'en' ? 'Life imprisonment' : lang === 'zh-Hant' ? '無期徒刑' : '无期徒刑';
  return formatDuration(sentence, lang);
}

/** One labelled fact. */
export interface FactView {
  key: keyof typeof FACT_LABELS;
  label: string;
  value: string;
  /** Language of `value` when it differs from the page's. */
  lang?: ContentLang;
  datetime?: string;
}

/** One timeline row. */
export interface TimelineItemView {
  date: DateView;
  event: TimelineEventKind;
  label: string;
  note?: TextView;
  court?: TextView;
  sources: SourceView[];
}

/** A cited source. */
export interface SourceView {
  id: string;
  title: string;
  url: string;
  publisher: string;
  accessed: string;
  archived?: string;
}

/** The person page's view model. */
export interface PersonView {
  name: TextView;
  /** The name in the other scripts, e.g. 朱虞夫 on an English page. */
  otherNames: TextView[];
  status: { value: PersonStatus; label: string };
  /** "Status as of 14 February 2012" when a confirmation date is recorded. */
  statusAsOf?: DateView;
  facts: FactView[];
  timeline: TimelineItemView[];
  timeServed?: {
    /** "Time held so far" in the page's language. */
    label: string;
    text: string;
    /** True when the sentence has run out and no release is recorded. */
    capped: boolean;
    /** Explains a cap or an "as of" date, in `lang`. */
    notice?: string;
  };
  sources: SourceView[];
  portrait?: { kind: 'image'; src: string; alt: string } | { kind: 'placeholder'; alt: string };
}

function isoDayText(iso: string, lang: ContentLang): DateView {
  return dateView(iso, lang);
}

/** Names with a name-aware Traditional form filled in (a hand-written `zh-Hant` wins). */
export function resolvePersonNames(names: LocalizedString, toTraditional?: TextConverter): LocalizedString {
  if (names['zh-Hant'] || !names['zh-Hans'] || !toTraditional) return names;
  return { ...names, 'zh-Hant': convertPersonName(names['zh-Hans'], toTraditional) };
}

/** Build the view model of a person page. */
export function createPersonView(person: WithTitle<PersonFields>, o: ViewOptions): PersonView {
  const { lang } = o;
  const names = resolvePersonNames(person.names, o.toTraditional);
  const name = text(names, o) ?? { text: person.title ?? '', lang };
  const otherNames: TextView[] = [];
  const hans = names['zh-Hans'];
  const hant = names['zh-Hant'];
  if (lang === 'en') {
    if (hans) otherNames.push({ text: hans, lang: 'zh-Hans' });
    if (hant && hant !== hans) otherNames.push({ text: hant, lang: 'zh-Hant' });
  } else if (person.names.en) {
    otherNames.push({ text: person.names.en, lang: 'en' });
  }

  const sourcesById = new Map((person.sources ?? []).map((s) => [s.id, s]));
  const sources: SourceView[] = (person.sources ?? []).map((s) => ({ ...s }));
  const facts: FactView[] = [];
  const add = (key: keyof typeof FACT_LABELS, value: TextView | undefined, datetime?: string) => {
    if (!value?.text) return;
    facts.push({
      key,
      label: FACT_LABELS[key][lang],
      value: value.text,
      ...(value.lang !== lang ? { lang: value.lang } : {}),
      ...(datetime ? { datetime } : {}),
    });
  };
  if (person.gender) add('gender', { text: GENDER_LABELS[person.gender][lang], lang });
  if (person.born !== undefined) {
    const d = dateView(person.born, lang);
    add('born', { text: d.text, lang }, d.datetime);
  }
  add('occupation', text(person.occupation, o));
  add('place', text(person.place, o));
  add('ethnicity', text(person.ethnicity, o));
  add('religion', text(person.religion, o));
  add('placeOfDetention', text(person.placeOfDetention, o));
  const charges = person.charges ?? [];
  if (charges.length) {
    const sep = lang === 'en' ? '; ' : '；';
    add('charges', { text: charges.map((c) => resolveLocalizedText(c.name, lang, o.toTraditional) + (c.law ? ` (${c.law})` : '')).join(sep), lang });
  }
  add('court', text(person.court, o));
  if (person.sentence) add('sentence', { text: formatSentence(person.sentence, lang), lang });
  for (const key of ['sentenceStart', 'expectedRelease', 'actualRelease'] as const) {
    const v = person[key];
    if (v !== undefined) {
      const d = dateView(v, lang);
      add(key, { text: d.text, lang }, d.datetime);
    }
  }

  const timeline = (person.timeline ?? [])
    .map((t, i) => ({ t, i, value: resolveEdtf(t.date) }))
    .sort((a, b) => compareEdtf(a.value, b.value) || a.i - b.i)
    .map(({ t, value }): TimelineItemView => ({
      date: dateView(value, lang),
      event: t.event,
      label: EVENT_LABELS[t.event][lang],
      ...(t.note ? { note: text(t.note, o)! } : {}),
      ...(t.court ? { court: text(t.court, o)! } : {}),
      sources: t.sources.flatMap((id) => {
        const s = sourcesById.get(id);
        return s ? [{ ...s }] : [];
      }),
    }));

  const view: PersonView = {
    name,
    otherNames,
    status: { value: person.status, label: STATUS_LABELS[person.status][lang] },
    facts,
    timeline,
    sources,
  };
  if (person.statusAsOf) view.statusAsOf = isoDayText(person.statusAsOf, lang);

  const served = computeTimeServed(person, o.now);
  if (served && (served.min.years || served.min.months || served.min.days || served.exact)) {
    let notice: string | undefined;
    if (served.capped) {
      const end = formatEdtf(resolveEdtf(served.through.toISOString().slice(0, 10)), lang);
      notice =
        lang === 'en'
          ? `Counted to the end of the sentence (${end}); no release is recorded here.`
          : lang === 'zh-Hant'
            ? `計算至刑期屆滿（${end}）；本頁沒有獲釋的記錄。`
            : `计算至刑期届满（${end}）；本页没有获释的记录。`;
    } else if (served.asOfStatus && person.statusAsOf) {
      const asOf = isoDayText(person.statusAsOf, lang).text;
      notice = lang === 'en' ? `As of ${asOf}, the last date this record was confirmed.` : lang === 'zh-Hant' ? `截至${asOf}（本記錄最後核實的日期）。` : `截至${asOf}（本记录最后核实的日期）。`;
    }
    view.timeServed = { label: FACT_LABELS.timeServed[lang], text: formatTimeServed(served, lang), capped: served.capped, ...(notice ? { notice } : {}) };
  }

  if (person.portrait) {
    const alt = text(person.portrait.alt, o)?.text ?? '';
    view.portrait = 'src' in person.portrait ? { kind: 'image', src: person.portrait.src, alt } : { kind: 'placeholder', alt };
  }
  return view;
}

/** The campaign page's view model. */
export interface CampaignView {
  goal: TextView;
  status: { value: CampaignStatus; label: string };
  started?: DateView;
  ended?: DateView;
  /** Subjects with their display names (the key when the person is unknown). */
  subjects: { key: string; name: string; status?: string }[];
  /** Updates, newest first. */
  updates: { date: DateView; text: TextView }[];
  actions: TextView[];
}

/** Build the view model of a campaign page; `people` resolves subject names. */
export function createCampaignView(
  campaign: WithTitle<CampaignFields>,
  o: ViewOptions & { people?: ReadonlyMap<string, WithTitle<PersonFields>> },
): CampaignView {
  const { lang } = o;
  const view: CampaignView = {
    goal: text(campaign.goal, o)!,
    status: { value: campaign.status, label: CAMPAIGN_STATUS_LABELS[campaign.status][lang] },
    subjects: (campaign.subjects ?? []).map((key) => {
      const p = o.people?.get(key);
      if (!p) return { key, name: key };
      return { key, name: resolveLocalizedText(resolvePersonNames(p.names, o.toTraditional), lang, o.toTraditional) || p.title || key, status: STATUS_LABELS[p.status][lang] };
    }),
    updates: (campaign.updates ?? [])
      .map((u, i) => ({ u, i, value: resolveEdtf(u.date) }))
      .sort((a, b) => compareEdtf(b.value, a.value) || b.i - a.i)
      .map(({ u, value }) => ({ date: dateView(value, lang), text: text(u.text, o)! })),
    actions: (campaign.actions ?? []).map((a) => text(a, o)!),
  };
  if (campaign.started !== undefined) view.started = dateView(campaign.started, lang);
  if (campaign.ended !== undefined) view.ended = dateView(campaign.ended, lang);
  return view;
}

/** The event page's view model. */
export interface EventView {
  kind: { value: EventKind; label: string };
  when: DateView;
  end?: DateView;
  timeZone?: string;
  place: { name: TextView; address?: TextView; city?: TextView; country?: TextView; text: string; geo?: { lat: number; lon: number } };
  organizer?: TextView;
  photos: { src: string; alt: string; blur?: { x: number; y: number; w: number; h: number }[] }[];
  /** Names to show, in roster order; withheld and withdrawn names are absent. */
  roster: string[];
  /** How many roster members are not shown (withheld, withdrawn or without consent). */
  rosterHidden: number;
  concerns: { people: string[]; campaigns: string[] };
}

function formatInstant(iso: string, instant: Date, lang: ContentLang, timeZone?: string): string {
  let y: string;
  let mo: string;
  let d: string;
  let h: string;
  let mi: string;
  let zone: string;
  if (timeZone) {
    // Wall-clock time in the event's zone.
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(instant);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    [y, mo, d, h, mi] = [get('year').padStart(4, '0'), get('month'), get('day'), get('hour'), get('minute')];
    zone = timeZone;
  } else {
    // No zone: the wall-clock time as written, with its UTC offset.
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso)!;
    [y, mo, d, h, mi] = [m[1]!, m[2]!, m[3]!, m[4]!, m[5]!];
    zone = `UTC${iso.endsWith('Z') ? '+00:00' : iso.slice(-6)}`;
  }
  const day = formatEdtf(resolveEdtf(`${y}-${mo}-${d}`), lang);
  return lang === 'en' ? `${day}, ${h}:${mi} (${zone})` : `${day} ${h}:${mi}（${zone}）`;
}

function eventTimeView(input: string | number, lang: ContentLang, timeZone?: string): DateView {
  const t = resolveEventTime(input);
  if (t.kind === 'date') return dateView(t.value, lang);
  return { text: formatInstant(t.iso, t.instant, lang, timeZone), datetime: t.iso };
}

/** Build the view model of an event page. */
export function createEventView(event: WithTitle<EventFields>, o: ViewOptions): EventView {
  const { lang } = o;
  const name = text(event.place.name, o)!;
  const parts = [name, text(event.place.address, o), text(event.place.city, o), text(event.place.country, o)].filter(
    (p): p is TextView => p !== undefined,
  );
  const roster: string[] = [];
  let hidden = 0;
  for (const entry of event.roster ?? []) {
    const shown = resolveRosterName(entry, lang, o.now, o.toTraditional ? { toTraditional: o.toTraditional } : undefined);
    if (shown === null) hidden += 1;
    else roster.push(shown);
  }
  const view: EventView = {
    kind: { value: event.kind, label: EVENT_KIND_LABELS[event.kind][lang] },
    when: eventTimeView(event.start, lang, event.timeZone),
    place: {
      name,
      text: parts.map((p) => p.text).join(lang === 'en' ? ', ' : '，'),
      ...(event.place.address ? { address: text(event.place.address, o)! } : {}),
      ...(event.place.city ? { city: text(event.place.city, o)! } : {}),
      ...(event.place.country ? { country: text(event.place.country, o)! } : {}),
      ...(event.place.geo ? { geo: { ...event.place.geo } } : {}),
    },
    photos: (event.photos ?? []).map((p) => ({ src: p.src, alt: text(p.alt, o)?.text ?? '', ...(p.blur ? { blur: p.blur } : {}) })),
    roster,
    rosterHidden: hidden,
    concerns: { people: [...(event.concerns?.people ?? [])], campaigns: [...(event.concerns?.campaigns ?? [])] },
  };
  if (event.end !== undefined) view.end = eventTimeView(event.end, lang, event.timeZone);
  if (event.timeZone) view.timeZone = event.timeZone;
  const organizer = text(event.organizer, o);
  if (organizer) view.organizer = organizer;
  return view;
}

/** A JSON-LD object (plain data; the template serialises and escapes it). */
export type JsonLd = Record<string, unknown>;

/** schema.org Person for a person page. Only published facts; no roster data. */
export function createPersonJsonLd(person: WithTitle<PersonFields>, o: ViewOptions): JsonLd {
  const names = resolvePersonNames(person.names, o.toTraditional);
  const name = resolveLocalizedText(names, o.lang, o.toTraditional) || person.title || '';
  const alternate = [names.en, names['zh-Hans'], names['zh-Hant']].filter(
    (n): n is string => n !== undefined && n !== name,
  );
  const ld: JsonLd = { '@context': 'https://schema.org', '@type': 'Person', name };
  if (alternate.length) ld.alternateName = alternate;
  if (o.url) ld.url = o.url;
  if (person.summary) ld.description = person.summary;
  const job = resolveLocalizedText(person.occupation, o.lang, o.toTraditional);
  if (job) ld.jobTitle = job;
  if (person.gender === 'female') ld.gender = 'https://schema.org/Female';
  if (person.gender === 'male') ld.gender = 'https://schema.org/Male';
  if (person.born !== undefined) {
    const d = formatMachineDate(resolveEdtf(person.born));
    if (d) ld.birthDate = d;
  }
  const home = resolveLocalizedText(person.place, o.lang, o.toTraditional);
  if (home) ld.homeLocation = { '@type': 'Place', name: home };
  if (person.portrait && 'src' in person.portrait) ld.image = person.portrait.src;
  return ld;
}

/** schema.org Event for an event page. Attendees are never listed. */
export function createEventJsonLd(event: WithTitle<EventFields>, o: ViewOptions): JsonLd {
  const t = resolveEventTime(event.start);
  const start = t.kind === 'instant' ? t.iso : formatMachineDate(t.value);
  const place: JsonLd = { '@type': 'Place', name: resolveLocalizedText(event.place.name, o.lang, o.toTraditional) };
  const locality = resolveLocalizedText(event.place.city, o.lang, o.toTraditional);
  const country = resolveLocalizedText(event.place.country, o.lang, o.toTraditional);
  const street = resolveLocalizedText(event.place.address, o.lang, o.toTraditional);
  if (locality || country || street) {
    place.address = {
      '@type': 'PostalAddress',
      ...(street ? { streetAddress: street } : {}),
      ...(locality ? { addressLocality: locality } : {}),
      ...(country ? { addressCountry: country } : {}),
    };
  }
  if (event.place.geo) place.geo = { '@type': 'GeoCoordinates', latitude: event.place.geo.lat, longitude: event.place.geo.lon };
  const ld: JsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: event.title ?? '',
    eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
    location: place,
  };
  if (start) ld.startDate = start;
  if (event.end !== undefined) {
    const e = resolveEventTime(event.end);
    const end = e.kind === 'instant' ? e.iso : formatMachineDate(e.value);
    if (end) ld.endDate = end;
  }
  if (event.summary) ld.description = event.summary;
  if (o.url) ld.url = o.url;
  const organizer = resolveLocalizedText(event.organizer, o.lang, o.toTraditional);
  if (organizer) ld.organizer = { '@type': 'Organization', name: organizer };
  return ld;
}
