import { dirname, join, resolve } from 'node:path';
import { buildProject } from '../../build/build-project.js';
import { resolveConfig } from '../../config/resolve-config.js';
import { startStaticServer } from '../../dev/static-server.js';
import type { FileSystem } from '../../io/host.js';
import { createKeyFiles, readKeyPublications } from '../../seal/key-store.js';
import { PROJECT_LOG_DIR, readStoredLog, resolveUnbackedKeyChange } from '../../seal/release-log-store.js';
import { parsePublicKey } from '../../trust/minisign.js';
import { MANIFEST_PATH } from '../../trust/paths.js';
import { isReleaseLogPath, RELEASE_LOG_DIR } from '../../trust/release-log.js';
import { verifySite } from '../../verify/verify-site.js';
import type { RegisterCommand } from '../context.js';
import { formatBytes, printDiagnostics } from '../output.js';
import { waitForShutdown } from './serve.js';

/** Passphrase of the throwaway demo key when STELE_PASSPHRASE is not set. Never use it for a real site. */
export const DEMO_PASSPHRASE = 'stele-demo-only';

/** `stele demo [dir]`: make a demo key if needed, build, seal, verify and serve. What `npm start` runs. */
export const registerDemoCommand: RegisterCommand = (cli, ctx) => {
  cli
    .command('demo [dir]', 'Build, seal, verify and serve a site (default: examples/cfcr), creating a throwaway demo key if it has none')
    .option('--port <port>', 'Port (0 = any free port)', { default: 4000 })
    .option('--no-serve', 'Stop after verifying')
    .action(async (dir: string | undefined, opts: { port: number; serve?: boolean }) => {
      const root = resolve(ctx.cwd, dir ?? 'examples/cfcr');
      const { config, diagnostics } = await resolveConfig(root, ctx.host);
      if (!config) {
        await printDiagnostics(ctx, diagnostics, root);
        ctx.exitCode = 1;
        return;
      }
      const passphrase = process.env.STELE_PASSPHRASE ?? DEMO_PASSPHRASE;
      const keyFile = join(root, config.seal.secretKey);
      if (!(await ctx.host.fs.exists(keyFile))) {
        const made = await createKeyFiles({ dir: join(keyFile, '..'), passphrase, fs: ctx.host.fs });
        if (!made.ok) {
          ctx.stderr(`error: could not create a demo key: ${made.reason}\n`);
          ctx.exitCode = 2;
          return;
        }
        ctx.stderr(
          `created a throwaway DEMO key ${made.value.keyId} in ${join(keyFile, '..')}` +
            (process.env.STELE_PASSPHRASE ? '\n' : ` (passphrase "${DEMO_PASSPHRASE}"; for a real site run \`stele keygen\`)\n`),
        );
      }
      // A history sealed with another key (the example's committed one, made with the test
      // suite's key) cannot be continued by this demo key without a rotation: keep the demo's
      // own history in the output folder and leave the project's copy alone.
      const own = await resolveDemoHistory(root, config.seal.publicKey, config.seal.secretKey, ctx.host.fs);
      if (own) ctx.stderr(own);
      ctx.stdout(`building ${root} …\n`);
      const result = await buildProject({ root, host: ctx.host, mode: 'production', write: true, passphrase, ...(own ? { logDir: false as const } : {}) });
      await printDiagnostics(ctx, result.diagnostics, root, { redactor: result.redactor });
      if (!result.ok || !result.outDir || !result.seal) {
        ctx.stderr('build failed: nothing was written\n');
        ctx.exitCode = 1;
        return;
      }
      const s = result.stats;
      ctx.stdout(`built ${s.pages} pages, ${s.files} files, ${formatBytes(s.bytes)} in ${s.ms} ms; sealed version ${result.seal.version}, key ${result.seal.fingerprint}\n`);
      const publicKey = await ctx.host.fs.readText(join(root, config.seal.publicKey));
      const report = await verifySite(result.outDir, { publicKey, trustStoreDir: false, now: ctx.host.now() });
      ctx.stdout(`verify ${result.outDir}: ${report.status} (${describeVerifiedFiles(result.output!, report.checkedFiles + (report.checkedServerConfig ?? 0))})\n`);
      if (report.status !== 'genuine') {
        ctx.exitCode = 1;
        return;
      }
      if (opts.serve === false) return;
      // The build's in-memory output is exactly what it wrote and verified.
      const site = result.output!;
      let server: Awaited<ReturnType<typeof startStaticServer>>;
      try {
        server = await startStaticServer(site, { port: Number(opts.port) });
      } catch {
        server = await startStaticServer(site, { port: 0 });
      }
      ctx.stdout(`\n  stele demo site: ${server.url}\n  (中文: ${server.url}zh-hans/  繁體: ${server.url}zh-hant/)  Ctrl-C to stop\n\n`);
      await waitForShutdown();
      await server.close();
    });
};

/**
 * A note when the project's release log (`.stele/log/`) was sealed with a key
 * the demo key cannot continue (no rotation from it in the key folder); then the
 * demo keeps its own history in the output folder. Undefined otherwise.
 */
export async function resolveDemoHistory(root: string, publicKeyPath: string, secretKeyPath: string, fs: FileSystem): Promise<string | undefined> {
  const logDir = join(root, PROJECT_LOG_DIR);
  const log = await readStoredLog(logDir, fs);
  if (log.status !== 'ok') return undefined;
  const pub = parsePublicKey(await fs.readText(join(root, publicKeyPath)).catch(() => ''));
  if (!pub.ok) return undefined;
  const unbacked = await resolveUnbackedKeyChange(log.lines, pub.value.keyId, await readKeyPublications(dirname(join(root, secretKeyPath)), fs));
  if (!unbacked) return undefined;
  return (
    `note: the history in ${logDir} (${log.lines.length} versions) was sealed with key ${unbacked.from}, and this demo key ${pub.value.keyId} has no rotation from it, ` +
    'so the demo keeps its own history in the output folder and leaves that one as it is (readers would see KEY CHANGED otherwise).\n'
  );
}

/**
 * "93 files match the signed manifest; the other 2 are the signature itself (…)":
 * the build counts every file it wrote, the manifest lists every file but itself and its signature.
 */
export function describeVerifiedFiles(output: ReadonlyMap<string, Uint8Array>, checked: number): string {
  const manifest = JSON.parse(new TextDecoder().decode(output.get(MANIFEST_PATH))) as { files: { path: string }[]; serverConfig?: { path: string }[] };
  const listed = new Set<string>([...manifest.files, ...(manifest.serverConfig ?? [])].map((f) => f.path));
  const others = [...output.keys()].filter((p) => !listed.has(p)).sort();
  const log = others.filter(isReleaseLogPath);
  const signature = others.filter((p) => !isReleaseLogPath(p));
  const parts = [
    ...(signature.length ? [`the signature itself (${signature.join(', ')})`] : []),
    ...(log.length ? [`the release log, signed by its checkpoint (${log.length} files under ${RELEASE_LOG_DIR}/)`] : []),
  ];
  const tail = others.length ? `; the other ${others.length} of the ${output.size} built are ${parts.join(' and ')}` : '';
  return `${checked} files match the signed manifest${tail}`;
}
