/**
 * Trust on first use: remembers, per site, the key that signed it, the highest
 * manifest version seen (to catch rollbacks) and keys announced as revoked; per
 * address, which site it served. Stored as JSON in `<dir>/trust-store.json`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createNodeFileSystem, type FileSystem } from '../io/host.js';

/** What is remembered about one site. */
export interface TrustedSite {
  keyId: string;
  /** The public key file text that was trusted. */
  publicKey: string;
  highestVersion: number;
  firstSeen: string;
  lastSeen: string;
  revokedKeys: string[];
  /** The release log head last verified for this site: the next log must extend it. */
  logHead?: { size: number; root: string };
}

/** The whole store. */
export interface TrustStore {
  stele: 1;
  sites: Record<string, TrustedSite>;
  /** Normalised origin (scheme://host) → siteId it served. */
  origins: Record<string, string>;
}

/** File name of the store inside its folder. */
export const TRUST_STORE_FILE = 'trust-store.json';

/** Default store folder: `$XDG_CONFIG_HOME/stele`, else `~/.config/stele`. */
export function resolveTrustStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return xdg?.startsWith('/') ? join(xdg, 'stele') : join(homedir(), '.config', 'stele');
}

/** An empty store. */
export function createEmptyTrustStore(): TrustStore {
  return { stele: 1, sites: {}, origins: {} };
}

/** Read the store in `dir` (empty when absent). Undefined when the file exists but is unreadable. */
export async function readTrustStore(dir: string, fs: FileSystem = createNodeFileSystem()): Promise<TrustStore | undefined> {
  let text: string;
  try {
    text = await fs.readText(join(dir, TRUST_STORE_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return createEmptyTrustStore();
    return undefined;
  }
  try {
    const data = JSON.parse(text) as TrustStore;
    if (data?.stele !== 1 || typeof data.sites !== 'object' || data.sites === null) return undefined;
    return { stele: 1, sites: data.sites, origins: data.origins ?? {} };
  } catch {
    return undefined;
  }
}

/** Write the store atomically (temp file + rename), readable only by the user. */
export async function writeTrustStore(dir: string, store: TrustStore, fs: FileSystem = createNodeFileSystem()): Promise<void> {
  await fs.mkdir(dir);
  const path = join(dir, TRUST_STORE_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  await fs.writeFile(tmp, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
  await fs.chmod(tmp, 0o600);
  await fs.rename(tmp, path);
}
