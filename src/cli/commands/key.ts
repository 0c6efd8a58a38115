/**
 * `stele key rotate` and `stele key revoke <KEYID> --reason "…"`: move to a new
 * signing key (signed over by the old one, so pinned verifiers can follow), and
 * publish that a key must no longer be trusted.
 */
import { join, resolve } from 'node:path';
import { createDiagnostic } from '../../errors/catalogue.js';
import type { Diagnostic } from '../../errors/diagnostic.js';
import {
  SEAL_KEY_ACTION_UNKNOWN,
  SEAL_KEY_ID_INVALID,
  SEAL_KEY_UNENCRYPTED,
  SEAL_KEY_UNUSABLE,
  SEAL_KEY_WRITE_FAILED,
  SEAL_PASSPHRASE_MISSING,
  SEAL_REVOKE_REFUSED,
} from '../../errors/codes-seal.js';
import { revokeKeyFiles, rotateKeyFiles, SECRET_KEY_FILE } from '../../seal/key-store.js';
import { isSecretKeyEncrypted } from '../../seal/minisign.js';
import { formatKeyFingerprint, normalizeKeyId } from '../../trust/minisign.js';
import type { CliContext, RegisterCommand } from '../context.js';
import { printDiagnostics } from '../output.js';
import { readPassphrase } from '../passphrase.js';
import { type KeyCommandIo, obtainNewPassphrase } from './keygen.js';

/** Parsed `stele key` flags. */
export interface KeyCommandFlags {
  dir?: string;
  reason?: string;
  unencrypted?: boolean;
}

async function readCurrentPassphrase(
  ctx: CliContext,
  keyFile: string,
  io: KeyCommandIo,
): Promise<{ ok: true; passphrase?: string } | { ok: false; diagnostic: Diagnostic }> {
  let text: string;
  try {
    text = await ctx.host.fs.readText(keyFile);
  } catch {
    return { ok: false, diagnostic: createDiagnostic(SEAL_KEY_UNUSABLE, {}, `no secret key at ${keyFile}`) };
  }
  const encrypted = isSecretKeyEncrypted(text);
  if (encrypted === undefined) {
    return { ok: false, diagnostic: createDiagnostic(SEAL_KEY_UNUSABLE, {}, `${keyFile} is not a minisign secret key`) };
  }
  if (!encrypted) return { ok: true };
  const passphrase = await (io.readPassphrase ?? readPassphrase)(ctx, 'Passphrase for the current signing key: ');
  if (!passphrase) return { ok: false, diagnostic: createDiagnostic(SEAL_PASSPHRASE_MISSING, {}) };
  return { ok: true, passphrase };
}

/** Run `stele key <action>` (sets `ctx.exitCode`: 0 done, 2 not done). */
export async function runKeyCommand(
  ctx: CliContext,
  action: string,
  keyId: string | undefined,
  flags: KeyCommandFlags,
  io: KeyCommandIo = {},
): Promise<void> {
  const dir = resolve(ctx.cwd, flags.dir ?? '.');
  const fail = async (d: Diagnostic) => {
    await printDiagnostics(ctx, [d], ctx.cwd);
    ctx.exitCode = 2;
  };
  const now = ctx.host.now();
  if (action === 'rotate') {
    const current = await readCurrentPassphrase(ctx, join(dir, SECRET_KEY_FILE), io);
    if (!current.ok) return fail(current.diagnostic);
    let newPassphrase: string | undefined;
    if (!flags.unencrypted) {
      const fromEnv = process.env.STELE_NEW_PASSPHRASE;
      if (fromEnv) newPassphrase = fromEnv;
      else {
        const got = await obtainNewPassphrase(ctx, io);
        if (!got.ok) return fail(got.diagnostic);
        newPassphrase = got.passphrase;
      }
    }
    const rotated = await rotateKeyFiles({
      dir,
      passphrase: current.passphrase,
      newPassphrase,
      unencrypted: flags.unencrypted,
      now,
      limits: io.limits,
      fs: ctx.host.fs,
    });
    if (!rotated.ok) {
      return fail(
        rotated.code === 'io'
          ? createDiagnostic(SEAL_KEY_WRITE_FAILED, {}, rotated.reason)
          : createDiagnostic(SEAL_KEY_UNUSABLE, {}, rotated.reason),
      );
    }
    if (flags.unencrypted) await printDiagnostics(ctx, [createDiagnostic(SEAL_KEY_UNENCRYPTED, {}, join(dir, SECRET_KEY_FILE))], ctx.cwd);
    const { oldKeyId, newKeyId, rotationPath } = rotated.value;
    ctx.stdout(
      [
        `Rotated ${oldKeyId} -> ${newKeyId}`,
        `New fingerprint: ${formatKeyFingerprint(newKeyId)}`,
        `Rotation signed by the old key: ${rotationPath} (published by the next build)`,
        `Old key kept as stele.pub.${oldKeyId}.old and stele.key.${oldKeyId}.old; delete the old secret key once the new build is live.`,
        `If the old key was stolen, also run: stele key revoke ${oldKeyId} --reason "…"`,
        '',
      ].join('\n'),
    );
    ctx.exitCode = 0;
    return;
  }
  if (action === 'revoke') {
    const id = keyId === undefined ? undefined : normalizeKeyId(String(keyId));
    if (!id) return fail(createDiagnostic(SEAL_KEY_ID_INVALID, {}, String(keyId ?? '')));
    if (!flags.reason || !String(flags.reason).trim()) return fail(createDiagnostic(SEAL_REVOKE_REFUSED, {}, 'a --reason is required'));
    const current = await readCurrentPassphrase(ctx, join(dir, SECRET_KEY_FILE), io);
    if (!current.ok) return fail(current.diagnostic);
    const revoked = await revokeKeyFiles({ dir, keyId: id, reason: String(flags.reason), passphrase: current.passphrase, now, fs: ctx.host.fs });
    if (!revoked.ok) {
      return fail(
        revoked.code === 'io'
          ? createDiagnostic(SEAL_KEY_WRITE_FAILED, {}, revoked.reason)
          : /passphrase|secret key/.test(revoked.reason)
            ? createDiagnostic(SEAL_KEY_UNUSABLE, {}, revoked.reason)
            : createDiagnostic(SEAL_REVOKE_REFUSED, {}, revoked.reason),
      );
    }
    ctx.stdout(
      `Revoked ${id}. ${revoked.value.revoked.length} key(s) in ${join(dir, 'revoked-keys.json')}; the next build publishes it and verifiers will refuse ${id}.\n`,
    );
    ctx.exitCode = 0;
    return;
  }
  return fail(createDiagnostic(SEAL_KEY_ACTION_UNKNOWN, {}, action));
}

/** Register `stele key rotate|revoke`. */
export const registerKeyCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('key <action> [keyId]', 'Manage the signing key: `rotate`, or `revoke <KEYID> --reason "…"`')
    .option('--dir <dir>', 'Folder holding stele.pub and stele.key (default: .)')
    .option('--reason <text>', 'Why the key is revoked (published)')
    .option('--unencrypted', 'Store the new secret key without a passphrase (rotate; not recommended)')
    .example('stele key rotate --dir keys')
    .example('stele key revoke 08E69A5A6C64D0D0 --reason "laptop seized" --dir keys')
    .action((action: string, keyId: string | undefined, flags: KeyCommandFlags) => runKeyCommand(ctx, action, keyId, flags));
};
