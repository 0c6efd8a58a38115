/**
 * `stele keygen`: create the site's signing key pair (`stele.pub`, `stele.key`),
 * minisign-compatible. The secret key is encrypted with a passphrase from
 * `STELE_PASSPHRASE` or a no-echo terminal prompt.
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
import { createKeyFiles } from '../../seal/key-store.js';
import type { KdfLimits } from '../../seal/minisign.js';
import { formatKeyFingerprint } from '../../trust/minisign.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { printDiagnostics } from '../output.js';
import { readPassphrase } from '../passphrase.js';

/** Parsed `stele keygen` flags. */
export interface KeygenCommandFlags {
  dir?: string;
  unencrypted?: boolean;
  force?: boolean;
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
  const read = io.readPassphrase ?? readPassphrase;
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
  if (!flags.force && ((await ctx.host.fs.exists(join(dir, 'stele.key'))) || (await ctx.host.fs.exists(join(dir, 'stele.pub'))))) {
    return fail(createDiagnostic(SEAL_KEY_EXISTS, {}, dir));
  }
  let passphrase: string | undefined;
  if (!flags.unencrypted) {
    const got = await obtainNewPassphrase(ctx, io);
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
  });
  if (!made.ok) {
    return fail(
      made.code === 'exists' ? createDiagnostic(SEAL_KEY_EXISTS, {}, dir) : createDiagnostic(SEAL_KEY_WRITE_FAILED, {}, made.reason),
    );
  }
  if (flags.unencrypted) await printDiagnostics(ctx, [createDiagnostic(SEAL_KEY_UNENCRYPTED, {}, made.value.secretKeyPath)], ctx.cwd);
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
    .command('keygen', 'Create the signing key pair (stele.pub, stele.key)')
    .option('--dir <dir>', 'Folder for the key files (default: .)')
    .option('--unencrypted', 'Store the secret key without a passphrase (not recommended)')
    .option('--force', 'Overwrite an existing key pair (breaks trust; prefer `stele key rotate`)')
    .example('STELE_PASSPHRASE=… stele keygen --dir keys')
    .action((flags: KeygenCommandFlags) => runKeygenCommand(ctx, flags));
};
