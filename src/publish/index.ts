/** Public API of the publish stage. */
export { readCarFile } from './car-file.js';
export { formatPublishReport } from './format-report.js';
export { createPublishTarget, type PublishOptions, publishSite } from './publish-site.js';
export { type RefreshTimestampOptions, type RefreshTimestampResult, refreshSiteTimestamp } from './refresh-timestamp.js';
export { readSealedSite } from './sealed-site.js';
export { rollbackDirectoryTarget } from './target-directory.js';
export { resolveObjectHeaders } from './target-s3.js';
export { PublishError, type PublishReport, type PublishTarget, type SealedSite, type TargetContext, type TargetReport, type TargetSendResult } from './types.js';
