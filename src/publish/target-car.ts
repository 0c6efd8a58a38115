/**
 * An IPFS CAR file for pinning services. It is written beside its final name and
 * renamed into place, then read back and verified as a folder; the root CID is
 * the note printed in the summary.
 */
import { dirname, join, resolve } from 'node:path';
import type { CarTargetConfig } from '../config/publish-schema.js';
import { MANIFEST_PATH, MANIFEST_SIG_PATH } from '../trust/paths.js';
import { createCarFile, readCarFile } from './car-file.js';
import type { PublishTarget, SealedSite, TargetContext, TargetSendResult } from './types.js';

/** The CAR target. */
export function createCarTarget(config: CarTargetConfig, projectRoot: string): PublishTarget {
  const out = resolve(projectRoot, config.out);
  return {
    name: config.name,
    type: 'car',
    description: `IPFS CAR file ${out}`,
    url: config.url,
    async send(site: SealedSite, ctx: TargetContext): Promise<TargetSendResult> {
      const paths = [...site.files.map((f) => f.path), MANIFEST_PATH, MANIFEST_SIG_PATH];
      let done = 0;
      async function* source() {
        for (const path of paths) {
          await ctx.pace();
          yield { path, content: await site.read(path) };
          ctx.progress('packing', ++done, paths.length);
        }
      }
      const { root, bytes } = await createCarFile(source());
      await ctx.fs.mkdir(dirname(out));
      const tmp = `${out}.partial`;
      await ctx.fs.writeFile(tmp, bytes);
      await ctx.fs.rename(tmp, out);
      // Read the written file back into a folder so it is verified exactly as pinned.
      const check = join(ctx.tempDir, 'car-contents');
      const back = await readCarFile(await ctx.fs.readFile(out));
      for (const [path, data] of back.files) {
        const dest = join(check, ...path.split('/'));
        await ctx.fs.mkdir(dirname(dest));
        await ctx.fs.writeFile(dest, data);
      }
      return { filesSent: paths.length, bytesSent: bytes.byteLength, filesDeleted: 0, verifyFolder: check, note: `root CID ${root.toString()}` };
    },
  };
}
