import { Readable } from "node:stream";
import type { Db } from "../database.js";
import { type BlobStore, blobKeyTime, newBlobKey } from "./index.js";

/** Bytes per row: big enough for few rows, small enough that a read holds little in memory. */
export const CHUNK_BYTES = 256 * 1024;
/** Chunks fetched per query while streaming out. */
const CHUNKS_PER_READ = 4;

/**
 * Blobs as rows of `file_chunks` (FILE_STORAGE=database): several nodes that share only the
 * database see the same files. Each chunk is inserted as it fills (memory holds one chunk), and
 * a failed upload's chunks are deleted; the file row that makes a blob reachable is written only
 * after its last chunk.
 */
export function createDatabaseBlobStore(db: Db): BlobStore {
  async function insertChunk(key: string, n: number, data: Uint8Array): Promise<void> {
    await db.insertInto("file_chunks").values({ blob_key: key, n, data }).execute();
  }

  async function* chunks(key: string, start: number, end: number): AsyncGenerator<Buffer> {
    let n = Math.floor(start / CHUNK_BYTES);
    const last = Math.floor(end / CHUNK_BYTES);
    while (n <= last) {
      const rows = await db
        .selectFrom("file_chunks")
        .select(["n", "data"])
        .where("blob_key", "=", key)
        .where("n", ">=", n)
        .where("n", "<=", Math.min(last, n + CHUNKS_PER_READ - 1))
        .orderBy("n")
        .execute();
      if (rows.length === 0) throw new Error("blob missing");
      for (const row of rows) {
        const data = Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength);
        const offset = row.n * CHUNK_BYTES;
        const from = Math.max(0, start - offset);
        const to = Math.min(data.length, end - offset + 1);
        if (to > from) yield data.subarray(from, to);
        n = row.n + 1;
      }
    }
  }

  return {
    async put(source) {
      const key = newBlobKey();
      // One buffer, filled and inserted over and over: each insert is awaited before it is reused.
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      let filled = 0;
      let n = 0;
      try {
        for await (const piece of source) {
          let offset = 0;
          while (offset < piece.byteLength) {
            const take = Math.min(CHUNK_BYTES - filled, piece.byteLength - offset);
            chunk.set(piece.subarray(offset, offset + take), filled);
            filled += take;
            offset += take;
            if (filled === CHUNK_BYTES) {
              await insertChunk(key, n++, chunk);
              filled = 0;
            }
          }
        }
        if (filled > 0 || n === 0) await insertChunk(key, n, chunk.subarray(0, filled));
      } catch (error) {
        await db.deleteFrom("file_chunks").where("blob_key", "=", key).execute();
        throw error;
      }
      return key;
    },
    get(key, range) {
      return Readable.from(chunks(key, range.start, range.end));
    },
    async delete(keys) {
      if (keys.length > 0) await db.deleteFrom("file_chunks").where("blob_key", "in", keys).execute();
    },
    async keysBefore(beforeMs) {
      const rows = await db.selectFrom("file_chunks").select("blob_key").where("n", "=", 0).execute();
      return rows.map((r) => r.blob_key).filter((key) => blobKeyTime(key) < beforeMs);
    },
  };
}
