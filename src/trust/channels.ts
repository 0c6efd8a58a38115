/**
 * Official channels (`.well-known/stele/channels.json`): where the genuine site
 * lives, which addresses are no longer ours (seized domains, hijacked accounts),
 * and which signing keys are current or revoked. Embedded in the site config as
 * `seal.channels`.
 */
import { z } from 'zod';
import { decodeUtf8 } from './bytes.js';
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


/** The published `channels.json` document. */
export interface ChannelsDocument {
  siteId: string;
  updated: string;
  official: Channel[];
  revoked: RevokedAddress[];
  /** `timestamp`: the online key the main key delegates to sign only `timestamp.json` (absent without one). */
  keys: { current: string; revoked: RevokedKey[]; timestamp?: TimestampDelegation };
}

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

/** Schema for reading a published channels.json (lenient about extra keys). */
export const channelsDocumentSchema = z.object({
  siteId: z.string(),
  updated: z.string(),
  official: z.array(z.object({ type: z.string(), url: z.string(), label: z.string().optional() })),
  revoked: z.array(z.object({ url: z.string(), date: z.string(), reason: z.string() })),
  keys: z
    .object({
      current: z.string(),
      revoked: z.array(z.object({ keyId: z.string(), date: z.string(), reason: z.string() })),
      timestamp: z.object({ keyId: z.string(), publicKey: z.string() }).optional(),
    })
    .optional(),
});

/**
 * Normalise an address for comparison with revoked entries: lowercase scheme and
 * host, no default port, no query or fragment, no trailing slash.
 */
export function normalizeAddress(url: string): string | undefined {
  try {
    const u = new URL(url);
    let path = u.pathname.replace(/\/index\.html?$/, '/');
    if (path.endsWith('/')) path = path.slice(0, -1);
    return `${u.protocol}//${u.host}${path}`.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The revoked entry covering `address` (same address, or an address below a revoked prefix). */
export function findRevokedAddress(address: string, revoked: readonly RevokedAddress[]): RevokedAddress | undefined {
  const target = normalizeAddress(address);
  if (!target) return undefined;
  return revoked.find((r) => {
    const n = normalizeAddress(r.url);
    return n !== undefined && (target === n || target.startsWith(`${n}/`));
  });
}

/** Parse published channels.json bytes; undefined when they are not a channels document. */
export function parseChannelsDocument(bytes: Uint8Array): z.infer<typeof channelsDocumentSchema> | undefined {
  try {
    const doc = channelsDocumentSchema.safeParse(JSON.parse(decodeUtf8(bytes)));
    return doc.success ? doc.data : undefined;
  } catch {
    return undefined;
  }
}
