/**
 * Catalogue entries for keys, seal and verify (range STELE5000–5499).
 * Messages never include a passphrase or key material.
 */
import { defineError } from './catalogue.js';

/** `stele keygen` would overwrite an existing key. */
export const SEAL_KEY_EXISTS = defineError({
  code: 'STELE5000',
  title: 'Key already exists',
  severity: 'error',
  message: (dir: string) => `A signing key already exists in ${dir}.`,
  hint: 'Replacing a key breaks trust for everyone who pinned it. Use `stele key rotate` to move to a new key, or --force if you really mean to discard it.',
});

/** No passphrase from the environment and no terminal to ask on. */
export const SEAL_PASSPHRASE_MISSING = defineError({
  code: 'STELE5001',
  title: 'Passphrase needed',
  severity: 'error',
  message: () => 'The secret key needs a passphrase, but STELE_PASSPHRASE is not set and there is no terminal to ask on.',
  hint: 'Set STELE_PASSPHRASE in the environment (e.g. a CI secret), or run the command in a terminal.',
});

/** The two passphrases typed at the prompt differ. */
export const SEAL_PASSPHRASE_MISMATCH = defineError({
  code: 'STELE5002',
  title: 'Passphrases differ',
  severity: 'error',
  message: () => 'The two passphrases you typed are not the same.',
  hint: 'Run the command again and type the same passphrase twice.',
});

/** A secret key could not be read or decrypted (reason has no secrets). */
export const SEAL_KEY_UNUSABLE = defineError({
  code: 'STELE5003',
  title: 'Secret key unusable',
  severity: 'error',
  message: (reason: string) => `The secret key cannot be used: ${reason}.`,
  hint: 'Check the --dir folder and the passphrase (STELE_PASSPHRASE).',
});

/** Key files could not be written. */
export const SEAL_KEY_WRITE_FAILED = defineError({
  code: 'STELE5004',
  title: 'Cannot write keys',
  severity: 'error',
  message: (reason: string) => `${reason}.`,
});

/** A secret key is stored without a passphrase. */
export const SEAL_KEY_UNENCRYPTED = defineError({
  code: 'STELE5005',
  title: 'Unencrypted secret key',
  severity: 'warning',
  message: (path: string) =>
    `WARNING: ${path} is NOT encrypted. Anyone who copies this file can publish a "genuine" version of your site.`,
  hint: 'Keep it only on an encrypted disk or in a CI secret store, never in version control; prefer an encrypted key.',
});

/** Not a key id. */
export const SEAL_KEY_ID_INVALID = defineError({
  code: 'STELE5006',
  title: 'Invalid key id',
  severity: 'error',
  message: (text: string) => `"${text}" is not a key id.`,
  hint: 'A key id is 16 hexadecimal digits, as printed by `stele keygen` (e.g. 08E69A5A6C64D0D0).',
});

/** `stele key revoke` without a usable reason, or revoking the current key. */
export const SEAL_REVOKE_REFUSED = defineError({
  code: 'STELE5007',
  title: 'Cannot revoke key',
  severity: 'error',
  message: (reason: string) => `Cannot revoke: ${reason}.`,
  hint: 'Give a one-line --reason; to revoke the current key, run `stele key rotate` first.',
});

/** `stele verify --key` file unreadable. */
export const VERIFY_KEY_UNREADABLE = defineError({
  code: 'STELE5010',
  title: 'Public key unreadable',
  severity: 'error',
  message: (path: string, reason: string) => `Cannot use the public key ${path}: ${reason}.`,
  hint: 'Pass the stele.pub file published with the site (minisign format).',
});

/** `stele verify` was given an option it cannot use. */
export const VERIFY_OPTION_INVALID = defineError({
  code: 'STELE5011',
  title: 'Invalid verify option',
  severity: 'error',
  message: (option: string, value: string) => `${option} "${value}" is not valid.`,
});

/** Unknown `stele key` subcommand. */
export const SEAL_KEY_ACTION_UNKNOWN = defineError({
  code: 'STELE5012',
  title: 'Unknown key action',
  severity: 'error',
  message: (action: string) => `"${action}" is not a key action.`,
  hint: 'Use `stele key rotate` or `stele key revoke <KEYID> --reason "…"`.',
});

/** An unencrypted secret key that other users can read (refused, as ssh refuses such keys). */
export const SEAL_KEY_PERMISSIONS = defineError({
  code: 'STELE5013',
  title: 'Secret key readable by others',
  severity: 'error',
  message: (path: string, mode: string) =>
    `${path} is not encrypted and other users of this machine can read or change it (mode ${mode}); stele refuses to sign with it, as ssh refuses such keys.`,
  hint: (path: string) => `Run \`chmod 600 ${path}\` (or make an encrypted key with \`stele keygen\`), then build again.`,
});

/** The secret key path is a folder or something else that is not a file. */
export const SEAL_KEY_NOT_A_FILE = defineError({
  code: 'STELE5014',
  title: 'Secret key is not a file',
  severity: 'error',
  message: (path: string, kind: string) => `${path} is a ${kind}, not a secret key file.`,
  hint: 'Point `seal.secretKey` in the config (or --dir) at the stele.key file that `stele keygen` made.',
});

/** `stele refresh`: the copy does not verify with the main key, so it is not vouched for. */
export const REFRESH_NOT_GENUINE = defineError({
  code: 'STELE5040',
  title: 'Refusing to refresh',
  severity: 'error',
  message: (reason: string) => `The timestamp was not refreshed: ${reason}.`,
  hint: 'A timestamp only vouches for a build the main key signed and that is intact. Rebuild with the main key (`stele build`), or find out who changed the folder.',
});

/** `stele refresh`: the build delegates no timestamp key, or another one. */
export const REFRESH_NOT_DELEGATED = defineError({
  code: 'STELE5041',
  title: 'Timestamp key not delegated',
  severity: 'error',
  message: (reason: string) => `The timestamp was not refreshed: ${reason}.`,
  hint: 'Make the key with `stele keygen --timestamp --dir keys`, then build once with the main key so that channels.json delegates it.',
});

/** `stele refresh`: the timestamp key file is missing or cannot be decrypted. */
export const REFRESH_KEY_UNUSABLE = defineError({
  code: 'STELE5042',
  title: 'Timestamp key unusable',
  severity: 'error',
  message: (reason: string) => `The timestamp key cannot be used: ${reason}.`,
  hint: 'Pass --timestamp-key (default keys/timestamp.key) and set STELE_TIMESTAMP_PASSPHRASE for an encrypted key; `stele refresh` never needs the main secret key.',
});

/** `stele refresh`: the manifest itself expires soon; only a build with the main key extends it. */
export const REFRESH_MANIFEST_EXPIRES_SOON = defineError({
  code: 'STELE5043',
  title: 'Manifest expires soon',
  severity: 'warning',
  message: (expires: string, days: number) =>
    `The signed manifest itself expires on ${expires} (in ${days} ${days === 1 ? 'day' : 'days'}); a refreshed timestamp cannot extend it, and readers will then see the site as expired.`,
  hint: 'Take the main key out and run `stele build` (with the timestamp key present) before then.',
});

/** `stele refresh` was pointed at something it cannot write. */
export const REFRESH_TARGET_INVALID = defineError({
  code: 'STELE5044',
  title: 'Cannot refresh this',
  severity: 'error',
  message: (target: string, why: string) => `Cannot refresh ${target}: ${why}.`,
  hint: 'Give a project folder (its output folder is refreshed; add --publish to send it to the publish targets) or a sealed folder a web server serves.',
});
