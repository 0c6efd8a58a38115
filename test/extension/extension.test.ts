/**
 * stele Verify in real Chromium: the built extension (extension/dist/chromium)
 * loaded into a persistent profile, visiting the example site and tampered
 * copies served by a real nginx on 127.0.0.1. Each test reads the verdict the
 * way a reader does: the action's title (through the extension's service worker).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH, REPO_ROOT } from '../browser/helpers.js';
import {
  buildUnsealed,
  findFreePort,
  type Nginx,
  OTHER_SIGNER,
  prepareExample,
  removeDir,
  SITE_SIGNER,
  type SiteAddresses,
  TIMESTAMP_SIGNER,
  sealCopy,
  startNginx,
  writeFiles,
} from './sites.js';

const PREFIXES = ['stele: genuine', 'stele: NOT GENUINE', 'stele: revoked address', 'stele: unknown site', 'stele: could not check'];

let dir: string;
let nginx: Nginx | undefined;
let context: BrowserContext | undefined;
let worker: Worker;
let extensionId: string;
let addresses: SiteAddresses;
let copies: string;
let plain: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stele-extension-'));
  const extDir = join(dir, 'extension');
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/build-extension.mjs'), '--out', extDir], { stdio: 'pipe' });

  const [officialPort, mirrorPort, strippedPort, revokedPort, copiesPort] = await Promise.all([
    findFreePort(),
    findFreePort(),
    findFreePort(),
    findFreePort(),
    findFreePort(),
  ]);
  addresses = {
    official: `http://127.0.0.1:${officialPort}/`,
    mirror: `http://127.0.0.1:${mirrorPort}/mirror/`,
    stripped: `http://127.0.0.1:${strippedPort}/`,
    revoked: `http://127.0.0.1:${revokedPort}/`,
    copies: `http://127.0.0.1:${copiesPort}/`,
  };
  copies = addresses.copies;
  plain = `${copies}plain/`;
  const project = join(dir, 'project');
  await prepareExample(project, addresses);
  const unsealed = await buildUnsealed(project);
  const now = Date.now();
  const genuine = sealCopy(unsealed, addresses, { version: 200 });
  const www = join(dir, 'www');
  await writeFiles(join(www, 'official'), genuine);
  await writeFiles(join(www, 'mirror', 'mirror'), genuine);
  await writeFiles(join(www, 'revoked'), genuine);
  const page = (output: Map<string, Uint8Array>) => new TextDecoder().decode(output.get('index.html')!);
  // One page modified after signing.
  const modified = new Map(genuine);
  modified.set('index.html', new TextEncoder().encode(page(genuine).replace('</h1>', ' (edited)</h1>')));
  await writeFiles(join(www, 'copies', 'modified'), modified);
  // A script injected (the page references it, the file is served).
  const injected = new Map(genuine);
  injected.set('index.html', new TextEncoder().encode(page(genuine).replace('</body>', '<script src="evil.js"></script></body>')));
  injected.set('evil.js', new TextEncoder().encode('document.title = "owned";\n'));
  await writeFiles(join(www, 'copies', 'injected'), injected);
  // An older build, validly signed.
  await writeFiles(join(www, 'copies', 'rollback'), sealCopy(unsealed, addresses, { version: 100 }));
  // Signed by another key.
  await writeFiles(join(www, 'copies', 'otherkey'), sealCopy(unsealed, addresses, { version: 200, signer: OTHER_SIGNER }));
  // Expired: signed 60 days ago for 30 days.
  await writeFiles(join(www, 'copies', 'expired'), sealCopy(unsealed, addresses, { version: 200, now: new Date(now - 60 * 86_400_000) }));
  // A timestamp key delegated: fresh (signed now), and stale (signed 10 days ago for 7 days; the manifest is still valid).
  await writeFiles(join(www, 'copies', 'fresh'), sealCopy(unsealed, addresses, { version: 200, timestampSigner: TIMESTAMP_SIGNER }));
  await writeFiles(join(www, 'copies', 'stale'), sealCopy(unsealed, addresses, { version: 200, now: new Date(now - 10 * 86_400_000), timestampSigner: TIMESTAMP_SIGNER }));
  // Manifest readable, signature unreadable (server error): no verdict possible.
  await writeFiles(join(www, 'copies', 'broken'), genuine);
  // An official address of the site serving its pages without the signed manifest (manifest 404).
  const stripped = new Map(genuine);
  stripped.delete('.well-known/stele/manifest.json');
  stripped.delete('.well-known/stele/manifest.json.minisig');
  await writeFiles(join(www, 'stripped'), stripped);
  // A copy serving the manifest without its signature (signature 404).
  const nosig = new Map(genuine);
  nosig.delete('.well-known/stele/manifest.json.minisig');
  await writeFiles(join(www, 'copies', 'nosig'), nosig);
  // A site that does not use stele.
  await writeFiles(join(www, 'copies', 'plain'), new Map([['index.html', new TextEncoder().encode('<!doctype html><title>Plain</title><p>Not a stele site.</p>\n')]]));

  nginx = await startNginx(join(dir, 'nginx'), [
    { port: officialPort, root: join(www, 'official') },
    { port: mirrorPort, root: join(www, 'mirror') },
    { port: strippedPort, root: join(www, 'stripped') },
    { port: revokedPort, root: join(www, 'revoked') },
    { port: copiesPort, root: join(www, 'copies'), extra: '    location = /broken/.well-known/stele/manifest.json.minisig { return 503; }' },
  ]);

  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${join(extDir, 'chromium')}`, `--load-extension=${join(extDir, 'chromium')}`],
  });
  worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  extensionId = new URL(worker.url()).host;
  await writeFile(join(dir, 'cfcr.pub'), SITE_SIGNER.publicKeyFile);
}, 300_000);

afterAll(async () => {
  await context?.close();
  await nginx?.stop();
  await removeDir(dir);
});

/** The action title of the tab showing `page`, once a verdict is there (polls; no timing asserted). */
async function readVerdictTitle(page: Page): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const url = page.url();
    const title = await worker.evaluate(async (u) => {
      const tabs = await chrome.tabs.query({});
      const tab = tabs.find((t) => t.url === u || t.pendingUrl === u);
      return tab?.id === undefined ? undefined : chrome.action.getTitle({ tabId: tab.id });
    }, url);
    if (title && PREFIXES.some((p) => title.startsWith(p))) {
      // A warning page must have replaced NOT GENUINE pages and revoked addresses before we read them.
      const warned = title.startsWith('stele: NOT GENUINE') || title.startsWith('stele: revoked address');
      if (!warned || page.url().startsWith(`chrome-extension://${extensionId}/interstitial.html`)) return title;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no verdict for ${page.url()}`);
}

async function visit(url: string): Promise<{ page: Page; title: string }> {
  const page = await context!.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  return { page, title: await readVerdictTitle(page) };
}

async function expectVerdict(url: string, prefix: string): Promise<{ page: Page; title: string }> {
  const result = await visit(url);
  expect(result.title.startsWith(prefix), result.title).toBe(true);
  return result;
}

async function warningText(page: Page): Promise<string> {
  await page.waitForFunction(() => (document.getElementById('problems')?.children.length ?? 0) > 0);
  return (await page.locator('main').textContent()) ?? '';
}

describe('stele Verify in Chromium', () => {
  it('a site without stele is an unknown site', async () => {
    const { page } = await expectVerdict(plain, 'stele: unknown site');
    await page.close();
  });

  it('on a first visit it asks to trust the key the site offers; once trusted the page is genuine', async () => {
    const { page, title } = await expectVerdict(addresses.official, 'stele: unknown site');
    expect(title).toContain(SITE_SIGNER.keyId.replace(/(.{4})(?=.)/g, '$1 '));
    const tabId = await worker.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, page.url());
    const popup = await context!.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
    await expect(popup.locator('#pin-fingerprint').textContent()).resolves.toContain(SITE_SIGNER.keyId.slice(0, 4));
    const reloaded = page.waitForEvent('load');
    await popup.click('#pin-button');
    await reloaded;
    const after = await readVerdictTitle(page);
    expect(after).toMatch(/^stele: genuine — site "cfcr" version 200/);
    await popup.close();
    await page.close();
  });

  it('the options page lists the pinned site, forgets it, and imports the key from a file and a fingerprint', async () => {
    const options = await context!.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    const row = options.locator('#pins tr[data-site-id="cfcr"]');
    await expect(row.textContent()).resolves.toContain('trusted on first visit');
    await expect(row.textContent()).resolves.toContain(addresses.revoked);
    await row.locator('button').click();
    await options.locator('#pins tr[data-site-id="cfcr"]').waitFor({ state: 'detached' });
    await options.setInputFiles('#key-file', join(dir, 'cfcr.pub'));
    await options.locator('#imported tr').first().waitFor();
    await expect(options.locator('#import-status').textContent()).resolves.toContain('Imported key');
    await options.fill('#key-text', OTHER_SIGNER.keyId.toLowerCase());
    await options.click('#key-import');
    await options.locator(`#imported tr[data-key-id="${OTHER_SIGNER.keyId}"]`).waitFor();
    await options.locator(`#imported tr[data-key-id="${OTHER_SIGNER.keyId}"] button`).click();
    await options.locator(`#imported tr[data-key-id="${OTHER_SIGNER.keyId}"]`).waitFor({ state: 'detached' });
    await options.close();
    // The imported key pins the site on the next visit.
    const { page, title } = await expectVerdict(addresses.official, 'stele: genuine');
    expect(title).toContain('at an address listed in its signed channels');
    await page.close();
    const again = await context!.newPage();
    await again.goto(`chrome-extension://${extensionId}/options.html`);
    await expect(again.locator('#pins tr[data-site-id="cfcr"]').textContent()).resolves.toContain('imported');
    await again.close();
  });

  it('the genuine example at its official address is genuine, on every page checked', async () => {
    for (const path of ['', 'zh-hans/index.html', 'verify/index.html']) {
      const { page, title } = await expectVerdict(`${addresses.official}${path}`, 'stele: genuine');
      expect(title).toMatch(/[1-9]\d* files checked/);
      await page.close();
    }
  });

  it('a mirror listed in the signed channels, in a sub-folder of another address, is the same site', async () => {
    const { page, title } = await expectVerdict(`${addresses.mirror}about/index.html`, 'stele: genuine');
    expect(title).toContain('at an address listed in its signed channels');
    await page.close();
  });

  it('one page modified: NOT GENUINE, and the warning page names the file', async () => {
    const { page, title } = await expectVerdict(`${copies}modified/`, 'stele: NOT GENUINE');
    expect(title).toContain('modified files: index.html');
    const text = await warningText(page);
    expect(text).toContain('This page is NOT the genuine site');
    expect(text).toContain('index.html was modified');
    await page.close();
  });

  it('an injected script: NOT GENUINE, naming the script and the changed page', async () => {
    const { page, title } = await expectVerdict(`${copies}injected/index.html`, 'stele: NOT GENUINE');
    expect(title).toContain('evil.js');
    expect(title).toContain('index.html');
    expect(await warningText(page)).toContain('not in the signed manifest');
    await page.close();
  });

  it('an older signed version: NOT GENUINE (rollback), as the CLI reports it', async () => {
    const { page, title } = await expectVerdict(`${copies}rollback/`, 'stele: NOT GENUINE');
    expect(title).toContain('rollback to an older version: version 100 is older than version 200 seen before');
    await page.close();
  });

  it('signed by another key: NOT GENUINE', async () => {
    const { page, title } = await expectVerdict(`${copies}otherkey/`, 'stele: NOT GENUINE');
    expect(title).toContain(`signed by the wrong key: signed by key ${OTHER_SIGNER.keyId}, expected ${SITE_SIGNER.keyId}`);
    await page.close();
  });

  it('an expired manifest: NOT GENUINE (expired), as the CLI reports it', async () => {
    const { page, title } = await expectVerdict(`${copies}expired/`, 'stele: NOT GENUINE');
    expect(title).toContain('expired signature: signature expired on');
    await page.close();
  });

  it('a delegated timestamp: fresh is genuine, expired is NOT GENUINE (stale: possible freeze), as the CLI reports it', async () => {
    const fresh = await expectVerdict(`${copies}fresh/`, 'stele: genuine');
    await fresh.page.close();
    const { page, title } = await expectVerdict(`${copies}stale/`, 'stele: NOT GENUINE');
    expect(title).toContain('stale (possible freeze): the timestamp expired on');
    await page.close();
  });

  it('an official address of the pinned site serving its pages without the signed manifest: NOT GENUINE (unsigned)', async () => {
    const { page, title } = await expectVerdict(`${addresses.stripped}about/index.html`, 'stele: NOT GENUINE');
    expect(title).toContain('no signed manifest: this copy of a pinned site serves no signed manifest (.well-known/stele/manifest.json)');
    expect(title).toContain('is an official address of site "cfcr"');
    await page.close();
  });

  it('a copy of the pinned site serving its manifest without the signature: NOT GENUINE (unsigned)', async () => {
    const { page, title } = await expectVerdict(`${copies}nosig/`, 'stele: NOT GENUINE');
    expect(title).toContain('no signed manifest: this copy of a pinned site serves its manifest without the signature (.well-known/stele/manifest.json.minisig)');
    await page.close();
  });

  it('a page without stele at an address no pinned site lists stays an unknown site while a site is pinned', async () => {
    const { page } = await expectVerdict(plain, 'stele: unknown site');
    await page.close();
  });

  it('a signature the server will not give (503): could not check, even for a pinned site', async () => {
    const { page, title } = await expectVerdict(`${copies}broken/`, 'stele: could not check');
    expect(title).toContain('503');
    await page.close();
  });

  it('a revoked address gets the full-page warning before anything of the page is shown, though its files are genuine', async () => {
    const { page, title } = await expectVerdict(`${addresses.revoked}about/index.html`, 'stele: revoked address');
    expect(title).toContain('Compromised in 2010');
    expect(page.url()).toBe(`chrome-extension://${extensionId}/interstitial.html`);
    const text = await warningText(page);
    expect(text).toContain('This address is no longer the site');
    await page.close();
  });

  it('a revoked address is recognised on a first visit too, from the channels the copy itself carries', async () => {
    await worker.evaluate(() => chrome.storage.local.clear());
    const { page } = await expectVerdict(addresses.revoked, 'stele: revoked address');
    await page.close();
  });

  it('without a pin, a manifest without its signature: could not check', async () => {
    const { page, title } = await expectVerdict(`${copies}nosig/`, 'stele: could not check');
    expect(title).toContain('manifest signature not found (.well-known/stele/manifest.json.minisig)');
    await page.close();
  });
});
