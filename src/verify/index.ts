/** Public API of the verify area. */
export { formatVerifyReport, resolveVerifyExitCode } from './format-report.js';
export { readTrustStore, resolveTrustStoreDir, type TrustedSite, type TrustStore } from './trust-store.js';
export type { ManifestSummary, VerifyProblem, VerifyProblemKind, VerifyReport } from './types.js';
export { INJECTED_PATH_PROBES, type VerifyOptions, verifySite } from './verify-site.js';
