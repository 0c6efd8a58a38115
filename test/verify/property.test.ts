import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../../src/trust/paths.js';
import { isReleaseLogPath } from '../../src/trust/release-log.js';
import { verifySite } from '../../src/verify/verify-site.js';
import { cleanupTempDirs, makeTempDir, NOW, SIGNER, sealFixture, writeOutput } from './fixture.js';

afterAll(cleanupTempDirs);

describe('property: any single-byte change is detected', () => {
  const sealed = sealFixture();
  const paths = [...sealed.keys()].filter((p) => (sealed.get(p)?.length ?? 0) > 0).sort();

  it('in any file at any offset, including the manifest, its signature and the release log', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (path, rawOffset, xor) => {
          const dir = makeTempDir();
          writeOutput(sealed, dir);
          const abs = join(dir, ...path.split('/'));
          const bytes = readFileSync(abs);
          const offset = rawOffset % bytes.length;
          bytes[offset] ^= xor;
          writeFileSync(abs, bytes);
          const report = await verifySite(dir, { publicKey: SIGNER.publicKeyFile, trustStoreDir: false, now: NOW });
          expect(report.status).not.toBe('genuine');
          if (isReleaseLogPath(path)) {
            expect(report.problems.map((p) => p.kind)).toContain('log-broken');
          } else if (path !== MANIFEST_PATH && path !== MANIFEST_SIG_PATH) {
            expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'modified', path }));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
