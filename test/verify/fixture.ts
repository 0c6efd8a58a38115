/** A small sealed site for verify tests. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KeyPublications } from '../../src/seal/key-store.js';
import { sealSite } from '../../src/seal/seal-site.js';
import { createSignerFromSeed, type Signer } from '../../src/seal/signer.js';
import type { OutputFiles } from '../../src/site/output.js';
import type { ChannelsConfig } from '../../src/trust/channels-config.js';

export const NOW = new Date('2026-03-01T12:00:00.000Z');
export const SIGNER = createSignerFromSeed(new Uint8Array(32).fill(7));
export const OTHER_SIGNER = createSignerFromSeed(new Uint8Array(32).fill(9));
export const CHANNELS: ChannelsConfig = {
  official: [
    { type: 'domain', url: 'https://rights.example.org/', label: 'Main site' },
    { type: 'onion', url: 'http://abcdefghijklmnopabcdefghijklmnopabcdefghijklmnopabcd.onion/' },
  ],
  revoked: [{ url: 'https://old-rights.example.net/', date: '2025-06-01', reason: 'domain seized' }],
};

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
  0, 0, 0x1f, 0x15, 0xc4, 0x89,
]);

/** The unsealed output of a tiny site. */
export function createFixtureOutput(): OutputFiles {
  const out: OutputFiles = new Map();
  const e = (s: string) => new TextEncoder().encode(s);
  out.set(
    'index.html',
    e(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rights Watch</title>' +
        '<link rel="stylesheet" href="/css/site.css"></head><body><h1>Rights Watch</h1>' +
        '<img src="img/logo.png" alt="logo"><a href="about/">About</a><a href="reports/2010.html">2010 report</a>' +
        '<a href="https://other.example.com/x">elsewhere</a></body></html>\n',
    ),
  );
  out.set('about/index.html', e('<!doctype html><html lang="en"><head><title>About</title></head><body><p>Who we are.</p><a href="../">Home</a></body></html>\n'));
  out.set('reports/2010.html', e('<!doctype html><html lang="en"><head><title>2010</title></head><body><p>In 2010 our site was defaced.</p></body></html>\n'));
  out.set('css/site.css', e('body{font-family:serif;background:url("../img/logo.png")}\n'));
  out.set('img/logo.png', PNG);
  out.set('404.html', e('<!doctype html><title>Not found</title><p>Not found</p>\n'));
  return out;
}

/** Seal the fixture output. */
export function sealFixture(
  options: { version?: number; now?: Date; signer?: Signer; expiresInDays?: number; keys?: KeyPublications; log?: readonly string[] } = {},
): OutputFiles {
  const out = createFixtureOutput();
  sealSite(out, {
    siteId: 'rights-watch',
    version: options.version ?? 3,
    now: options.now ?? NOW,
    expiresInDays: options.expiresInDays,
    signer: options.signer ?? SIGNER,
    channels: CHANNELS,
    keys: options.keys,
    log: options.log,
  });
  return out;
}

const dirs: string[] = [];

/** A fresh temp folder (removed by `cleanupTempDirs`). */
export function makeTempDir(prefix = 'stele-verify-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** Write an output map to a folder. */
export function writeOutput(out: OutputFiles, dir: string): void {
  for (const [path, data] of out) {
    const abs = join(dir, ...path.split('/'));
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, data);
  }
}

/** Seal the fixture and write it to a new temp folder. */
export function writeSealedFixture(options: Parameters<typeof sealFixture>[0] = {}): string {
  const dir = makeTempDir();
  writeOutput(sealFixture(options), dir);
  return dir;
}

/** Remove all temp folders made by this module. */
export function cleanupTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** The release log entry lines of a sealed folder (first bundle: fixtures have fewer than 256 versions). */
export function readLogLines(dir: string): string[] {
  const text = readFileSync(join(dir, '.well-known/stele/log/entries/0000'), 'utf8');
  return text.split('\n').filter((l) => l !== '');
}
