/** Catalogue entries for `stele import` (7xxx) and the checks that guard imported data (74xx). */
import { defineError } from './catalogue.js';

export const ImportEmptyFile = defineError({
  code: 'STELE7000',
  title: 'Export file is empty',
  severity: 'error',
  message: () => 'The export file is empty.',
  hint: 'Export the blog again (Blogger: Settings → Back up; WordPress: Tools → Export) and pass that file.',
});

export const ImportNotXml = defineError({
  code: 'STELE7001',
  title: 'Export file is not XML',
  severity: 'error',
  message: (detail: string) => `This is not an XML export: ${detail}.`,
  hint: 'Pass the .xml or .atom file itself (unzip a Takeout archive first: the file is Blogger/Blogs/<name>/feed.atom).',
});

export const ImportMalformedXml = defineError({
  code: 'STELE7002',
  title: 'Malformed XML',
  severity: 'error',
  message: (detail: string, _fix?: string) => `The export is not well-formed XML: ${detail}.`,
  hint: (_detail: string, fix?: string) => fix ?? 'The file may be truncated or damaged; download the export again. Nothing was written.',
});

export const ImportMoreXmlProblems = defineError({
  code: 'STELE7008',
  title: 'More XML errors',
  severity: 'error',
  message: (count: number, shown: number) => `${count} more well-formedness error(s) after the first ${shown} (not listed).`,
  hint: 'Fix the ones listed and run the import again, or export the blog again if the file is damaged.',
});

export const ImportEntitiesRefused = defineError({
  code: 'STELE7003',
  title: 'DOCTYPE with entity declarations refused',
  severity: 'error',
  message: () => 'The export declares its own XML entities in a DOCTYPE; stele never expands or resolves them (entity bombs, external files).',
  hint: 'Blogger and WordPress exports have no DOCTYPE. Export the blog again; do not import a file from an unknown source.',
});

export const ImportUnknownFormat = defineError({
  code: 'STELE7004',
  title: 'Unknown export format',
  severity: 'error',
  message: (root: string) => `The XML root <${root}> is neither a Blogger export, a Google Takeout feed.atom nor a WordPress WXR file.`,
  hint: 'Supported: Blogger classic export (.xml), Google Takeout Blogger feed.atom, WordPress WXR 1.1/1.2 (.xml).',
});

export const ImportFormatMismatch = defineError({
  code: 'STELE7005',
  title: 'Export is not of the format named',
  severity: 'error',
  message: (named: string, found: string) => `You named the format ${named}, but the file is a ${found} export.`,
  hint: 'Leave the format out (`stele import FILE --out DIR`): it is detected from the file.',
});

export const ImportNotUtf8 = defineError({
  code: 'STELE7006',
  title: 'Export is not UTF-8',
  severity: 'error',
  message: () => 'The export contains bytes that are not valid UTF-8.',
  hint: 'Blogger and WordPress export UTF-8; the file may be damaged. Download it again.',
});

export const ImportFileConflict = defineError({
  code: 'STELE7100',
  title: 'File edited since the last import: kept',
  severity: 'warning',
  message: (path: string) => `${path} differs from what the last import wrote (or was not written by it); it was kept and not overwritten.`,
  hint: 'Merge by hand if the export changed, or delete the file and run the import again to take the export version.',
});

export const ImportItemSkipped = defineError({
  code: 'STELE7101',
  title: 'Item not imported',
  severity: 'warning',
  message: (what: string, reason: string) => `${what} was not imported: ${reason}.`,
  hint: 'Nothing to do if that is what you want. If it belongs on the new site, change it on the old blog (publish, restore, approve), export again and re-run the import (files you edited are kept).',
});

export const ImportRemoteImage = defineError({
  code: 'STELE7102',
  title: 'Remote image not imported',
  severity: 'warning',
  message: (url: string) => `The image ${url} is not in --media; it is linked, not shown, so readers' browsers never contact its host.`,
  hint: 'Download the image into a folder and import again with `--media <folder>`.',
});

export const ImportRedirectSkipped = defineError({
  code: 'STELE7103',
  title: 'Old URL cannot be redirected',
  severity: 'warning',
  message: (from: string, reason: string) => `The old URL ${from} gets no redirect: ${reason}.`,
  hint: 'Add the rule to redirects.json by hand with the path percent-encoded (e.g. %20 for a space), or leave the address unredirected.',
});

export const ImportFileNotFound = defineError({
  code: 'STELE7007',
  title: 'Export file not found',
  severity: 'error',
  message: (path: string) => `No file at ${path}.`,
  hint: 'Check the path; a Takeout archive must be unzipped first (the export is Takeout/Blogger/Blogs/<blog>/feed.atom).',
});

export const CheckExcludedEmail = defineError({
  code: 'STELE7400',
  title: 'Commenter e-mail address in the output',
  severity: 'error',
  message: (where: string) => `An e-mail address that \`stele import\` put on the exclusion list (a commenter of the old blog) appears in this file (${where}).`,
  hint: 'Remove the address from the content; imported commenters\' addresses must never be published.',
});

export const RedirectInvalid = defineError({
  code: 'STELE7401',
  title: 'Invalid redirect',
  severity: 'error',
  message: (from: string, reason: string) => `The redirect from ${from} cannot be built: ${reason}.`,
  hint: 'Fix or remove the entry in redirects.json.',
});

export const RedirectTargetMissing = defineError({
  code: 'STELE7402',
  title: 'Redirect to a page that is not built',
  severity: 'warning',
  message: (from: string, to: string) => `The old URL ${from} points at ${to}, which is not a published page; it gets no redirect.`,
  hint: 'Publish the page, or point the entry in redirects.json at another content file.',
});

export const CheckRemoteImage = defineError({
  code: 'STELE7403',
  title: 'Image left on the old host',
  severity: 'warning',
  message: (url: string) => `This page links the image ${url}, which \`stele import\` found in the export but not in --media: it is still on the old blog's host, linked and not shown.`,
  hint: 'Download the images into a folder and run the import again with `--media <folder>` (files you edited are kept), or remove the link.',
});
