/** stele's version (kept in step with package.json by a test). */
export const STELE_VERSION = '0.1.0';
