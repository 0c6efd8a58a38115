/** Catalogue entries for config (10xx) and content (11xx–12xx). */
import { defineError } from './catalogue.js';

export const ConfigNotFound = defineError({
  code: 'STELE1000',
  title: 'No config file',
  severity: 'error',
  message: (dir: string) => `No stele.config.ts (or .mjs, .js, .json) found in ${dir}.`,
  hint: 'Run `stele init <dir>` to create a starter site, or pass the project folder: `stele build path/to/site`.',
});

export const ConfigLoadFailed = defineError({
  code: 'STELE1001',
  title: 'Config could not be loaded',
  severity: 'error',
  message: (detail: string) => `The config file could not be loaded: ${detail}`,
  hint: 'Fix the syntax error above; the file must `export default defineConfig({ ... })`.',
});

export const ConfigInvalid = defineError({
  code: 'STELE1002',
  title: 'Invalid config value',
  severity: 'error',
  message: (path: string, detail: string) => `Config ${path}: ${detail}`,
  hint: 'See the config reference in docs/config.md.',
});

export const FrontMatterSyntax = defineError({
  code: 'STELE1100',
  title: 'Front matter is not valid YAML',
  severity: 'error',
  message: (detail: string) => `Front matter is not valid YAML: ${detail}`,
  hint: 'Front matter sits between two `---` lines and must be YAML: `key: value`, quote values that contain `: ` or start with special characters.',
});

export const FrontMatterUnclosed = defineError({
  code: 'STELE1101',
  title: 'Front matter is not closed',
  severity: 'error',
  message: () => 'The front matter opened with `---` is never closed.',
  hint: 'Add a line containing only `---` after the last front-matter key.',
});

export const FrontMatterNotMapping = defineError({
  code: 'STELE1102',
  title: 'Front matter is not a mapping',
  severity: 'error',
  message: () => 'Front matter must be a set of `key: value` pairs.',
  hint: 'Write e.g. `title: My post` on its own line.',
});

export const FrontMatterUnknownKey = defineError({
  code: 'STELE1103',
  title: 'Unknown front-matter key',
  severity: 'error',
  message: (key: string, collection: string) => `Unknown front-matter key \`${key}\` for ${collection}.`,
  hint: (key: string) => `Remove \`${key}\` or check its spelling against the front-matter reference in docs/content.md.`,
});

export const FrontMatterInvalid = defineError({
  code: 'STELE1104',
  title: 'Invalid front-matter value',
  severity: 'error',
  message: (key: string, detail: string) => `Front-matter \`${key}\`: ${detail}`,
  hint: (key: string) => `Fix the value of \`${key}\`; see the front-matter reference in docs/content.md.`,
});

export const FrontMatterMissing = defineError({
  code: 'STELE1105',
  title: 'Missing front-matter key',
  severity: 'error',
  message: (key: string) => `Required front-matter key \`${key}\` is missing.`,
  hint: (key: string) => `Add a line \`${key}: …\` to the front matter.`,
});

export const FrontMatterBadDate = defineError({
  code: 'STELE1106',
  title: 'Invalid date',
  severity: 'error',
  message: (key: string, value: string) => `\`${key}\` is not a valid date: ${JSON.stringify(value)}.`,
  hint: 'Write dates as YYYY-MM-DD (e.g. 2012-02-14), optionally with a time and offset: 2012-02-14T10:00:00+08:00.',
});

export const ContentBadFileName = defineError({
  code: 'STELE1200',
  title: 'Content file name has no language',
  severity: 'error',
  message: (name: string, suffixes: string) => `Cannot tell the language of ${JSON.stringify(name)}; expected <name>.<lang>.md with lang one of ${suffixes}.`,
  hint: 'Rename the file, e.g. `rally-2012.en.md` or `rally-2012.zh.md`.',
});

export const ContentUnsafeName = defineError({
  code: 'STELE1201',
  title: 'Unsafe file name or slug',
  severity: 'error',
  message: (name: string, why: string) => `${JSON.stringify(name)} cannot be used as a URL: ${why}.`,
  hint: 'Use lowercase ASCII letters, digits and hyphens (at most 80), e.g. `rally-2012`; set `slug:` in the front matter to choose the URL.',
});

export const ContentDuplicateSlug = defineError({
  code: 'STELE1202',
  title: 'Duplicate slug',
  severity: 'error',
  message: (url: string, other: string) => `Two files produce the same page ${url}; the other is ${other}.`,
  hint: 'Give one of them a different `slug:` in its front matter, or rename the file.',
});

export const ContentOrphanTranslation = defineError({
  code: 'STELE1203',
  title: 'Translation without an original',
  severity: 'error',
  message: (lang: string, key: string, defaultLang: string) =>
    `This ${lang} file says it is a translation of \`${key}\` (\`translationKey:\`), but there is no ${defaultLang} file by that name.`,
  hint: (_lang: string, key: string, defaultLang: string) =>
    `Set \`translationKey:\` to the name of the original file without its language suffix (\`${key}.${defaultLang}.md\` → \`${key}\`), or remove it to publish this page in its own language only.`,
});

export const ContentDuplicateLanguage = defineError({
  code: 'STELE1204',
  title: 'Two files for the same language',
  severity: 'error',
  message: (key: string, lang: string, other: string) => `\`${key}\` has two ${lang} versions; the other is ${other}.`,
  hint: 'Keep one file per language per page; check `translationKey:` values.',
});

export const ContentLanguageNotConfigured = defineError({
  code: 'STELE1205',
  title: 'Language not configured',
  severity: 'error',
  message: (lang: string) => `The file is in ${lang}, which is not in the config's \`languages\`.`,
  hint: 'Add the language to `languages` in stele.config.ts or rename the file.',
});

export const ContentUnknownCollection = defineError({
  code: 'STELE1206',
  title: 'Unknown content folder',
  severity: 'error',
  message: (folder: string, known: string) => `Content folder \`${folder}\` is not a collection (known: ${known}).`,
  hint: 'Move the file into one of the known folders.',
});

export const ContentReservedSlug = defineError({
  code: 'STELE1207',
  title: 'Reserved slug',
  severity: 'error',
  message: (slug: string) => `The page slug \`${slug}\` is reserved for a page stele generates.`,
  hint: 'Choose another `slug:`.',
});

export const ContentMissingImage = defineError({
  code: 'STELE1208',
  title: 'Image not found',
  severity: 'error',
  message: (src: string) => `Image ${JSON.stringify(src)} does not exist.`,
  hint: 'Image paths are relative to the Markdown file, e.g. `![A crowd](./rally.jpg)` next to the .md file.',
});

export const ContentMissingTranslation = defineError({
  code: 'STELE1209',
  title: 'Missing translation',
  severity: 'warning',
  message: (key: string, lang: string, originalLang = 'en', _file = '') =>
    `\`${key}\` has no ${lang} version yet: the ${lang} site leaves it out of its lists, and links to it lead to the ${originalLang} page.`,
  hint: (_key: string, lang: string, _originalLang = 'en', file = '<file>') =>
    `Add the translation when it is ready: \`stele new --translation-of ${file} --lang ${lang === 'zh-Hans' ? 'zh' : lang}\`.`,
});

export const ContentNotUtf8 = defineError({
  code: 'STELE1210',
  title: 'File is not UTF-8',
  severity: 'error',
  message: () => 'The file is not valid UTF-8 text.',
  hint: 'Save the file as UTF-8.',
});

export const ContentBrokenLink = defineError({
  code: 'STELE1211',
  title: 'Link to unknown content',
  severity: 'error',
  message: (target: string) => `Link target ${JSON.stringify(target)} is not a content file.`,
  hint: 'Link to another Markdown file by its relative path, e.g. `[rally](../events/rally-2012.en.md)`.',
});

export const ContentExternalImage = defineError({
  code: 'STELE1212',
  title: 'Image from another site',
  severity: 'error',
  message: (src: string) => `Image ${JSON.stringify(src)} would be loaded from another site; pages never load anything from third parties.`,
  hint: 'Download the image (check you may use it), put it next to the Markdown file and link it relatively: `![Description](./photo.jpg)`.',
});

export const ContentMissingAlt = defineError({
  code: 'STELE1213',
  title: 'Image without alt text',
  severity: 'error',
  message: (src: string) => `Image ${JSON.stringify(src)} has no alt text.`,
  hint: 'Describe the image for people who cannot see it: `![Members hold banners at the rally](./rally.jpg)`.',
});

export const BuildNotSealed = defineError({
  code: 'STELE1300',
  title: 'Build not sealed',
  severity: 'warning',
  message: (keyFile: string) =>
    `No secret key at ${keyFile} and \`seal.required: false\`: this build is NOT signed, so readers cannot tell it from a forgery; every page says so.`,
  hint: 'Run `stele keygen --dir keys` in the project folder (keep stele.key secret and backed up), then build again.',
});

export const BuildSealRequired = defineError({
  code: 'STELE1301',
  title: 'Signing key missing or unusable',
  severity: 'error',
  message: (reason: string) => `The build cannot be sealed: ${reason}. Nothing was written.`,
  hint: 'Create the key with `stele keygen --dir keys` in the project folder, or check `seal.secretKey` in the config and set STELE_PASSPHRASE (or type it at the prompt). For an unsigned preview that is not for publishing, build with `--no-seal`.',
});

export const BuildWouldReplaceSealed = defineError({
  code: 'STELE1303',
  title: 'Unsigned build over a sealed site',
  severity: 'error',
  message: (outDir: string) => `${outDir} holds a sealed site; this unsigned build would replace it with pages nobody can verify. Nothing was written.`,
  hint: 'Build with the signing key (without `--no-seal` or `--drafts`), preview with `stele dev`, or delete the output folder first if you really mean to replace it with an unsigned copy.',
});

export const BuildLogConflict = defineError({
  code: 'STELE1304',
  title: 'Release log cannot be continued',
  severity: 'error',
  message: (reason: string) => `The build cannot be sealed: ${reason}. Sealing now would rewrite the site's history, which readers' \`stele verify\` reports as HISTORY REWRITTEN. Nothing was written.`,
  hint: 'Restore the log that was last published (the output folder\'s `.well-known/stele/log/` and the project\'s `.stele/log/` must be the same history). To start a new history on purpose, move both away; readers who remembered the old one will be warned.',
});

export const BuildLogStarted = defineError({
  code: 'STELE1305',
  title: 'Release log started',
  severity: 'warning',
  message: (logDir: string) => `The output folder holds a sealed site but there is no release log in it or in ${logDir}: this build starts a new history.`,
  hint: 'If this site was published with a release log before, restore its log folder before building, or readers who remembered it will see HISTORY REWRITTEN.',
});

export const BuildKeyChangedWithoutRotation = defineError({
  code: 'STELE1308',
  title: 'Signing key changed without a rotation',
  severity: 'error',
  message: (from: string, version: number, to: string, reason: string) =>
    `The last version in the release log (${version}) was signed by key ${from}; this build would sign with key ${to}, and no rotation signed by ${from} leads to it (${reason}). Readers' \`stele verify\` would report KEY CHANGED: whoever holds the new key may not be the site's owner. Nothing was written.`,
  hint: 'If you still have the old secret key, put it back as the configured secret key and run `stele key rotate` (the new key is then signed by the old one). If the old key is lost, start a new history on purpose: move the project\'s `.stele/log/` and the output folder away; readers who pinned the old key will be warned.',
});

export const BuildSealExpiresSoon = defineError({
  code: 'STELE1306',
  title: 'Seal expires soon',
  severity: 'warning',
  message: (what: string, days: number) => `${what} expires in ${days} ${days === 1 ? 'day' : 'days'}: readers will then see it as expired or stale.`,
  hint: 'Set `seal.expiresInDays` higher, or keep the site fresh with a timestamp key and `stele refresh` (see README "Trust over time").',
});

export const BuildTimestampKeyUnusable = defineError({
  code: 'STELE1310',
  title: 'Timestamp key unusable',
  severity: 'error',
  message: (reason: string) => `The timestamp key cannot be used: ${reason}. A build with a timestamp key delegates it and signs the first timestamp; nothing was written.`,
  hint: 'Set STELE_TIMESTAMP_PASSPHRASE (or type it at the prompt), check `keys/timestamp.key`, or move the timestamp key pair away to build without one.',
});

export const BuildVerifyFailed = defineError({
  code: 'STELE1302',
  title: 'Sealed output failed verification',
  severity: 'error',
  message: (detail: string) => `The site just written does not verify: ${detail}`,
  hint: 'This is a bug in stele or something changed the output folder while building; build again and report it if it persists.',
});

export const ContentImageOutside = defineError({
  code: 'STELE1250',
  title: 'Image outside the content folder',
  severity: 'error',
  message: (src: string, why: string) => `Image ${JSON.stringify(src)} ${why}; only files inside the content folder are published.`,
  hint: 'Copy the image into the content folder, next to the Markdown file, and refer to it relatively: `![Description](./photo.jpg)`. Absolute paths, `..` out of the folder and symbolic links to other places are refused.',
});

export const ContentMalformedPath = defineError({
  code: 'STELE1251',
  title: 'Malformed path',
  severity: 'error',
  message: (src: string) => `Path ${JSON.stringify(src)} has a malformed percent escape (a % must be followed by two hexadecimal digits of valid UTF-8).`,
  hint: 'Write the file name as it is (spaces may be written as %20), e.g. `![Rally](./rally%20photo.jpg)`.',
});

export const FrontMatterAliasExpansion = defineError({
  code: 'STELE1252',
  title: 'Front matter expands too much',
  severity: 'error',
  message: () => 'The YAML aliases (`*name`) in this front matter expand to too many values (a "billion laughs" pattern); it was not read.',
  hint: 'Write the values out instead of repeating anchors (`&name`) and aliases (`*name`) inside each other.',
});

export const ContentHtmlTooDeep = defineError({
  code: 'STELE1253',
  title: 'Raw HTML nested too deeply',
  severity: 'error',
  message: (limit: number) => `Raw HTML here opens elements more than ${limit} levels deep; the page was not rendered.`,
  hint: 'Close the elements you open (`<div>` … `</div>`), or write the structure in Markdown. Real content never needs this depth; very deep nesting slows or crashes browsers and tools.',
});
