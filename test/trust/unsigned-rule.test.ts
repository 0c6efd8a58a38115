/**
 * The trust core's one rule for a copy that does not give its manifest or its
 * signature (used by `stele verify` and the browser extension): "not found" on a
 * pinned site is `unsigned` (NOT GENUINE); unpinned, or any other failure, is
 * `unreachable` (could not check).
 */
import { describe, expect, it } from 'vitest';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../../src/trust/paths.js';
import { resolveVerdict } from '../../src/trust/problems.js';
import { resolveUnreadManifestProblem } from '../../src/trust/signed-manifest.js';

describe('resolveUnreadManifestProblem', () => {
  it('a pinned site whose manifest or signature is not found is unsigned: NOT GENUINE', () => {
    const manifest = resolveUnreadManifestProblem('manifest', { status: 'missing' }, true);
    const signature = resolveUnreadManifestProblem('signature', { status: 'missing' }, true);
    expect([manifest.kind, manifest.path]).toEqual(['unsigned', MANIFEST_PATH]);
    expect([signature.kind, signature.path]).toEqual(['unsigned', MANIFEST_SIG_PATH]);
    expect(signature.message).toContain('without the signature');
    expect(resolveVerdict([manifest])).toBe('not-genuine');
    expect(resolveVerdict([signature])).toBe('not-genuine');
  });

  it('without a pin, or when the read failed otherwise, it is could not check', () => {
    for (const file of ['manifest', 'signature'] as const) {
      const unpinned = resolveUnreadManifestProblem(file, { status: 'missing' }, false);
      const failed = resolveUnreadManifestProblem(file, { status: 'error', message: 'answered 503' }, true);
      expect([unpinned.kind, failed.kind]).toEqual(['unreachable', 'unreachable']);
      expect(failed.message).toContain('answered 503');
      expect(resolveVerdict([unpinned, failed])).toBe('error');
    }
  });
});
