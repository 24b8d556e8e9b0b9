import type { FileInfo } from "../../protocol/index.js";
import type { BlobStore } from "../storage/file-blobs/index.js";
import type { FileRow, FilesRepository, StoredFileRef } from "../storage/files.repository.js";
import { reclaimEvery } from "../young-gc.js";
import { AppError } from "./errors.js";
import { toFileInfo, toFileRef } from "./file-info.js";
import { detectType, SNIFF_BYTES } from "./file-types.js";
import { blankHeifMetadata, HEIF_TYPES } from "./heif-metadata.js";
import { newId } from "./ids.js";
import { processImage } from "./images.js";
import { RateLimiter } from "./rate-limiter.js";

export interface FilesDeps {
  files: FilesRepository;
  blobs: BlobStore;
  now: () => number;
  /** FILE_MAX_BYTES */
  maxBytes: number;
  /** FILE_QUOTA_BYTES */
  quotaBytes: number;
  /** RATE_LIMIT_UPLOADS_PER_HOUR (0: off) */
  uploadsPerHour?: number;
  /** RATE_LIMIT_UPLOAD_BYTES_PER_HOUR (0: off) */
  uploadBytesPerHour?: number;
}

export interface Upload {
  ownerId: string;
  name: string;
  /** Content-Length, when the client sent one. */
  declaredBytes: number | undefined;
  body: AsyncIterable<Uint8Array>;
}

/** Uploads never attached to a message are removed after this long. */
export const UNSENT_TTL_MS = 24 * 60 * 60 * 1000;
/** A blob no file row references (its upload died with a process) is removed after this long. */
const ORPHAN_TTL_MS = 60 * 60 * 1000;

export const tooLarge = (max: number) =>
  new AppError("payload_too_large", `A file can be at most ${max} bytes.`);
const unsafePhoto = () =>
  new AppError(
    "unsupported_media_type",
    "This HEIC/HEIF photo's location and camera details could not be removed safely: save it as JPEG and send that.",
  );
export const overQuota = () =>
  new AppError(
    "quota_exceeded",
    "Your files take all the space you have: delete some messages with files first.",
  );

const HOUR_MS = 60 * 60 * 1000;
const rateLimited = (wait: number) =>
  new AppError("rate_limited", `Too many uploads. Try again in ${wait} s.`, undefined, wait);

export type FilesService = ReturnType<typeof createFilesService>;

export function createFilesService(deps: FilesDeps) {
  const { files, blobs, now } = deps;
  const uploads = new RateLimiter(deps.uploadsPerHour ?? 0, HOUR_MS, now);
  const uploadBytes = new RateLimiter(deps.uploadBytesPerHour ?? 0, HOUR_MS, now);

  async function remove(rows: Pick<FileRow, "id" | "blob_key" | "thumb_key">[]): Promise<number> {
    if (rows.length === 0) return 0;
    // Rows first: a crash in between leaves only unreferenced blobs, which `collect` removes.
    await files.deleteRows(rows.map((r) => r.id));
    await blobs.delete(rows.flatMap((r) => (r.thumb_key ? [r.blob_key, r.thumb_key] : [r.blob_key])));
    return rows.length;
  }

  return {
    /**
     * Streams an upload into the blob store, counting bytes against FILE_MAX_BYTES and the
     * owner's quota as they come; the type comes from the first bytes; images are re-encoded
     * without metadata and thumbnailed. Any failure leaves nothing stored.
     */
    async upload(upload: Upload): Promise<FileInfo> {
      const { maxBytes, quotaBytes } = deps;
      if (upload.declaredBytes !== undefined && upload.declaredBytes > maxBytes) throw tooLarge(maxBytes);
      const used = await files.usedBytes(upload.ownerId);
      if (used + (upload.declaredBytes ?? 0) > quotaBytes) throw overQuota();
      const owner = upload.ownerId;
      const wait = uploadBytes.retryAfter(owner) || uploads.reserve(owner);
      if (wait > 0) throw rateLimited(wait);

      let size = 0;
      const head: Uint8Array[] = [];
      let headBytes = 0;
      const reclaim = reclaimEvery();
      async function* counted(): AsyncGenerator<Uint8Array> {
        for await (const chunk of upload.body) {
          reclaim(chunk.byteLength);
          size += chunk.byteLength;
          if (size > maxBytes) throw tooLarge(maxBytes);
          if (used + size > quotaBytes) throw overQuota();
          const bytesWait = uploadBytes.hit(owner, chunk.byteLength);
          if (bytesWait > 0) throw rateLimited(bytesWait);
          if (headBytes < SNIFF_BYTES) {
            head.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
            headBytes += Math.min(chunk.byteLength, SNIFF_BYTES - headBytes);
          }
          yield chunk;
        }
      }
      const original = await blobs.put(counted());
      let keys = [original];
      try {
        let type = await detectType(Buffer.concat(head));
        const row: FileRow = {
          id: newId("f"),
          owner_id: upload.ownerId,
          name: upload.name,
          type,
          size,
          width: null,
          height: null,
          blob_key: original,
          thumb_key: null,
          thumb_size: null,
          created_at: now(),
          chat_id: null,
          client_id: null,
          seq: null,
        };
        if (HEIF_TYPES.has(type)) {
          // Kept as HEIF (sharp cannot decode HEVC): no thumbnail, metadata items blanked.
          const clean = await blankHeifMetadata(blobs, original, size);
          if (!clean) throw unsafePhoto();
          if (clean !== original) {
            keys = [original, clean];
            row.blob_key = clean;
            await blobs.delete([original]);
            keys = [clean];
          }
        } else if (type.startsWith("image/") && type !== "image/svg+xml" && size > 0) {
          const image = await processImage(blobs, original, size, type);
          if (image) {
            keys = [...new Set([original, image.key, image.thumbKey])];
            Object.assign(row, {
              blob_key: image.key,
              size: image.size,
              width: image.width,
              height: image.height,
              thumb_key: image.thumbKey,
              thumb_size: image.thumbSize,
            });
            if (image.key !== original) {
              await blobs.delete([original]);
              keys = [image.key, image.thumbKey];
            }
          } else {
            // Undecodable, or too large to re-encode: never shown inline, metadata not vouched for.
            type = "application/octet-stream";
            row.type = type;
          }
        }
        const { chat_id: _c, client_id: _k, seq: _s, ...insert } = row;
        if (!(await files.insertWithinQuota(insert, quotaBytes))) throw overQuota();
        return toFileInfo(toFileRef(row));
      } catch (error) {
        await blobs.delete(keys).catch(() => {});
        throw error;
      }
    },

    /** The file and which of its blobs to serve, if `userId` may fetch it; otherwise undefined. */
    async readable(fileId: string, userId: string | undefined): Promise<FileRow | undefined> {
      if (userId === undefined) return undefined;
      return files.findReadable(fileId, userId);
    },

    /**
     * Claims the sender's uploads for the message (chatId, clientId): each id must be an own
     * upload not attached to another message. Resolves with the refs in the order given.
     */
    async claim(ownerId: string, chatId: string, clientId: string, ids: string[]): Promise<StoredFileRef[]> {
      const unique = [...new Set(ids)];
      const rows = unique.length === ids.length ? await files.claim(ownerId, chatId, clientId, unique) : [];
      if (rows.length !== ids.length) {
        if (rows.length > 0 && rows.every((r) => r.seq === null))
          await files.release(ownerId, chatId, clientId);
        throw new AppError(
          "invalid_input",
          "fileIds must be your own uploads, each attached to one message only.",
          {
            fileIds: "Unknown file, or already sent.",
          },
        );
      }
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => toFileRef(byId.get(id) as FileRow));
    },

    release: files.release,
    attach: files.attach,

    /**
     * Removes what nobody can have any more: uploads unsent after 24 h, files whose message was
     * deleted or cleared for everyone (within `chatId` only, when given), blobs nothing refers to.
     */
    async collect(chatId?: string): Promise<number> {
      const removed = await remove(await files.garbage(now() - UNSENT_TTL_MS, chatId));
      if (chatId === undefined) {
        const old = await blobs.keysBefore(now() - ORPHAN_TTL_MS);
        const referenced = await files.referencedKeys(old);
        await blobs.delete(old.filter((key) => !referenced.has(key)));
      }
      return removed;
    },

    /** Every file a user uploaded, for account deletion: ids and the bytes they take. */
    filesOfUser: files.ofOwner,

    /** Deletes every file a user uploaded (account deletion); returns how many. */
    async removeFilesOfUser(userId: string): Promise<number> {
      return remove(await files.ofOwner(userId));
    },
  };
}
