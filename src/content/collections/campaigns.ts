/**
 * The `campaigns` collection: a call for someone's release or for a change,
 * with the people it is about, its progress and what readers can do.
 * Structured fields live in the original-language (`en`) file.
 */
import { z } from 'zod';
import { createDiagnostic } from '../../errors/catalogue.js';
import { CampaignEndMissing, PersonDatesInconsistent } from '../../errors/codes-advocacy.js';
import type { Diagnostic } from '../../errors/diagnostic.js';
import { edtfInputSchema, formatEdtf, resolveEdtf } from '../edtf.js';
import { localizedStringSchema } from './localized.js';
import type { FieldLocator } from './people.js';

/** Campaign states. */
export const CAMPAIGN_STATUSES = ['active', 'won', 'closed'] as const;
/** A campaign state. */
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** A dated progress note. */
export const campaignUpdateSchema = z.strictObject({
  date: edtfInputSchema,
  text: localizedStringSchema,
});

/** Front-matter fields of a campaign (merge into the base schema). */
export const campaignFields = {
  goal: localizedStringSchema,
  /** People the campaign is about: file names in content/people/ without the language suffix. */
  subjects: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a people file name such as liu-xiaobo')).optional(),
  status: z.enum(CAMPAIGN_STATUSES),
  /** When the campaign began; leave out when the sources do not say (never guess). */
  started: edtfInputSchema.optional(),
  ended: edtfInputSchema.optional(),
  updates: z.array(campaignUpdateSchema).optional(),
  /** "What you can do": short, concrete actions. */
  actions: z.array(localizedStringSchema).optional(),
};

/** Campaign fields as validated. */
export type CampaignFields = z.output<z.ZodObject<typeof campaignFields>>;
/** Campaign fields as written. */
export type CampaignFieldsInput = z.input<z.ZodObject<typeof campaignFields>>;
/** A campaign update. */
export type CampaignUpdate = z.output<typeof campaignUpdateSchema>;

/** Zod object of the campaign fields alone (non-strict). */
export const campaignFieldsSchema = z.object(campaignFields);

/** Cross-field checks on a campaign (subjects are checked by `checkAdvocacyReferences`). */
export function checkCampaign(campaign: CampaignFields, locate: FieldLocator = () => ({})): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (campaign.status !== 'active' && campaign.ended === undefined) out.push(createDiagnostic(CampaignEndMissing, locate(['status']), campaign.status));
  if (campaign.ended !== undefined && campaign.started !== undefined) {
    const started = resolveEdtf(campaign.started);
    const ended = resolveEdtf(campaign.ended);
    if (ended.latest && started.earliest && ended.latest < started.earliest) {
      out.push(
        createDiagnostic(
          PersonDatesInconsistent,
          locate(['ended']),
          `ended (${formatEdtf(ended, 'en')})`,
          `started (${formatEdtf(started, 'en')})`,
        ),
      );
    }
  }
  return out;
}
