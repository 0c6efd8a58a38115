/**
 * `parseManifest` checks the entries of `files` by hand (the schema costs microseconds an
 * entry, and a manifest lists tens of thousands) and lets `manifestSchema` judge the rest
 * and anything the hand check does not accept. These properties hold it to the schema:
 * it accepts exactly what the schema accepts and returns what the schema returns.
 * `isSafeSitePath` is a one-pass loop; it is held to the plain definition.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeSitePath, manifestSchema, parseManifest } from '../../src/trust/manifest.js';

const HEX = 'a'.repeat(64);

/** The definition `isSafeSitePath` implements: no leading slash, no backslash or control character, no empty, `.` or `..` segment. */
function isSafeSitePathByDefinition(path: string): boolean {
  if (path.length === 0 || path.length > 4096) return false;
  if (path.startsWith('/') || path.includes('\\') || /[\u0000-\u001f\u007f]/.test(path)) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/** What the schema alone says about a document, in `parseManifest`'s terms (duplicates aside). */
function parseBySchema(data: unknown): { ok: true; manifest: unknown } | { ok: false; reason: string } {
  const result = manifestSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, reason: `manifest is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const paths = [...result.data.files, ...(result.data.serverConfig ?? [])].map((f) => f.path);
  if (new Set(paths).size !== paths.length) return { ok: false, reason: 'duplicate' };
  return { ok: true, manifest: result.data };
}

const pathChars = fc.constantFrom('a', 'b', '.', '/', '\\', '\u0000', '\u001f', '\u007f', ' ', 'é', '中', '\ud800');
const anyPath = fc.oneof(fc.string({ unit: pathChars, maxLength: 12 }), fc.string({ maxLength: 12 }));

/** A value for one key of a listed file: mostly valid, sometimes of the wrong type or range. */
const fileEntry = fc.record(
  {
    path: fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[a-z]{1,6}(\/[a-z]{1,6}){0,2}\.html$/) }, { weight: 1, arbitrary: anyPath }, { weight: 1, arbitrary: fc.constant(7) }),
    size: fc.oneof(
      { weight: 4, arbitrary: fc.nat() },
      { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, -0, 2 ** 53, 2 ** 53 - 1, Number.NaN, '12', null) },
    ),
    sha256: fc.oneof({ weight: 4, arbitrary: fc.constant(HEX) }, { weight: 1, arbitrary: fc.constantFrom(HEX.toUpperCase(), `${HEX}0`, HEX.slice(1), '', 5) }),
    extra: fc.constant('x'),
  },
  { requiredKeys: [] },
);

function document(files: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { stele: 1, siteId: 'site', version: 3, buildTime: '2026-12-01T00:00:00.000Z', expires: '2027-01-01T00:00:00.000Z', keyId: '0123456789ABCDEF', files, ...extra };
}

describe('parseManifest against manifestSchema', () => {
  it('accepts exactly what the schema accepts, returns what it returns, and gives its reason for a refusal', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 6, arbitrary: fileEntry }, { weight: 1, arbitrary: fc.constantFrom(null, [], 'a.html', 3) }), { maxLength: 8 }),
        fc.constantFrom({}, { serverConfig: [{ path: '.htaccess', size: 1, sha256: HEX }] }, { serverConfig: [{ path: 'a.html', size: 1, sha256: HEX }] }, { siteId: '' }, { unknown: 1 }),
        (files, extra) => {
          const text = JSON.stringify(document(files, extra));
          const fast = parseManifest(text);
          const bySchema = parseBySchema(JSON.parse(text));
          expect(fast.ok).toBe(bySchema.ok);
          if (fast.ok && bySchema.ok) expect(fast.manifest).toEqual(bySchema.manifest);
          if (!fast.ok && !bySchema.ok && bySchema.reason !== 'duplicate') expect(fast.reason).toBe(bySchema.reason);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses entries the hand check must not let through: unknown keys, a __proto__ key, unsafe paths, unsafe sizes, upper-case hashes', () => {
    const first = { path: 'index.html', size: 1, sha256: HEX };
    const good = { path: 'a.html', size: 1, sha256: HEX };
    expect(parseManifest(JSON.stringify(document([first, good]))).ok).toBe(true);
    for (const entry of [
      { ...good, extra: 1 },
      { path: 'a.html', size: 1 },
      { ...good, path: '../a.html' },
      { ...good, path: 'a/./b.html' },
      { ...good, path: 'a\\b.html' },
      { ...good, path: '/a.html' },
      { ...good, path: 'a.html/' },
      { ...good, size: 2 ** 53 },
      { ...good, size: -1 },
      { ...good, size: 1.5 },
      { ...good, sha256: HEX.toUpperCase() },
    ]) {
      expect(parseManifest(JSON.stringify(document([first, entry]))).ok, JSON.stringify(entry)).toBe(false);
    }
    const proto = `{"path":"a.html","size":1,"sha256":"${HEX}","__proto__":{"x":1}}`;
    expect(parseManifest(JSON.stringify(document([first])).replace('"files":[', `"files":[${proto},`)).ok).toBe(false);
  });
});

describe('isSafeSitePath', () => {
  it('agrees with its definition on any string', () => {
    fc.assert(
      fc.property(fc.oneof(anyPath, fc.string({ unit: pathChars, maxLength: 40 })), (path) => {
        expect(isSafeSitePath(path)).toBe(isSafeSitePathByDefinition(path));
      }),
      { numRuns: 5000 },
    );
    for (const path of ['.', '..', '...', '.a', 'a.', 'a/..b', 'a/b..', '../a', 'a/../b', 'a//b', '/', '', 'x'.repeat(4096), 'x'.repeat(4097)]) {
      expect(isSafeSitePath(path), path).toBe(isSafeSitePathByDefinition(path));
    }
  });
});

describe('manifestSchema messages', () => {
  // This file loads no classic zod (which registers English messages when it makes its first schema): the trust core registers them itself.
  it('reports a refusal in English words, not zod/mini\'s bare "Invalid input"', () => {
    const result = parseManifest(JSON.stringify(document([{ path: 'a.html', size: 1.5, sha256: HEX }])));
    expect(result).toEqual({ ok: false, reason: 'manifest is invalid at files.0.size: Invalid input: expected int, received number' });
    expect(parseManifest(JSON.stringify(document([], { siteId: '' })))).toEqual({ ok: false, reason: 'manifest is invalid at siteId: Too small: expected string to have >=1 characters' });
  });
});
