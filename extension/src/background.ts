/**
 * stele Verify's background (Chromium service worker, Firefox event page): checks
 * each page of a stele site against its signed manifest and shows the verdict as
 * the action's badge and title; sends NOT GENUINE pages and revoked addresses to
 * the warning page. Talks only to the site being visited; no telemetry.
 */
import { formatKeyFingerprint } from '../../src/trust/minisign.js';
import {
  type AnyMessage,
  CHECKING_TITLE,
  type LoadedMessage,
  type PageMessage,
  type StartReply,
  TITLE_PREFIX,
  type Verdict,
} from './protocol.js';
import { checkSite, checkUnsignedPage, type LocatedSite, locateSite, type RootCache } from './site-check.js';
import { findKnownRevocation, findOfficialSite, parseImportedKey, readTrustState, type TrustState, writeTrustState } from './store.js';

const BADGE: Record<Verdict['state'], { text: string; color: string }> = {
  genuine: { text: '✓', color: '#1a7f37' },
  'not-genuine': { text: '!', color: '#cf222e' },
  revoked: { text: '✕', color: '#cf222e' },
  unknown: { text: '', color: '#6e7781' },
  error: { text: '?', color: '#9a6700' },
};

const rootCache: RootCache = new Map();
/** Per tab: the navigation being checked and its located site (read once per navigation). */
const probes = new Map<number, { url: string; site: Promise<LocatedSite | { error: string } | undefined> }>();
/** Serialises trust-state updates. */
let stateLock: Promise<unknown> = Promise.resolve();

const fetchFn = (url: string, init: RequestInit) => fetch(url, init);
const interstitialUrl = () => chrome.runtime.getURL('interstitial.html');

function withoutHash(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.href;
}

async function readVerdict(tabId: number): Promise<Verdict | undefined> {
  const key = `verdict:${tabId}`;
  return ((await chrome.storage.session.get(key)) as Record<string, Verdict | undefined>)[key];
}

async function readBypass(tabId: number): Promise<string | undefined> {
  const key = `bypass:${tabId}`;
  return ((await chrome.storage.session.get(key)) as Record<string, string | undefined>)[key];
}

/** Show a verdict on the tab's action. */
async function showVerdict(tabId: number, verdict: Verdict): Promise<void> {
  const title = `${TITLE_PREFIX[verdict.state]} — ${verdict.summary}`;
  const badge = BADGE[verdict.state];
  await Promise.all([
    chrome.action.setTitle({ tabId, title: title.length > 1000 ? `${title.slice(0, 999)}…` : title }),
    chrome.action.setBadgeText({ tabId, text: verdict.state === 'unknown' && verdict.candidate ? '?' : badge.text }),
    chrome.action.setBadgeBackgroundColor({ tabId, color: badge.color }),
  ]).catch(() => undefined); // the tab may be gone
}

async function recordVerdict(tabId: number, verdict: Verdict): Promise<void> {
  await chrome.storage.session.set({ [`verdict:${tabId}`]: verdict });
  await showVerdict(tabId, verdict);
}

/** Send the tab to the full-page warning (an extension page), unless the reader chose to continue. */
async function warn(tabId: number, verdict: Verdict): Promise<boolean> {
  if ((await readBypass(tabId)) === withoutHash(verdict.url)) return false;
  await chrome.tabs.update(tabId, { url: interstitialUrl() });
  return true;
}

function updateTrust(fn: (state: TrustState) => TrustState | undefined): Promise<void> {
  const run = stateLock.then(async () => {
    const next = fn(await readTrustState());
    if (next) await writeTrustState(next);
  });
  stateLock = run.catch(() => undefined);
  return run;
}

function revokedVerdict(url: string, siteId: string, entry: { url: string; date: string; reason: string }): Verdict {
  return {
    state: 'revoked',
    url,
    siteId,
    summary: `${url} is no longer an official address of site "${siteId}" (since ${entry.date}: ${entry.reason})`,
    problems: [{ kind: 'revoked-address', message: `revoked since ${entry.date}: ${entry.reason}`, actual: entry.url }],
  };
}

function probe(tabId: number, url: string) {
  const current = probes.get(tabId);
  if (current && current.url === url) return current.site;
  const site = locateSite(url, fetchFn, rootCache);
  probes.set(tabId, { url, site });
  return site;
}

/** document_start: block known revoked addresses at once; otherwise find the site and check its address. */
async function handleStart(tabId: number, rawUrl: string): Promise<StartReply> {
  const url = withoutHash(rawUrl);
  const bypass = await readBypass(tabId);
  if (bypass !== undefined && bypass !== url) await chrome.storage.session.remove(`bypass:${tabId}`);
  await chrome.storage.session.remove(`verdict:${tabId}`);
  const state = await readTrustState();
  const known = findKnownRevocation(state, url);
  if (known) {
    const verdict = revokedVerdict(url, known.pin.siteId, known.entry);
    await recordVerdict(tabId, verdict);
    return { action: (await warn(tabId, verdict)) ? 'block' : 'show', check: false };
  }
  await chrome.action.setTitle({ tabId, title: CHECKING_TITLE }).catch(() => undefined);
  await chrome.action.setBadgeText({ tabId, text: '' }).catch(() => undefined);
  const site = await probe(tabId, url);
  if (site === undefined) {
    const official = findOfficialSite(state, url);
    if (official) return { action: 'show', check: true }; // an official address serving no manifest: checked after load
    await recordVerdict(tabId, { state: 'unknown', url, summary: 'this site publishes no stele signature', problems: [] });
    return { action: 'show', check: false };
  }
  if ('error' in site) return { action: 'show', check: true };
  // Early check (signature and address only): a revoked address is warned about before the page shows.
  const early = await checkSite({ pageUrl: url, site, resources: [], state, now: new Date() });
  if (early.verdict.state === 'revoked') {
    await recordVerdict(tabId, early.verdict);
    return { action: (await warn(tabId, early.verdict)) ? 'block' : 'show', check: false };
  }
  return { action: 'show', check: true };
}

/** After load: the full check with the page's own bytes and what it loaded. */
async function handleLoaded(tabId: number, message: LoadedMessage): Promise<void> {
  const url = withoutHash(message.url);
  const origin = new URL(url).origin;
  const resources = message.resources.filter((r) => {
    try {
      return new URL(r.url).origin === origin;
    } catch {
      return false;
    }
  });
  const site = await probe(tabId, url);
  const state = await readTrustState();
  let verdict: Verdict;
  if (site === undefined) {
    verdict = checkUnsignedPage(url, state);
  } else if ('error' in site) {
    verdict = { state: 'error', url, summary: site.error, problems: [{ kind: 'unreachable', message: site.error }] };
  } else {
    const result = await checkSite({ pageUrl: url, site, resources, state, now: new Date() });
    verdict = result.verdict;
    const pin = result.pin;
    if (pin) {
      await updateTrust((s) => {
        const previous = s.pins[pin.siteId];
        s.pins[pin.siteId] = { ...pin, highestVersion: Math.max(previous?.highestVersion ?? 0, pin.highestVersion) };
        s.importedKeys = s.importedKeys.filter((k) => k.keyId !== pin.keyId);
        return s;
      });
    }
  }
  probes.delete(tabId);
  await recordVerdict(tabId, verdict);
  if (verdict.state === 'not-genuine' || verdict.state === 'revoked') await warn(tabId, verdict);
}

async function handlePageMessage(message: PageMessage, senderTabId: number | undefined): Promise<unknown> {
  switch (message.type) {
    case 'get-verdict': {
      const tabId = message.tabId ?? senderTabId;
      if (tabId === undefined) return undefined;
      const verdict = await readVerdict(tabId);
      // The warning page replaced the checked page: show the verdict on it too.
      if (verdict && message.tabId === undefined) await showVerdict(tabId, verdict);
      return verdict;
    }
    case 'continue-anyway': {
      const tabId = message.tabId ?? senderTabId;
      if (tabId === undefined) return undefined;
      const verdict = await readVerdict(tabId);
      if (!verdict) return undefined;
      await chrome.storage.session.set({ [`bypass:${tabId}`]: withoutHash(verdict.url) });
      await chrome.tabs.update(tabId, { url: verdict.url });
      return true;
    }
    case 'pin-candidate': {
      const verdict = await readVerdict(message.tabId);
      const candidate = verdict?.candidate;
      if (!candidate) return { ok: false, reason: 'nothing to trust on this tab' };
      await updateTrust((s) => {
        if (s.pins[candidate.siteId]) return undefined;
        const now = new Date().toISOString();
        s.pins[candidate.siteId] = {
          siteId: candidate.siteId,
          keyId: candidate.keyId,
          publicKey: candidate.publicKey,
          source: 'first-visit',
          highestVersion: 0,
          firstSeen: now,
          lastSeen: now,
          official: [],
          revoked: [],
          revokedKeys: [],
        };
        return s;
      });
      await chrome.tabs.reload(message.tabId);
      return { ok: true };
    }
    case 'list-trust':
      return readTrustState();
    case 'import-key': {
      const parsed = parseImportedKey(message.text, message.label, new Date());
      if (!parsed.ok) return parsed;
      await updateTrust((s) => {
        s.importedKeys = [...s.importedKeys.filter((k) => k.keyId !== parsed.key.keyId), parsed.key];
        return s;
      });
      return { ok: true, keyId: parsed.key.keyId, fingerprint: formatKeyFingerprint(parsed.key.keyId) };
    }
    case 'forget-site':
      await updateTrust((s) => {
        delete s.pins[message.siteId];
        return s;
      });
      return { ok: true };
    case 'remove-imported-key':
      await updateTrust((s) => {
        s.importedKeys = s.importedKeys.filter((k) => k.keyId !== message.keyId);
        return s;
      });
      return { ok: true };
  }
}

function isExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  return sender.id === chrome.runtime.id && (sender.url ?? '').startsWith(chrome.runtime.getURL(''));
}

chrome.runtime.onMessage.addListener((message: AnyMessage, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  const tabId = sender.tab?.id;
  let work: Promise<unknown>;
  if (message.type === 'start' || message.type === 'loaded') {
    // Only the top frame of a web page, through our content script.
    if (tabId === undefined || sender.frameId !== 0 || isExtensionPage(sender)) return false;
    work = message.type === 'start' ? handleStart(tabId, message.url) : handleLoaded(tabId, message);
  } else {
    if (!isExtensionPage(sender)) return false;
    work = handlePageMessage(message, tabId);
  }
  work.then(sendResponse, (error: unknown) => {
    console.error('stele Verify:', error);
    sendResponse(undefined);
  });
  return true;
});

chrome.tabs.onRemoved.addListener((tabId) => {
  probes.delete(tabId);
  void chrome.storage.session.remove([`verdict:${tabId}`, `bypass:${tabId}`]);
});
