/**
 * Issue 12 item 11: a JPEG whose scan data is corrupt used to be decoded past
 * the damage and published garbled. Decoding is strict now: the build reports
 * an error at the Markdown line that uses the image and publishes nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processImage } from '../../src/assets/process-image.js';
import { runCli } from '../../src/cli/index.js';
import { createTempSite, createTestHost, removeTempDirs } from '../helpers/temp-site.js';
import { createNoiseJpeg } from './fixtures.js';

afterAll(removeTempDirs);

/** A valid JPEG with 64 bytes of its entropy-coded scan data overwritten. */
async function createCorruptJpeg(): Promise<Buffer> {
  const jpeg = await createNoiseJpeg(200, 150, 3);
  let sos = -1;
  for (let i = 2; i < jpeg.length - 1; i++) {
    if (jpeg[i] === 0xff && jpeg[i + 1] === 0xda) {
      sos = i;
      break;
    }
  }
  expect(sos).toBeGreaterThan(0);
  const bad = Buffer.from(jpeg);
  bad.fill(0xff, sos + 200, sos + 264);
  return bad;
}

describe('corrupt JPEG scan data', () => {
  it('processImage refuses it', async () => {
    const r = await processImage(await createCorruptJpeg(), { sourcePath: 'content/posts/broken.jpg' });
    expect(r.files).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'STELE3001', severity: 'error' })]);
    expect(r.diagnostics[0]!.message).toMatch(/corrupt/i);
  });

  it('a clean JPEG still processes', async () => {
    const r = await processImage(await createNoiseJpeg(200, 150, 3), { sourcePath: 'content/posts/ok.jpg' });
    expect(r.diagnostics).toEqual([]);
    expect(r.files.length).toBeGreaterThan(0);
  });

  it('`stele build` reports it at the Markdown line that uses it, names the image, and writes nothing', async () => {
    const root = await createTempSite({
      'content/posts/2012-01-01-x.en.md': '---\ntitle: T\ndate: 2012-01-01\n---\n\nIntro.\n\n![Rally](./broken.jpg)\n',
      'content/posts/broken.jpg': await createCorruptJpeg(),
    });
    let out = '';
    const code = await runCli(['build', root, '--no-seal', '--json'], {
      host: createTestHost(),
      isTTY: false,
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        out += t;
      },
    });
    expect(code).toBe(1);
    const { diagnostics } = JSON.parse(out) as { diagnostics: { code: string; file?: string; line?: number; message: string }[] };
    const hit = diagnostics.find((d) => d.code === 'STELE3001');
    expect(hit).toMatchObject({ file: 'content/posts/2012-01-01-x.en.md', line: 8, severity: 'error' });
    expect(hit!.message).toContain('content/posts/broken.jpg');
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });
});
