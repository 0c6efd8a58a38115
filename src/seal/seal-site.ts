/**
 * The last stage of a build: list every output file with its SHA-256 in a
 * manifest, sign it, and publish the official channels and key records.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createNodeFileSystem, type FileSystem } from '../io/host.js';
import type { OutputFiles } from '../site/output.js';
import { compareBytes } from '../trust/bytes.js';
import { type ChannelsConfig, createChannelsDocument } from '../trust/channels-config.js';
import {
  formatManifestTrustedComment,
  formatManifestUntrustedComment,
  isServerConfigPath,
  type Manifest,
  type ManifestFile,
  parseManifest,
  serializeManifest,
} from '../trust/manifest.js';
import {
  CHANNELS_PATH,
  CHANNELS_SIG_PATH,
  MANIFEST_PATH,
  MANIFEST_SIG_PATH,
  PUBLIC_KEY_PATH,
  REVOKED_KEYS_PATH,
  REVOKED_KEYS_SIG_PATH,
  resolveRotationKeyPath,
  resolveRotationSigPath,
  SHA256SUMS_PATH,
  SHA256SUMS_SIG_PATH,
} from '../trust/paths.js';
import {
  createNextLogEntry,
  createReleaseLogFiles,
  formatCheckpointTrustedComment,
  formatCheckpointUntrustedComment,
  isReleaseLogPath,
  LOG_CHECKPOINT_PATH,
  LOG_CHECKPOINT_SIG_PATH,
  type LogHead,
} from '../trust/release-log.js';
import { isTimestampPath, TIMESTAMP_PATH, TIMESTAMP_SIG_PATH, type TimestampDocument } from '../trust/timestamp.js';
import type { KeyPublications } from './key-store.js';
import type { Signer } from './signer.js';
import { createTimestampDelegation, signTimestamp } from './timestamp-key.js';

/** Options for `sealSite`. */
export interface SealOptions {
  siteId: string;
  /** Manifest version; must be higher than any version published before (see `resolveNextVersion`). */
  version: number;
  now: Date;
  /** Days until the signature expires (default 30). */
  expiresInDays?: number;
  signer: Signer;
  channels: ChannelsConfig;
  /** Rotation links and revocation list to publish (from `readKeyPublications`). */
  keys?: KeyPublications;
  /**
   * Entry lines of the release log so far (see `resolvePreviousLog`); this build's
   * entry is appended and the log published under `.well-known/stele/log/`.
   * Omitted: the log starts with this build.
   */
  log?: readonly string[];
  /**
   * The online timestamp key: delegated in `channels.json` (signed by `signer`),
   * and it signs this build's first `timestamp.json`, valid `days` (default 7).
   * Must not be the main key.
   */
  timestamp?: { signer: Signer; days?: number };
}

/** What `sealSite` added besides the files. */
export interface SealResult {
  /** The SHA-256 (hex) of every file of the output as sealed, by path (the manifest, its signature and the log files excepted). */
  digests: ReadonlyMap<string, string>;
  /** The first timestamp, when a timestamp key was given. */
  timestamp?: TimestampDocument;
  /** The release log including this build's entry. */
  logLines: string[];
  logHead: LogHead;
}

const encoder = new TextEncoder();

/** Lowercase hex SHA-256 of bytes. */
export function hashSha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Seal a built site in memory: adds `.well-known/stele/{stele.pub, channels.json(.minisig),
 * revoked-keys.json(.minisig), rotation/*, manifest.json, manifest.json.minisig}`.
 * The manifest lists every file except itself and its signature, sorted by UTF-8 bytes:
 * server configuration files in its `serverConfig` section, every other file in `files`.
 * Then appends this build to the release log (`options.log`) and writes the log
 * files and the signed checkpoint under `.well-known/stele/log/` (not listed in the manifest).
 */
export function sealSite(output: OutputFiles, options: SealOptions): SealResult {
  const { signer, siteId, now } = options;
  if (!Number.isInteger(options.version) || options.version < 0) {
    throw new RangeError(`manifest version must be a non-negative integer, got ${options.version}`);
  }
  if (!siteId || /[\s\r\n]/.test(siteId)) throw new RangeError('siteId must be non-empty and contain no whitespace');
  if (options.timestamp && options.timestamp.signer.keyId === signer.keyId) {
    throw new RangeError('the timestamp key must not be the main signing key');
  }
  const days = options.expiresInDays ?? 30;
  if (!(days > 0)) throw new RangeError('expiresInDays must be positive');
  const expires = new Date(now.getTime() + days * 86_400_000).toISOString();

  output.set(PUBLIC_KEY_PATH, encoder.encode(signer.publicKeyFile));
  for (const link of options.keys?.rotations ?? []) {
    output.set(resolveRotationKeyPath(link.keyId), encoder.encode(link.publicKeyFile));
    output.set(resolveRotationSigPath(link.keyId), encoder.encode(link.signature));
  }
  const revokedKeys = options.keys?.revokedKeys;
  if (revokedKeys) {
    output.set(REVOKED_KEYS_PATH, encoder.encode(revokedKeys.json));
    output.set(REVOKED_KEYS_SIG_PATH, encoder.encode(revokedKeys.signature));
  }
  const channels = createChannelsDocument({
    siteId,
    updated: now,
    channels: options.channels,
    currentKeyId: signer.keyId,
    revokedKeys: revokedKeys?.entries,
    ...(options.timestamp ? { timestampKey: createTimestampDelegation(options.timestamp.signer) } : {}),
  });
  const channelsBytes = encoder.encode(`${JSON.stringify(channels, null, 2)}\n`);
  output.set(CHANNELS_PATH, channelsBytes);
  output.set(
    CHANNELS_SIG_PATH,
    encoder.encode(signer.sign(channelsBytes, `stele channels site=${siteId} updated=${channels.updated}`)),
  );

  output.delete(MANIFEST_PATH);
  output.delete(MANIFEST_SIG_PATH);
  // The release log and the timestamp live outside the manifest: both change without a new manifest.
  for (const path of [...output.keys()]) if (isReleaseLogPath(path) || isTimestampPath(path)) output.delete(path);
  // For standard tools: `minisign -Vm SHA256SUMS -P <key> && sha256sum -c SHA256SUMS`
  // run in the site folder checks every file with Debian's minisign and coreutils.
  output.delete(SHA256SUMS_PATH);
  output.delete(SHA256SUMS_SIG_PATH);
  // Each file is hashed once, for both lists.
  const digests = new Map<string, string>();
  const digestOf = (path: string, data: Uint8Array) => {
    let digest = digests.get(path);
    if (digest === undefined) {
      digest = hashSha256(data);
      digests.set(path, digest);
    }
    return digest;
  };
  const sums = formatSha256Sums(output, digestOf);
  output.set(SHA256SUMS_PATH, sums);
  output.set(
    SHA256SUMS_SIG_PATH,
    encoder.encode(signer.sign(sums, `stele SHA256SUMS site=${siteId} version=${options.version} expires=${expires} keyid=${signer.keyId}`)),
  );
  // Server configuration (.htaccess, _headers, _redirects) is signed apart from the
  // files a reader can fetch: servers read it, and most refuse to serve it.
  const files: ManifestFile[] = [];
  const serverConfig: ManifestFile[] = [];
  for (const [path, data] of [...output.entries()].sort(([a], [b]) => compareBytes(a, b))) {
    (isServerConfigPath(path) ? serverConfig : files).push({ path, size: data.length, sha256: digestOf(path, data) });
  }
  const manifest: Manifest = {
    stele: 1,
    siteId,
    version: options.version,
    buildTime: now.toISOString(),
    expires,
    keyId: signer.keyId,
    files,
    ...(serverConfig.length ? { serverConfig } : {}),
  };
  const manifestBytes = encoder.encode(serializeManifest(manifest));
  output.set(MANIFEST_PATH, manifestBytes);
  output.set(
    MANIFEST_SIG_PATH,
    encoder.encode(signer.sign(manifestBytes, formatManifestTrustedComment(manifest), formatManifestUntrustedComment(siteId))),
  );

  // The release log: outside the manifest (its last entry names the manifest's
  // hash), covered instead by the signed checkpoint.
  const logLines = [
    ...(options.log ?? []),
    createNextLogEntry(options.log ?? [], {
      version: manifest.version,
      buildTime: manifest.buildTime,
      keyId: signer.keyId,
      manifestSha256: hashSha256(manifestBytes),
    }),
  ];
  const log = createReleaseLogFiles({ siteId, lines: logLines });
  for (const [path, text] of log.files) output.set(path, encoder.encode(text));
  output.set(
    LOG_CHECKPOINT_SIG_PATH,
    encoder.encode(signer.sign(encoder.encode(log.files.get(LOG_CHECKPOINT_PATH) ?? ''), formatCheckpointTrustedComment(siteId, log.head), formatCheckpointUntrustedComment(siteId)),
    ),
  );
  // The first timestamp: `stele refresh` re-signs it later with the timestamp key alone.
  let timestamp: TimestampDocument | undefined;
  if (options.timestamp) {
    const signed = signTimestamp(options.timestamp.signer, {
      siteId,
      version: manifest.version,
      manifestSha256: hashSha256(manifestBytes),
      now,
      ...(options.timestamp.days !== undefined ? { days: options.timestamp.days } : {}),
    });
    output.set(TIMESTAMP_PATH, encoder.encode(signed.json));
    output.set(TIMESTAMP_SIG_PATH, encoder.encode(signed.signature));
    timestamp = signed.document;
  }
  return { digests, logLines, logHead: log.head, ...(timestamp ? { timestamp } : {}) };
}

/**
 * A coreutils `sha256sum` list (`<hex>  <path>` per line, paths relative to the
 * site root, sorted by UTF-8 bytes) of every file in `output` a reader can fetch:
 * server configuration files are left out, since a copy downloaded from a server
 * does not have them (the manifest signs them in its `serverConfig` section).
 * Site paths never hold backslashes or control characters, so no line needs
 * coreutils' escaping. `digest` gives a file's SHA-256 (hex); `sealSite` passes
 * one that remembers, so each file is hashed once for this list and the manifest.
 */
export function formatSha256Sums(output: OutputFiles, digest: (path: string, data: Uint8Array) => string = (_, data) => hashSha256(data)): Uint8Array {
  const lines = [...output.entries()]
    .filter(([path]) => !isServerConfigPath(path))
    .sort(([a], [b]) => compareBytes(a, b))
    .map(([path, data]) => `${digest(path, data)}  ${path}\n`);
  return encoder.encode(lines.join(''));
}

/**
 * The version for the next build: one more than the previous one, or `requested`
 * when given (which must still be higher than the previous). Versions only go up.
 */
export function resolveNextVersion(previous: number | undefined, requested?: number): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 0) throw new RangeError('version must be a non-negative integer');
    if (previous !== undefined && requested <= previous) {
      throw new RangeError(`version ${requested} is not higher than the published version ${previous}`);
    }
    return requested;
  }
  return previous === undefined ? 1 : previous + 1;
}

/** The version of the manifest already in an output folder, or undefined when there is none or it is unreadable. */
export async function readManifestVersion(dir: string, fs: FileSystem = createNodeFileSystem()): Promise<number | undefined> {
  let text: string;
  try {
    text = await fs.readText(join(dir, ...MANIFEST_PATH.split('/')));
  } catch {
    return undefined;
  }
  const parsed = parseManifest(text);
  return parsed.ok ? parsed.manifest.version : undefined;
}
