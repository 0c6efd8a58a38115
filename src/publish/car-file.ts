/**
 * The site as an IPFS CAR file: a UnixFS directory (CIDv1, raw leaves) built
 * with `ipfs-unixfs-importer`, written with `@ipld/car`; and the reverse, reading
 * a CAR back into files, so a written CAR can be verified like a folder.
 */
import { CarReader, CarWriter } from '@ipld/car';
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import { importer } from 'ipfs-unixfs-importer';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';

async function collectBytes(input: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return input;
  const parts: Uint8Array[] = [];
  for await (const part of input as AsyncIterable<Uint8Array>) parts.push(part);
  return Buffer.concat(parts);
}

/** Build the CAR bytes for `files` (site path → bytes, in the order given); returns them with the root CID. */
export async function createCarFile(files: AsyncIterable<{ path: string; content: Uint8Array }>): Promise<{ root: CID; bytes: Uint8Array }> {
  const blocks = new Map<string, { cid: CID; bytes: Uint8Array }>();
  const blockstore = {
    async put(cid: CID, bytes: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>) {
      blocks.set(cid.toString(), { cid, bytes: await collectBytes(bytes) });
      return cid;
    },
  };
  let root: CID | undefined;
  for await (const entry of importer(files, blockstore, { wrapWithDirectory: true, cidVersion: 1, rawLeaves: true })) root = entry.cid;
  if (!root) throw new Error('the site has no files');
  const { writer, out } = CarWriter.create([root]);
  const chunks: Uint8Array[] = [];
  const reading = (async () => {
    for await (const chunk of out) chunks.push(chunk);
  })();
  for (const block of blocks.values()) await writer.put(block);
  await writer.close();
  await reading;
  return { root, bytes: Buffer.concat(chunks) };
}

/** Read a CAR back into files (path → bytes) by walking the UnixFS directory at its first root. */
export async function readCarFile(bytes: Uint8Array): Promise<{ root: CID; files: Map<string, Uint8Array> }> {
  const reader = await CarReader.fromBytes(bytes);
  const [root] = await reader.getRoots();
  if (!root) throw new Error('the CAR file names no root');
  const files = new Map<string, Uint8Array>();
  const getBlock = async (cid: CID): Promise<Uint8Array> => {
    const block = await reader.get(cid);
    if (!block) throw new Error(`the CAR file lacks block ${cid}`);
    return block.bytes;
  };
  const readFileContent = async (cid: CID): Promise<Uint8Array> => {
    const data = await getBlock(cid);
    if (cid.code === raw.code) return data;
    const node = dagPb.decode(data);
    const unixfs = UnixFS.unmarshal(node.Data ?? new Uint8Array());
    if (node.Links.length === 0) return unixfs.data ?? new Uint8Array();
    const parts: Uint8Array[] = [];
    for (const link of node.Links) parts.push(await readFileContent(link.Hash as CID));
    return Buffer.concat(parts);
  };
  const walk = async (cid: CID, prefix: string, hamt: boolean): Promise<void> => {
    const node = dagPb.decode(await getBlock(cid));
    const unixfs = UnixFS.unmarshal(node.Data ?? new Uint8Array());
    const sharded = unixfs.type === 'hamt-sharded-directory';
    for (const link of node.Links) {
      let name = link.Name ?? '';
      if (sharded || hamt) {
        // HAMT links: a two-hex-digit bucket prefix, alone for a sub-shard.
        const bucketWidth = 2;
        if (name.length === bucketWidth) {
          await walk(link.Hash as CID, prefix, true);
          continue;
        }
        name = name.slice(bucketWidth);
      }
      const child = link.Hash as CID;
      const path = `${prefix}${name}`;
      if (child.code === raw.code) {
        files.set(path, await getBlock(child));
        continue;
      }
      const childNode = UnixFS.unmarshal(dagPb.decode(await getBlock(child)).Data ?? new Uint8Array());
      if (childNode.type === 'directory' || childNode.type === 'hamt-sharded-directory') await walk(child, `${path}/`, false);
      else files.set(path, await readFileContent(child));
    }
  };
  await walk(CID.asCID(root) ?? root, '', false);
  return { root, files };
}
