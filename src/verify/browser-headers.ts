/**
 * The request headers a verifier sends: those of a current desktop browser
 * navigating to a page or loading a resource. A verifier that announced itself
 * (`User-Agent: stele-verify`) would let a hostile mirror serve the genuine
 * bytes to the checker and a defaced page to readers. Cloaking by address
 * (serving the checker's IP something else) is not prevented by this; checking
 * from where readers are (the browser extension, readers' own `stele verify`)
 * is the answer to that, as the README says.
 */

/** A current Chromium on desktop Linux, as Debian ships it. */
export const BROWSER_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

const NAVIGATE_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8';

/** Headers for fetching `path` (site-relative) the way a browser would. */
export function createBrowserHeaders(path: string): Record<string, string> {
  const page = path === '' || path.endsWith('/') || /\.html?$/i.test(path);
  return {
    'user-agent': BROWSER_USER_AGENT,
    accept: page ? NAVIGATE_ACCEPT : '*/*',
    'accept-language': 'en-US,en;q=0.9,zh-CN;q=0.8,zh-TW;q=0.7',
    'cache-control': 'no-cache',
    pragma: 'no-cache',
    ...(page ? { 'upgrade-insecure-requests': '1' } : {}),
  };
}
