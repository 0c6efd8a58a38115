/**
 * The config schema (`stele.config.ts`). `UserConfig` is what authors write;
 * `ResolvedConfig` is what stages receive, with every default filled in.
 */
import { z } from 'zod';
import { channelSchema, revokedAddressSchema } from '../trust/channels-config.js';
import { publishSchema } from './publish-schema.js';

const languageCode = z.enum(['en', 'zh-Hans', 'zh-Hant']);

/** A string per language; missing languages fall back to the default language. */
export const localizedSchema = z.union([z.string(), z.partialRecord(languageCode, z.string())]);


export const userConfigSchema = z
  .object({
    /** Stable identifier of the site in manifests and trust stores. */
    siteId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and hyphens').meta({ description: 'Stable identifier of the site in manifests, the release log and readers\' trust stores. Never change it once published.', examples: ['cfcr'] }),
    title: localizedSchema.describe('Site title, shown in every page header and in feeds.'),
    description: localizedSchema.optional().describe('One-sentence description: the home page text when there is no home page entry, and the pages\' meta description.'),
    /** Canonical address, used for sitemap and feed ids. Output URLs stay relative. */
    baseUrl: z.string().url().optional().describe('Canonical address, for the sitemap, feed ids, hreflang alternates and link-preview images (og:image, og:url: left out without it); its path is the one 404 pages link from. Pages stay relative and work on every mirror.'),
    languages: z.array(languageCode).min(1).default(['en', 'zh-Hans']).describe('Authored languages. With zh-Hans, zh-Hant is derived (see `traditional`).'),
    defaultLanguage: languageCode.default('en').describe('The language at the site root; the others live under /zh-hans/, /zh-hant/. Must be one of `languages`.'),
    /** Derive Traditional Chinese from Simplified. */
    traditional: z
      .object({
        enabled: z.boolean().default(true).describe('Derive Traditional Chinese pages (OpenCC cn→tw) from Simplified ones.'),
        overrides: z.record(z.string(), z.string()).default({}).meta({ description: 'Whole-term conversions that win over OpenCC.', examples: [{ 台湾: '臺灣' }] }),
      })
      .strict()
      .default({ enabled: true, overrides: {} })
      .describe('Traditional Chinese derived from Simplified.'),
    organization: z
      .object({
        name: localizedSchema.describe('Name of the organisation (JSON-LD, footer).'),
        founded: z.string().optional().meta({ description: 'Founding date.', examples: ['2008-05'] }),
        url: z.string().url().optional().describe('The organisation\'s address.'),
        email: z.string().email().optional().describe('Contact address published in JSON-LD.'),
      })
      .strict()
      .optional()
      .describe('The organisation behind the site (schema.org NGO on the home page).'),
    homePosts: z.number().int().min(1).max(100).default(10).describe('Latest posts listed on the home page.'),
    /** Entries per page of the archive, tag and collection lists (`page/2/index.html`, …). */
    pageSize: z.number().int().min(1).max(500).default(20).describe('Entries per page of the archive, year, tag and collection lists (`page/2/index.html`, …).'),
    theme: z
      .object({
        logo: z
          .string()
          .optional()
          .meta({ description: 'Logo shown before the site title: an SVG (sanitized: no scripts, links or outside references) or a PNG/JPEG/WebP (through the image pipeline), relative to the project.', examples: ['assets/logo.svg'] }),
        accent: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #1a5c8a')
          .optional()
          .meta({ description: 'Accent colour of links, badges and notices (light scheme); the build refuses a colour with less than 4.5:1 contrast (WCAG AA) on the page background.', examples: ['#1a5c8a'] }),
        css: z
          .string()
          .optional()
          .meta({ description: 'Extra stylesheet, relative to the project, added after the theme\'s (inlined and hashed into the CSP; no @import or outside url()).', examples: ['assets/extra.css'] }),
      })
      .strict()
      .default({})
      .describe('Brand: logo, accent colour and an extra stylesheet.'),
    contact: z
      .object({
        email: z.string().email().optional().meta({ description: 'Contact address, linked with mailto: in every footer.', examples: ['info@cfcr.example'] }),
        signal: z
          .string()
          .url()
          .regex(/^https:\/\/(signal\.me|signal\.group)\//, 'a https://signal.me/… or https://signal.group/… link')
          .optional()
          .meta({ description: 'Signal contact or group link, shown in every footer.', examples: ['https://signal.me/#eu/…'] }),
        donate: z
          .string()
          .url()
          .regex(/^https:\/\//, 'an https:// address')
          .optional()
          .meta({ description: 'Donation page (https), linked in every footer.', examples: ['https://donate.cfcr.example/'] }),
      })
      .strict()
      .default({})
      .describe('Contact and donation links shown in every footer.'),
    menu: z
      .array(
        z
          .object({
            label: localizedSchema.describe('Text of the menu link.'),
            path: z.string().meta({ description: 'Page the link opens, relative to the language\'s root and naming the file.', examples: ['about/index.html'] }),
          })
          .strict(),
      )
      .default([])
      .describe('Extra links in the main navigation, after the collections.'),
    outDir: z.string().default('dist').describe('Output folder, relative to the project.'),
    contentDir: z.string().default('content').describe('Content folder, relative to the project.'),
    seal: z
      .object({
        /** Public key file (minisign format), relative to the project. */
        publicKey: z.string().default('keys/stele.pub').describe('Public key file (minisign format), relative to the project.'),
        /** Secret key file, relative to the project. Never copied to the output. */
        secretKey: z.string().default('keys/stele.key').describe('Secret key file, relative to the project. Never copied to the output.'),
        expiresInDays: z
          .number()
          .int()
          .min(1)
          .max(3650)
          .optional()
          .describe('Days a signed manifest stays valid; readers are warned about an older copy. Default 30, or 365 when a timestamp key (`keys/timestamp.key`, `stele keygen --timestamp`) keeps the site fresh.'),
        /** Days a timestamp signed by the timestamp key stays valid (build and `stele refresh`). */
        timestampDays: z.number().int().min(1).max(366).default(7).describe('Days a timestamp signed by the online timestamp key stays valid (`stele build` and `stele refresh`); run `stele refresh` more often than this.'),
        /** Refuse to build without a usable signing key (otherwise: a loud warning). */
        required: z.boolean().default(true).describe('Refuse to build without a usable signing key; `false` builds unsigned with a warning.'),
        /** Official addresses (domains, mirrors, onion, feeds, social accounts). */
        official: z.array(channelSchema).default([]).describe('Official addresses (`type`: domain, mirror, onion, feed, social; `url`; `label`). An onion address adds Onion-Location to every page.'),
        /** Addresses that are no longer the organisation's, with date and reason. */
        revoked: z.array(revokedAddressSchema).default([]).describe('Addresses that are no longer the organisation\'s (`url`, `date`, `reason`).'),
      })
      .strict()
      .default({ publicKey: 'keys/stele.pub', secretKey: 'keys/stele.key', timestampDays: 7, required: true, official: [], revoked: [] })
      .describe('Signing: keys, expiry and the signed list of official and revoked addresses.'),
    harden: z
      .object({
        /** Where forms may submit (CSP `form-action`); default none: the site has no forms. */
        formAction: z.array(z.string().url()).default([]).describe('Where forms may submit (CSP `form-action`); default none: the site has no forms.'),
      })
      .strict()
      .default({ formAction: [] })
      .describe('Security headers and the Content Security Policy.'),
    search: z
      .object({
        /** Pages per search index chunk, about (a larger language is split into chunks, merged by the search page). */
        chunkPages: z
          .number()
          .int()
          .min(1)
          .default(1000)
          .describe(
            'Pages per chunk of the search index, at most about: a language with more pages is split into chunks (a power of two of them, by a hash of each page path), each indexed on its own and merged by the search page, so an edit indexes one chunk again. Within one chunk results are ranked exactly; across chunks by scores each chunk computes from its own pages, which are close but not identical.',
          ),
      })
      .strict()
      .default({ chunkPages: 1000 })
      .describe('The full-text search index (Pagefind).'),
    check: z
      .object({
        /** Terms that must never appear in output, besides withheld roster names. */
        forbiddenTerms: z.array(z.string()).default([]).describe('Terms that must never appear in the output, besides withheld roster names.'),
      })
      .strict()
      .default({ forbiddenTerms: [] })
      .describe('Checks on the built output.'),
    /** Where `stele publish` sends the sealed build (see `publish-schema.ts`). */
    publish: publishSchema.describe('Where `stele publish` sends the sealed build (see Publishing in the README).'),
  })
  .strict();

/** What an author writes in `stele.config.ts`. */
export type UserConfig = z.input<typeof userConfigSchema>;
/** Localized text as written in config. */
export type LocalizedText = z.infer<typeof localizedSchema>;
