/**
 * The timestamp file (`.well-known/stele/timestamp.json`), after TUF's timestamp
 * role: a small document signed by an online **timestamp key** that says "the
 * current manifest of this site is this one, and that is still true until
 * `expires`". The main (offline) key delegates the timestamp key in the signed
 * channels list; the timestamp key can sign nothing else a verifier accepts, so
 * it can keep a site fresh but never make a changed file verify. Pure and
 * browser-safe.
 */
import { decodeUtf8 } from './bytes.js';
import { parseChannelsDocument } from './channels.js';
import type { Manifest } from './manifest.js';
import { type MinisignPublicKey, parsePublicKey, parseSignature, verifyMinisign } from './minisign.js';
import { CHANNELS_PATH, STELE_DIR } from './paths.js';
import type { VerifyProblem } from './problems.js';
import { MAX_SIGNATURE_BYTES, type TrustReader } from './reader.js';
import { readListedFile } from './signed-manifest.js';
import * as z from './zod.js';

/** The timestamp document in the site. */
export const TIMESTAMP_PATH = `${STELE_DIR}/timestamp.json`;
/** Its minisign signature, by the delegated timestamp key. */
export const TIMESTAMP_SIG_PATH = `${TIMESTAMP_PATH}.minisig`;
/** Default life of a timestamp. */
export const DEFAULT_TIMESTAMP_DAYS = 7;
/** Default life of a manifest when a timestamp key keeps the site fresh. */
export const DEFAULT_MANIFEST_DAYS_WITH_TIMESTAMP = 365;

/** Largest timestamp document read from a site. */
export const MAX_TIMESTAMP_BYTES = 4096;
/** The untrusted comment of a timestamp signature. */
export const TIMESTAMP_UNTRUSTED_COMMENT = 'stele timestamp (signed by the delegated timestamp key; vouches for freshness only)';

/**
 * The main key's delegation of a timestamp key, in the signed `channels.json`
 * (`keys.timestamp`): the key id and the base64 line of its minisign public key.
 */
export interface TimestampDelegation {
  keyId: string;
  publicKey: string;
}

/** True for the timestamp files, which live outside the manifest (they are re-signed without the main key). */
export function isTimestampPath(path: string): boolean {
  return path === TIMESTAMP_PATH || path === TIMESTAMP_SIG_PATH;
}

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

const isoDate = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date'));

/** Schema of the timestamp document (strict). */
export const timestampSchema = z.strictObject({
  stele: z.literal(1),
  siteId: z.string().check(z.minLength(1), z.maxLength(200)),
  version: z.number().check(z.int(), z.nonnegative()),
  manifestSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  issued: isoDate,
  expires: isoDate,
  keyId: z.string().check(z.regex(/^[0-9A-F]{16}$/)),
});

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
  const result = timestampSchema.safeParse(data, z.PARSE_ONCE);
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

/** What {@link checkSiteTimestamp} found. */
export interface SiteTimestampCheck {
  /** The timestamp key the site delegates, when it delegates one. */
  delegation?: TimestampDelegation;
  /** The timestamp document, when it is present, signed by the delegated key and parses. */
  timestamp?: TimestampDocument;
  problems: VerifyProblem[];
}

/**
 * Read the timestamp key the site delegates: `keys.timestamp` of the copy's
 * channels.json, read only as bytes that match the trusted manifest (so the
 * delegation is signed by the main key). Undefined when there is none; a
 * delegation that does not parse is a `malformed` problem.
 */
export async function readTimestampDelegation(
  reader: TrustReader,
  manifest: Manifest,
): Promise<{ delegation?: TimestampDelegation; key?: MinisignPublicKey; problem?: VerifyProblem }> {
  const bytes = await readListedFile(reader, manifest, CHANNELS_PATH);
  const doc = bytes ? parseChannelsDocument(bytes) : undefined;
  const delegation = doc?.keys?.timestamp;
  if (!delegation) return {};
  const key = parsePublicKey(delegation.publicKey);
  if (!key.ok || key.value.keyId !== delegation.keyId) {
    return {
      delegation,
      problem: { kind: 'malformed', path: CHANNELS_PATH, message: `the timestamp key delegated in ${CHANNELS_PATH} is unreadable or does not match its key id` },
    };
  }
  return { delegation, key: key.value };
}

/**
 * The freshness step for a copy whose manifest signature is trusted (TUF's
 * timestamp role). When the signed channels delegate a timestamp key:
 * - the manifest must not be signed by that key (`wrong-key`: the timestamp key
 *   can only vouch for freshness, never make a file verify);
 * - `timestamp.json` must be present, signed by exactly the delegated key
 *   (another key: `wrong-key`; a signature that does not verify:
 *   `bad-signature`), in the form stele writes (`malformed`);
 * - it must name this manifest (site, version, SHA-256) and not have expired,
 *   else `stale` (possible freeze): the files are intact and signed, but
 *   nothing proves they are still the current version.
 * Without a delegation nothing is checked (the manifest's own expiry is the
 * freshness signal). `manifestSha256` is the hex SHA-256 of the manifest bytes.
 */
export async function checkSiteTimestamp(input: {
  reader: TrustReader;
  manifest: Manifest;
  manifestSha256: string;
  /** The key that signed the manifest (already verified). */
  signingKey: MinisignPublicKey;
  now: Date;
}): Promise<SiteTimestampCheck> {
  const { reader, manifest, signingKey } = input;
  const read = await readTimestampDelegation(reader, manifest);
  if (!read.delegation) return { problems: [] };
  const delegation = read.delegation;
  if (!read.key) return { delegation, problems: read.problem ? [read.problem] : [] };
  if (delegation.keyId === signingKey.keyId) {
    return {
      delegation,
      problems: [
        {
          kind: 'wrong-key',
          message: `the manifest is signed by key ${signingKey.keyId}, which this site delegates as its timestamp key: a timestamp key only vouches for freshness and can never make a file verify`,
          actual: signingKey.keyId,
        },
      ],
    };
  }
  const docRead = await reader.read(TIMESTAMP_PATH, MAX_TIMESTAMP_BYTES);
  const sigRead = await reader.read(TIMESTAMP_SIG_PATH, MAX_SIGNATURE_BYTES);
  for (const [path, r] of [
    [TIMESTAMP_PATH, docRead],
    [TIMESTAMP_SIG_PATH, sigRead],
  ] as const) {
    if (r.status === 'error') return { delegation, problems: [{ kind: 'unreachable', path, message: `cannot read ${path}: ${r.message}` }] };
    if (r.status === 'missing') {
      return {
        delegation,
        problems: [
          {
            kind: 'stale',
            path,
            message: `this site keeps itself fresh with timestamp key ${delegation.keyId}, but this copy has no ${path === TIMESTAMP_PATH ? 'timestamp' : 'timestamp signature'}: nothing proves it is still the current version (possible freeze)`,
          },
        ],
      };
    }
  }
  if (docRead.status !== 'ok' || sigRead.status !== 'ok') return { delegation, problems: [] };
  const sigText = decodeUtf8(sigRead.data);
  const sig = parseSignature(sigText);
  if (!sig.ok) return { delegation, problems: [{ kind: 'malformed', path: TIMESTAMP_SIG_PATH, message: `timestamp signature: ${sig.reason}` }] };
  if (sig.value.keyId !== delegation.keyId) {
    return {
      delegation,
      problems: [
        {
          kind: 'wrong-key',
          path: TIMESTAMP_SIG_PATH,
          message: `the timestamp is signed by key ${sig.value.keyId}, which this site never delegated (its signed channels list delegates timestamp key ${delegation.keyId})`,
          expected: delegation.keyId,
          actual: sig.value.keyId,
        },
      ],
    };
  }
  const verified = verifyMinisign(docRead.data, sigText, read.key);
  if (!verified.ok) {
    return {
      delegation,
      problems: [
        { kind: verified.failure === 'malformed' ? 'malformed' : 'bad-signature', path: TIMESTAMP_SIG_PATH, message: `timestamp signature: ${verified.reason}` },
      ],
    };
  }
  const parsed = parseTimestamp(decodeUtf8(docRead.data));
  if (!parsed.ok) return { delegation, problems: [{ kind: 'malformed', path: TIMESTAMP_PATH, message: parsed.reason }] };
  const doc = parsed.timestamp;
  if (doc.keyId !== delegation.keyId || verified.trustedComment !== formatTimestampTrustedComment(doc)) {
    return {
      delegation,
      problems: [{ kind: 'malformed', path: TIMESTAMP_PATH, message: 'the timestamp and its signed comment disagree (site, version, expiry or key id)' }],
    };
  }
  const stale = checkTimestampFreshness(doc, { siteId: manifest.siteId, version: manifest.version, sha256: input.manifestSha256 }, input.now);
  return { delegation, timestamp: doc, problems: stale ? [{ kind: 'stale', path: TIMESTAMP_PATH, message: stale }] : [] };
}
