import { lazy, Suspense, useState } from "react";
import type { FileInfo } from "../../../protocol/index.js";
import { DownloadIcon, FileIcon } from "../../app/icons.js";
import { useT } from "../../i18n/index.js";

// The viewer is loaded when a photo is first opened.
const ImageViewer = lazy(() => import("./ImageViewer.js").then((m) => ({ default: m.ImageViewer })));

import { sizeLabel } from "./upload.js";

/** A message's files: images as a grid of thumbnails (opening the viewer), others as cards. */
export function MessageFiles({ files }: { files: FileInfo[] }) {
  const t = useT();
  const [open, setOpen] = useState<number | null>(null);
  if (files.length === 0) return null;
  const images = files.filter((f) => f.thumbnailUrl);
  const others = files.filter((f) => !f.thumbnailUrl);
  return (
    <div className="msg-files">
      {images.length > 0 ? (
        <div className={`msg-images msg-images-${Math.min(images.length, 3)}`}>
          {images.map((file, index) => (
            <button
              key={file.id}
              type="button"
              className="msg-image"
              aria-label={t("files.open", { name: file.name })}
              onClick={() => setOpen(index)}
            >
              <img
                src={file.thumbnailUrl}
                alt={file.name}
                loading="lazy"
                width={file.width}
                height={file.height}
              />
            </button>
          ))}
        </div>
      ) : null}
      {others.map((file) => (
        <div key={file.id} className="file-card">
          <FileIcon />
          <div className="file-card-text">
            <span className="file-card-name" dir="auto">
              {file.name}
            </span>
            <span className="file-card-size">{sizeLabel(file.size)}</span>
          </div>
          <a
            className="icon-button"
            href={file.url}
            download={file.name}
            aria-label={t("files.download", { name: file.name })}
          >
            <DownloadIcon />
          </a>
        </div>
      ))}
      {open !== null ? (
        <Suspense fallback={null}>
          <ImageViewer images={images} start={open} onClose={() => setOpen(null)} />
        </Suspense>
      ) : null}
    </div>
  );
}
