/**
 * Public API of the harden stage.
 */
export { type ContentSecurityPolicyOptions, computeSha256Base64, createContentSecurityPolicy } from './csp.js';
export { type HardenOptions, hardenPage, hardenSite, isHtmlPath } from './harden-site.js';
export { isNotFoundPagePath, resolveNotFoundLinkRoot } from './not-found-page.js';
export { createSecurityHeaders, PERMISSIONS_POLICY, type SecurityHeadersOptions } from './security-headers.js';
export {
  collectSiteHeaderOptions,
  createCaddyfile,
  createHeadersFile,
  createHtaccess,
  createNginxConfig,
  createServerConfigs,
  SERVER_CONFIG_FILES,
  type ServerConfigOptions,
} from './server-configs.js';
