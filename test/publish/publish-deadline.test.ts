/**
 * Publish verifies each copy where it is served, within a deadline: a mirror
 * that accepts the connection and never answers cannot hold `stele publish`
 * forever. Past `--deadline` that copy is "verified: NO" (exit 1), and the
 * same run still publishes and checks the other target.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../helpers/loopback-server.js';
import { runCliCapturing } from '../helpers/run-cli.js';
import { createSealedOutput, NOW, writeProject } from './peers.js';

let base: string;
let project: string;
let stalling: Awaited<ReturnType<typeof listenOnLoopback>>;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'stele-publish-deadline-'));
  project = join(base, 'project');
  await mkdir(join(base, 'www'), { recursive: true });
  // Accepts every request and never answers.
  stalling = await listenOnLoopback(createServer(() => {}));
  await writeProject(
    project,
    `      { type: 'directory', name: 'stuck', path: '../www', url: '${stalling.url}' },
      { type: 'directory', name: 'local', path: '../www-2' },`,
    createSealedOutput(1),
  );
});

afterAll(async () => {
  await stalling?.close();
  if (base) await rm(base, { recursive: true, force: true });
});

describe('stele publish --deadline', () => {
  it('gives up on a copy that never answers, says so, and still publishes the other target', async () => {
    const run = await runCliCapturing(['publish', project, '--deadline', '2', '--json'], project, NOW);
    expect(run.code, run.output).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; targets: { name: string; status: string; verified: string; verifyNote?: string }[] };
    const byName = Object.fromEntries(report.targets.map((t) => [t.name, t]));
    expect(byName.stuck).toMatchObject({ status: 'published', verified: 'no' });
    expect(byName.stuck!.verifyNote).toMatch(/did not finish within 2 s/);
    expect(byName.local).toMatchObject({ status: 'published', verified: 'yes' });
  }, 60_000);

  it('refuses a deadline that is not a number of seconds', async () => {
    const run = await runCliCapturing(['publish', project, '--deadline', 'soon'], project, NOW);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/STELE5011/);
    expect(run.output).toMatch(/--deadline "soon"/);
  });
});
