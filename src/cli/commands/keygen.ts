/**
 * `stele keygen`: create the site's signing key pair (`stele.pub`, `stele.key`),
 * minisign-compatible. The secret key is encrypted with a passphrase from
 * `STELE_PASSPHRASE` or a no-echo terminal prompt. `stele keygen --timestamp`
 * creates the online timestamp key (`timestamp.pub`, `timestamp.key`) next to
 * it instead, with its own passphrase (`STELE_TIMESTAMP_PASSPHRASE`).
 */
import { join, resolve } from 'node:path';
import { createDiagnostic } from '../../errors/catalogue.js';
import type { Diagnostic } from '../../errors/diagnostic.js';
import {
  SEAL_KEY_EXISTS,
  SEAL_KEY_UNENCRYPTED,
  SEAL_KEY_WRITE_FAILED,
  SEAL_PASSPHRASE_MISMATCH,
  SEAL_PASSPHRASE_MISSING,
} from '../../errors/codes-seal.js';
import {
  createKeyFiles,
  PUBLIC_KEY_FILE,
  SECRET_KEY_FILE,
  TIMESTAMP_PUBLIC_KEY_FILE,
  TIMESTAMP_SECRET_KEY_FILE,
} from '../../seal/key-store.js';
import type { KdfLimits } from '../../seal/minisign.js';
import { formatKeyFingerprint } from '../../trust/minisign.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { printDiagnostics } from '../output.js';
import { readPassphrase, readTimestampPassphrase } from '../passphrase.js';

/** Parsed `stele keygen` flags. */
export interface KeygenCommandFlags {
  dir?: string;
  unencrypted?: boolean;
  force?: boolean;
  /** Make the online timestamp key (`timestamp.pub`, `timestamp.key`) instead of the main pair. */
  timestamp?: boolean;
}

/** Injected for tests: the passphrase source and a cheaper scrypt cost. */
export interface KeyCommandIo {
  readPassphrase?: (ctx: CliContext, prompt: string) => Promise<string | undefined>;
  limits?: KdfLimits;
}

/**
 * A passphrase for a new secret key: `STELE_PASSPHRASE`, or typed twice at a prompt.
 * Returns a diagnostic when there is none, it is empty, or the two entries differ.
 */
export async function obtainNewPassphrase(
  ctx: CliContext,
  io: KeyCommandIo,
  label = 'new signing key',
): Promise<{ ok: true; passphrase: string } | { ok: false; diagnostic: Diagnostic }> {
  const read = io.readPassphrase ?? (label === 'timestamp key' ? (c: CliContext) => readTimestampPassphrase(c) : readPassphrase);
  const first = await read(ctx, `Passphrase for the ${label}: `);
  if (!first) return { ok: false, diagnostic: createDiagnostic(SEAL_PASSPHRASE_MISSING, {}) };
  const second = await read(ctx, 'Repeat the passphrase: ');
  if (second !== first) return { ok: false, diagnostic: createDiagnostic(SEAL_PASSPHRASE_MISMATCH, {}) };
  return { ok: true, passphrase: first };
}

/** Run `stele keygen` (sets `ctx.exitCode`: 0 created, 2 not created). */
export async function runKeygenCommand(ctx: CliContext, flags: KeygenCommandFlags, io: KeyCommandIo = {}): Promise<void> {
  const dir = resolve(ctx.cwd, flags.dir ?? '.');
  const fail = async (d: Diagnostic) => {
    await printDiagnostics(ctx, [d], ctx.cwd);
    ctx.exitCode = 2;
  };
  const timestamp = Boolean(flags.timestamp);
  const [pubName, keyName] = timestamp ? [TIMESTAMP_PUBLIC_KEY_FILE, TIMESTAMP_SECRET_KEY_FILE] : [PUBLIC_KEY_FILE, SECRET_KEY_FILE];
  if (!flags.force && ((await ctx.host.fs.exists(join(dir, keyName))) || (await ctx.host.fs.exists(join(dir, pubName))))) {
    return fail(createDiagnostic(SEAL_KEY_EXISTS, {}, dir));
  }
  let passphrase: string | undefined;
  if (!flags.unencrypted) {
    const got = await obtainNewPassphrase(ctx, io, timestamp ? 'timestamp key' : undefined);
    if (!got.ok) return fail(got.diagnostic);
    passphrase = got.passphrase;
  }
  const made = await createKeyFiles({
    dir,
    passphrase,
    unencrypted: flags.unencrypted,
    force: flags.force,
    limits: io.limits,
    fs: ctx.host.fs,
    role: timestamp ? 'timestamp' : 'main',
  });
  if (!made.ok) {
    return fail(
      made.code === 'exists' ? createDiagnostic(SEAL_KEY_EXISTS, {}, dir) : createDiagnostic(SEAL_KEY_WRITE_FAILED, {}, made.reason),
    );
  }
  if (flags.unencrypted) await printDiagnostics(ctx, [createDiagnostic(SEAL_KEY_UNENCRYPTED, {}, made.value.secretKeyPath)], ctx.cwd);
  if (timestamp) {
    ctx.stdout(
      [
        `Timestamp key id: ${made.value.keyId}`,
        `Public key: ${made.value.publicKeyPath}`,
        `Secret key: ${made.value.secretKeyPath} (${flags.unencrypted ? 'UNENCRYPTED' : 'encrypted; cron reads the passphrase from STELE_TIMESTAMP_PASSPHRASE'})`,
        'It signs only .well-known/stele/timestamp.json: it can keep the site fresh but never make a changed file verify.',
        'The next `stele build` (with the main key) delegates it in channels.json; then keep the site fresh with',
        '`stele refresh` (e.g. daily from cron) while the main key stays offline.',
        '',
      ].join('\n'),
    );
    ctx.exitCode = 0;
    return;
  }
  ctx.stdout(
    [
      `Key id: ${made.value.keyId}`,
      `Fingerprint: ${formatKeyFingerprint(made.value.keyId)}`,
      `Public key: ${made.value.publicKeyPath} (publish it; readers verify with it)`,
      `Secret key: ${made.value.secretKeyPath} (${flags.unencrypted ? 'UNENCRYPTED' : 'encrypted'}; keep it secret, never commit it)`,
      `Compatible with minisign: minisign -Vm <file> -p ${made.value.publicKeyPath}`,
      '',
    ].join('\n'),
  );
  ctx.exitCode = 0;
}

/** Register `stele keygen`. */
export const registerKeygenCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('keygen', 'Create the signing key pair (stele.pub, stele.key), or with --timestamp the online timestamp key')
    .option('--dir <dir>', 'Folder for the key files (default: .)')
    .option('--unencrypted', 'Store the secret key without a passphrase (not recommended)')
    .option('--force', 'Overwrite an existing key pair (breaks trust; prefer `stele key rotate`)')
    .option('--timestamp', 'Make the online timestamp key (timestamp.pub, timestamp.key; passphrase from STELE_TIMESTAMP_PASSPHRASE) for `stele refresh`')
    .example('STELE_PASSPHRASE=… stele keygen --dir keys')
    .example('STELE_TIMESTAMP_PASSPHRASE=… stele keygen --timestamp --dir keys')
    .action((flags: KeygenCommandFlags) => runKeygenCommand(ctx, flags));
};
