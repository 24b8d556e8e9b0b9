import { useEffect, useRef, useState } from "react";
import type { FileInfo } from "../../../protocol/index.js";
import { ChevronLeftIcon, ChevronRightIcon, CloseIcon, DownloadIcon } from "../../app/icons.js";
import { useT } from "../../i18n/index.js";

interface Props {
  images: FileInfo[];
  start: number;
  onClose: () => void;
}

/** A message's photos, full size, in a modal: arrows step through them, Escape closes. */
export function ImageViewer({ images, start, onClose }: Props) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const [index, setIndex] = useState(start);
  const image = images[index];
  const step = (by: number) => setIndex((i) => (i + by + images.length) % images.length);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  if (!image) return null;
  return (
    <dialog
      ref={ref}
      className="image-viewer"
      aria-label={t("files.viewer")}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClose={onClose}
      onKeyDown={(e) => {
        if (e.key === "ArrowLeft") step(-1);
        else if (e.key === "ArrowRight") step(1);
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="image-viewer-bar">
        <span className="image-viewer-name" dir="auto">
          {image.name}
        </span>
        {images.length > 1 ? (
          <span className="image-viewer-position">
            {t("files.position", { index: index + 1, count: images.length })}
          </span>
        ) : null}
        <a
          className="icon-button"
          href={image.url}
          download={image.name}
          aria-label={t("files.download", { name: image.name })}
        >
          <DownloadIcon />
        </a>
        <button type="button" className="icon-button" aria-label={t("files.close")} onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <div className="image-viewer-stage">
        {images.length > 1 ? (
          <button
            type="button"
            className="icon-button image-viewer-prev"
            aria-label={t("files.previous")}
            onClick={() => step(-1)}
          >
            <ChevronLeftIcon />
          </button>
        ) : null}
        <img src={image.url} alt={image.name} width={image.width} height={image.height} />
        {images.length > 1 ? (
          <button
            type="button"
            className="icon-button image-viewer-next"
            aria-label={t("files.next")}
            onClick={() => step(1)}
          >
            <ChevronRightIcon />
          </button>
        ) : null}
      </div>
    </dialog>
  );
}
