/**
 * Page bodies of the advocacy collections: people (profiles of people
 * detained), campaigns and events with consent-aware rosters. The view models
 * come from `content/advocacy-view.ts`; this file only lays them out, escaping
 * everything through `html`.
 *
 * Roster names reach the page only through `resolveRosterName`, which returns
 * null for withheld and withdrawn entries and initials/pseudonyms otherwise.
 */
import { posix } from 'node:path';
import type { LanguageCode } from '../../config/languages.js';
import { LANGUAGES } from '../../config/languages.js';
import {
  createCampaignView,
  createEventJsonLd,
  createEventView,
  createPersonJsonLd,
  createPersonView,
  type DateView,
  type TextView,
  type WithTitle,
} from '../../content/advocacy-view.js';
import type { TextConverter } from '../../content/chinese.js';
import { type CampaignFields, type EventFields, HELD_STATUSES, type PersonFields } from '../../content/collections/index.js';
import { type RosterEntry, resolveRosterName } from '../../content/consent.js';
import { placeholderPortraitPath } from '../../content/image-refs.js';
import type { CollectionName } from '../../content/collection-registry.js';
import { type ContentEntry, type ContentSet, entryGroupKey, resolveGroupOriginal } from '../../content/load-content.js';
import { entryPath, relativeUrl } from '../../content/urls.js';
import { html, type SafeHtml, unsafeRawHtml } from '../html.js';
import type { RenderedEntry } from '../render-content.js';
import { type BodyContext, renderCards, renderTags } from './components.js';
import { getThemeStrings } from './strings.js';

/** What an advocacy page needs beyond the body context. */
export interface AdvocacyContext extends BodyContext {
  content: ContentSet;
  now: Date;
  defaultLanguage: LanguageCode;
  /** The site's languages, in config order (to find a page's original). */
  languages: readonly LanguageCode[];
  toTraditional?: TextConverter;
  /** Absolute URL of the page for JSON-LD, when the site has a baseUrl. */
  url?: string;
}

type Labels = Record<LanguageCode, string>;
const L = {
  statusAsOf: { en: 'as of', 'zh-Hans': '截至', 'zh-Hant': '截至' },
  facts: { en: 'Case', 'zh-Hans': '案情', 'zh-Hant': '案情' },
  timeline: { en: 'Timeline', 'zh-Hans': '时间线', 'zh-Hant': '時間線' },
  sources: { en: 'Sources', 'zh-Hans': '资料来源', 'zh-Hant': '資料來源' },
  accessed: { en: 'accessed', 'zh-Hans': '访问于', 'zh-Hant': '訪問於' },
  campaignsFor: { en: 'Campaigns', 'zh-Hans': '相关行动', 'zh-Hant': '相關行動' },
  goal: { en: 'Goal', 'zh-Hans': '目标', 'zh-Hant': '目標' },
  subjects: { en: 'People this campaign is about', 'zh-Hans': '本行动关注的人', 'zh-Hant': '本行動關注的人' },
  actions: { en: 'What you can do', 'zh-Hans': '你可以做什么', 'zh-Hant': '你可以做什麼' },
  updates: { en: 'Updates', 'zh-Hans': '最新进展', 'zh-Hant': '最新進展' },
  started: { en: 'Started', 'zh-Hans': '开始于', 'zh-Hant': '開始於' },
  when: { en: 'When', 'zh-Hans': '时间', 'zh-Hant': '時間' },
  where: { en: 'Where', 'zh-Hans': '地点', 'zh-Hant': '地點' },
  organizer: { en: 'Organised by', 'zh-Hans': '主办', 'zh-Hant': '主辦' },
  concerns: { en: 'About', 'zh-Hans': '相关', 'zh-Hant': '相關' },
  roster: { en: 'Members who took part', 'zh-Hans': '参加的成员', 'zh-Hant': '參加的成員' },
  photos: { en: 'Photos', 'zh-Hans': '照片', 'zh-Hant': '照片' },
  timeUnknown: { en: 'time of day not recorded', 'zh-Hans': '具体时刻未记录', 'zh-Hant': '具體時刻未記錄' },
} satisfies Record<string, Labels>;

function rosterHiddenNote(count: number, lang: LanguageCode): string {
  if (lang === 'en') return count === 1 ? 'One more member took part; their name is not published, at their request.' : `${count} more members took part; their names are not published, at their request.`;
  return lang === 'zh-Hant' ? `另有${count}名成員參加，應其本人要求不公佈姓名。` : `另有${count}名成员参加，应其本人要求不公布姓名。`;
}

function timeEl(d: DateView): SafeHtml {
  return d.datetime ? html`<time datetime="${d.datetime}">${d.text}</time>` : html`<span>${d.text}</span>`;
}

function textEl(t: TextView | undefined, lang: LanguageCode): SafeHtml {
  if (!t) return html``;
  return t.lang !== lang ? html`<span lang="${LANGUAGES[t.lang].htmlLang}">${t.text}</span>` : html`${t.text}`;
}

/**
 * Link to an entry of `collection` by key, in the page's language when it
 * exists; the label defaults to that entry's title (the key when unknown).
 */
function entryLink(ctx: AdvocacyContext, collection: CollectionName, key: string, label?: SafeHtml | string): SafeHtml {
  const group = ctx.content.byKey.get(entryGroupKey(collection, key));
  const target = group?.get(ctx.lang) ?? (group ? resolveGroupOriginal(group, ctx.languages, ctx.defaultLanguage) : undefined);
  label ??= target?.data.title ?? key;
  if (!target) return html`${label}`;
  return html`<a href="${relativeUrl(ctx.path, entryPath(target, ctx.defaultLanguage))}">${label}</a>`;
}

/** True for the entry that holds its page's structured fields (one per translation group). */
function isOriginal(ctx: AdvocacyContext, e: ContentEntry): boolean {
  const group = ctx.content.byKey.get(entryGroupKey(e.collection, e.key));
  return !!group && resolveGroupOriginal(group, ctx.languages, ctx.defaultLanguage) === e;
}

function picture(ctx: AdvocacyContext, projectPath: string, alt: string, loading: 'lazy' | 'eager'): SafeHtml {
  const markup = ctx.picture(projectPath, alt, loading);
  return markup ? unsafeRawHtml(markup) : html``;
}

/** A person's profile page. */
export function renderPersonPage(r: RenderedEntry, ctx: AdvocacyContext): { body: SafeHtml; jsonLd: object[] } {
  const data = r.entry.data as unknown as WithTitle<PersonFields>;
  const lang = ctx.lang;
  const v = createPersonView(data, { lang, now: ctx.now, toTraditional: ctx.toTraditional });
  const portraitPath = v.portrait
    ? v.portrait.kind === 'placeholder'
      ? placeholderPortraitPath(r.entry.key)
      : posix.normalize(posix.join(posix.dirname(r.entry.file), v.portrait.src))
    : undefined;
  const campaigns = ctx.content.entries.filter(
    (e) => e.collection === 'campaigns' && isOriginal(ctx, e) && ((e.data as { subjects?: string[] }).subjects ?? []).includes(r.entry.key),
  );
  const body = html`<article class="person">
<h1>${textEl(v.name, lang)}${v.otherNames.map((n) => html` <span class="name" lang="${LANGUAGES[n.lang].htmlLang}">${n.text}</span>`)}</h1>
<p><span class="badge ${v.status.value}">${v.status.label}</span>${v.statusAsOf ? html` <span class="meta">${L.statusAsOf[lang]} ${timeEl(v.statusAsOf)}</span>` : ''}</p>
${portraitPath && v.portrait ? html`<figure class="portrait">${picture(ctx, portraitPath, v.portrait.alt, 'eager')}</figure>` : ''}
${v.facts.length ? html`<h2>${L.facts[lang]}</h2><dl class="facts">${v.facts.map((f) => html`<dt>${f.label}</dt><dd${f.lang ? html` lang="${LANGUAGES[f.lang].htmlLang}"` : ''}>${f.datetime ? html`<time datetime="${f.datetime}">${f.value}</time>` : f.value}</dd>`)}${
    v.timeServed ? html`<dt>${v.timeServed.label}</dt><dd>${v.timeServed.text}${v.timeServed.notice ? html` <small>(${v.timeServed.notice})</small>` : ''}</dd>` : ''
  }</dl>` : ''}
${r.html}
${v.timeline.length ? html`<h2>${L.timeline[lang]}</h2><ol class="timeline">${v.timeline.map((t) => html`<li>${timeEl(t.date)}<strong>${t.label}</strong>${t.court ? html` · ${textEl(t.court, lang)}` : ''}${t.note ? html`<br>${textEl(t.note, lang)}` : ''}${t.sources.length ? html` <small>[${t.sources.map((s) => html`<a href="#source-${s.id}">${s.id}</a>`)}]</small>` : ''}</li>`)}</ol>` : ''}
${campaigns.length ? html`<h2>${L.campaignsFor[lang]}</h2><ul>${campaigns.map((c) => html`<li>${entryLink(ctx, 'campaigns', c.key)}</li>`)}</ul>` : ''}
${v.sources.length ? html`<h2>${L.sources[lang]}</h2><ol>${v.sources.map((s) => html`<li id="source-${s.id}"><a href="${s.url}">${s.title}</a>, ${s.publisher} (${L.accessed[lang]} <time datetime="${s.accessed}">${s.accessed}</time>)</li>`)}</ol>` : ''}
${renderTags(r.entry.data.tags, ctx)}
</article>`;
  return { body, jsonLd: [createPersonJsonLd(data, { lang, now: ctx.now, toTraditional: ctx.toTraditional, url: ctx.url })] };
}

/** A campaign page. */
export function renderCampaignPage(r: RenderedEntry, ctx: AdvocacyContext): { body: SafeHtml; jsonLd: object[] } {
  const data = r.entry.data as unknown as WithTitle<CampaignFields>;
  const lang = ctx.lang;
  const people = new Map(
    ctx.content.entries
      .filter((e) => e.collection === 'people' && isOriginal(ctx, e))
      .map((e) => [e.key, e.data as unknown as WithTitle<PersonFields>]),
  );
  const v = createCampaignView(data, { lang, now: ctx.now, toTraditional: ctx.toTraditional, people });
  const body = html`<article class="campaign">
<h1>${r.entry.data.title}</h1>
<p><span class="badge ${v.status.value}">${v.status.label}</span>${v.started ? html` <span class="meta">${L.started[lang]} ${timeEl(v.started)}</span>` : ''}</p>
<p class="notice"><strong>${L.goal[lang]}:</strong> ${textEl(v.goal, lang)}</p>
${v.subjects.length ? html`<h2>${L.subjects[lang]}</h2><ul>${v.subjects.map((s) => html`<li>${entryLink(ctx, 'people', s.key, html`<span class="name">${s.name}</span>`)}${s.status ? html` — ${s.status}` : ''}</li>`)}</ul>` : ''}
${r.html}
${v.actions.length ? html`<h2>${L.actions[lang]}</h2><ul>${v.actions.map((a) => html`<li>${textEl(a, lang)}</li>`)}</ul>` : ''}
${v.updates.length ? html`<h2>${L.updates[lang]}</h2><ul>${v.updates.map((u) => html`<li>${timeEl(u.date)}: ${textEl(u.text, lang)}</li>`)}</ul>` : ''}
${renderTags(r.entry.data.tags, ctx)}
</article>`;
  return { body, jsonLd: [] };
}

/** The other script of a roster name, shown next to the page's own. */
function rosterOtherScript(entry: RosterEntry, lang: LanguageCode, ctx: AdvocacyContext): { text: string; lang: LanguageCode } | undefined {
  const other: LanguageCode = lang === 'en' ? 'zh-Hans' : 'en';
  const text = resolveRosterName(entry, other, ctx.now, ctx.toTraditional ? { toTraditional: ctx.toTraditional } : undefined);
  return text ? { text, lang: other } : undefined;
}

/** An event page with its consent-aware roster. */
export function renderEventPage(r: RenderedEntry, ctx: AdvocacyContext): { body: SafeHtml; jsonLd: object[] } {
  const data = r.entry.data as unknown as WithTitle<EventFields>;
  const lang = ctx.lang;
  const opts = ctx.toTraditional ? { toTraditional: ctx.toTraditional } : undefined;
  const v = createEventView(data, { lang, now: ctx.now, toTraditional: ctx.toTraditional });
  const shown = (data.roster ?? []).flatMap((entry) => {
    const own = resolveRosterName(entry, lang, ctx.now, opts);
    return own === null ? [] : [{ own, other: rosterOtherScript(entry, lang, ctx) }];
  });
  const hidden = (data.roster ?? []).length - shown.length;
  const photos = v.photos.map((p) => picture(ctx, posix.normalize(posix.join(posix.dirname(r.entry.file), p.src)), p.alt, 'lazy'));
  const concerns = [
    ...v.concerns.people.map((k) => entryLink(ctx, 'people', k)),
    ...v.concerns.campaigns.map((k) => entryLink(ctx, 'campaigns', k)),
  ];
  const body = html`<article class="event">
<h1>${r.entry.data.title}</h1>
<p><span class="badge">${v.kind.label}</span></p>
<dl class="facts">
<dt>${L.when[lang]}</dt><dd>${timeEl(v.when)}${v.end ? html` – ${timeEl(v.end)}` : ''}</dd>
<dt>${L.where[lang]}</dt><dd>${v.place.text}</dd>
${v.organizer ? html`<dt>${L.organizer[lang]}</dt><dd>${textEl(v.organizer, lang)}</dd>` : ''}
${concerns.length ? html`<dt>${L.concerns[lang]}</dt><dd>${concerns.map((c, i) => html`${i ? ', ' : ''}${c}`)}</dd>` : ''}
</dl>
${r.html}
${photos.length ? html`<h2>${L.photos[lang]}</h2>${photos.map((p) => html`<figure>${p}</figure>`)}` : ''}
${shown.length || hidden ? html`<h2 id="roster">${L.roster[lang]}</h2>
<ol class="roster">${shown.map((s) => html`<li><span class="name">${s.own}</span>${s.other ? html` <span class="name" lang="${LANGUAGES[s.other.lang].htmlLang}">${s.other.text}</span>` : ''}</li>`)}</ol>
${hidden ? html`<p class="meta">${rosterHiddenNote(hidden, lang)}</p>` : ''}` : ''}
${renderTags(r.entry.data.tags, ctx)}
</article>`;
  return { body, jsonLd: [createEventJsonLd(data, { lang, now: ctx.now, toTraditional: ctx.toTraditional, url: ctx.url })] };
}

/** What the home page shows besides the entries it is given. */
export interface HomePageData {
  title: string;
  /** The home page's own body (`content/pages/home.<lang>.md`) or the site description. */
  intro: SafeHtml;
  /** Campaigns of this language, any status (only active ones are shown). */
  campaigns: RenderedEntry[];
  /** People of this language. */
  people: RenderedEntry[];
  /** Latest news, newest first (one page of it). */
  news: RenderedEntry[];
  campaignsPath?: string;
  peoplePath?: string;
  archivePath: string;
  /** Number of people shown at most (a link leads to the rest). */
  peopleLimit: number;
}

/**
 * The home page of an advocacy site: what it asks of the reader first (active
 * campaigns and what you can do), then the people it speaks for (portrait or
 * placeholder, status badge, time held so far at the build clock), then the
 * latest news. Names come from the same view models as the person and
 * campaign pages; rosters are never shown here.
 */
export function renderHomePage(d: HomePageData, ctx: AdvocacyContext): SafeHtml {
  const lang = ctx.lang;
  const t = getThemeStrings(lang);
  const rel = (to: string) => relativeUrl(ctx.path, to);
  const active = d.campaigns.filter((c) => (c.entry.data as unknown as CampaignFields).status === 'active');
  const people = d.people
    .map((r) => ({ r, v: createPersonView(r.entry.data as unknown as WithTitle<PersonFields>, { lang, now: ctx.now, toTraditional: ctx.toTraditional }) }))
    .sort((a, b) => Number(!HELD_STATUSES.has(a.v.status.value)) - Number(!HELD_STATUSES.has(b.v.status.value)) || a.v.name.text.localeCompare(b.v.name.text, lang));
  const peopleById = new Map(
    ctx.content.entries.filter((e) => e.collection === 'people' && isOriginal(ctx, e)).map((e) => [e.key, e.data as unknown as WithTitle<PersonFields>]),
  );
  const campaignSection = active.length
    ? html`<section class="campaigns" aria-labelledby="home-campaigns"><h2 id="home-campaigns">${t.campaigns}</h2>${active.map((c) => {
        const v = createCampaignView(c.entry.data as unknown as WithTitle<CampaignFields>, { lang, now: ctx.now, toTraditional: ctx.toTraditional, people: peopleById });
        return html`<article class="campaign-card"><h3><a href="${rel(c.path)}">${c.entry.data.title}</a> <span class="badge ${v.status.value}">${v.status.label}</span></h3>
<p>${textEl(v.goal, lang)}</p>
${v.actions.length ? html`<h4>${t.whatYouCanDo}</h4><ul>${v.actions.map((a) => html`<li>${textEl(a, lang)}</li>`)}</ul>` : ''}</article>`;
      })}${d.campaignsPath && d.campaigns.length > active.length ? html`<p><a href="${rel(d.campaignsPath)}">${t.allCampaigns}</a></p>` : ''}</section>`
    : html``;
  const shown = people.slice(0, d.peopleLimit);
  const peopleSection = shown.length
    ? html`<section aria-labelledby="home-people"><h2 id="home-people">${t.peopleWeSpeakFor}</h2><ul class="people">${shown.map(({ r, v }) => {
        const portraitPath = v.portrait
          ? v.portrait.kind === 'placeholder'
            ? placeholderPortraitPath(r.entry.key)
            : posix.normalize(posix.join(posix.dirname(r.entry.file), v.portrait.src))
          : undefined;
        const img = portraitPath && v.portrait ? ctx.picture(portraitPath, v.portrait.alt, 'lazy') : undefined;
        return html`<li>${img ? unsafeRawHtml(img) : html`<span class="initial" aria-hidden="true">${[...v.name.text][0] ?? ''}</span>`}<div><a class="name" href="${rel(r.path)}">${textEl(v.name, lang)}</a>
<p><span class="badge ${v.status.value}">${v.status.label}</span></p>${v.timeServed ? html`<p class="meta">${v.timeServed.label}: ${v.timeServed.text}</p>` : ''}</div></li>`;
      })}</ul>${d.peoplePath && people.length > shown.length ? html`<p><a href="${rel(d.peoplePath)}">${t.allPeople}</a></p>` : ''}</section>`
    : html``;
  return html`<h1>${d.title}</h1>
${d.intro}
${campaignSection}
${peopleSection}
<section aria-labelledby="home-news"><h2 id="home-news">${t.latestPosts}</h2>${renderCards(d.news, ctx)}<p><a href="${rel(d.archivePath)}">${t.allPosts}</a></p></section>`;
}
