declare module 'markdown-it-footnote' {
  import type { PluginSimple } from 'markdown-it';
  const plugin: PluginSimple;
  export default plugin;
}
declare module 'markdown-it-task-lists' {
  import type { PluginWithOptions } from 'markdown-it';
  const plugin: PluginWithOptions<{ enabled?: boolean; label?: boolean; labelAfter?: boolean }>;
  export default plugin;
}
declare module 'opencc-js' {
  export function Converter(options: { from: string; to: string }): (text: string) => string;
  export function ConverterFactory(...dicts: unknown[]): (text: string) => string;
  export const Locale: { from: Record<string, unknown>; to: Record<string, unknown> };
}
