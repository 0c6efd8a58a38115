/**
 * Official channels (`.well-known/stele/channels.json`): where the genuine site
 * lives, which addresses are no longer ours (seized domains, hijacked accounts),
 * and which signing keys are current or revoked: the published document, how a
 * verifier reads it and looks up a revoked address. The site config section it
 * is built from (`seal.channels`) is `channels-config.ts`.
 */
import { decodeUtf8 } from './bytes.js';
import type { Channel, RevokedAddress } from './channels-config.js';
import type { RevokedKey } from './keys.js';
import type { TimestampDelegation } from './timestamp.js';
import * as z from './zod.js';

/** The entries of the document, as the config section `seal.channels` defines them. */
export type { Channel, RevokedAddress } from './channels-config.js';

/** The published `channels.json` document. */
export interface ChannelsDocument {
  siteId: string;
  updated: string;
  official: Channel[];
  revoked: RevokedAddress[];
  /** `timestamp`: the online key the main key delegates to sign only `timestamp.json` (absent without one). */
  keys: { current: string; revoked: RevokedKey[]; timestamp?: TimestampDelegation };
}

/** Schema for reading a published channels.json (lenient about extra keys). */
export const channelsDocumentSchema = z.object({
  siteId: z.string(),
  updated: z.string(),
  official: z.array(z.object({ type: z.string(), url: z.string(), label: z.optional(z.string()) })),
  revoked: z.array(z.object({ url: z.string(), date: z.string(), reason: z.string() })),
  keys: z.optional(
    z.object({
      current: z.string(),
      revoked: z.array(z.object({ keyId: z.string(), date: z.string(), reason: z.string() })),
      timestamp: z.optional(z.object({ keyId: z.string(), publicKey: z.string() })),
    }),
  ),
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
    const doc = channelsDocumentSchema.safeParse(JSON.parse(decodeUtf8(bytes)), z.PARSE_ONCE);
    return doc.success ? doc.data : undefined;
  } catch {
    return undefined;
  }
}
