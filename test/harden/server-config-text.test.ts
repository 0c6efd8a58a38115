import { describe, expect, it } from 'vitest';
import { CACHE_IMMUTABLE } from '../../src/harden/content-types.js';
import { createSecurityHeaders } from '../../src/harden/security-headers.js';
import { collectSiteHeaderOptions, createServerConfigs } from '../../src/harden/server-configs.js';
import { createFixtureSite } from './fixture-site.js';

/** Parse a `_headers` file into path → header lines. */
function parseHeadersFile(text: string): Map<string, string[]> {
  const rules = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      current = [];
      rules.set(line.trim(), current);
    } else current?.push(line.trim());
  }
  return rules;
}

describe('_headers (Netlify / Cloudflare Pages)', () => {
  it('sets every security header on /*, immutable on hashed assets, revalidation on .well-known/stele, and explicit types', async () => {
    const output = await createFixtureSite();
    const headers = createSecurityHeaders(collectSiteHeaderOptions(output));
    const rules = parseHeadersFile(createServerConfigs(output).get('_headers')!);
    expect(rules.get('/*')).toEqual(Object.entries(headers).map(([k, v]) => `${k}: ${v}`));
    expect(rules.get('/*')?.some((l) => l.startsWith('Cache-Control'))).toBe(false);
    expect(rules.get('/assets/*')).toEqual([`Cache-Control: ${CACHE_IMMUTABLE}`]);
    expect(rules.get('/.well-known/stele/*')).toEqual(['Cache-Control: no-cache']);
    expect(rules.get('/manifest.webmanifest')).toEqual(['Content-Type: application/manifest+json; charset=utf-8']);
    expect(rules.get('/feed.atom')).toEqual(['Content-Type: application/atom+xml; charset=utf-8']);
  });

  it('lists hashed files one by one when assets/ also holds unhashed files, and honours a base path', async () => {
    const output = await createFixtureSite();
    output.set('assets/plain.css', new Uint8Array());
    const rules = parseHeadersFile(createServerConfigs(output, { basePath: 'campaign' }).get('_headers')!);
    expect(rules.has('/campaign/*')).toBe(true);
    expect(rules.has('/campaign/assets/*')).toBe(false);
    expect(rules.get('/campaign/assets/site.0123abcd.css')).toEqual([`Cache-Control: ${CACHE_IMMUTABLE}`]);
    expect(rules.has('/campaign/assets/plain.css')).toBe(false);
  });
});

describe('.htaccess', () => {
  it('carries headers, types, cache rules, 404 page, no indexes and dot-file denial', async () => {
    const output = await createFixtureSite();
    const headers = createSecurityHeaders(collectSiteHeaderOptions(output));
    const text = createServerConfigs(output).get('.htaccess')!;
    const lines = text.split('\n').map((l) => l.trim());
    for (const [k, v] of Object.entries(headers)) expect(lines).toContain(`Header always set ${k} "${v}"`);
    expect(lines).toContain('Options -Indexes -MultiViews');
    expect(lines).toContain('ErrorDocument 404 /404.html');
    // Under zh-hans/ the Chinese 404 page (the site has zh-hans/404.html).
    const zh = lines.indexOf('ErrorDocument 404 /zh-hans/404.html');
    expect(lines[zh - 1]).toMatch(/^<If "%\{REQUEST_URI\} =~ m#\^\/zh\\?-hans\/#">$/);
    expect(lines[zh + 1]).toBe('</If>');
    expect(lines).toContain('AddType application/manifest+json .webmanifest');
    expect(lines).toContain('AddType image/avif .avif');
    expect(lines).toContain('AddType text/plain .minisig');
    expect(lines).toContain('AddType application/atom+xml .atom');
    expect(lines).toContain('Header set Cache-Control "no-cache"');
    expect(lines).toContain(`<If "%{REQUEST_URI} =~ m#^/assets/(?:.+/)?[^/]+\\.[0-9a-fA-F]{8,}\\.[A-Za-z0-9]+$#">`);
    expect(lines).toContain(`Header set Cache-Control "${CACHE_IMMUTABLE}"`);
    expect(lines).toContain('RedirectMatch 404 "^/(?:.*/)?\\.(?!well-known(?:/|$))"');
    // The dot-file pattern denies what it must and allows .well-known.
    const dot = /^\/(?:.*\/)?\.(?!well-known(?:\/|$))/;
    expect(['/.env', '/.git/config', '/a/.htaccess', '/.well-known/stele/.x'].every((p) => dot.test(p))).toBe(true);
    expect(['/.well-known/stele/manifest.json', '/index.html', '/assets/a.0123abcd.css'].some((p) => dot.test(p))).toBe(false);
  });
});
