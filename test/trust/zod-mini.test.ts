/**
 * The documents a verifier reads (manifest, timestamp, published channels) are judged with
 * zod's tree-shakable API, `zod/mini` (`src/trust/zod.ts`), so that `stele verify` and the
 * browser extension do not load classic zod. These properties hold each schema to the same
 * schema written with classic zod, as the trust core had it: the same documents accepted,
 * the same values returned, and for a refused one the same issues (path, code and English
 * message), whether zod's compiled fast path runs or not (`PARSE_ONCE`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channelsDocumentSchema } from '../../src/trust/channels.js';
import { isSafeSitePath, isServerConfigPath, manifestSchema } from '../../src/trust/manifest.js';
import { timestampSchema } from '../../src/trust/timestamp.js';
import { PARSE_ONCE } from '../../src/trust/zod.js';

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date');
const classicFile = z
  .object({
    path: z.string().refine(isSafeSitePath, 'unsafe path'),
    size: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
const classicManifest = z
  .object({
    stele: z.literal(1),
    siteId: z.string().min(1).max(200),
    version: z.number().int().nonnegative(),
    buildTime: isoDate,
    expires: isoDate,
    keyId: z.string().regex(/^[0-9A-F]{16}$/),
    files: z.array(classicFile),
    serverConfig: z.array(classicFile.refine((f) => isServerConfigPath(f.path), 'not a server configuration file')).optional(),
  })
  .strict();
const classicTimestamp = z
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
const classicChannels = z.object({
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

interface Judged {
  success: boolean;
  data?: unknown;
  error?: { issues: readonly { path: PropertyKey[]; code: string; message: string }[] };
}

/** What a parse says, in comparable terms. */
function summarize(result: Judged): unknown {
  return result.success ? { data: result.data } : { issues: result.error!.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })) };
}

/** A value of any JSON type, sometimes one of the awkward ones. */
const oddValue = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 0.5, 2 ** 53, '', 'x', [], {}, Number.NaN, '2026-13-45', '../a', 'A'.repeat(16), 'a'.repeat(64)),
  fc.string({ maxLength: 8 }),
  fc.integer(),
);

/** `base` with some keys replaced by odd values, some removed and sometimes one added. */
function mutated(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(base);
  return fc
    .record({
      replace: fc.dictionary(fc.constantFrom(...keys), oddValue, { maxKeys: 3 }),
      remove: fc.subarray(keys, { maxLength: 2 }),
      extra: fc.option(fc.constantFrom('extra', '__proto__', 'files'), { nil: undefined }),
    })
    .map(({ replace, remove, extra }) => {
      const doc: Record<string, unknown> = { ...base, ...replace };
      for (const key of remove) delete doc[key];
      if (extra) Object.defineProperty(doc, extra, { value: 1, enumerable: true, configurable: true, writable: true });
      return doc;
    });
}

const HEX = 'a'.repeat(64);
const goodFile = { path: 'posts/a/index.html', size: 12, sha256: HEX };
const file = fc.oneof({ weight: 3, arbitrary: fc.constant(goodFile) }, { weight: 2, arbitrary: mutated(goodFile) }, { weight: 1, arbitrary: oddValue });
const manifestDoc = fc
  .record({
    files: fc.array(file, { maxLength: 4 }),
    serverConfig: fc.option(fc.array(fc.oneof(file, fc.constant({ ...goodFile, path: '.htaccess' })), { maxLength: 3 }), { nil: undefined }),
  })
  .chain(({ files, serverConfig }) =>
    mutated({
      stele: 1,
      siteId: 'site',
      version: 3,
      buildTime: '2026-12-01T00:00:00.000Z',
      expires: '2027-01-01T00:00:00.000Z',
      keyId: '0123456789ABCDEF',
      files,
      ...(serverConfig ? { serverConfig } : {}),
    }),
  );
const timestampDoc = mutated({
  stele: 1,
  siteId: 'site',
  version: 3,
  manifestSha256: HEX,
  issued: '2026-12-01T00:00:00.000Z',
  expires: '2026-12-08T00:00:00.000Z',
  keyId: '0123456789ABCDEF',
});
const channelsDoc = fc
  .record({
    official: fc.array(fc.oneof(mutated({ type: 'domain', url: 'https://example.org/', label: 'Site' }), oddValue), { maxLength: 3 }),
    keys: fc.oneof(mutated({ current: '0123456789ABCDEF', revoked: [], timestamp: { keyId: '0123456789ABCDEF', publicKey: 'x' } }), oddValue),
  })
  .chain(({ official, keys }) => mutated({ siteId: 'site', updated: '2026-12-01T00:00:00.000Z', official, revoked: [{ url: 'https://old.example/', date: '2026-01-01', reason: 'seized' }], keys }));

const cases = [
  ['the manifest', manifestSchema, classicManifest, manifestDoc],
  ['the timestamp', timestampSchema, classicTimestamp, timestampDoc],
  ['the published channels', channelsDocumentSchema, classicChannels, channelsDoc],
] as const;

describe('the trust core schemas in zod/mini against the same schemas in classic zod', () => {
  for (const [name, mini, classic, documents] of cases) {
    it(`${name}: same verdict, value and issues`, () => {
      fc.assert(
        fc.property(documents, (doc) => {
          const expected = summarize(classic.safeParse(doc) as Judged);
          expect(summarize(mini.safeParse(doc, PARSE_ONCE) as Judged)).toEqual(expected);
          expect(summarize(mini.safeParse(doc) as Judged)).toEqual(expected);
        }),
        { numRuns: 1500 },
      );
    });
  }
});
