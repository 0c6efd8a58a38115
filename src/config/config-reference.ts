/**
 * The config field reference (`docs/config.md`, `stele config --reference`),
 * generated from the zod schema so it cannot drift from what the build
 * accepts: every field with its type, whether it is required, its default,
 * its description and an example. Config diagnostics link to its entries.
 */
import { z } from 'zod';
import { userConfigSchema } from './schema.js';

/** Where the reference lives in the repository (hints link here). */
export const CONFIG_REFERENCE_PATH = 'docs/config.md';

/** JSON Schema, as much of it as the reference reads. */
interface JsonNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  examples?: unknown[];
  properties?: Record<string, JsonNode>;
  required?: string[];
  additionalProperties?: JsonNode | boolean;
  propertyNames?: JsonNode;
  items?: JsonNode;
  anyOf?: JsonNode[];
  oneOf?: JsonNode[];
}

/** One documented field. */
export interface ConfigField {
  /** Dotted path; `[]` marks list items, `[type=rsync]` one kind of item. */
  path: string;
  anchor: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
  example: string;
}

const LANGUAGE_ENUM = ['en', 'zh-Hans', 'zh-Hant'];

/** An object of texts by language only (`{ en, 'zh-Hans', 'zh-Hant' }`, each optional). */
function isLanguageObject(node: JsonNode): boolean {
  const keys = Object.keys(node.properties ?? {});
  return node.type === 'object' && keys.length > 0 && keys.every((k) => LANGUAGE_ENUM.includes(k)) && !node.required?.length;
}

function isLocalized(node: JsonNode): boolean {
  if (isLanguageObject(node)) return false;
  const options = node.anyOf ?? [];
  return (
    options.length === 2 &&
    options.some((o) => o.type === 'string' && !o.enum) &&
    options.some((o) => o.type === 'object' && JSON.stringify(o.propertyNames?.enum) === JSON.stringify(LANGUAGE_ENUM))
  );
}

/** Kinds of a list whose items are told apart by a `type` constant. */
function variantsOf(node: JsonNode): JsonNode[] | undefined {
  const options = node.anyOf ?? node.oneOf;
  if (!options?.length) return undefined;
  return options.every((o) => o.properties?.type?.const !== undefined) ? options : undefined;
}

function describeType(node: JsonNode): string {
  if (isLanguageObject(node)) return "localized object `{ en, 'zh-Hans', 'zh-Hant' }` (at least one; zh-Hant is derived from zh-Hans when missing) — not a plain string";
  if (isLocalized(node)) return "localized text: a string, or `{ en, 'zh-Hans', 'zh-Hant' }` (missing languages fall back to the default language)";
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) return `one of ${node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`;
  const variants = variantsOf(node);
  if (variants) return `one of ${variants.map((v) => `a \`${String(v.properties!.type!.const)}\` object`).join(', ')}`;
  if (node.anyOf) return node.anyOf.map(describeType).join(' or ');
  switch (node.type) {
    case 'string': {
      const base = node.format === 'uri' ? 'URL' : node.format === 'email' ? 'e-mail address' : 'string';
      return node.pattern && !node.format ? `${base} matching \`${node.pattern}\`` : base;
    }
    case 'integer':
    case 'number': {
      const range = node.minimum !== undefined && node.maximum !== undefined ? ` from ${node.minimum} to ${node.maximum}` : node.minimum !== undefined ? ` ≥ ${node.minimum}` : '';
      return `${node.type === 'integer' ? 'whole number' : 'number'}${range}`;
    }
    case 'boolean':
      return 'boolean';
    case 'array':
      return `list of ${node.items ? describeType(node.items) : 'values'}${node.minItems ? ` (at least ${node.minItems})` : ''}`;
    case 'object':
      if (node.properties) return 'object';
      if (node.additionalProperties && typeof node.additionalProperties === 'object') return `map of string → ${describeType(node.additionalProperties)}`;
      return 'object';
    default:
      return 'value';
  }
}

/** A value to show in an example: the default, or one made from the type. */
function exampleValue(node: JsonNode): string {
  if (node.examples?.length) return toSource(node.examples[0]);
  if (isLanguageObject(node)) return "{ en: '…', 'zh-Hans': '…' }";
  if (node.default !== undefined && JSON.stringify(node.default) !== '[]' && JSON.stringify(node.default) !== '{}') return toSource(node.default);
  if (isLocalized(node)) return "{ en: '…', 'zh-Hans': '…' }";
  if (node.const !== undefined) return toSource(node.const);
  if (node.enum) return toSource(node.enum[0]);
  const variants = variantsOf(node);
  if (variants) return `{ type: ${toSource(variants[0]!.properties!.type!.const)}, … }`;
  if (node.anyOf) return exampleValue(node.anyOf[0]!);
  switch (node.type) {
    case 'string':
      if (node.format === 'uri') return "'https://example.org/'";
      if (node.format === 'email') return "'contact@example.org'";
      return "'…'";
    case 'integer':
    case 'number':
      return String(node.minimum ?? 1);
    case 'boolean':
      return 'true';
    case 'array':
      return node.items ? `[${exampleValue(node.items)}]` : '[]';
    case 'object':
      return node.properties ? '{ … }' : "{ 'key': 'value' }";
    default:
      return "'…'";
  }
}

function toSource(value: unknown): string {
  return JSON.stringify(value).replace(/"([A-Za-z_][A-Za-z0-9_]*)":/g, '$1: ').replace(/"/g, "'").replace(/,/g, ', ');
}

/** The anchor of a field path in the reference. */
export function createConfigAnchor(path: string): string {
  return path.replace(/\[type=([a-z]+)\]/g, '-$1').replace(/\[\]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
}

let cached: ConfigField[] | undefined;

/** Every field of the config schema, parents before children, in schema order. */
export function listConfigFields(): ConfigField[] {
  cached ??= collectConfigFields();
  return cached;
}

function collectConfigFields(): ConfigField[] {
  return listSchemaFields(userConfigSchema);
}

/**
 * Every field of an object schema (config, a content collection's front
 * matter), parents before children; `prefix` starts every anchor.
 */
export function listSchemaFields(schema: z.ZodType, prefix = ''): ConfigField[] {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonNode;
  const fields: ConfigField[] = [];
  const visit = (node: JsonNode, path: string, name: string, required: boolean) => {
    if (path) {
      fields.push({
        path,
        anchor: createConfigAnchor(prefix ? `${prefix}.${path}` : path),
        type: describeType(node),
        required: required && node.default === undefined,
        ...(node.default !== undefined ? { default: node.default } : {}),
        ...(node.description ? { description: node.description } : {}),
        example: `${name}: ${exampleValue(node)}`,
      });
    }
    const object = node.properties && !isLanguageObject(node) ? node : undefined;
    if (object) {
      for (const [key, child] of Object.entries(object.properties!)) visit(child, path ? `${path}.${key}` : key, key, object.required?.includes(key) ?? false);
      return;
    }
    if (node.type === 'array' && node.items && !isLanguageObject(node.items)) {
      const variants = variantsOf(node.items);
      if (variants) {
        for (const v of variants) {
          const kind = String(v.properties!.type!.const);
          for (const [key, child] of Object.entries(v.properties!)) visit(child, `${path}[type=${kind}].${key}`, key, v.required?.includes(key) ?? false);
        }
      } else if (node.items.properties) {
        for (const [key, child] of Object.entries(node.items.properties)) visit(child, `${path}[].${key}`, key, node.items.required?.includes(key) ?? false);
      }
    }
  };
  visit(root, '', '', true);
  return fields;
}

/** The reference as Markdown (the text of `docs/config.md`). */
export function createConfigReference(): string {
  const lines = [
    '# Config reference (`stele.config.ts`)',
    '',
    '<!-- Generated from src/config/schema.ts by `stele config --reference`; do not edit. `UPDATE=1 npx vitest run test/core/config-reference.test.ts` regenerates it. -->',
    '',
    "Every field `stele.config.ts` accepts. The file exports `defineConfig({ … })` from `'stele'`; unknown keys are errors, and every error names the field and links to its entry here.",
    '',
  ];
  lines.push(...formatFields(listConfigFields(), '##', '###'));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Markdown entries for fields: top-level ones under `top` headings, nested ones under `nested`. */
export function formatFields(fields: readonly ConfigField[], top: string, nested: string): string[] {
  const lines: string[] = [];
  for (const f of fields) {
    const depth = f.path.split('.').length;
    lines.push(`<a id="${f.anchor}"></a>`, '', `${depth === 1 ? top : nested} \`${f.path}\``, '');
    if (f.description) lines.push(f.description, '');
    lines.push(`- Type: ${f.type}`);
    lines.push(`- ${f.required ? 'Required' : 'Optional'}${f.default !== undefined ? `; default \`${toSource(f.default)}\`` : ''}`);
    lines.push(`- Example: \`${f.example}\``, '');
  }
  return lines;
}

/**
 * The link to the entry of the field at a config value path (list indices
 * ignored), or to the reference itself when the field is unknown.
 */
export function resolveConfigReferenceLink(path: readonly PropertyKey[]): string {
  const anchors = new Set(listConfigFields().map((f) => f.anchor));
  const names = path.filter((p): p is string => typeof p === 'string');
  for (let n = names.length; n > 0; n--) {
    const anchor = createConfigAnchor(names.slice(0, n).join('.'));
    if (anchors.has(anchor)) return `${CONFIG_REFERENCE_PATH}#${anchor}`;
  }
  return CONFIG_REFERENCE_PATH;
}
