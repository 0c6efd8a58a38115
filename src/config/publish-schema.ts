/**
 * `publish.targets` in `stele.config.ts`: where `stele publish` sends the sealed
 * build. Secrets never live here: SSH keys and S3 credentials are named by
 * environment variable or file, and the schema has no field that could hold one.
 */
import { z } from 'zod';

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'letters, digits, dot, underscore and hyphen (used on the command line)');
/** Public address the copy is served at; `stele publish` verifies it there afterwards. */
const url = z.string().url().refine((u) => /^https?:\/\//i.test(u), 'an http(s) address');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

/** A local folder with versioned copies and a `current` symbolic link swapped atomically. */
export const directoryTargetSchema = z
  .object({
    type: z.literal('directory'),
    name,
    /** Folder holding `versions/` and the `current` link (serve `<path>/current`). Relative to the project. */
    path: z.string().min(1),
    /** Versions kept for `stele publish --rollback` (the live one included). */
    keep: z.number().int().min(2).max(100).default(5),
    url: url.optional(),
  })
  .strict();

/** A server reached with rsync over SSH; the host key must already be in `knownHostsFile`. */
export const rsyncTargetSchema = z
  .object({
    type: z.literal('rsync'),
    name,
    host: z.string().min(1).regex(/^[^\s@:/]+$/, 'a host name or address, without user or path'),
    port: z.number().int().min(1).max(65535).default(22),
    user: z.string().regex(/^[a-z_][a-z0-9_.-]*$/i, 'a user name'),
    /** Folder on the server (the web root or the folder it serves). */
    path: z.string().min(1),
    /** Private key file (relative to the project or absolute); never copied or printed. */
    identityFile: z.string().min(1),
    /** known_hosts file with the server's host key; connections to an unknown key are refused. */
    knownHostsFile: z.string().min(1),
    url: url.optional(),
  })
  .strict();

/** An S3-compatible bucket. Credentials come from environment variables or a JSON file. */
export const s3TargetSchema = z
  .object({
    type: z.literal('s3'),
    name,
    bucket: z.string().min(1),
    /** Endpoint for S3-compatible services (MinIO, Backblaze, …); AWS when absent. */
    endpoint: z.string().url().optional(),
    region: z.string().min(1).default('us-east-1'),
    /** Key prefix inside the bucket (e.g. `site/`). */
    prefix: z
      .string()
      .regex(/^(?:[^/][^\s]*\/)?$/, 'empty, or a path ending in "/" without a leading "/"')
      .default(''),
    forcePathStyle: z.boolean().default(false),
    /** Names of the environment variables holding the key id and secret. */
    accessKeyIdEnv: envName.default('AWS_ACCESS_KEY_ID'),
    secretAccessKeyEnv: envName.default('AWS_SECRET_ACCESS_KEY'),
    /** Or a JSON file `{ "accessKeyId": …, "secretAccessKey": … }` (relative to the project or absolute). */
    credentialsFile: z.string().min(1).optional(),
    url: url.optional(),
  })
  .strict();

/** A branch of a git repository (GitHub/GitLab/Codeberg Pages and the like); one commit per publish. */
export const gitTargetSchema = z
  .object({
    type: z.literal('git'),
    name,
    /** Repository address or path, as `git push` takes it. */
    repo: z.string().min(1),
    branch: z.string().regex(/^(?!-)[A-Za-z0-9._/-]+$/, 'a branch name').default('gh-pages'),
    /** For SSH remotes: private key file and known_hosts file (host keys are checked). */
    identityFile: z.string().min(1).optional(),
    knownHostsFile: z.string().min(1).optional(),
    url: url.optional(),
  })
  .strict();

/** An IPFS CAR file for pinning services; its root CID is printed. */
export const carTargetSchema = z
  .object({
    type: z.literal('car'),
    name,
    /** The `.car` file to write (relative to the project or absolute). */
    out: z.string().min(1),
    /** A gateway address where the pinned copy is served, to verify it there. */
    url: url.optional(),
  })
  .strict();

/** One place `stele publish` sends the site to. */
export const publishTargetSchema = z.discriminatedUnion('type', [
  directoryTargetSchema,
  rsyncTargetSchema,
  s3TargetSchema,
  gitTargetSchema,
  carTargetSchema,
]);

/** The `publish` section. */
export const publishSchema = z
  .object({
    targets: z
      .array(publishTargetSchema)
      .default([])
      .refine((targets) => new Set(targets.map((t) => t.name)).size === targets.length, 'target names must be unique'),
  })
  .strict()
  .default({ targets: [] });

/** A validated publish target, defaults filled in. */
export type PublishTargetConfig = z.output<typeof publishTargetSchema>;
export type DirectoryTargetConfig = z.output<typeof directoryTargetSchema>;
export type RsyncTargetConfig = z.output<typeof rsyncTargetSchema>;
export type S3TargetConfig = z.output<typeof s3TargetSchema>;
export type GitTargetConfig = z.output<typeof gitTargetSchema>;
export type CarTargetConfig = z.output<typeof carTargetSchema>;
