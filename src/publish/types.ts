/**
 * The publish stage's shapes: a sealed site read from disk, the one interface
 * every target implements, and what a run reports per target.
 */
import type { FileSystem } from '../io/host.js';
import type { LinkPort } from '../io/links.js';
import type { FetchPort } from '../io/network.js';
import type { ProcessRunner } from '../io/process.js';
import type { Manifest, ManifestFile } from '../trust/manifest.js';

/** A sealed, verified build folder, ready to be sent. */
export interface SealedSite {
  /** Absolute folder the build was read from. */
  dir: string;
  manifest: Manifest;
  /** Exact bytes of the manifest and its signature (sent last). */
  manifestBytes: Uint8Array;
  signatureBytes: Uint8Array;
  /** Every file the manifest signs (server configuration included), the release log files and the timestamp files, sorted by path (the manifest and signature are not listed). */
  files: readonly ManifestFile[];
  /** Read one file of the site (a listed path, the manifest or the signature). */
  read(path: string): Promise<Uint8Array>;
}

/** What a target receives besides the site: the injected effects and the run's hooks. */
export interface TargetContext {
  fs: FileSystem;
  /** Symbolic and hard links (directory targets). */
  links: LinkPort;
  processes: ProcessRunner;
  fetch: FetchPort;
  /** Environment variables (secrets are read from here, never from config text). */
  env: Readonly<Record<string, string | undefined>>;
  now: Date;
  /** A private scratch folder for this target, removed after the run. */
  tempDir: string;
  /** Report progress: `done` of `total` files in `phase` (e.g. "uploading pages"). */
  progress(phase: string, done: number, total: number): void;
  /** Awaited before each file is sent (a test hook slows uploads through it). */
  pace(): Promise<void>;
  /** True when a local folder is a genuine copy of exactly this build. */
  isGenuineCopy(folder: string): Promise<boolean>;
}

/** What sending the site to a target did. */
export interface TargetSendResult {
  /** Files actually transferred (unchanged files are not counted: they did not move). */
  filesSent: number;
  bytesSent: number;
  /** Files removed from the target because the new build no longer has them. */
  filesDeleted: number;
  /** A local folder holding exactly what the target now serves, to verify when there is no URL. */
  verifyFolder?: string;
  /** One line for people, e.g. the IPFS root CID or the new git commit. */
  note?: string;
}

/** One place a sealed site can be published to. One module per kind implements it. */
export interface PublishTarget {
  /** The name from config (`stele publish --target NAME`). */
  readonly name: string;
  /** `directory`, `rsync`, `s3`, `git`, `car`. */
  readonly type: string;
  /** Where it goes, for people; never contains a secret. */
  readonly description: string;
  /** Public address to verify afterwards, when the config gives one. */
  readonly url?: string;
  /** Send the site. Throw `PublishError` with a plain-language message when the target refuses. */
  send(site: SealedSite, ctx: TargetContext): Promise<TargetSendResult>;
}

/** A failure a person can act on (bad credentials, unknown host key…). The message is shown as is. */
export class PublishError extends Error {
  override name = 'PublishError';
}

/** The outcome of one target in a run. */
export interface TargetReport {
  name: string;
  type: string;
  description: string;
  status: 'published' | 'failed';
  filesSent: number;
  bytesSent: number;
  filesDeleted: number;
  /** Total files in the build. */
  filesTotal: number;
  durationMs: number;
  /** `yes` verified genuine; `no` verification failed; `not-checked` with the reason in `verifyNote`. */
  verified: 'yes' | 'no' | 'not-checked';
  /** Where it was verified (URL or folder), or why it was not. */
  verifyNote?: string;
  note?: string;
  /** Plain-language reason for a failure. */
  error?: string;
}

/** The result of `publishSite`. */
export interface PublishReport {
  siteId: string;
  version: number;
  targets: TargetReport[];
  /** True when every target published and nothing failed verification. */
  ok: boolean;
}

/** Default deadline of the check of one published copy where it is served: ten minutes. */
export const DEFAULT_PUBLISH_VERIFY_DEADLINE_MS = 600_000;
