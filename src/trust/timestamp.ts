/**
 * The timestamp file (`.well-known/stele/timestamp.json`), after TUF's timestamp
 * role: a small document signed by an online **timestamp key** that says "the
 * current manifest of this site is this one, and that is still true until
 * `expires`". The main (offline) key delegates the timestamp key in the signed
 * channels list; the timestamp key can sign nothing else a verifier accepts, so
 * it can keep a site fresh but never make a changed file verify. Pure and
 * browser-safe.
 */
import { z } from 'zod';
import { STELE_DIR } from './paths.js';

/** The timestamp document in the site. */
export const TIMESTAMP_PATH = `${STELE_DIR}/timestamp.json`;
/** Its minisign signature, by the delegated timestamp key. */
export const TIMESTAMP_SIG_PATH = `${TIMESTAMP_PATH}.minisig`;
/** Default life of a timestamp. */
export const DEFAULT_TIMESTAMP_DAYS = 7;
/** Default life of a manifest when a timestamp key keeps the site fresh. */
export const DEFAULT_MANIFEST_DAYS_WITH_TIMESTAMP = 365;

/** The timestamp document. */
export interface TimestampDocument {
  stele: 1;
  siteId: string;
  /** Version of the manifest it vouches for. */
  version: number;
  /** Lowercase hex SHA-256 of that manifest file. */
  manifestSha256: string;
  issued: string;
  expires: string;
  /** The timestamp key that signed it. */
  keyId: string;
}

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date');

/** Schema of the timestamp document (strict). */
export const timestampSchema = z
  .object({
    stele: z.literal(1),
    siteId: z.string().min(1).max(200),
    version: z.number().int().nonnegative(),
    manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
    issued: isoDate,
    expires: isoDate,
    keyId: z.string().regex(/^[0-9A-F]{16}$/),
  })
  .strict();

/** Build a timestamp document for a manifest, valid `days` from `now`. */
export function createTimestampDocument(options: {
  siteId: string;
  version: number;
  manifestSha256: string;
  keyId: string;
  now: Date;
  days?: number;
}): TimestampDocument {
  const days = options.days ?? DEFAULT_TIMESTAMP_DAYS;
  if (!(days > 0)) throw new RangeError('timestamp days must be positive');
  return {
    stele: 1,
    siteId: options.siteId,
    version: options.version,
    manifestSha256: options.manifestSha256,
    issued: options.now.toISOString(),
    expires: new Date(options.now.getTime() + days * 86_400_000).toISOString(),
    keyId: options.keyId,
  };
}

/** Canonical text: fixed key order, 2-space indent, trailing newline. */
export function serializeTimestamp(doc: TimestampDocument): string {
  const ordered = {
    stele: doc.stele,
    siteId: doc.siteId,
    version: doc.version,
    manifestSha256: doc.manifestSha256,
    issued: doc.issued,
    expires: doc.expires,
    keyId: doc.keyId,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** The trusted comment of a timestamp signature. */
export function formatTimestampTrustedComment(doc: Pick<TimestampDocument, 'siteId' | 'version' | 'expires' | 'keyId'>): string {
  return `stele timestamp site=${doc.siteId} version=${doc.version} expires=${doc.expires} keyid=${doc.keyId}`;
}

/** Parse timestamp text (must be in canonical form). */
export function parseTimestamp(text: string): { ok: true; timestamp: TimestampDocument } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'timestamp is not valid JSON' };
  }
  const result = timestampSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, reason: `timestamp is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const doc = result.data as TimestampDocument;
  if (serializeTimestamp(doc) !== text) return { ok: false, reason: 'timestamp is not in the form stele writes' };
  return { ok: true, timestamp: doc };
}

/** Why a (signature-checked) timestamp does not vouch for a manifest now; undefined when it does. */
export function checkTimestampFreshness(
  doc: TimestampDocument,
  manifest: { siteId: string; version: number; sha256: string },
  now: Date,
): string | undefined {
  if (doc.siteId !== manifest.siteId) return `the timestamp is for site "${doc.siteId}"`;
  if (doc.manifestSha256 !== manifest.sha256 || doc.version !== manifest.version) {
    return `the timestamp vouches for version ${doc.version}, not for version ${manifest.version}: this copy may be frozen or the timestamp was not refreshed after the build`;
  }
  if (Date.parse(doc.expires) <= now.getTime()) {
    return `the timestamp expired on ${doc.expires}: the files are intact and signed, but nothing proves this is still the current version (possible freeze)`;
  }
  return undefined;
}
