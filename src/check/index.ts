/**
 * Public API of the check stage.
 */
export { checkImageAlt } from './image-alt.js';
export { checkImageMetadata, scanImageContainer } from './image-metadata.js';
export { checkLinks } from './links.js';
export { type CheckOptions, runChecks } from './run-checks.js';
export { checkScriptsAndCsp } from './scripts-and-csp.js';
export { createSitePages, type SitePage } from './site-pages.js';
export { checkThirdParty } from './third-party.js';
export { checkWithheldNames, createWithheldNameMatcher, type WithheldName } from './withheld-names.js';
