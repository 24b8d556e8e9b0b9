import type { ErrorBody, FileInfo } from "../../../protocol/index.js";
import { t } from "../../i18n/index.js";

/** Why an upload failed, as the person attaching it should read it. */
export type UploadFailure = "too_large" | "quota" | "rate_limited" | "unsafe_photo" | "network" | "other";

const FAILURES: Partial<Record<string, UploadFailure>> = {
  payload_too_large: "too_large",
  quota_exceeded: "quota",
  rate_limited: "rate_limited",
  // The one type the server refuses: a HEIC/HEIF photo whose metadata it could not remove.
  unsupported_media_type: "unsafe_photo",
};

export class UploadError extends Error {
  constructor(readonly reason: UploadFailure) {
    super(reason);
  }
}

export function describeFailure(reason: UploadFailure): string {
  switch (reason) {
    case "too_large":
      return t("files.tooLarge");
    case "quota":
      return t("files.quota");
    case "rate_limited":
      return t("files.rateLimited");
    case "unsafe_photo":
      return t("files.unsafePhoto");
    case "network":
      return t("files.network");
    default:
      return t("files.otherError");
  }
}

/**
 * POST /api/files with the raw file as the body (XMLHttpRequest: it reports upload progress).
 * `onProgress` gets 0…1; `signal` cancels (the server then keeps nothing).
 */
export function uploadFile(
  file: File,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<FileInfo> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/files");
    xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
    xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name || "file"));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: ({ file?: FileInfo } & Partial<ErrorBody>) | undefined;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 201 && body?.file) return resolve(body.file);
      const code = body?.error?.code;
      reject(new UploadError((code && FAILURES[code]) || "other"));
    };
    xhr.onerror = () => reject(new UploadError("network"));
    xhr.onabort = () => reject(new DOMException("cancelled", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** A byte count for people: B, KB, MB, GB (powers of 1024), in the current locale's digits. */
export function sizeLabel(bytes: number): string {
  const units = ["files.sizeB", "files.sizeKB", "files.sizeMB", "files.sizeGB"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const size = unit === 0 ? String(value) : value.toFixed(value < 10 ? 1 : 0);
  return t(units[unit] as (typeof units)[number], { size });
}
