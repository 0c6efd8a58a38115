import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cac } from 'cac';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWatchCommand } from '../../src/cli/commands/watch.js';
import type { CliContext } from '../../src/cli/context.js';
import { createNodeHost } from '../../src/io/host.js';
import { buildSealedSite, fixtureSigner, serveStatic, writeOutputFiles } from './site-fixture.js';

let dir: string;
let root: string;
let server: Server;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stele-watch-cli-'));
  root = join(dir, 'www');
  await writeOutputFiles(root, buildSealedSite(3, 'Hello'));
  await cp(root, join(dir, 'pristine'), { recursive: true });
  await writeFile(join(dir, 'site.pub'), fixtureSigner.publicKeyFile);
  ({ server, url } = await serveStatic(root));
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

async function runCli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    host: createNodeHost({ now: () => new Date('2025-03-02T00:00:00.000Z') }),
    cwd: dir,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTTY: false,
    exitCode: 0,
  };
  const cli = cac('stele');
  cli.option('--quiet', 'Print only problems'); // global in src/cli/index.ts
  registerWatchCommand(cli, ctx);
  cli.parse(['node', 'stele', ...args], { run: false });
  await cli.runMatchedCommand();
  return { exitCode: ctx.exitCode, stdout: out.join(''), stderr: err.join('') };
}

describe('stele watch (CLI)', () => {
  it('refuses a too-short interval and a bad URL with exit 2 and catalogue codes', async () => {
    const r = await runCli(['watch', 'ftp://example.org/', '--every', '5s', '--once', '--state', 'state.json']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('STELE5501');
    expect(r.stderr).toContain('STELE5502');
    expect(r.stdout).toBe('');
  });

  it('--once: exit 0 and one line when genuine, exit 1 and one alert when tampered', async () => {
    const common = ['--once', '--key', 'site.pub', '--trust-store', 'off', '--state', 'state.json'];
    const alertFile = join(dir, 'alert.json');
    const ok = await runCli(['watch', url, ...common]);
    expect(ok.stderr).toBe('');
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/ genuine v3 \(\d+ files\)\n$/);

    await writeFile(join(root, 'style.css'), 'body { display: none; }\n');
    const alert = ['--alert-command', `cat >> "${alertFile}"`];
    const bad = await runCli(['watch', url, ...common, ...alert, '--json']);
    expect(bad.exitCode).toBe(1);
    const events = bad.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(['check', 'incident-opened', 'alert-delivered']);
    expect(events[1].payload.files).toEqual({ modified: ['style.css'] });
    const again = await runCli(['watch', url, ...common, ...alert, '--quiet']);
    expect(again.exitCode).toBe(1);
    expect(again.stdout).toBe('');
    const delivered = (await readFile(alertFile, 'utf8')).trim().split('\n');
    expect(delivered).toHaveLength(1);
    expect(JSON.parse(delivered[0]).event).toBe('incident-opened');

    await cp(join(dir, 'pristine'), root, { recursive: true });
    const healed = await runCli(['watch', url, ...common, ...alert]);
    expect(healed.exitCode).toBe(0);
    expect(healed.stdout).toContain('HEALED');
    expect(JSON.parse((await readFile(alertFile, 'utf8')).trim().split('\n')[1]).event).toBe('incident-healed');
  });

  it('reports a corrupt state file instead of starting (exit 2)', async () => {
    await writeFile(join(dir, 'broken.json'), '{ not json');
    const r = await runCli(['watch', url, '--once', '--state', 'broken.json', '--trust-store', 'off']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('STELE5503');
  });
});
