/**
 * The config reference (`docs/config.md`) is generated from the zod schema:
 * the checked-in file must equal what `stele config --reference` prints
 * (`UPDATE=1` rewrites it), every field is in it, and config diagnostics link
 * to the entry of the field at fault.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { runCli } from '../../src/cli/index.js';
import { createConfigReference, listConfigFields } from '../../src/config/config-reference.js';
import { createContentReference, listContentFields } from '../../src/content/content-reference.js';
import { userConfigSchema } from '../../src/config/schema.js';
import { createConfigSource, createTempDir, createTempSite, createTestHost, removeTempDirs } from '../helpers/temp-site.js';

const DOC = join(import.meta.dirname, '../../docs/config.md');
const CONTENT_DOC = join(import.meta.dirname, '../../docs/content.md');

afterAll(removeTempDirs);

describe('docs/config.md', () => {
  it('is up to date with the schema (UPDATE=1 regenerates it)', async () => {
    const generated = createConfigReference();
    if (process.env.UPDATE) await writeFile(DOC, generated);
    const stored = await readFile(DOC, 'utf8');
    expect(stored, 'docs/config.md is stale: run UPDATE=1 npx vitest run test/core/config-reference.test.ts').toBe(generated);
  });

  it('documents every field with a type, required or default, and an example; top-level fields with a description', () => {
    const fields = listConfigFields();
    const paths = new Set(fields.map((f) => f.path));
    for (const key of Object.keys(userConfigSchema.shape)) expect(paths, key).toContain(key);
    for (const f of fields) {
      expect(f.type, f.path).not.toBe('value');
      expect(f.example, f.path).toMatch(/^\w+: \S/);
      if (!f.path.includes('.')) expect(f.description, `${f.path} has no .describe() in src/config/schema.ts`).toBeTruthy();
    }
    expect(new Set(fields.map((f) => f.anchor)).size).toBe(fields.length);
  });

  it('is what `stele config --reference` prints', async () => {
    expect(await printReference([])).toBe(await readFile(DOC, 'utf8'));
  });
});

async function printReference(extra: string[]): Promise<string> {
    let out = '';
    const code = await runCli(['config', '--reference', ...extra], {
      cwd: await createTempDir(),
      host: createTestHost(),
      isTTY: false,
      stdout: (t) => {
        out += t;
      },
      stderr: () => {},
    });
    expect(code).toBe(0);
    return out;
}

describe('docs/content.md', () => {
  it('is up to date with the collection schemas (UPDATE=1 regenerates it) and is what `stele config --reference content` prints', async () => {
    const generated = createContentReference();
    if (process.env.UPDATE) await writeFile(CONTENT_DOC, generated);
    const stored = await readFile(CONTENT_DOC, 'utf8');
    expect(stored, 'docs/content.md is stale: run UPDATE=1 npx vitest run test/core/config-reference.test.ts').toBe(generated);
    expect(await printReference(['content'])).toBe(stored);
  });

  it('says which fields are localized objects', () => {
    const fields = listContentFields();
    for (const [collection, path] of [['people', 'occupation'], ['people', 'place'], ['people', 'court'], ['people', 'charges[].name'], ['events', 'place.name'], ['events', 'organizer']] as const) {
      const f = fields.get(collection)!.find((x) => x.path === path);
      expect(f?.type, `${collection} ${path}`).toMatch(/^localized object/);
    }
  });

  const cases: [string, Record<string, string>, string][] = [
    [
      'a plain string where a localized object is needed',
      { 'content/events/rally.en.md': '---\ntitle: Rally\nkind: rally\nstart: 2012-02-14\nplace:\n  name: Square\n---\n\nText.\n' },
      'docs/content.md#events-place-name',
    ],
    [
      'occupation as a string',
      { 'content/people/a.en.md': '---\ntitle: A\nnames: { en: A B }\nstatus: detained\noccupation: teacher\n---\n\nText.\n' },
      'docs/content.md#people-occupation',
    ],
    ['a misspelt field', { 'content/posts/2026-01-01-a.en.md': '---\ntitle: A\ndate: 2026-01-01\ntagz: [x]\n---\n\nText.\n' }, 'docs/content.md#posts-tags'],
  ];
  it.each(cases)('front-matter hints link to the field: %s', async (_name, files, link) => {
    const root = await createTempSite(files);
    const result = await buildProject({ root, host: createTestHost(), mode: 'development' });
    const d = result.diagnostics.find((x) => x.hint?.includes('docs/content.md'));
    expect(d, JSON.stringify(result.diagnostics)).toBeDefined();
    expect(d!.hint).toContain(link);
    expect(await readFile(CONTENT_DOC, 'utf8')).toContain(`<a id="${link.split('#')[1]}"></a>`);
  });
});

describe('config diagnostics link to the field', () => {
  const cases: [string, string, string][] = [
    ['a bad value', `\n  seal: { expiresInDays: 0 },`, 'docs/config.md#seal-expiresindays'],
    ['a bad value in a list item', `\n  menu: [{ label: 'About', path: 3 }],`, 'docs/config.md#menu-path'],
    ['a misspelt key', `\n  homePost: 3,`, 'docs/config.md#homeposts'],
    ['a default language not in languages', `\n  defaultLanguage: 'zh-Hant',`, 'docs/config.md#defaultlanguage'],
  ];
  it.each(cases)('%s', async (_name, extra, link) => {
    const root = await createTempSite({}, createConfigSource(extra));
    const result = await buildProject({ root, host: createTestHost(), mode: 'development' });
    const d = result.diagnostics.find((x) => x.code === 'STELE1002');
    expect(d, JSON.stringify(result.diagnostics)).toBeDefined();
    expect(d!.hint).toContain(link);
    const anchor = link.split('#')[1]!;
    expect(await readFile(DOC, 'utf8')).toContain(`<a id="${anchor}"></a>`);
  });
});
