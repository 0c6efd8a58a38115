/**
 * Rotation and revocation through the release log, end to end on a real project:
 * keys made, rotated and revoked with `stele keygen` / `stele key`, versions
 * built and sealed with `stele build`, copies checked with `stele verify`.
 *
 * - an untouched history passes;
 * - after `stele key rotate`, a verifier that pinned the old key (trust store, or
 *   `--key old.pub`) follows the rotation the site publishes, remembers the new
 *   key, and the history goes on (a rewritten one is still caught);
 * - after `stele key revoke`, a copy signed by the old key is refused as revoked,
 *   and so is a copy signed by a revoked key a published rotation leads to;
 * - a key change in the log that no rotation signed by the previous key backs
 *   is KEY CHANGED, for a verifier pinning the new key and on a first visit.
 * Thieves' copies are sealed with the library (`sealSite`) with the real keys.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { createStarterFiles } from '../../src/content/starter.js';
import { readKeyPublications } from '../../src/seal/key-store.js';
import { sealSite } from '../../src/seal/seal-site.js';
import { loadSigner, type Signer } from '../../src/seal/signer.js';
import type { VerifyReport } from '../../src/verify/types.js';
import { createTempDir, removeTempDirs, writeFiles } from '../helpers/temp-site.js';
import { createFixtureOutput, makeTempDir, readLogLines, writeOutput } from './fixture.js';

let root: string;
let keys: string;
let dist: string;
/** Trust store of a reader who checks the site with trust on first use. */
let tofu: string;
/** Trust store of a reader who always passes `--key a.pub` (the first key). */
let pinned: string;
let aPub: string;
const ids: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false });
  return { code, out: out.join(''), err: err.join('') };
}

async function build(): Promise<void> {
  const r = await cli(['build', root, '--quiet']);
  expect(r.code, r.out + r.err).toBe(0);
}

async function verify(dir: string, ...flags: string[]): Promise<{ code: number; report: VerifyReport; err: string }> {
  const r = await cli(['verify', dir, '--json', ...flags]);
  return { code: r.code, report: JSON.parse(r.out), err: r.err };
}

async function signerFrom(file: string): Promise<Signer> {
  const loaded = await loadSigner({ keyFile: file });
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.signer;
}

function keyIdOf(pubFile: string): string {
  return readFileSync(pubFile, 'utf8').split('\n')[0].replace(/^untrusted comment: minisign public key /, '').trim();
}

/** A copy sealed outside the project with `signer`, continuing the published log: what a thief holding that key can make. */
async function sealElsewhere(signer: Signer, options: { rotationsTo?: string[] } = {}): Promise<string> {
  const lines = readLogLines(dist);
  const last = Number(lines[lines.length - 1].split(' ')[0]);
  const published = await readKeyPublications(keys);
  const out = createFixtureOutput();
  sealSite(out, {
    siteId: 'rotsite',
    version: last + 1,
    now: new Date(),
    signer,
    channels: { official: [], revoked: [] },
    log: lines,
    keys: { rotations: published.rotations.filter((r) => options.rotationsTo?.includes(r.keyId)) },
  });
  const dir = makeTempDir('stele-thief-');
  writeOutput(out, dir);
  return dir;
}

beforeAll(async () => {
  root = await createTempDir('stele-rotation-');
  await writeFiles(root, createStarterFiles('rotsite'));
  keys = join(root, 'keys');
  dist = join(root, 'dist');
  tofu = await createTempDir('stele-tofu-');
  pinned = await createTempDir('stele-pinned-');
  const made = await cli(['keygen', '--dir', keys, '--unencrypted']);
  expect(made.code, made.err).toBe(0);
  aPub = join(root, 'a.pub');
  copyFileSync(join(keys, 'stele.pub'), aPub);
  ids.a = keyIdOf(aPub);
}, 60_000);

afterAll(removeTempDirs);

describe('rotation and revocation through the release log', () => {
  it('an untouched history passes', async () => {
    await build();
    expect((await verify(dist, '--trust-store', tofu)).code).toBe(0);
    expect((await verify(dist, '--key', aPub, '--trust-store', pinned)).code).toBe(0);
    await build();
    const first = await verify(dist, '--trust-store', tofu);
    expect(first.report.problems).toEqual([]);
    expect(first.report.logHead?.size).toBe(2);
    expect((await verify(dist, '--key', aPub, '--trust-store', pinned)).report.problems).toEqual([]);
  }, 60_000);

  it('rotate: a verifier that pinned the old key follows the rotation, remembers the new key, and the history goes on', async () => {
    const rotated = await cli(['key', 'rotate', '--dir', keys, '--unencrypted']);
    expect(rotated.code, rotated.err).toBe(0);
    ids.b = keyIdOf(join(keys, 'stele.pub'));
    expect(ids.b).not.toBe(ids.a);
    await build();
    // `stele log`: versions 1 and 2 signed by the first key, version 3 by the new one.
    const log = await cli(['log', dist, '--json']);
    expect(JSON.parse(log.out).entries.map((e: { keyId: string }) => e.keyId)).toEqual([ids.a, ids.a, ids.b]);

    // The history remembered under the old key binds the new one: a copy signed by the
    // new key (rotation and all) on another history is HISTORY REWRITTEN for the reader
    // who pins the old key, not a fresh start.
    const lines = readLogLines(dist);
    const fork = createFixtureOutput();
    sealSite(fork, {
      siteId: 'rotsite',
      version: Number(lines[2].split(' ')[0]),
      now: new Date(),
      signer: await signerFrom(join(keys, 'stele.key')),
      channels: { official: [], revoked: [] },
      log: lines.slice(0, 1),
      keys: await readKeyPublications(keys),
    });
    const forkDir = makeTempDir('stele-fork-');
    writeOutput(fork, forkDir);
    for (const flags of [[], ['--key', aPub]]) {
      const rewritten = await verify(forkDir, '--trust-store', flags.length ? pinned : tofu, ...flags);
      expect(rewritten.code).toBe(1);
      expect(rewritten.report.problems.map((p) => p.kind)).toEqual(['history-rewritten']);
    }

    // The genuine version 3: followed, and the new key and the longer history remembered.
    for (const [store, flags] of [
      [tofu, []],
      [pinned, ['--key', aPub]],
    ] as const) {
      const followed = await verify(dist, '--trust-store', store, ...flags);
      expect(followed.report.problems).toEqual([]);
      expect(followed.code).toBe(0);
      expect(followed.err).toContain(`Key rotation followed: site "rotsite" was signed by key ${ids.a}; this copy is signed by key ${ids.b}`);
      const entry = JSON.parse(readFileSync(join(store, 'trust-store.json'), 'utf8')).sites.rotsite;
      expect(entry.keyId).toBe(ids.b);
      expect(entry.logHead.size).toBe(3);
    }
  }, 60_000);

  it('revoke the old key: a manifest signed by it is refused as revoked', async () => {
    const revoked = await cli(['key', 'revoke', ids.a, '--reason', 'laptop seized at the border', '--dir', keys]);
    expect(revoked.code, revoked.err).toBe(0);
    await build();
    const genuine = await verify(dist, '--trust-store', tofu);
    expect(genuine.report.problems).toEqual([]);
    expect(JSON.parse(readFileSync(join(tofu, 'trust-store.json'), 'utf8')).sites.rotsite.revokedKeys).toEqual([ids.a]);

    // The thief holds the old key and signs the next version with it, on top of the real history.
    const thief = await sealElsewhere(await signerFrom(join(keys, `stele.key.${ids.a}.old`)));
    const refused = await verify(thief, '--trust-store', tofu);
    expect(refused.code).toBe(1);
    expect(refused.report.status).toBe('not-genuine');
    expect(refused.report.problems).toContainEqual(
      expect.objectContaining({ kind: 'wrong-key', actual: ids.a, message: `signed by key ${ids.a}, which this site revoked` }),
    );
    const text = await cli(['verify', thief, '--trust-store', tofu]);
    expect(text.out).toContain(`signed by key ${ids.a}, which this site revoked`);
  }, 60_000);

  it('a revoked key is refused even though a published rotation leads to it', async () => {
    expect((await cli(['key', 'rotate', '--dir', keys, '--unencrypted'])).code).toBe(0);
    ids.c = keyIdOf(join(keys, 'stele.pub'));
    expect((await cli(['key', 'revoke', ids.b, '--reason', 'hosting account taken over', '--dir', keys])).code).toBe(0);
    await build();
    // Two rotations in the log (a → b → c), each backed: a first visit passes too.
    const log = await cli(['log', dist, '--json']);
    expect(JSON.parse(log.out).entries.map((e: { keyId: string }) => e.keyId)).toEqual([ids.a, ids.a, ids.b, ids.b, ids.c]);
    expect((await verify(dist, '--trust-store', tofu)).report.problems).toEqual([]);
    expect((await verify(dist, '--trust-store', await createTempDir('stele-first-'))).report.problems).toEqual([]);

    // A copy signed by b, publishing the genuine rotation a → b: b is revoked, so it is refused,
    // for the reader who trusted on first use and for the one who pins a.
    const thief = await sealElsewhere(await signerFrom(join(keys, `stele.key.${ids.b}.old`)), { rotationsTo: [ids.b] });
    for (const flags of [[], ['--key', aPub]]) {
      const refused = await verify(thief, '--trust-store', tofu, ...flags);
      expect(refused.code).toBe(1);
      expect(refused.report.problems).toContainEqual(
        expect.objectContaining({ kind: 'wrong-key', actual: ids.b, message: `signed by key ${ids.b}, which this site revoked` }),
      );
    }
  }, 60_000);

  it('a key change in the log with no rotation signed by the previous key is KEY CHANGED', async () => {
    // A key made apart (not by `stele key rotate`) signs the next version on top of the real history.
    const other = await createTempDir('stele-otherkey-');
    expect((await cli(['keygen', '--dir', other, '--unencrypted'])).code).toBe(0);
    const k = keyIdOf(join(other, 'stele.pub'));
    // The copy publishes the genuine rotations (a → b → c): only the change to the new key is unbacked.
    const copy = await sealElsewhere(await signerFrom(join(other, 'stele.key')), { rotationsTo: [ids.b, ids.c] });
    const version = Number(readLogLines(copy).at(-1)?.split(' ')[0]);
    const expected = `KEY CHANGED in the release log: the signing key changed from ${ids.c} to ${k} in version ${version} with no rotation signed by ${ids.c}`;
    // Pinned to the new key (the signature itself is fine), and on a first visit.
    for (const flags of [['--key', join(other, 'stele.pub'), '--trust-store', 'off'], ['--trust-store', await createTempDir('stele-first-')]]) {
      const flagged = await verify(copy, ...flags);
      expect(flagged.code).toBe(1);
      expect(flagged.report.problems).toHaveLength(1);
      expect(flagged.report.problems[0]).toMatchObject({ kind: 'key-changed', expected: ids.c, actual: k });
      expect(flagged.report.problems[0].message).toContain(expected);
    }
    // A rotation link the new key signed itself, claiming to come from the previous key, does not back it.
    const keysOut = await readKeyPublications(keys);
    const signer = await signerFrom(join(other, 'stele.key'));
    const lines = readLogLines(dist);
    const forged = createFixtureOutput();
    sealSite(forged, {
      siteId: 'rotsite',
      version: version,
      now: new Date(),
      signer,
      channels: { official: [], revoked: [] },
      log: lines,
      keys: {
        rotations: [
          ...keysOut.rotations,
          {
            keyId: k,
            publicKeyFile: signer.publicKeyFile,
            signature: signer.sign(new TextEncoder().encode(signer.publicKeyFile), `stele rotation from=${ids.c} to=${k} date=${new Date().toISOString()}`),
          },
        ],
      },
    });
    const forgedDir = makeTempDir('stele-forged-');
    writeOutput(forged, forgedDir);
    const caught = await verify(forgedDir, '--key', join(other, 'stele.pub'), '--trust-store', 'off');
    expect(caught.report.problems).toEqual([
      expect.objectContaining({ kind: 'key-changed', message: expect.stringContaining(`the rotation link for ${k} does not name its keys`) }),
    ]);
  }, 60_000);
});
