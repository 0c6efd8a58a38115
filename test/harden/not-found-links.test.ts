/**
 * The 404 page at deep addresses. A server answers a missing `/posts/a/b/c/`
 * with the bytes of `404.html`, so the page's links must not depend on the
 * address it is shown at: stele's 404 pages link root-relative under the site
 * path (`baseUrl`'s, else `/`). A real site with a logo is built, once for a
 * domain root and once for a sub-folder (`/campaign/`), served by real nginx,
 * Caddy (configs from `stele server-config`, base path found in the site),
 * Apache (the `.htaccess` the build wrote) and `stele serve`'s server; each is
 * asked for deep missing addresses, and every icon, logo and link of the
 * returned page is followed from that address and must answer 200 with the
 * site's file.
 */
import { chmod, cp, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject } from '../../src/build/build-project.js';
import { startStaticServer } from '../../src/dev/static-server.js';
import { readSiteFolder } from '../../src/site/output.js';
import { type ConfiguredServerKind, startConfiguredServer } from '../helpers/config-servers.js';
import { runCliCapturing } from '../helpers/run-cli.js';
import { createConfigSource, createTempDir, createTempSite, createTestHost, removeTempDirs } from '../helpers/temp-site.js';
import { findFreePort } from '../publish/peers.js';

const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48"><circle cx="24" cy="24" r="20" fill="#1a5c8a"/></svg>';

/** Build a site for `baseUrl` and copy it to `<www><sitePath>`; returns the copy's folder. */
async function buildSite(baseUrl: string, www: string): Promise<string> {
  const config = createConfigSource("\n  seal: { required: false },\n  theme: { logo: 'brand/logo.svg' },").replace("baseUrl: 'https://test.example.org/'", `baseUrl: '${baseUrl}'`);
  const root = await createTempSite(
    {
      'brand/logo.svg': LOGO,
      'content/posts/2026-01-01-hello.en.md': '---\ntitle: Hello\ndate: 2026-01-01\n---\n\nText.\n',
      'content/posts/2026-01-01-hello.zh.md': '---\ntitle: 你好\ndate: 2026-01-01\n---\n\n正文。\n',
    },
    config,
  );
  const result = await buildProject({ root, host: createTestHost(), mode: 'production', noSeal: true });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const folder = join(www, new URL(baseUrl).pathname);
  await chmod(www, 0o755); // Apache's worker runs as nobody
  await mkdir(folder, { recursive: true });
  await cp(join(root, 'dist'), folder, { recursive: true });
  return folder;
}

/** Every same-site URL a page loads or links (href, src), not fragments, mail or other hosts. */
function collectSiteRefs(page: string): string[] {
  return [...page.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((ref) => !/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(ref));
}

/** Ask `server` (site at `siteUrl`) for deep missing addresses; follow every link of the 404 page from there. */
async function expectWorkingNotFoundPages(siteUrl: string, folder: string): Promise<void> {
  const cases: [string, string][] = [
    ['posts/a/b/c/', '404.html'],
    ['no/such/page.html', '404.html'],
    ['zh-hans/posts/a/b/c/d/', 'zh-hans/404.html'],
  ];
  for (const [missing, file] of cases) {
    const at = new URL(missing, siteUrl);
    const res = await fetch(at);
    expect(res.status, at.href).toBe(404);
    const page = await res.text();
    expect(page, at.href).toBe(await readFile(join(folder, file), 'utf8'));
    const refs = collectSiteRefs(page);
    // The icon, the logo, the home page and the verification page at least.
    expect(refs.some((r) => r.endsWith('favicon.svg')), at.href).toBe(true);
    expect(refs.some((r) => /assets\/logo-[0-9a-f]+\.svg$/.test(r)), at.href).toBe(true);
    expect(refs.filter((r) => r.endsWith('index.html')).length, at.href).toBeGreaterThanOrEqual(2);
    for (const ref of refs) {
      const target = new URL(ref, at);
      const got = await fetch(target);
      const body = new Uint8Array(await got.arrayBuffer());
      expect(got.status, `${ref} from ${at.href}`).toBe(200);
      // The very file of this copy of the site.
      const path = decodeURIComponent(target.pathname.slice(new URL(siteUrl).pathname.length));
      expect(body, `${ref} from ${at.href}`).toEqual(new Uint8Array(await readFile(join(folder, path))));
    }
  }
}

afterAll(removeTempDirs);

for (const baseUrl of ['https://test.example.org/', 'https://test.example.org/campaign/']) {
  const sitePath = new URL(baseUrl).pathname;
  describe(`404 pages of a site built for ${baseUrl}, served under ${sitePath}`, () => {
    let www = '';
    let folder = '';

    beforeAll(async () => {
      www = await createTempDir('stele-404-www-');
      folder = await buildSite(baseUrl, www);
    }, 120_000);

    it('link from the site path, so the checks passed with root-relative links in 404 pages only', async () => {
      const notFound = await readFile(join(folder, '404.html'), 'utf8');
      expect(notFound).toContain(`<link rel="icon" type="image/svg+xml" href="${sitePath}favicon.svg">`);
      expect(await readFile(join(folder, 'zh-hans/404.html'), 'utf8')).toContain(`href="${sitePath}zh-hans/index.html"`);
      // Other pages stay relative.
      expect(await readFile(join(folder, 'posts/hello/index.html'), 'utf8')).toContain('href="../../favicon.svg"');
    });

    for (const kind of ['nginx', 'caddy', 'apache'] as ConfiguredServerKind[]) {
      it(`${kind}: every link of the 404 page works at a deep missing address`, async () => {
        const dir = await createTempDir(`stele-404-${kind}-`);
        const port = await findFreePort();
        const url = `http://127.0.0.1:${port}`;
        let config: string | undefined;
        if (kind !== 'apache') {
          // No --base-path: the config serves the site under the path its 404 pages link from.
          const printed = await runCliCapturing(['server-config', kind === 'nginx' ? 'nginx' : 'caddy', folder, '--root', www, '--listen', `127.0.0.1:${port}`, '--server-name', '127.0.0.1', '--address', url], dir);
          expect(printed.stderr).toBe('');
          expect(printed.code).toBe(0);
          config = printed.stdout;
        }
        // Apache reads the .htaccess the build wrote into the site.
        const server = await startConfiguredServer(kind, { dir, documentRoot: www, port, ...(config !== undefined ? { config } : {}) });
        try {
          await expectWorkingNotFoundPages(`${url}${sitePath}`, folder);
        } finally {
          await server.stop();
        }
      }, 60_000);
    }

    it('stele serve: every link of the 404 page works at a deep missing address', async () => {
      const server = await startStaticServer(await readSiteFolder(folder, createTestHost().fs));
      try {
        // `stele serve` serves the site at / and also under the path its 404 pages link from.
        await expectWorkingNotFoundPages(new URL(sitePath, server.url).href, folder);
      } finally {
        await server.close();
      }
    });
  });
}

describe('stele server-config under another path than the 404 pages link from', () => {
  it('warns with STELE4003, the two paths and how to fix it', async () => {
    const www = await createTempDir('stele-404-mirror-');
    const folder = await buildSite('https://test.example.org/campaign/', www);
    const other = await runCliCapturing(['server-config', 'nginx', folder, '--base-path', '/mirror'], www);
    expect(other.code).toBe(0);
    expect(other.stdout).toContain('error_page 404 /mirror/404.html;');
    expect(other.stderr).toContain('STELE4003');
    expect(other.stderr).toContain('/mirror/');
    expect(other.stderr).toContain('/campaign/');
    expect(other.stderr).toContain('baseUrl');
    const same = await runCliCapturing(['server-config', 'nginx', folder, '--base-path', '/campaign/'], www);
    expect(same.stderr).toBe('');
    expect(same.stdout).toContain('error_page 404 /campaign/404.html;');
  }, 120_000);
});
