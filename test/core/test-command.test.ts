/**
 * The test command itself: on a machine without the Debian packages the suite
 * stops first with one message naming them and `.ci/run` (vitest globalSetup),
 * and the summary line counts tests, not a failing file as well as its test.
 * Both run a real nested vitest.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { countTests } from '../../scripts/count-tests.mjs';

const REPO = join(import.meta.dirname, '../..');
const VITEST = join(REPO, 'node_modules/vitest/vitest.mjs');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('npm test on a fresh machine', () => {
  it('fails first with one message naming the missing packages and .ci/run', () => {
    // No minisign, ssh, rsync, git or unzip on this PATH.
    const r = spawnSync(process.execPath, [VITEST, 'run', 'test/core/escaping.test.ts'], {
      cwd: REPO,
      env: { ...process.env, PATH: '/nonexistent' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status).not.toBe(0);
    expect(out).toContain('these Debian packages are missing: minisign openssh-client rsync git unzip.');
    expect(out).toContain('Run .ci/run');
    // Stopped before any test ran.
    expect(out).not.toMatch(/✓|escapes/);
  }, 120_000);
});

describe('the summary line', () => {
  it('counts one failing test inside a describe block once, and a file that does not load once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stele-count-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a.test.mjs'), "import { describe, it, expect } from 'vitest';\ndescribe('group', () => {\n  it('passes', () => expect(1).toBe(1));\n  it('fails', () => expect(1).toBe(2));\n});\n");
    writeFileSync(join(dir, 'b.test.mjs'), "throw new Error('does not load');\n");
    writeFileSync(join(dir, 'vitest.config.mjs'), 'export default {};\n');
    const json = join(dir, 'report.json');
    spawnSync(process.execPath, [VITEST, 'run', '--root', dir, '--reporter=json', `--outputFile=${json}`], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(countTests(report)).toEqual({ passed: 1, failed: 2 });
  }, 120_000);
});
