/**
 * Catalogue entries for the advocacy collections (STELE6000–6999):
 * EDTF dates (60xx), people (61xx), campaigns (62xx), events (63xx),
 * consent and rosters (64xx), Chinese names (65xx).
 */
import { defineError } from './catalogue.js';

/** Text listing the EDTF forms stele accepts, used in hints. */
export const EDTF_VALID_FORMS =
  'Valid forms: 2012 · 2012-02 · 2012-02-14 · 2012-02-XX (day not known) · 2012-XX-XX · 201X (decade) · ' +
  '2009? (uncertain) · 2011~ (approximate) · 2011% (both) · 2012-21 (spring; 22 summer, 23 autumn, 24 winter) · ' +
  '2010/2012 (interval) · 2010-05/.. (still going) · 2010-05/ (end unknown). ' +
  'To say "early February 2012" write { edtf: "2012-02", qualifier: early }.';

/** A date is not valid EDTF (level 0/1). */
export const EdtfInvalid = defineError({
  code: 'STELE6001',
  title: 'Invalid EDTF date',
  severity: 'error',
  message: (text: string, reason: string) => `"${text}" is not a valid EDTF date: ${reason}.`,
  hint: EDTF_VALID_FORMS,
});

/** A qualifier ("early", "mid", "late") was attached to a date it cannot describe. */
export const EdtfQualifierInvalid = defineError({
  code: 'STELE6002',
  title: 'Date qualifier does not fit the date',
  severity: 'error',
  message: (text: string, qualifier: string) =>
    `The qualifier "${qualifier}" cannot be used with "${text}": only a month (2012-02) or a year (2012) can be early, mid or late.`,
  hint: 'Remove the qualifier, or give the date at month or year precision as the source does, e.g. { edtf: "2012-02", qualifier: early }.',
});

/** An interval ends before it starts. */
export const EdtfIntervalReversed = defineError({
  code: 'STELE6003',
  title: 'Interval ends before it starts',
  severity: 'error',
  message: (text: string) => `The interval "${text}" ends before it starts.`,
  hint: 'Write the earlier date first: start/end, e.g. 2010/2012.',
});

/** A timeline entry cites a source id that the person's `sources` list does not define. */
export const PersonSourceUnknown = defineError({
  code: 'STELE6100',
  title: 'Unknown source id',
  severity: 'error',
  message: (where: string, id: string, _known?: string) => `${where} cites source "${id}", which is not in this person's sources.`,
  hint: (_where: string, _id: string, known?: string) =>
    known ? `Known source ids: ${known}. Add the source under \`sources:\` or fix the id.` : 'Add the source under `sources:` with this id.',
});

/** Two sources share one id. */
export const PersonSourceDuplicate = defineError({
  code: 'STELE6101',
  title: 'Duplicate source id',
  severity: 'error',
  message: (id: string) => `The source id "${id}" is used more than once.`,
  hint: 'Give every source a unique id (e.g. cfcr-2012-02-14).',
});

/** A sentence has no length at all. */
export const PersonSentenceEmpty = defineError({
  code: 'STELE6102',
  title: 'Empty sentence',
  severity: 'error',
  message: () => 'The sentence is 0 years, 0 months and 0 days.',
  hint: 'Give the sentence length the court imposed, e.g. `sentence: { years: 7 }`, or remove `sentence`.',
});

/** The status says released but nothing says when. */
export const PersonReleaseDateMissing = defineError({
  code: 'STELE6103',
  title: 'Released without a release date',
  severity: 'error',
  message: () => 'The status is "released" but there is no `actualRelease` date and no `released` timeline entry.',
  hint: 'Add `actualRelease: 2011-09` (EDTF; `2011` or `2011?` if that is all that is known) or a timeline entry with `event: released`.',
});

/** Dates contradict each other. */
export const PersonDatesInconsistent = defineError({
  code: 'STELE6104',
  title: 'Dates contradict each other',
  severity: 'error',
  message: (later: string, earlier: string) => `${later} is before ${earlier}.`,
  hint: 'Check both dates against the sources.',
});

/** The status is not backed by the timeline (warning). */
export const PersonStatusUnsupported = defineError({
  code: 'STELE6105',
  title: 'Status has no matching timeline entry',
  severity: 'warning',
  message: (status: string, event: string) => `The status is "${status}" but the timeline has no "${event}" entry.`,
  hint: 'Add the timeline entry with its date and source, so readers can see where the status comes from.',
});

/** A person (or roster member) has no name in any script. */
export const PersonNameMissing = defineError({
  code: 'STELE6106',
  title: 'No name given',
  severity: 'error',
  message: () => 'No name is given in any script.',
  hint: 'Give at least one of `names.en`, `names.zh-Hans`.',
});

/** A sentence is given but the timeline has no `sentenced` entry (warning). */
export const PersonSentenceUndated = defineError({
  code: 'STELE6107',
  title: 'Sentence without a sentencing date',
  severity: 'warning',
  message: () => 'A sentence is given but neither `sentenceStart` nor a `sentenced` timeline entry says when.',
  hint: 'Add a timeline entry `{ date: 2012-02, event: sentenced, sources: [...] }`.',
});

/** A campaign names a subject that is not a person in `content/people/`. */
export const CampaignSubjectUnknown = defineError({
  code: 'STELE6200',
  title: 'Unknown campaign subject',
  severity: 'error',
  message: (key: string, _suggestion?: string) => `The campaign subject "${key}" is not a person in content/people/.`,
  hint: (_key: string, suggestion?: string) =>
    suggestion ? `Did you mean "${suggestion}"? Subjects are people file names without the language suffix.` : 'Subjects are people file names without the language suffix, e.g. liu-xiaobo.',
});

/** A closed or won campaign has no end date (warning). */
export const CampaignEndMissing = defineError({
  code: 'STELE6201',
  title: 'Finished campaign without an end date',
  severity: 'warning',
  message: (status: string) => `The campaign is "${status}" but has no \`ended\` date.`,
  hint: 'Add `ended:` as an EDTF date (e.g. 2013 or 2013-06).',
});

/** An event refers to a person or campaign that does not exist. */
export const EventReferenceUnknown = defineError({
  code: 'STELE6300',
  title: 'Unknown person or campaign',
  severity: 'error',
  message: (kind: string, key: string, _suggestion?: string) => `The event concerns ${kind} "${key}", which does not exist.`,
  hint: (kind: string, _key: string, suggestion?: string) =>
    suggestion ? `Did you mean "${suggestion}"?` : `Use the file name (without the language suffix) of a file in content/${kind === 'person' ? 'people' : 'campaigns'}/.`,
});

/** An event start time is given without a UTC offset. */
export const EventTimeWithoutOffset = defineError({
  code: 'STELE6301',
  title: 'Event time without a UTC offset',
  severity: 'error',
  message: (text: string) => `"${text}" has a time of day but no UTC offset, so readers elsewhere would see the wrong time.`,
  hint: 'Add the offset as in 2012-02-14T10:00:00+08:00 (and set `timeZone`), or give only the date: 2012-02-14.',
});

/** `timeZone` is not an IANA zone name. */
export const EventTimeZoneInvalid = defineError({
  code: 'STELE6302',
  title: 'Unknown time zone',
  severity: 'error',
  message: (zone: string) => `"${zone}" is not an IANA time zone name.`,
  hint: 'Use a name such as Asia/Shanghai, Asia/Hong_Kong, Asia/Taipei, America/New_York or Europe/Geneva. Leave it out when the place is not known.',
});

/** A roster entry has no recorded consent: the name is never published. */
export const RosterConsentMissing = defineError({
  code: 'STELE6400',
  title: 'Name without recorded consent',
  severity: 'error',
  message: (id: string, publish = 'full') =>
    `Roster entry "${id}" asks for \`publish: ${publish}\` but has no \`consent\` record; a name is shown only with recorded consent.`,
  hint: 'Record who confirmed the person agreed and when: `consent: { recordedBy: "CFCR secretariat", date: 2012-02-10 }`, or set `publish: withheld` to show no name.',
});

/** `publish: pseudonym` without a pseudonym. */
export const RosterPseudonymMissing = defineError({
  code: 'STELE6401',
  title: 'Pseudonym missing',
  severity: 'error',
  message: (id: string) => `Roster entry "${id}" is published as a pseudonym but has no \`pseudonym\`.`,
  hint: 'Add `pseudonym: { en: "...", zh-Hans: "..." }`, or choose `publish: withheld`.',
});

/** Two roster entries share one id. */
export const RosterIdDuplicate = defineError({
  code: 'STELE6402',
  title: 'Duplicate roster id',
  severity: 'error',
  message: (id: string) => `The roster id "${id}" is used more than once.`,
  hint: 'Roster ids must be unique within an event; they are what consent records refer to.',
});

/** Withdrawal dated before the consent it withdraws (warning). */
export const RosterWithdrawalBeforeConsent = defineError({
  code: 'STELE6403',
  title: 'Consent withdrawn before it was given',
  severity: 'warning',
  message: (id: string) => `Roster entry "${id}" is withdrawn on a date before its consent was recorded.`,
  hint: 'Check both dates. The name stays withheld either way.',
});

/** A Chinese name has no Latin form; stele suggests one but never inserts it. */
export const NameLatinMissing = defineError({
  code: 'STELE6500',
  title: 'Chinese name without a Latin form',
  severity: 'warning',
  message: (who: string, _suggestion: string) => `${who} has a Chinese name but no English (Latin) form.`,
  hint: (_who: string, suggestion: string) =>
    `Suggested (check with the person or the source; stele never inserts it for you): names.en: "${suggestion}".`,
});
