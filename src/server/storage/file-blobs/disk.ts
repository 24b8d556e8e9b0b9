import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { type BlobStore, blobKeyTime, isBlobKey, newBlobKey } from "./index.js";

/**
 * Blobs as files in `root` (DATA_DIR/files, which backups include). A blob is written as
 * `<key>.part` and renamed when complete, so a reader never sees half a file; paths are built
 * only from keys this module made, and checked to stay inside `root`.
 */
export function createDiskBlobStore(root: string): BlobStore {
  const base = resolve(root);
  let ready: Promise<unknown> | undefined;

  function pathOf(key: string, suffix = ""): string {
    if (!isBlobKey(key)) throw new Error("not a blob key");
    const path = resolve(base, key.slice(0, 2), `${key}${suffix}`);
    if (!path.startsWith(base + sep)) throw new Error("outside the file store");
    return path;
  }

  return {
    async put(source) {
      const key = newBlobKey();
      const part = pathOf(key, ".part");
      ready ??= mkdir(base, { recursive: true });
      await ready;
      await mkdir(join(part, ".."), { recursive: true });
      try {
        await pipeline(source, createWriteStream(part, { flags: "wx" }));
        await rename(part, pathOf(key));
      } catch (error) {
        await rm(part, { force: true });
        throw error;
      }
      return key;
    },
    get(key, range) {
      return createReadStream(pathOf(key), { start: range.start, end: range.end });
    },
    async delete(keys) {
      await Promise.all(keys.map((key) => rm(pathOf(key), { force: true })));
    },
    async keysBefore(beforeMs) {
      const keys: string[] = [];
      const folders = await readdir(base).catch(() => [] as string[]);
      for (const folder of folders) {
        const names = await readdir(join(base, folder)).catch(() => [] as string[]);
        for (const name of names) {
          const key = name.endsWith(".part") ? name.slice(0, -5) : name;
          if (isBlobKey(key) && blobKeyTime(key) < beforeMs) {
            // A `.part` this old belongs to an upload that died with its process.
            if (name !== key) await rm(join(base, folder, name), { force: true });
            else keys.push(key);
          }
        }
      }
      return keys;
    },
  };
}
