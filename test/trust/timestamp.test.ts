import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkTimestampFreshness,
  createTimestampDocument,
  parseTimestamp,
  serializeTimestamp,
} from '../../src/trust/timestamp.js';

const base = { siteId: 'cfcr', version: 3, manifestSha256: 'a'.repeat(64), keyId: '0123456789ABCDEF' };
const now = new Date('2026-12-02T00:00:00.000Z');

describe('timestamp document', () => {
  it('defaults to 7 days and round-trips in canonical form only', () => {
    const doc = createTimestampDocument({ ...base, now });
    expect(doc.expires).toBe('2026-12-09T00:00:00.000Z');
    const text = serializeTimestamp(doc);
    expect(parseTimestamp(text)).toEqual({ ok: true, timestamp: doc });
    expect(parseTimestamp(text.replace('\n', '\r\n')).ok).toBe(false);
    expect(parseTimestamp(JSON.stringify(doc)).ok).toBe(false);
    expect(parseTimestamp(text.replace('"stele": 1', '"stele": 1, "extra": 1')).ok).toBe(false);
  });

  it('vouches only for its own manifest and only until it expires', () => {
    const doc = createTimestampDocument({ ...base, now, days: 7 });
    const manifest = { siteId: 'cfcr', version: 3, sha256: 'a'.repeat(64) };
    expect(checkTimestampFreshness(doc, manifest, new Date('2026-12-08T23:59:59.000Z'))).toBeUndefined();
    expect(checkTimestampFreshness(doc, manifest, new Date('2026-12-09T00:00:00.000Z'))).toMatch(/possible freeze/);
    expect(checkTimestampFreshness(doc, { ...manifest, version: 4 }, now)).toMatch(/not for version 4/);
    expect(checkTimestampFreshness(doc, { ...manifest, sha256: 'b'.repeat(64) }, now)).toMatch(/not for version 3/);
    expect(checkTimestampFreshness(doc, { ...manifest, siteId: 'x' }, now)).toMatch(/site "cfcr"/);
  });

  it('property: fresh exactly while now < expires', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: -100, max: 100 }), (days, offsetHours) => {
        const doc = createTimestampDocument({ ...base, now, days });
        const at = new Date(Date.parse(doc.expires) + offsetHours * 3_600_000);
        const manifest = { siteId: 'cfcr', version: 3, sha256: 'a'.repeat(64) };
        expect(checkTimestampFreshness(doc, manifest, at) === undefined).toBe(offsetHours < 0);
      }),
    );
  });
});
