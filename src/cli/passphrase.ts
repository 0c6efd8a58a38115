/**
 * Where the secret key's passphrase comes from: `STELE_PASSPHRASE` (CI), or a
 * prompt on the terminal with echo off. It is never logged or written.
 */
import type { CliContext } from './context.js';

/** Environment variable holding the timestamp key's passphrase (for `stele refresh` from cron). */
export const TIMESTAMP_PASSPHRASE_ENV = 'STELE_TIMESTAMP_PASSPHRASE';

/** Read the passphrase; undefined when there is neither an env var (`envName`, default `STELE_PASSPHRASE`) nor a terminal. */
export async function readPassphrase(
  ctx: CliContext,
  prompt = 'Passphrase for the signing key: ',
  envName = 'STELE_PASSPHRASE',
): Promise<string | undefined> {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY || !ctx.isTTY) return undefined;
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(undefined);
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The timestamp key's passphrase: `STELE_TIMESTAMP_PASSPHRASE`, or a no-echo prompt. */
export function readTimestampPassphrase(ctx: CliContext): Promise<string | undefined> {
  return readPassphrase(ctx, 'Passphrase for the timestamp key: ', TIMESTAMP_PASSPHRASE_ENV);
}
