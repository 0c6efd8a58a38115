/**
 * The signed manifest (`.well-known/stele/manifest.json`): which files a genuine
 * copy of the site has, with sizes and SHA-256 hashes: schema, parser, canonical
 * serialisation and the comments its signature carries. Shared by seal and verify.
 */
import { z } from 'zod';
import { compareBytes } from './bytes.js';

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
  if (path.length === 0 || path.length > 4096) return false;
  if (path.startsWith('/') || path.includes('\\') || /[\u0000-\u001f\u007f]/.test(path)) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date');

const manifestFileSchema = z
  .object({
    path: z.string().refine(isSafeSitePath, 'unsafe path'),
    size: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

/** Schema for reading a manifest (strict: unknown keys are refused). */
export const manifestSchema = z
  .object({
    stele: z.literal(1),
    siteId: z.string().min(1).max(200),
    version: z.number().int().nonnegative(),
    buildTime: isoDate,
    expires: isoDate,
    keyId: z.string().regex(/^[0-9A-F]{16}$/),
    files: z.array(manifestFileSchema),
    serverConfig: z
      .array(manifestFileSchema.refine((f) => isServerConfigPath(f.path), 'not a server configuration file'))
      .optional(),
  })
  .strict();

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

/** Parse manifest JSON text; `reason` says what is wrong. */
export function parseManifest(text: string): { ok: true; manifest: Manifest } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'manifest is not valid JSON' };
  }
  const result = manifestSchema.safeParse(data);
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

