import type { ClientRequest } from "node:http";
import sharp from "sharp";
import type { ErrorBody, FileInfo } from "../../src/protocol/index.js";
import type { TestUser } from "./client.js";

export interface UploadReply {
  status: number;
  file?: FileInfo;
  error?: ErrorBody["error"];
}

/** POST /api/files as the web client sends it: raw bytes, a claimed type, the name URL-encoded. */
export async function upload(
  baseUrl: string,
  user: TestUser | undefined,
  name: string,
  bytes: Uint8Array | string,
  type = "application/octet-stream",
): Promise<UploadReply> {
  const response = await fetch(`${baseUrl}/api/files`, {
    method: "POST",
    signal: AbortSignal.timeout(60_000),
    headers: {
      "content-type": type,
      "x-file-name": encodeURIComponent(name),
      ...(user ? { cookie: user.cookie } : {}),
    },
    body: typeof bytes === "string" ? bytes : Buffer.from(bytes),
  });
  const body = (await response.json()) as { file?: FileInfo } & Partial<ErrorBody>;
  return { status: response.status, file: body.file, error: body.error };
}

/** Uploads and returns the file, or throws with the server's answer. */
export async function uploaded(
  baseUrl: string,
  user: TestUser,
  name: string,
  bytes: Uint8Array | string,
  type?: string,
): Promise<FileInfo> {
  const reply = await upload(baseUrl, user, name, bytes, type);
  if (!reply.file) throw new Error(`upload failed: ${reply.status} ${reply.error?.code}`);
  return reply.file;
}

/** GET a file URL as `user` (or nobody); the body as bytes. */
export async function fetchFile(
  baseUrl: string,
  path: string,
  user?: TestUser,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(baseUrl + path, {
    signal: AbortSignal.timeout(60_000),
    headers: { ...headers, ...(user ? { cookie: user.cookie } : {}) },
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

/** A 12-megapixel JPEG (4000 × 3000) of noise, as a camera photo is for the encoder. */
export function twelveMegapixelJpeg(): Promise<Buffer> {
  return sharp({
    create: {
      width: 4000,
      height: 3000,
      channels: 3,
      background: "#888",
      noise: { type: "gaussian", mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/**
 * Writes `bytes` bytes of `block` (repeated, the last piece cut short) to an upload request,
 * waiting for `drain` whenever the socket's buffer is full, then ends it: memory stays flat
 * whatever the size.
 */
export function writeRepeated(req: ClientRequest, block: Buffer, bytes: number): void {
  let sent = 0;
  const pump = () => {
    while (sent < bytes) {
      const n = Math.min(block.length, bytes - sent);
      sent += n;
      if (!req.write(n === block.length ? block : block.subarray(0, n))) return void req.once("drain", pump);
    }
    req.end();
  };
  pump();
}
