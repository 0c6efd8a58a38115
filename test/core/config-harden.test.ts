/** `harden.formAction` in the config reaches every page's CSP and the generated `_headers`. */
import { afterAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { createConfigSource, createTempSite, createTestHost, removeTempDirs } from '../helpers/temp-site.js';

afterAll(removeTempDirs);

const post = '---\ntitle: Sign our petition\ndate: 2026-01-01\n---\n\nText.\n';

describe('config harden.formAction', () => {
  it('defaults to form-action none', async () => {
    const root = await createTempSite({ 'content/posts/2026-01-01-p.en.md': post });
    const r = await buildProject({ root, host: createTestHost(), write: false, noSeal: true });
    const page = new TextDecoder().decode(r.output!.get('posts/p/index.html'));
    expect(page).toContain("form-action 'none'");
  });

  it('allows the configured targets, in pages and in _headers', async () => {
    const root = await createTempSite(
      { 'content/posts/2026-01-01-p.en.md': post },
      createConfigSource("harden: { formAction: ['https://forms.example.org'] },"),
    );
    const r = await buildProject({ root, host: createTestHost(), write: false, noSeal: true });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const page = new TextDecoder().decode(r.output!.get('posts/p/index.html'));
    expect(page).toContain('form-action https://forms.example.org');
    expect(new TextDecoder().decode(r.output!.get('_headers'))).toContain('form-action https://forms.example.org');
  });
});
