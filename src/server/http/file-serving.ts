import { pipeline } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../domain/errors.js";
import { contentDisposition, servedInline } from "../domain/file-types.js";
import type { BlobStore, ByteRange } from "../storage/file-blobs/index.js";
import type { FileRow } from "../storage/files.repository.js";
import { reclaiming } from "../young-gc.js";

/**
 * Nothing in a served file may run or load anything: no script, no plug-in, no frame, no form
 * (`sandbox` also gives the document an opaque origin, away from the app's cookies and storage).
 */
export const FILE_CSP =
  "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox";

/**
 * What a `Range` header asks of a representation of `size` bytes (RFC 9110 §14): one satisfiable
 * `bytes=` range; "unsatisfiable" for a well-formed single range that starts at or past the end
 * (or a zero-length suffix), answered 416; undefined (the whole file, 200) for no header, a
 * malformed one, another unit or several ranges (a server may ignore Range, and several ranges
 * would need multipart/byteranges, which seeking players never ask for).
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | "unsatisfiable" | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/i.exec(header.trim());
  if (!match) return undefined;
  const [, from = "", to = ""] = match;
  if (from === "" && to === "") return undefined;
  if (from === "") {
    const suffix = Number(to);
    if (suffix === 0) return "unsatisfiable";
    return size === 0 ? undefined : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  if (to !== "" && Number(to) < start) return undefined;
  if (start >= size) return "unsatisfiable";
  return { start, end: to === "" ? size - 1 : Math.min(Number(to), size - 1) };
}

/**
 * Sends a stored file (or its thumbnail) with every header that keeps it passive: its detected
 * type only when it may show inline (raster images, audio, video, PDF), otherwise an opaque
 * download; nosniff (set for every answer); a sandboxing CSP; private caching with an ETag
 * (files never change); single byte ranges for seeking.
 */
export function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  blobs: BlobStore,
  file: FileRow,
  variant: "file" | "thumbnail",
): FastifyReply {
  const thumbnail = variant === "thumbnail";
  const key = thumbnail ? (file.thumb_key as string) : file.blob_key;
  const size = Number(thumbnail ? file.thumb_size : file.size);
  const type = thumbnail ? "image/webp" : file.type;
  const inline = servedInline(type);
  const etag = `"${file.id}${thumbnail ? "-t" : ""}"`;
  const ifNoneMatch = request.headers["if-none-match"];
  const notModified = ifNoneMatch?.split(",").some((tag) => tag.trim() === etag) ?? false;
  const ifRange = request.headers["if-range"];
  const range =
    notModified || (ifRange !== undefined && ifRange !== etag)
      ? undefined
      : parseRange(request.headers.range, size);
  reply.header("content-security-policy", FILE_CSP).header("cache-control", "private, no-cache");
  if (range === "unsatisfiable") {
    reply.header("content-range", `bytes */${size}`);
    throw new AppError(
      "range_not_satisfiable",
      `The range starts at or past the end of the file (${size} bytes).`,
    );
  }
  reply
    .header("etag", etag)
    .header("accept-ranges", "bytes")
    .header("content-type", inline ? type : "application/octet-stream")
    .header(
      "content-disposition",
      contentDisposition(
        inline ? "inline" : "attachment",
        thumbnail ? `thumbnail-${file.name}.webp` : file.name,
      ),
    );
  if (notModified) return reply.code(304).send();
  const bytes = range ?? { start: 0, end: size - 1 };
  if (range) reply.code(206).header("content-range", `bytes ${range.start}-${range.end}/${size}`);
  reply.header("content-length", String(size === 0 ? 0 : bytes.end - bytes.start + 1));
  if (request.method === "HEAD" || size === 0) return reply.send();
  // A failed read destroys the pass-through too, so the answer is cut off rather than left hanging.
  return reply.send(pipeline(blobs.get(key, bytes), reclaiming(), () => {}));
}
