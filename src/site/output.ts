/**
 * The built site in memory: posix path relative to the site root → bytes.
 * Every stage from `site` to `seal` adds to this map; only the writer touches disk.
 */
export type OutputFiles = Map<string, Uint8Array>;

const encoder = new TextEncoder();

/** Add (or replace) a file; strings are UTF-8 encoded. */
export function emitFile(output: OutputFiles, path: string, data: string | Uint8Array): void {
  output.set(path, typeof data === 'string' ? encoder.encode(data) : data);
}

/** Read a file of the output as UTF-8 text. */
export function readOutputText(output: OutputFiles, path: string): string | undefined {
  const f = output.get(path);
  return f ? new TextDecoder().decode(f) : undefined;
}
