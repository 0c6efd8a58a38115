/**
 * Temporary projects on disk for build and CLI tests, and a host with a fixed
 * clock whose log lines are captured instead of printed.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createNodeFileSystem, type FileSystem, type Host } from '../../src/io/host.js';

/** The clock every core test uses. */
export const FIXED_NOW = new Date('2026-03-01T12:00:00.000Z');

/** Folder of the on-disk site fixtures. */
export const SITE_FIXTURES = join(import.meta.dirname, '../fixtures/sites');

/** A host on the real disk with a fixed clock; log lines land in `logs`. */
export function createTestHost(options: { now?: Date; fs?: FileSystem } = {}): Host & { logs: string[] } {
  const logs: string[] = [];
  const now = options.now ?? FIXED_NOW;
  return {
    fs: options.fs ?? createNodeFileSystem(),
    now: () => now,
    log: {
      info: (m) => logs.push(`info: ${m}`),
      warn: (m) => logs.push(`warn: ${m}`),
      error: (m) => logs.push(`error: ${m}`),
    },
    logs,
  };
}

/** Every temp folder made by `createTempDir`, removed by `removeTempDirs`. */
const made: string[] = [];

/** Make an empty temp folder. */
export async function createTempDir(prefix = 'stele-core-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Remove every folder `createTempDir` made (call in `afterAll`). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Write `files` (project-relative path → text or bytes) under `root`. */
export async function writeFiles(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [rel, data] of Object.entries(files)) {
    const abs = join(root, rel);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, data);
  }
}

/** Copy the site fixture `name` into a fresh temp folder and return its path. */
export async function copySiteFixture(name: string): Promise<string> {
  const root = await createTempDir(`stele-${name}-`);
  await cp(join(SITE_FIXTURES, name), root, { recursive: true });
  return root;
}

/**
 * A copy of the example project's sources (content, config, brand; no keys, no
 * log) in a fresh temporary folder, made synchronously so a test module can
 * set up at load time. The caller removes it.
 */
export function copyExampleSources(prefix: string): string {
  const example = join(import.meta.dirname, '../../examples/cfcr');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const part of ['content', 'stele.config.ts', 'brand']) cpSync(join(example, part), join(dir, part), { recursive: true });
  return dir;
}

/** A minimal valid config (English + Simplified Chinese) as `stele.config.ts` text. */
export function createConfigSource(extra = ''): string {
  return `import { defineConfig } from 'stele';

export default defineConfig({
  siteId: 'test-site',
  title: { en: 'Test site', 'zh-Hans': '测试站点' },
  baseUrl: 'https://test.example.org/',
  languages: ['en', 'zh-Hans'],${extra}
});
`;
}

/** Make a temp project from a config and content files (paths relative to the project). */
export async function createTempSite(files: Record<string, string | Uint8Array>, config = createConfigSource()): Promise<string> {
  const root = await createTempDir();
  await writeFiles(root, { 'stele.config.ts': config, ...files });
  return root;
}
