/**
 * Check one copy of a site (folder or URL) against its signed manifest: the
 * signature against the pinned key (flag, trust store, or first use), rotation
 * and revocation of keys, expiry, rollback, revoked addresses, and every file.
 */
import { findRevokedAddress, channelsDocumentSchema } from '../seal/channels.js';
import { parseRevokedKeys, parseRotationComment } from '../seal/key-store.js';
import {
  CHANNELS_PATH,
  formatManifestTrustedComment,
  MANIFEST_PATH,
  MANIFEST_SIG_PATH,
  type Manifest,
  type ManifestFile,
  PUBLIC_KEY_PATH,
  parseManifest,
  REVOKED_KEYS_PATH,
  ROTATION_DIR,
} from '../seal/manifest.js';
import { formatSignatureFile, type MinisignPublicKey, normalizeKeyId, parsePublicKey, parseSignature, verifyMinisign } from '../seal/minisign.js';
import { formatManifestUntrustedComment } from '../seal/seal-site.js';
import { createDirSource, listPresentFiles } from './dir-source.js';
import { createHttpSource, probeUrl, resolveBaseUrl, resolveFileUrl } from './http-source.js';
import { extractCssReferences, extractHtmlReferences, resolveSameOriginReferences } from './references.js';
import { isScannable, type SiteSource } from './site-source.js';
import { readTrustStore, resolveTrustStoreDir, type TrustStore, writeTrustStore } from './trust-store.js';
import type { VerifyProblem, VerifyReport } from './types.js';

/** Options for `verifySite`. */
export interface VerifyOptions {
  /** Pinned public key (text of a `.pub` file or its base64 line). Strongest pin. */
  publicKey?: string;
  /** Pinned key id (16 hex). Weaker than `publicKey`: the id is not a hash of the key. */
  keyId?: string;
  /** TOFU store folder (default `$XDG_CONFIG_HOME/stele` or `~/.config/stele`); `false` disables it. */
  trustStoreDir?: string | false;
  now: Date;
  fetch?: typeof fetch;
  /** Parallel requests / file reads (default 8). */
  concurrency?: number;
  /** Per-request timeout over HTTP (default 30 s). */
  timeoutMs?: number;
  onProgress?: (done: number, total: number) => void;
}

const MAX_META_BYTES = 64 * 1024 * 1024;
const MAX_ROTATION_HOPS = 16;
const decoder = new TextDecoder();

/** Paths often planted on compromised sites; probed over HTTP when not in the manifest. */
export const INJECTED_PATH_PROBES: readonly string[] = [
  '.htaccess',
  '.env',
  '.git/config',
  'index.php',
  'wp-login.php',
  'xmlrpc.php',
  'admin.php',
  'shell.php',
  'cmd.php',
  'c99.php',
  'r57.php',
  'wso.php',
  'up.php',
  'upload.php',
  'config.php',
  'cgi-bin/',
];

async function runPool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

function errorReport(source: string, message: string, path?: string): VerifyReport {
  return {
    source,
    status: 'error',
    problems: [{ kind: 'unreachable', message, ...(path ? { path } : {}) }],
    checkedFiles: 0,
  };
}

/** Follow rotation links from `anchor` to `target`; returns the target's public key or why not. */
async function followRotation(
  source: SiteSource,
  anchor: MinisignPublicKey,
  targetKeyId: string,
  revoked: ReadonlySet<string>,
): Promise<{ ok: true; key: MinisignPublicKey; chain: string[] } | { ok: false; reason: string }> {
  let wanted = targetKeyId;
  let targetKey: MinisignPublicKey | undefined;
  const chain: string[] = [targetKeyId];
  for (let hop = 0; hop < MAX_ROTATION_HOPS; hop++) {
    const pubRead = await source.read(`${ROTATION_DIR}/${wanted}.pub`, 4096);
    const sigRead = await source.read(`${ROTATION_DIR}/${wanted}.pub.minisig`, 16384);
    if (pubRead.status !== 'ok' || sigRead.status !== 'ok') {
      return { ok: false, reason: `no rotation link published for key ${wanted}` };
    }
    const pub = parsePublicKey(decoder.decode(pubRead.data));
    if (!pub.ok || pub.value.keyId !== wanted) return { ok: false, reason: `rotation link for ${wanted} is malformed` };
    targetKey ??= pub.value;
    const sig = parseSignature(decoder.decode(sigRead.data));
    if (!sig.ok) return { ok: false, reason: `rotation signature for ${wanted} is malformed` };
    const signerId = sig.value.keyId;
    if (revoked.has(signerId)) return { ok: false, reason: `rotation to ${wanted} was signed by revoked key ${signerId}` };
    const comment = parseRotationComment(sig.value.trustedComment);
    if (!comment || comment.from !== signerId || comment.to !== wanted) {
      return { ok: false, reason: `rotation link for ${wanted} does not name its keys` };
    }
    let signerKey: MinisignPublicKey | undefined;
    if (signerId === anchor.keyId) signerKey = anchor;
    else {
      const prev = await source.read(`${ROTATION_DIR}/${signerId}.pub`, 4096);
      const parsed = prev.status === 'ok' ? parsePublicKey(decoder.decode(prev.data)) : undefined;
      if (!parsed?.ok || parsed.value.keyId !== signerId) {
        return { ok: false, reason: `rotation chain breaks at key ${signerId}` };
      }
      signerKey = parsed.value;
    }
    const verified = verifyMinisign(pubRead.data, decoder.decode(sigRead.data), signerKey);
    if (!verified.ok) return { ok: false, reason: `rotation link for ${wanted}: ${verified.reason}` };
    chain.unshift(signerId);
    if (signerId === anchor.keyId) return { ok: true, key: targetKey, chain };
    wanted = signerId;
  }
  return { ok: false, reason: 'rotation chain is too long' };
}

/**
 * Verify a copy of a site. Never throws for problems with the copy: they are in
 * the report (`status` genuine / not-genuine / error).
 */
export async function verifySite(source: string, options: VerifyOptions): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const concurrency = options.concurrency ?? 8;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const http = isUrl(source);
  let base: URL | undefined;
  let site: SiteSource;
  if (http) {
    try {
      base = resolveBaseUrl(source);
    } catch {
      return errorReport(source, `${source} is not a valid address`);
    }
    site = createHttpSource(base, { fetch: options.fetch ?? fetch, timeoutMs });
  } else site = createDirSource(source);

  // 1. Manifest and signature.
  const manifestRead = await site.read(MANIFEST_PATH, MAX_META_BYTES);
  if (manifestRead.status !== 'ok') {
    const why = manifestRead.status === 'missing' ? 'no signed manifest found' : manifestRead.message;
    return errorReport(source, `${why} (${MANIFEST_PATH})`, MANIFEST_PATH);
  }
  const sigRead = await site.read(MANIFEST_SIG_PATH, 65536);
  if (sigRead.status !== 'ok') {
    const why = sigRead.status === 'missing' ? 'manifest signature not found' : sigRead.message;
    return errorReport(source, `${why} (${MANIFEST_SIG_PATH})`, MANIFEST_SIG_PATH);
  }
  const sigText = decoder.decode(sigRead.data);
  const parsedManifest = parseManifest(decoder.decode(manifestRead.data));
  if (!parsedManifest.ok) {
    return {
      source,
      status: 'not-genuine',
      problems: [{ kind: 'malformed', path: MANIFEST_PATH, message: parsedManifest.reason }],
      checkedFiles: 0,
    };
  }
  const manifest: Manifest = parsedManifest.manifest;
  const summary = {
    siteId: manifest.siteId,
    version: manifest.version,
    buildTime: manifest.buildTime,
    expires: manifest.expires,
    keyId: manifest.keyId,
    fileCount: manifest.files.length,
  };
  const sig = parseSignature(sigText);
  if (!sig.ok) {
    return {
      source,
      status: 'not-genuine',
      manifest: summary,
      problems: [{ kind: 'malformed', path: MANIFEST_SIG_PATH, message: sig.reason }],
      checkedFiles: 0,
    };
  }
  const sigKeyId = sig.value.keyId;
  if (
    sigText !== formatSignatureFile(sig.value) ||
    sig.value.untrustedComment !== formatManifestUntrustedComment(manifest.siteId) ||
    sig.value.algorithm !== 'ED'
  ) {
    return {
      source,
      status: 'not-genuine',
      manifest: summary,
      problems: [{ kind: 'malformed', path: MANIFEST_SIG_PATH, message: 'manifest signature file is not in the form stele writes' }],
      checkedFiles: 0,
    };
  }

  // 2. Trust store.
  const storeDir = options.trustStoreDir === false ? undefined : (options.trustStoreDir ?? resolveTrustStoreDir());
  let store: TrustStore | undefined;
  if (storeDir) {
    store = await readTrustStore(storeDir);
    if (!store) return errorReport(source, `trust store in ${storeDir} is unreadable`);
  }
  const entry = store?.sites[manifest.siteId];
  const revoked = new Set(entry?.revokedKeys ?? []);

  // 3. Choose the anchor key and how a mismatch is reported.
  let anchor: MinisignPublicKey | undefined;
  let anchorId: string | undefined;
  let mismatchKind: 'wrong-key' | 'key-changed' = 'wrong-key';
  const sitePub = async (): Promise<MinisignPublicKey | undefined> => {
    const r = await site.read(PUBLIC_KEY_PATH, 4096);
    if (r.status !== 'ok') return undefined;
    const p = parsePublicKey(decoder.decode(r.data));
    return p.ok ? p.value : undefined;
  };
  if (options.publicKey !== undefined) {
    const p = parsePublicKey(options.publicKey);
    if (!p.ok) return errorReport(source, `the given public key is unreadable: ${p.reason}`);
    anchor = p.value;
    anchorId = anchor.keyId;
  } else if (options.keyId !== undefined) {
    anchorId = normalizeKeyId(options.keyId);
    if (!anchorId) return errorReport(source, `"${options.keyId}" is not a key id`);
    if (entry?.keyId === anchorId) {
      const p = parsePublicKey(entry.publicKey);
      if (p.ok) anchor = p.value;
    }
    if (!anchor) {
      const pub = await sitePub();
      if (pub?.keyId === anchorId) anchor = pub;
    }
  } else if (entry) {
    const p = parsePublicKey(entry.publicKey);
    if (!p.ok) return errorReport(source, `trust store entry for ${manifest.siteId} is unreadable`);
    anchor = p.value;
    anchorId = anchor.keyId;
    mismatchKind = 'key-changed';
  } else {
    const pub = await sitePub();
    if (!pub) {
      return {
        source,
        status: 'not-genuine',
        manifest: summary,
        problems: [{ kind: 'malformed', path: PUBLIC_KEY_PATH, message: 'no readable public key published and none pinned' }],
        checkedFiles: 0,
      };
    }
    anchor = pub;
    anchorId = pub.keyId;
  }
  // An address that served another site before, now serving this one with another key.
  if (http && base && store && options.publicKey === undefined && options.keyId === undefined) {
    const knownSite = store.origins[base.origin];
    const known = knownSite ? store.sites[knownSite] : undefined;
    if (knownSite && knownSite !== manifest.siteId && known && known.keyId !== sigKeyId) {
      problems.push({
        kind: 'key-changed',
        message: `${base.origin} served site "${knownSite}" (key ${known.keyId}) before; now it serves "${manifest.siteId}" signed by ${sigKeyId}`,
        expected: known.keyId,
        actual: sigKeyId,
      });
    }
  }

  // 4. Signature, possibly through a rotation chain.
  let signingKey: MinisignPublicKey | undefined;
  let trusted = false;
  if (revoked.has(sigKeyId)) {
    problems.push({
      kind: 'wrong-key',
      path: MANIFEST_SIG_PATH,
      message: `signed by key ${sigKeyId}, which this site revoked`,
      actual: sigKeyId,
    });
  } else if (anchor && anchor.keyId === sigKeyId) {
    signingKey = anchor;
  } else if (anchor) {
    const chain = await followRotation(site, anchor, sigKeyId, revoked);
    if (chain.ok) signingKey = chain.key;
    else {
      problems.push({
        kind: mismatchKind,
        path: MANIFEST_SIG_PATH,
        message:
          mismatchKind === 'key-changed'
            ? `KEY CHANGED: site "${manifest.siteId}" was signed by ${anchorId} before, now by ${sigKeyId} (${chain.reason})`
            : `signed by key ${sigKeyId}, expected ${anchorId} (${chain.reason})`,
        expected: anchorId,
        actual: sigKeyId,
      });
    }
  } else {
    problems.push({
      kind: 'wrong-key',
      path: MANIFEST_SIG_PATH,
      message:
        sigKeyId === anchorId
          ? `key ${anchorId} is pinned by id only and its public key is not available; pass --key`
          : `signed by key ${sigKeyId}, expected ${anchorId}`,
      expected: anchorId,
      actual: sigKeyId,
    });
  }
  if (signingKey) {
    const result = verifyMinisign(manifestRead.data, sigText, signingKey);
    if (!result.ok) {
      problems.push({
        kind: result.failure === 'malformed' ? 'malformed' : 'bad-signature',
        path: MANIFEST_SIG_PATH,
        message: `manifest signature: ${result.reason}`,
      });
    } else if (manifest.keyId !== sigKeyId || result.trustedComment !== formatManifestTrustedComment(manifest)) {
      problems.push({
        kind: 'malformed',
        path: MANIFEST_PATH,
        message: 'manifest and its signed comment disagree (site, version, expiry or key id)',
      });
    } else trusted = true;
  }

  // 5. Expiry and rollback.
  const expires = Date.parse(manifest.expires);
  if (expires <= options.now.getTime()) {
    problems.push({ kind: 'expired', path: MANIFEST_PATH, message: `signature expired on ${manifest.expires}` });
  }
  if (entry && manifest.version < entry.highestVersion) {
    problems.push({
      kind: 'rollback',
      path: MANIFEST_PATH,
      message: `version ${manifest.version} is older than version ${entry.highestVersion} seen before`,
      expected: `>= ${entry.highestVersion}`,
      actual: String(manifest.version),
    });
  }

  // 6. Files.
  const listed = new Map<string, ManifestFile>(manifest.files.map((f) => [f.path, f]));
  const knownHashes = new Set(manifest.files.map((f) => f.sha256));
  let checkedFiles = 0;
  let done = 0;
  let total = manifest.files.length;
  const scanned: { path: string; text: string }[] = [];
  const fileProblems: VerifyProblem[] = [];
  const matchedPaths = new Set<string>();
  await runPool(manifest.files, concurrency, async (file) => {
    const wantText = http && isScannable(file.path);
    const result = await site.check(file, wantText);
    if (result.status === 'match') {
      checkedFiles++;
      if (result.text !== undefined) scanned.push({ path: file.path, text: result.text });
      matchedPaths.add(file.path);
    } else if (result.status === 'missing') {
      fileProblems.push({ kind: 'missing', path: file.path, message: `${file.path} is missing` });
    } else if (result.status === 'error') {
      fileProblems.push({ kind: 'unreachable', path: file.path, message: result.message });
    } else {
      if (result.text !== undefined) scanned.push({ path: file.path, text: result.text });
      fileProblems.push({
        kind: 'modified',
        path: file.path,
        message: `${file.path} was modified${result.note ? ` (${result.note})` : ''}`,
        expected: `${file.size} bytes sha256 ${file.sha256}`,
        ...(result.actualSize !== undefined
          ? { actual: `${result.actualSize} bytes${result.actualSha256 ? ` sha256 ${result.actualSha256}` : ''}` }
          : {}),
      });
    }
    done++;
    options.onProgress?.(done, total);
  });

  // 7. Additions.
  const ignored = new Set([MANIFEST_PATH, MANIFEST_SIG_PATH]);
  if (!http) {
    let present: string[] = [];
    try {
      present = await listPresentFiles(source);
    } catch (error) {
      fileProblems.push({ kind: 'unreachable', message: `cannot list ${source}: ${(error as Error).message}` });
    }
    for (const path of present) {
      if (!listed.has(path) && !ignored.has(path)) {
        fileProblems.push({ kind: 'added', path, message: `${path} is not in the signed manifest` });
      }
    }
  } else if (base) {
    const baseUrl = base;
    const candidates = new Map<string, { url: URL; from?: string }>();
    const isListedUrl = (url: URL): boolean => {
      if (!url.pathname.startsWith(baseUrl.pathname)) return false;
      let rel: string;
      try {
        rel = decodeURIComponent(url.pathname.slice(baseUrl.pathname.length));
      } catch {
        return false;
      }
      const options = rel === '' || rel.endsWith('/') ? [`${rel}index.html`] : [rel, `${rel}.html`, `${rel}/index.html`];
      return options.some((p) => listed.has(p) || ignored.has(p));
    };
    for (const { path, text } of scanned) {
      const page = resolveFileUrl(baseUrl, path);
      const refs = /\.css$/i.test(path) ? extractCssReferences(text) : extractHtmlReferences(text);
      for (const url of resolveSameOriginReferences(refs, page)) {
        if (!isListedUrl(url) && !candidates.has(url.href)) candidates.set(url.href, { url, from: path });
      }
    }
    for (const probe of INJECTED_PATH_PROBES) {
      const url = resolveFileUrl(baseUrl, probe.replace(/\/$/, ''));
      if (probe.endsWith('/')) url.pathname += '/';
      if (!isListedUrl(url) && !candidates.has(url.href)) candidates.set(url.href, { url });
    }
    total += candidates.size;
    await runPool([...candidates.values()], concurrency, async ({ url, from }) => {
      const result = await probeUrl(url, { fetch: options.fetch ?? fetch, timeoutMs }, MAX_META_BYTES);
      // A body identical to a signed file is a server fallback (e.g. 404.html), not an addition.
      if (result.status === 'served' && !knownHashes.has(result.sha256)) {
        const rel = url.pathname.startsWith(baseUrl.pathname) ? url.pathname.slice(baseUrl.pathname.length) : url.pathname;
        let path = rel;
        try {
          path = decodeURIComponent(rel);
        } catch {
          path = rel;
        }
        fileProblems.push({
          kind: 'added',
          path,
          message: `${url.href} is served but not in the signed manifest${from ? ` (referenced from ${from})` : ''}`,
          actual: `sha256 ${result.sha256}`,
        });
      }
      done++;
      options.onProgress?.(done, total);
    });
  }
  fileProblems.sort((a, b) => (a.path ?? '').localeCompare(b.path ?? '') || a.kind.localeCompare(b.kind));
  problems.push(...fileProblems);

  // 8. Revoked keys and addresses (only from files whose hashes matched the signed manifest).
  const newlyRevoked: string[] = [];
  if (trusted && signingKey && matchedPaths.has(REVOKED_KEYS_PATH)) {
    const json = await site.read(REVOKED_KEYS_PATH, MAX_META_BYTES);
    const rsig = await site.read(`${REVOKED_KEYS_PATH}.minisig`, 65536);
    if (json.status === 'ok' && rsig.status === 'ok') {
      const ok = verifyMinisign(json.data, decoder.decode(rsig.data), signingKey);
      const doc = ok.ok ? parseRevokedKeys(decoder.decode(json.data)) : undefined;
      for (const r of doc?.revoked ?? []) {
        newlyRevoked.push(r.keyId);
        if (r.keyId === sigKeyId) {
          trusted = false;
          problems.push({ kind: 'wrong-key', message: `key ${sigKeyId} is revoked: ${r.reason}`, actual: sigKeyId });
        }
      }
    }
  }
  if (http && matchedPaths.has(CHANNELS_PATH)) {
    const ch = await site.read(CHANNELS_PATH, MAX_META_BYTES);
    if (ch.status === 'ok') {
      try {
        const doc = channelsDocumentSchema.safeParse(JSON.parse(decoder.decode(ch.data)));
        const hit = doc.success ? findRevokedAddress(source, doc.data.revoked) : undefined;
        if (hit) {
          problems.push({
            kind: 'revoked-address',
            message: `${source} is no longer an official address of this site (since ${hit.date}: ${hit.reason})`,
            actual: hit.url,
          });
        }
      } catch {
        // channels.json matched its signed hash; unparsable JSON is the publisher's bug, not tampering.
      }
    }
  }

  // 9. Remember what was learnt, only from a trusted signature.
  const signatureProblem = problems.some((p) =>
    ['wrong-key', 'key-changed', 'bad-signature', 'malformed'].includes(p.kind),
  );
  if (store && storeDir && trusted && signingKey && !signatureProblem) {
    const now = options.now.toISOString();
    const previous = store.sites[manifest.siteId];
    store.sites[manifest.siteId] = {
      keyId: signingKey.keyId,
      publicKey: signingKey.untrustedComment
        ? `untrusted comment: ${signingKey.untrustedComment}\n${Buffer.concat([Buffer.from('Ed'), signingKey.keyNum, signingKey.publicKey]).toString('base64')}\n`
        : Buffer.concat([Buffer.from('Ed'), signingKey.keyNum, signingKey.publicKey]).toString('base64'),
      highestVersion: Math.max(previous?.highestVersion ?? 0, manifest.version),
      firstSeen: previous?.firstSeen ?? now,
      lastSeen: now,
      revokedKeys: [...new Set([...(previous?.revokedKeys ?? []), ...newlyRevoked])].sort(),
    };
    if (http && base) store.origins[base.origin] = manifest.siteId;
    try {
      await writeTrustStore(storeDir, store);
    } catch (error) {
      problems.push({ kind: 'unreachable', message: `cannot update trust store: ${(error as Error).message}` });
    }
  }

  const hard = problems.some((p) => p.kind !== 'unreachable');
  const status: VerifyReport['status'] = hard ? 'not-genuine' : problems.length > 0 ? 'error' : 'genuine';
  return { source, status, manifest: summary, problems, checkedFiles };
}
