/**
 * The advocacy home page: active campaigns with "what you can do" first, then
 * the people the site speaks for (portrait or placeholder, status badge, time
 * held so far counted at the build clock, not the wall clock), then the latest
 * news. Closed campaigns and rosters stay off it; withheld roster names never
 * reach it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { readOutputText } from '../../src/site/output.js';
import { createConfigSource, createTempSite, createTestHost, removeTempDirs } from '../helpers/temp-site.js';

afterAll(removeTempDirs);

const FILES: Record<string, string> = {
  'content/campaigns/free-ding.en.md': `---
title: Free Ding
date: 2025-01-01
status: active
goal:
  en: Release Ding Wen.
subjects: [ding-wen]
actions:
  - en: Write to the embassy.
  - en: Share his story.
---

Text.
`,
  'content/campaigns/old-call.en.md': '---\ntitle: An old call\ndate: 2020-01-01\nstatus: closed\ngoal:\n  en: Done.\n---\n\nText.\n',
  'content/people/ding-wen.en.md': `---
title: Ding Wen
names:
  en: Ding Wen
  zh-Hans: 丁文
status: detained
timeline:
  - date: 2024-03-01
    event: detained
portrait:
  placeholder: true
  alt:
    en: Placeholder in place of a portrait of Ding Wen
---

Text.
`,
  'content/people/ma-li.en.md': '---\ntitle: Ma Li\nnames:\n  en: Ma Li\nstatus: exiled\n---\n\nText.\n',
  'content/events/vigil.en.md': `---
title: Vigil
date: 2025-06-04
kind: vigil
start: "2025-06-04"
place:
  name:
    en: Square
roster:
  - id: m1
    names: { en: Secret Person }
    publish: withheld
---

Text.
`,
  'content/posts/2025-02-01-news.en.md': '---\ntitle: Latest news item\ndate: 2025-02-01\n---\n\nText.\n',
};

async function buildHome(now: Date): Promise<string> {
  const root = await createTempSite(FILES, createConfigSource("\n  seal: { required: false },"));
  const result = await buildProject({ root, host: createTestHost({ now }), mode: 'production', write: false, noSeal: true });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(errors, JSON.stringify(errors, null, 1)).toEqual([]);
  return readOutputText(result.output!, 'index.html')!;
}

describe('advocacy home page', () => {
  it('leads with active campaigns and what you can do, then people, then news', async () => {
    const home = await buildHome(new Date('2026-03-01T12:00:00Z'));
    const main = home.slice(home.indexOf('<main'), home.indexOf('</main>'));
    const campaigns = main.indexOf('Free Ding');
    const actions = main.indexOf('What you can do');
    const people = main.indexOf('People we speak for');
    const news = main.indexOf('Latest news item');
    expect(campaigns).toBeGreaterThan(0);
    expect(actions).toBeGreaterThan(campaigns);
    expect(main).toContain('Write to the embassy.');
    expect(people).toBeGreaterThan(actions);
    expect(news).toBeGreaterThan(people);
    // Closed campaigns are not on it, but reachable from the campaigns index.
    expect(main).not.toContain('An old call');
    expect(main).toContain('All campaigns');
    // Portrait placeholder image for Ding Wen, a drawn initial for Ma Li who has none; badges; held first.
    expect(main).toMatch(/<img [^>]*alt="Placeholder in place of a portrait of Ding Wen"/);
    expect(main).toContain('<span class="initial" aria-hidden="true">M</span>');
    expect(main).toContain('<span class="badge detained">');
    expect(main).toContain('<span class="badge exiled">');
    expect(main.indexOf('Ding Wen')).toBeLessThan(main.indexOf('Ma Li'));
    // Time held from 2024-03-01 to the build clock (2026-03-01).
    expect(main).toContain('Time held so far: 2 years');
    // Rosters are never on the home page.
    expect(home).not.toContain('Secret Person');
  });

  it('counts time held at the build clock it is given', async () => {
    const later = await buildHome(new Date('2027-09-15T12:00:00Z'));
    expect(later).toContain('Time held so far: 3 years, 6 months and 14 days');
  });
});
