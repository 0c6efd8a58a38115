/**
 * vitest globalSetup: before any test runs, check that the Debian packages the
 * tests drive for real are installed, and fail once with one message naming
 * the missing ones and `.ci/run` (instead of dozens of raw "executable doesn't
 * exist" failures). The package list is read from `.ci/run` itself, so the two
 * cannot drift.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What proves each package is installed: any one of these paths, or a command on PATH. */
const PROBES: Record<string, { paths?: string[]; command?: string }> = {
  chromium: { paths: ['/usr/bin/chromium'] },
  'fonts-noto-cjk': { paths: ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/opentype/noto'] },
  minisign: { command: 'minisign' },
  nginx: { paths: ['/usr/sbin/nginx'] },
  caddy: { paths: ['/usr/bin/caddy'] },
  apache2: { paths: ['/usr/sbin/apache2'] },
  'openssh-server': { paths: ['/usr/sbin/sshd'] },
  'openssh-client': { command: 'ssh' },
  rsync: { command: 'rsync' },
  git: { command: 'git' },
  unzip: { command: 'unzip' },
  'ca-certificates': { paths: ['/etc/ssl/certs/ca-certificates.crt'] },
};

const onPath = (command: string) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** The packages `.ci/run` installs with apt-get. */
export function readCiPackages(ciRun: string): string[] {
  const text = readFileSync(ciRun, 'utf8');
  const m = /apt-get install[^\n]*\\\n([^\n>]*)/.exec(text) ?? /apt-get install -y(?: -qq)?([^\n>]*)/.exec(text);
  return (m?.[1] ?? '').trim().split(/\s+/).filter((p) => p && !p.startsWith('-'));
}

/** The packages of `packages` that are missing on this machine. */
export function findMissingPackages(packages: readonly string[]): string[] {
  return packages.filter((pkg) => {
    const probe = PROBES[pkg];
    if (!probe) return false;
    if (probe.paths?.some((p) => existsSync(p))) return false;
    if (probe.command && onPath(probe.command)) return false;
    return true;
  });
}

export default function setup(): void {
  const ciRun = join(import.meta.dirname, '../.ci/run');
  const missing = findMissingPackages(readCiPackages(ciRun));
  if (missing.length) {
    throw new Error(
      `The tests drive real programs, and these Debian packages are missing: ${missing.join(' ')}.\n` +
        `Run .ci/run (it installs them and runs npm test), or: sudo apt-get install ${missing.join(' ')}`,
    );
  }
}
