/**
 * stele Verify's content script (top frame of http/https pages, at document_start).
 * Keeps the page hidden until the background knows whether its address is revoked
 * (at most a few seconds), then, on a stele site, hashes the page and every
 * same-origin resource it loaded, from the page's own HTTP cache where the
 * browser kept them, and sends the digests to the background.
 */
import { hashSha256Hex } from '../../src/trust/release-log.js';
import type { LoadedMessage, ResourceDigest, StartReply } from './protocol.js';

/** Longest time a page stays hidden while its address is checked. */
const HIDE_LIMIT_MS = 3000;
/** Largest resource hashed. */
const MAX_RESOURCE_BYTES = 64 * 1024 * 1024;

function hidePage(): () => void {
  const root = document.documentElement;
  if (!root) return () => undefined;
  const value = root.style.getPropertyValue('visibility');
  const priority = root.style.getPropertyPriority('visibility');
  root.style.setProperty('visibility', 'hidden', 'important');
  let shown = false;
  return () => {
    if (shown) return;
    shown = true;
    if (value) root.style.setProperty('visibility', value, priority);
    else root.style.removeProperty('visibility');
    if (root.getAttribute('style') === '') root.removeAttribute('style');
  };
}

function sameOrigin(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw, document.baseURI);
    if (url.origin !== location.origin) return undefined;
    url.hash = '';
    return url.href;
  } catch {
    return undefined;
  }
}

const LOADED_LINK_RELS = new Set(['stylesheet', 'icon', 'preload', 'modulepreload', 'manifest', 'apple-touch-icon', 'mask-icon']);

/** The page itself, then every same-origin URL it loaded or embeds. */
function collectUrls(): string[] {
  const urls = new Set<string>();
  const add = (raw: string | null | undefined) => {
    const url = sameOrigin(raw);
    if (url) urls.add(url);
  };
  add(location.href);
  for (const entry of performance.getEntriesByType('resource')) add(entry.name);
  for (const el of document.querySelectorAll<HTMLScriptElement>('script[src]')) add(el.src);
  for (const el of document.querySelectorAll<HTMLLinkElement>('link[href]')) {
    if (el.relList && [...el.relList].some((r) => LOADED_LINK_RELS.has(r.toLowerCase()))) add(el.href);
  }
  for (const el of document.querySelectorAll<HTMLImageElement>('img')) add(el.currentSrc || el.src);
  for (const el of document.querySelectorAll<HTMLMediaElement>('video, audio')) add(el.currentSrc);
  for (const el of document.querySelectorAll<HTMLIFrameElement | HTMLEmbedElement>('iframe[src], embed[src]')) add(el.src);
  for (const el of document.querySelectorAll<HTMLObjectElement>('object[data]')) add(el.data);
  return [...urls];
}

async function hashUrl(url: string): Promise<ResourceDigest> {
  try {
    // force-cache: the bytes the browser loaded, from its HTTP cache, when it kept them.
    const res = await fetch(url, { cache: 'force-cache', credentials: 'same-origin', redirect: 'follow' });
    if (new URL(res.url).origin !== location.origin) return { url, status: 'error', message: 'redirected to another site' };
    if (res.status === 404 || res.status === 410) return { url, status: 'missing' };
    if (!res.ok) return { url, status: 'error', message: `HTTP ${res.status}` };
    const data = new Uint8Array(await res.arrayBuffer());
    if (data.length > MAX_RESOURCE_BYTES) return { url, status: 'error', message: 'too large to check' };
    return { url, status: 'ok', sha256: hashSha256Hex(data), size: data.length };
  } catch (error) {
    return { url, status: 'error', message: (error as Error).message };
  }
}

function whenLoaded(): Promise<void> {
  if (document.readyState === 'complete') return Promise.resolve();
  return new Promise((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
}

async function run(): Promise<void> {
  if (window.top !== window) return;
  const show = hidePage();
  const timer = setTimeout(show, HIDE_LIMIT_MS);
  let reply: StartReply | undefined;
  try {
    reply = (await chrome.runtime.sendMessage({ type: 'start', url: location.href })) as StartReply | undefined;
  } catch {
    reply = undefined;
  }
  if (reply?.action === 'block') {
    // The warning page replaces this one; nothing of it is shown meanwhile.
    clearTimeout(timer);
    window.stop();
    return;
  }
  clearTimeout(timer);
  show();
  if (!reply?.check) return;
  await whenLoaded();
  const resources: ResourceDigest[] = [];
  for (const url of collectUrls()) resources.push(await hashUrl(url));
  const message: LoadedMessage = { type: 'loaded', url: location.href, resources };
  await chrome.runtime.sendMessage(message).catch(() => undefined);
}

void run();
