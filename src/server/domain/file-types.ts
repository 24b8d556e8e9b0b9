import { fileTypeFromBuffer } from "file-type";

/** Bytes of the start of a file that type detection looks at. */
export const SNIFF_BYTES = 4100;

const OCTET = "application/octet-stream";

/**
 * The type of a file, from its first bytes only (what the client claims is never used):
 * binary formats by their signature (`file-type`), then a few text formats by their start,
 * then text or opaque bytes.
 */
export async function detectType(head: Uint8Array): Promise<string> {
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  if (found) return found.mime;
  const start = new TextDecoder("utf-8", { fatal: false })
    .decode(head.subarray(0, 512))
    .trimStart()
    .toLowerCase();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(start)) return "image/svg+xml";
  if (/^(<!doctype html|<html|<head|<body|<script)/.test(start)) return "text/html";
  return looksLikeText(head) ? "text/plain" : OCTET;
}

function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  for (const byte of head) if (byte === 0 || (byte < 9 && byte !== 0)) return false;
  try {
    // A multi-byte character cut at the end of the sample is fine; anything else is binary.
    new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return true;
  } catch {
    return false;
  }
}

/** Raster images the server re-encodes (metadata stripped, orientation applied) and thumbnails. */
export const PROCESSED_IMAGES: Readonly<Record<string, "jpeg" | "png" | "webp" | "avif" | "tiff" | "gif">> = {
  "image/jpeg": "jpeg",
  "image/png": "png",
  "image/webp": "webp",
  "image/avif": "avif",
  "image/tiff": "tiff",
  "image/gif": "gif",
};

/**
 * Whether a type may be shown in the browser: raster images we processed, audio, video, PDF.
 * Everything else (SVG, HTML, text, unknown) is only ever a download.
 */
export function servedInline(type: string): boolean {
  return (
    (type in PROCESSED_IMAGES && type !== "image/tiff") ||
    type.startsWith("audio/") ||
    type.startsWith("video/") ||
    type === "application/pdf"
  );
}

/** A file name as sent (`X-File-Name`, URL-encoded), made safe to store and show. */
export function cleanFileName(header: string | undefined): string {
  let name = "";
  try {
    name = decodeURIComponent(header ?? "");
  } catch {
    name = header ?? "";
  }
  name = name
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/[/\\]/g, "_")
    .trim();
  const points = [...name];
  if (points.length > 200) name = points.slice(0, 200).join("");
  return name === "" || name === "." || name === ".." ? "file" : name;
}

/** `Content-Disposition` for a stored name: an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
