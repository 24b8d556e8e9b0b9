import { useT } from "../../i18n/index.js";
import { describeFailure, sizeLabel } from "./upload.js";
import type { Upload } from "./useUploads.js";

interface Props {
  uploads: Upload[];
  onRemove: (key: number) => void;
  onRetry: (key: number) => void;
}

/** The files attached to the message being written: progress, cancel, failures with retry. */
export function AttachmentTray({ uploads, onRemove, onRetry }: Props) {
  const t = useT();
  if (uploads.length === 0) return null;
  const photos = uploads.some((u) => u.file.type.startsWith("image/"));
  return (
    <div className="attachment-tray">
      <ul className="attachment-list" aria-label={t("files.attached", { count: uploads.length })}>
        {uploads.map((u) => {
          const name = u.file.name || "file";
          return (
            <li key={u.key} className={`attachment attachment-${u.status}`}>
              <div className="attachment-text">
                <span className="attachment-name" dir="auto">
                  {name}
                </span>
                <span className="attachment-size">{sizeLabel(u.file.size)}</span>
              </div>
              {u.status === "uploading" ? (
                <progress
                  className="attachment-progress"
                  max={1}
                  value={u.progress}
                  aria-label={t("files.uploading", { name })}
                />
              ) : null}
              {u.status === "failed" && u.failure ? (
                <p className="attachment-error" role="alert">
                  {t("files.failed", { name, reason: describeFailure(u.failure) })}
                </p>
              ) : null}
              {u.status === "done" ? (
                <span className="visually-hidden" role="status">
                  {t("files.ready", { name })}
                </span>
              ) : null}
              <div className="attachment-buttons">
                {u.status === "failed" && u.failure !== "too_large" ? (
                  <button type="button" className="ghost-button" onClick={() => onRetry(u.key)}>
                    {t("files.retry")}
                  </button>
                ) : null}
                <button
                  type="button"
                  className="ghost-button"
                  aria-label={t(u.status === "uploading" ? "files.cancel" : "files.remove", { name })}
                  onClick={() => onRemove(u.key)}
                >
                  {t(u.status === "uploading" ? "common.cancel" : "common.close")}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {photos ? <p className="attachment-note">{t("files.metadataNote")}</p> : null}
    </div>
  );
}
