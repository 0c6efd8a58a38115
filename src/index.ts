/**
 * stele's public API (`import 'stele'`). The CLI (`src/cli`, run by
 * `bin/stele.js`) is a thin layer over these functions and is not part of this
 * entry, so the library loads no command-line parser or file watcher. A test
 * pins this list so that changes to the public surface are deliberate.
 */
export { type BuildOptions, type BuildResult, buildProject, digestOutput } from './build/build-project.js';
export { writeOutputAtomically } from './build/write-output.js';
export { LANGUAGES, type LanguageCode } from './config/languages.js';
export { defineConfig, localize, type ResolvedConfig, resolveConfig, validateConfig } from './config/resolve-config.js';
export type { UserConfig } from './config/schema.js';
export { type ContentEntry, type ContentSet, loadContent } from './content/load-content.js';
export { createDiagnostic, defineError, listErrorDefinitions } from './errors/catalogue.js';
export { type Diagnostic, hasErrors } from './errors/diagnostic.js';
export { formatDiagnostic } from './errors/format.js';
export { createNodeHost, type FileSystem, type Host } from './io/host.js';
export { createMemoryFileSystem } from './io/memory-fs.js';
export { createNodeFetch, type FetchPort } from './io/network.js';
export { createNodeLinkPort, type LinkPort } from './io/links.js';
export { createNodeProcessRunner, type ProcessResult, type ProcessRunner, type RunProcessOptions } from './io/process.js';
export { createSiteBundle } from './publish/bundle.js';
export { formatPublishReport } from './publish/format-report.js';
export { type PublishOptions, publishSite } from './publish/publish-site.js';
export { type RefreshTimestampOptions, type RefreshTimestampResult, refreshSiteTimestamp } from './publish/refresh-timestamp.js';
export type { PublishReport, PublishTarget, TargetReport } from './publish/types.js';
export { createMarkdownRenderer } from './render/markdown.js';
export { renderContent } from './render/render-content.js';
export { sanitizeAuthorHtml } from './render/sanitize.js';
export { createSite } from './site/create-site.js';
export type { OutputFiles } from './site/output.js';
export { hardenSite } from './harden/harden-site.js';
export { createServerConfigs } from './harden/server-configs.js';
export { runChecks } from './check/run-checks.js';
export { sealSite } from './seal/seal-site.js';
export { createSignerFromSeed, loadSigner, type Signer } from './seal/signer.js';
export { verifySite } from './verify/verify-site.js';
export type { VerifyReport } from './verify/types.js';
export { createWatcher } from './watch/index.js';
export { STELE_VERSION } from './version.js';
