import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";

/** Inclusive byte range of a blob. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where file bytes live: a folder under DATA_DIR (FILE_STORAGE=disk) or chunks in the database
 * (FILE_STORAGE=database). Blobs are written once and never change; keys are made here.
 */
export interface BlobStore {
  /**
   * Streams `source` into a new blob and resolves with its key once every byte is stored. If the
   * source fails (client gone, a limit hit), whatever was written is removed and the error is
   * rethrown: a blob is complete or absent.
   */
  put(source: AsyncIterable<Uint8Array>): Promise<string>;
  /** Bytes `range.start`..`range.end` (inclusive) of the blob, streamed. */
  get(key: string, range: ByteRange): Readable;
  delete(keys: string[]): Promise<void>;
  /** Keys of blobs made before `beforeMs` (for removing ones nothing references). */
  keysBefore(beforeMs: number): Promise<string[]>;
}

/** `<time base36>-<random>`: sortable by age, no characters a path or SQL could misread. */
export function newBlobKey(now = Date.now()): string {
  return `${now.toString(36)}-${randomBytes(12).toString("hex")}`;
}

const KEY = /^([0-9a-z]{1,12})-[0-9a-f]{24}$/;

export function isBlobKey(key: string): boolean {
  return KEY.test(key);
}

/** When the blob with this key was begun (epoch ms); NaN for a key that is not one of ours. */
export function blobKeyTime(key: string): number {
  const match = KEY.exec(key);
  return match?.[1] ? Number.parseInt(match[1], 36) : Number.NaN;
}
