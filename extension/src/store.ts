/**
 * What the extension remembers (browser storage, never sent anywhere): the key
 * pinned for each site, the highest version seen, the site's official and revoked
 * addresses and revoked keys from its signed channels, and keys the user imported.
 */
import { normalizeAddress, type RevokedAddress } from '../../src/trust/channels.js';
import { normalizeKeyId, parsePublicKey } from '../../src/trust/minisign.js';

/** A site the reader trusts: the key pinned for it and what signed files taught. */
export interface SitePin {
  siteId: string;
  keyId: string;
  /** Text of the pinned `stele.pub`. */
  publicKey: string;
  /** How the key was pinned. */
  source: 'first-visit' | 'imported';
  highestVersion: number;
  firstSeen: string;
  lastSeen: string;
  /** Official addresses from the signed channels.json (normalised). */
  official: string[];
  /** Revoked addresses from the signed channels.json. */
  revoked: RevokedAddress[];
  /** Key ids the site revoked. */
  revokedKeys: string[];
}

/** A key the reader imported before visiting the site (a `.pub` file or a key fingerprint). */
export interface ImportedKey {
  keyId: string;
  /** Text of the `.pub` file; absent when only the fingerprint was given. */
  publicKey?: string;
  label: string;
  added: string;
}

/** Everything kept in `storage.local`. */
export interface TrustState {
  pins: Record<string, SitePin>;
  importedKeys: ImportedKey[];
}

/** Read the trust state (empty on first run). */
export async function readTrustState(): Promise<TrustState> {
  const data = (await chrome.storage.local.get(['pins', 'importedKeys'])) as Partial<TrustState>;
  return { pins: data.pins ?? {}, importedKeys: data.importedKeys ?? [] };
}

/** Write the trust state. */
export async function writeTrustState(state: TrustState): Promise<void> {
  await chrome.storage.local.set({ pins: state.pins, importedKeys: state.importedKeys });
}

/** The outcome of parsing what the user typed or chose in the options page. */
export type ImportResult = { ok: true; key: ImportedKey } | { ok: false; reason: string };

/**
 * Read a key to import: the text of a minisign `.pub` file, its base64 line, or a
 * key fingerprint as printed in every stele page footer (16 hex digits, spaces allowed).
 */
export function parseImportedKey(text: string, label: string | undefined, now: Date): ImportResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'no key given' };
  const keyId = /^[0-9a-fA-F\s:-]+$/.test(trimmed) ? normalizeKeyId(trimmed) : undefined;
  if (keyId && trimmed.replace(/[\s:-]/g, '').length === 16) {
    return { ok: true, key: { keyId, label: label?.trim() || `fingerprint ${keyId}`, added: now.toISOString() } };
  }
  const parsed = parsePublicKey(trimmed);
  if (!parsed.ok) return { ok: false, reason: `not a stele/minisign public key or a 16-digit fingerprint: ${parsed.reason}` };
  return {
    ok: true,
    key: {
      keyId: parsed.value.keyId,
      publicKey: `${trimmed}\n`,
      label: label?.trim() || parsed.value.untrustedComment || `key ${parsed.value.keyId}`,
      added: now.toISOString(),
    },
  };
}

/** The pinned site and revoked entry covering `url`, when a pinned site revoked that address. */
export function findKnownRevocation(state: TrustState, url: string): { pin: SitePin; entry: RevokedAddress } | undefined {
  const target = normalizeAddress(url);
  if (!target) return undefined;
  for (const pin of Object.values(state.pins)) {
    for (const entry of pin.revoked) {
      const n = normalizeAddress(entry.url);
      if (n !== undefined && (target === n || target.startsWith(`${n}/`))) return { pin, entry };
    }
  }
  return undefined;
}

/** The pinned site one of whose official addresses covers `url`. */
export function findOfficialSite(state: TrustState, url: string): SitePin | undefined {
  const target = normalizeAddress(url);
  if (!target) return undefined;
  return Object.values(state.pins).find((pin) => pin.official.some((o) => target === o || target.startsWith(`${o}/`)));
}
