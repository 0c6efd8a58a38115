/**
 * Rendering in worker threads (compiled CLI, large sites), and indexing each
 * language for search in its own worker and Pagefind process, must give exactly
 * the bytes and diagnostics of doing it in process. `STELE_WORKERS` forces the
 * worker paths on a small site.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../bin/stele.js');
const example = join(import.meta.dirname, '../../examples/cfcr');
const dir = mkdtempSync(join(tmpdir(), 'stele-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function copySite(name: string): string {
  const root = join(dir, name);
  cpSync(join(example, 'content'), join(root, 'content'), { recursive: true });
  cpSync(join(example, 'stele.config.ts'), join(root, 'stele.config.ts'));
  cpSync(join(example, 'brand'), join(root, 'brand'), { recursive: true });
  // A broken link, so diagnostics are compared too.
  writeFileSync(join(root, 'content/posts/2026-02-02-extra.en.md'), '---\ntitle: Extra\ndate: 2026-02-02\n---\n\nSee [nothing](./nothing.en.md) and [the rally](../events/rally-2012-02-14.en.md).\n');
  return root;
}

function build(root: string, workers: string): { status: number; json: { ok: boolean; diagnostics: unknown[]; stats: { renderWorkers: number } } } {
  try {
    const out = execFileSync(process.execPath, [bin, 'build', root, '--no-seal', '--json'], {
      env: { ...process.env, STELE_WORKERS: workers, SOURCE_DATE_EPOCH: '1795600000' },
      encoding: 'utf8',
    });
    return { status: 0, json: JSON.parse(out) };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { status: e.status, json: JSON.parse(e.stdout) };
  }
}

function listFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p).toString('base64'));
    }
  };
  walk(root);
  return out;
}

describe('parallel render', () => {
  it('gives the same diagnostics as rendering in process', () => {
    const a = build(copySite('a'), '0');
    const b = build(copySite('b'), '3');
    expect(a.status).toBe(1);
    expect(b.status).toBe(1);
    expect(a.json.stats.renderWorkers).toBe(0);
    expect(b.json.stats.renderWorkers).toBe(3);
    expect(b.json.diagnostics).toEqual(a.json.diagnostics);
    expect(JSON.stringify(a.json.diagnostics)).toContain('STELE1211');
  }, 120_000);

  it('gives the same bytes as rendering and indexing in process', () => {
    const rootA = copySite('c');
    const rootB = copySite('d');
    for (const root of [rootA, rootB]) rmSync(join(root, 'content/posts/2026-02-02-extra.en.md'));
    expect(build(rootA, '0').status).toBe(0);
    expect(build(rootB, '2').status).toBe(0);
    const a = listFiles(join(rootA, 'dist'));
    const b = listFiles(join(rootB, 'dist'));
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, data] of a) expect(b.get(path), path).toBe(data);
    // Three languages in the search index, made by three Pagefind processes on one side.
    expect(Object.keys(JSON.parse(Buffer.from(a.get('pagefind/pagefind-entry.json')!, 'base64').toString()).languages)).toEqual(['en', 'zh-hans', 'zh-hant']);
  }, 120_000);
});
