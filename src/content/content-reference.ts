/**
 * The front-matter reference (`docs/content.md`, `stele config --reference
 * content`), generated from each collection's zod schema so it cannot drift:
 * every field with its type (localized objects said so), whether it is
 * required, its default and an example. Front-matter diagnostics link here.
 */
import { type ConfigField, createConfigAnchor, formatFields, listSchemaFields } from '../config/config-reference.js';
import { type CollectionName, createCollectionRegistry } from './collection-registry.js';
import { advocacyCollectionFields } from './collections/index.js';

/** Where the reference lives in the repository (hints link here). */
export const CONTENT_REFERENCE_PATH = 'docs/content.md';

const FOLDERS: Record<CollectionName, string> = {
  posts: 'content/posts/',
  pages: 'content/pages/',
  campaigns: 'content/campaigns/',
  people: 'content/people/',
  events: 'content/events/',
};

let cached: Map<CollectionName, ConfigField[]> | undefined;

/** The fields of each collection's front matter (an original file's schema). */
export function listContentFields(): Map<CollectionName, ConfigField[]> {
  cached ??= new Map([...createCollectionRegistry(advocacyCollectionFields)].map(([name, c]) => [name, listSchemaFields(c.schema, name)]));
  return cached;
}

/** The reference as Markdown (the text of `docs/content.md`). */
export function createContentReference(): string {
  const lines = [
    '# Front-matter reference',
    '',
    '<!-- Generated from the collection schemas (src/content) by `stele config --reference content`; do not edit. `UPDATE=1 npx vitest run test/core/config-reference.test.ts` regenerates it. -->',
    '',
    'The fields each collection accepts at the top of its Markdown files, between `---` lines. Unknown fields are errors. A translation (`.zh.md` beside `.en.md`) needs only `title`: structured fields are read from the original. "Localized object" fields take `{ en: …, zh-Hans: … }`, never a plain string.',
    '',
  ];
  for (const [name, fields] of listContentFields()) {
    lines.push(`<a id="${name}"></a>`, '', `## ${name} (\`${FOLDERS[name]}\`)`, '');
    lines.push(...formatFields(fields, '###', '####'));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The link to the entry of a front-matter field (list indices ignored), or to the collection's section. */
export function resolveContentReferenceLink(collection: string, path: readonly PropertyKey[]): string {
  const fields = listContentFields().get(collection as CollectionName);
  if (!fields) return CONTENT_REFERENCE_PATH;
  const anchors = new Set(fields.map((f) => f.anchor));
  const names = path.filter((p): p is string => typeof p === 'string');
  for (let n = names.length; n > 0; n--) {
    const anchor = createConfigAnchor([collection, ...names.slice(0, n)].join('.'));
    if (anchors.has(anchor)) return `${CONTENT_REFERENCE_PATH}#${anchor}`;
  }
  return `${CONTENT_REFERENCE_PATH}#${collection}`;
}
