/**
 * The config schema (`stele.config.ts`). `UserConfig` is what authors write;
 * `ResolvedConfig` is what stages receive, with every default filled in.
 */
import { z } from 'zod';
import { channelSchema, revokedAddressSchema } from '../trust/channels.js';
import { publishSchema } from './publish-schema.js';

const languageCode = z.enum(['en', 'zh-Hans', 'zh-Hant']);

/** A string per language; missing languages fall back to the default language. */
export const localizedSchema = z.union([z.string(), z.partialRecord(languageCode, z.string())]);


export const userConfigSchema = z
  .object({
    /** Stable identifier of the site in manifests and trust stores. */
    siteId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and hyphens'),
    title: localizedSchema,
    description: localizedSchema.optional(),
    /** Canonical address, used for sitemap and feed ids. Output URLs stay relative. */
    baseUrl: z.string().url().optional(),
    languages: z.array(languageCode).min(1).default(['en', 'zh-Hans']),
    defaultLanguage: languageCode.default('en'),
    /** Derive Traditional Chinese from Simplified. */
    traditional: z
      .object({ enabled: z.boolean().default(true), overrides: z.record(z.string(), z.string()).default({}) })
      .strict()
      .default({ enabled: true, overrides: {} }),
    organization: z
      .object({
        name: localizedSchema,
        founded: z.string().optional(),
        url: z.string().url().optional(),
        email: z.string().email().optional(),
      })
      .strict()
      .optional(),
    homePosts: z.number().int().min(1).max(100).default(10),
    /** Entries per page of the archive, tag and collection lists (`page/2/index.html`, …). */
    pageSize: z.number().int().min(1).max(500).default(20),
    menu: z
      .array(z.object({ label: localizedSchema, path: z.string() }).strict())
      .default([]),
    outDir: z.string().default('dist'),
    contentDir: z.string().default('content'),
    seal: z
      .object({
        /** Public key file (minisign format), relative to the project. */
        publicKey: z.string().default('keys/stele.pub'),
        /** Secret key file, relative to the project. Never copied to the output. */
        secretKey: z.string().default('keys/stele.key'),
        expiresInDays: z.number().int().min(1).max(3650).default(30),
        /** Refuse to build without a usable signing key (otherwise: a loud warning). */
        required: z.boolean().default(true),
        /** Official addresses (domains, mirrors, onion, feeds, social accounts). */
        official: z.array(channelSchema).default([]),
        /** Addresses that are no longer the organisation's, with date and reason. */
        revoked: z.array(revokedAddressSchema).default([]),
      })
      .strict()
      .default({ publicKey: 'keys/stele.pub', secretKey: 'keys/stele.key', expiresInDays: 30, required: true, official: [], revoked: [] }),
    harden: z
      .object({
        /** Where forms may submit (CSP `form-action`); default none: the site has no forms. */
        formAction: z.array(z.string().url()).default([]),
      })
      .strict()
      .default({ formAction: [] }),
    check: z
      .object({
        /** Terms that must never appear in output, besides withheld roster names. */
        forbiddenTerms: z.array(z.string()).default([]),
      })
      .strict()
      .default({ forbiddenTerms: [] }),
    /** Where `stele publish` sends the sealed build (see `publish-schema.ts`). */
    publish: publishSchema,
  })
  .strict();

/** What an author writes in `stele.config.ts`. */
export type UserConfig = z.input<typeof userConfigSchema>;
/** Localized text as written in config. */
export type LocalizedText = z.infer<typeof localizedSchema>;
