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

/** The slice of a file system `readSiteFolder` needs (structurally a `FileSystem`). */
export interface SiteFolderReader {
  listFiles(dir: string): Promise<string[]>;
  readFile(path: string): Promise<Uint8Array>;
}

/** Read a built folder (a `dist`, a mirror's copy) into memory, for `serve`, `check --site` and `server-config`. */
export async function readSiteFolder(dir: string, fs: SiteFolderReader): Promise<OutputFiles> {
  const out: OutputFiles = new Map();
  for (const rel of await fs.listFiles(dir)) out.set(rel, await fs.readFile(`${dir}/${rel}`));
  return out;
}
