import type { FileInfo } from "../../protocol/index.js";
import type { FileRow, StoredFileRef } from "../storage/files.repository.js";

export function fileUrl(id: string): string {
  return `/api/files/${id}`;
}

/** What a message keeps of a file (messages.files). */
export function toFileRef(row: FileRow): StoredFileRef {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    size: Number(row.size),
    ...(row.width !== null && row.height !== null ? { width: row.width, height: row.height } : {}),
    thumb: row.thumb_key !== null,
  };
}

/** The protocol's view of a stored file: same-origin URLs for the file and its thumbnail. */
export function toFileInfo(ref: StoredFileRef): FileInfo {
  const { thumb, ...rest } = ref;
  return {
    ...rest,
    url: fileUrl(ref.id),
    ...(thumb ? { thumbnailUrl: `${fileUrl(ref.id)}/thumbnail` } : {}),
  };
}
