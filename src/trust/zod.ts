/**
 * zod for the documents a verifier reads (manifest, timestamp, published channels): its
 * tree-shakable API (`zod/mini`), the same checks and issues as `import { z } from 'zod'`
 * in a small part of the code, so `stele verify` (one bundle) and the browser extension
 * load and compile far less. Import it as a namespace (`import * as z from './zod.js'`)
 * and name what is used: only that is bundled. Classic zod registers its English messages
 * when it makes its first schema; zod/mini registers none, so this module does the same
 * here, and a schema of either API reports the same words. The schemas the site config
 * embeds stay classic (`channels-config.ts`).
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';
import { globalConfig } from 'zod/v4/core';

if (!globalConfig.localeError) config(en());

/**
 * Options for a document parsed once: no compiled fast path (zod builds one per object
 * schema on its first parse, which costs more than a single parse saves).
 */
export const PARSE_ONCE = { jitless: true } as const;

/** The type a schema parses to. */
export type { infer } from 'zod/mini';
/** The schema makers and checks the trust core uses (add one here to use it). */
export { array, int, literal, maxLength, minLength, nonnegative, number, object, optional, refine, regex, strictObject, string } from 'zod/mini';
