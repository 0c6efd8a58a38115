/**
 * The signed manifest (`.well-known/stele/manifest.json`): which files a genuine
 * copy of the site has, with sizes and SHA-256 hashes: schema, parser, canonical
 * serialisation and the comments its signature carries. Shared by seal and verify.
 */
import { compareBytes } from './bytes.js';
import * as z from './zod.js';

/** One file of the site as listed in the manifest. */
export interface ManifestFile {
  path: string;
  size: number;
  /** Lowercase hex SHA-256. */
  sha256: string;
}

/** The manifest document. */
export interface Manifest {
  stele: 1;
  siteId: string;
  version: number;
  buildTime: string;
  expires: string;
  keyId: string;
  /** Every file a reader can fetch (pages, assets, stele's own published files). */
  files: ManifestFile[];
  /**
   * Server configuration files (see {@link isServerConfigPath}), signed apart
   * from `files`: a web server reads them and most refuse to serve them, so a
   * copy checked over HTTP need not serve them, while a folder or bundle must
   * hold them exactly. Absent when the site has none.
   */
  serverConfig?: ManifestFile[];
}

/** Names a web server reads as its own configuration inside the site folder. */
export const SERVER_CONFIG_NAMES: readonly string[] = ['.htaccess', '_headers', '_redirects'];

/**
 * True for a site path a web server reads as configuration rather than serves:
 * Apache's `.htaccess` in any folder, and `_headers` / `_redirects` (Netlify,
 * Cloudflare Pages) at the site root. Seal lists these in the manifest's
 * `serverConfig` section and leaves them out of `SHA256SUMS`.
 */
export function isServerConfigPath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === '.htaccess') return true;
  return path === name && SERVER_CONFIG_NAMES.includes(name);
}

/** Every file the manifest signs, reader files and server configuration alike, sorted by path bytes. */
export function listSignedFiles(manifest: Pick<Manifest, 'files' | 'serverConfig'>): ManifestFile[] {
  return [...manifest.files, ...(manifest.serverConfig ?? [])].sort((a, b) => compareBytes(a.path, b.path));
}

/**
 * True for a safe site-relative posix path: no leading slash, no `.`/`..`/empty
 * segments, no backslashes or control characters. Verify refuses anything else so
 * a forged manifest can never make it read outside the folder being checked.
 */
export function isSafeSitePath(path: string): boolean {
  const length = path.length;
  if (length === 0 || length > 4096) return false;
  // One pass over the UTF-16 code units (a manifest has tens of thousands of paths).
  let segmentStart = 0;
  for (let i = 0; i <= length; i++) {
    const code = i < length ? path.charCodeAt(i) : 0x2f;
    if (code === 0x2f) {
      // A segment ends: refuse an empty one (leading, doubled or trailing slash), `.` and `..`.
      const segment = i - segmentStart;
      if (segment === 0) return false;
      if (segment <= 2 && path.charCodeAt(segmentStart) === 0x2e && (segment === 1 || path.charCodeAt(segmentStart + 1) === 0x2e)) return false;
      segmentStart = i + 1;
    } else if (code < 0x20 || code === 0x7f || code === 0x5c) {
      // Control characters and backslashes.
      return false;
    }
  }
  return true;
}

const isoDate = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date'));

const manifestFileSchema = z.strictObject({
  path: z.string().check(z.refine(isSafeSitePath, 'unsafe path')),
  size: z.number().check(z.int(), z.nonnegative()),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});

/** Schema for reading a manifest (strict: unknown keys are refused). */
export const manifestSchema = z.strictObject({
  stele: z.literal(1),
  siteId: z.string().check(z.minLength(1), z.maxLength(200)),
  version: z.number().check(z.int(), z.nonnegative()),
  buildTime: isoDate,
  expires: isoDate,
  keyId: z.string().check(z.regex(/^[0-9A-F]{16}$/)),
  files: z.array(manifestFileSchema),
  serverConfig: z.optional(z.array(manifestFileSchema.check(z.refine((f) => isServerConfigPath(f.path), 'not a server configuration file')))),
});

/** Serialise a manifest deterministically: fixed key order, 2-space indent, trailing newline. */
export function serializeManifest(manifest: Manifest): string {
  const ordered = {
    stele: manifest.stele,
    siteId: manifest.siteId,
    version: manifest.version,
    buildTime: manifest.buildTime,
    expires: manifest.expires,
    keyId: manifest.keyId,
    files: manifest.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
    ...(manifest.serverConfig?.length
      ? { serverConfig: manifest.serverConfig.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })) }
      : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** The trusted comment stele puts in the manifest signature. */
export function formatManifestTrustedComment(m: Pick<Manifest, 'siteId' | 'version' | 'expires' | 'keyId'>): string {
  return `stele site=${m.siteId} version=${m.version} expires=${m.expires} keyid=${m.keyId}`;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * One entry of `files` when `manifestFileSchema` accepts it as it is, checked by hand (the
 * schema costs several microseconds an entry, and a manifest lists tens of thousands);
 * undefined for anything else, which the schema then judges. Never accepts what the schema
 * refuses, and returns what the schema would.
 */
function readPlainManifestFile(value: unknown): ManifestFile | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (Object.getPrototypeOf(value) !== Object.prototype || Object.keys(value).length !== 3) return undefined;
  if (!Object.hasOwn(value, 'path') || !Object.hasOwn(value, 'size') || !Object.hasOwn(value, 'sha256')) return undefined;
  const { path, size, sha256 } = value as Record<string, unknown>;
  if (typeof path !== 'string' || !isSafeSitePath(path)) return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) return undefined;
  return { path, size, sha256 };
}

/**
 * `manifestSchema` over `data`, with `files` checked entry by entry by
 * {@link readPlainManifestFile} and the rest by the schema; any entry it does not
 * accept sends the whole document through the schema, which has the last word.
 */
function parseManifestData(data: unknown): ReturnType<typeof manifestSchema.safeParse> {
  if (typeof data === 'object' && data !== null && !Array.isArray(data) && Object.hasOwn(data, 'files')) {
    const listed = (data as { files: unknown }).files;
    if (Array.isArray(listed)) {
      const files: ManifestFile[] = [];
      for (const entry of listed) {
        const file = readPlainManifestFile(entry);
        if (!file) break;
        files.push(file);
      }
      if (files.length === listed.length) {
        const rest = manifestSchema.safeParse({ ...data, files: [] }, z.PARSE_ONCE);
        if (rest.success) return { ...rest, data: { ...rest.data, files } };
      }
    }
  }
  return manifestSchema.safeParse(data, z.PARSE_ONCE);
}

/** Parse manifest JSON text; `reason` says what is wrong. */
export function parseManifest(text: string): { ok: true; manifest: Manifest } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'manifest is not valid JSON' };
  }
  const result = parseManifestData(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, reason: `manifest is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const seen = new Set<string>();
  for (const f of [...result.data.files, ...(result.data.serverConfig ?? [])]) {
    if (seen.has(f.path)) return { ok: false, reason: `manifest lists ${f.path} twice` };
    seen.add(f.path);
  }
  return { ok: true, manifest: result.data as Manifest };
}

/** The untrusted comment of a manifest signature (verify requires exactly this, so no byte of the file can change). */
export function formatManifestUntrustedComment(siteId: string): string {
  return `stele manifest for ${siteId}`;
}

