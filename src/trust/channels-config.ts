/**
 * The site config section `seal.channels` (official and revoked addresses): its schemas,
 * which the site config schema embeds (classic zod, like the rest of the config, so its
 * reference and diagnostics read them the same way), and the published `channels.json`
 * document `sealSite` builds from it (`channels.ts` reads that document).
 */
import { z } from 'zod';
import type { ChannelsDocument } from './channels.js';
import type { RevokedKey } from './keys.js';
import type { TimestampDelegation } from './timestamp.js';

/** Schema for one official channel. */
export const channelSchema = z
  .object({
    type: z.enum(['domain', 'mirror', 'onion', 'feed', 'social']),
    url: z.string().url(),
    label: z.string().min(1).max(200).optional(),
  })
  .strict();

/** Schema for an address that is no longer ours. */
export const revokedAddressSchema = z
  .object({
    url: z.string().url(),
    /** ISO date (YYYY-MM-DD or full timestamp). */
    date: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date'),
    reason: z.string().min(1).max(500),
  })
  .strict();

/** Schema for the `seal.channels` site config section. */
export const channelsConfigSchema = z
  .object({
    official: z.array(channelSchema).default([]),
    revoked: z.array(revokedAddressSchema).default([]),
  })
  .strict();

/** Site config `seal.channels`: official and revoked addresses. */
export type ChannelsConfig = z.input<typeof channelsConfigSchema>;
/** One official channel. */
export type Channel = z.infer<typeof channelSchema>;
/** One revoked address. */
export type RevokedAddress = z.infer<typeof revokedAddressSchema>;

/** Build the channels document (fixed key order). */
export function createChannelsDocument(options: {
  siteId: string;
  updated: Date;
  channels: ChannelsConfig;
  currentKeyId: string;
  revokedKeys?: readonly RevokedKey[];
  /** The timestamp key to delegate (its id and the base64 line of its public key). */
  timestampKey?: TimestampDelegation;
}): ChannelsDocument {
  const config = channelsConfigSchema.parse(options.channels);
  return {
    siteId: options.siteId,
    updated: options.updated.toISOString(),
    official: config.official.map((c) => ({ type: c.type, url: c.url, ...(c.label ? { label: c.label } : {}) })),
    revoked: config.revoked.map((r) => ({ url: r.url, date: r.date, reason: r.reason })),
    keys: {
      current: options.currentKeyId,
      revoked: (options.revokedKeys ?? []).map((k) => ({ keyId: k.keyId, date: k.date, reason: k.reason })),
      ...(options.timestampKey ? { timestamp: { keyId: options.timestampKey.keyId, publicKey: options.timestampKey.publicKey } } : {}),
    },
  };
}
