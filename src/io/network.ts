/**
 * The network port: stages that talk to servers (publish targets, verification
 * over HTTP, import) receive a `fetch`-shaped function instead of using the
 * global one, so tests can point them at local peers or record requests.
 */

/** The WHATWG `fetch` signature. */
export type FetchPort = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The real network: Node's global `fetch`. */
export function createNodeFetch(): FetchPort {
  return (input, init) => globalThis.fetch(input, init);
}
