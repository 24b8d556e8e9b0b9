import { Dialog } from "../../app/Dialog.js";
import { useT } from "../../i18n/index.js";

/** "Delete for everyone" cannot be taken back: it is confirmed first. */
export function ConfirmDeleteDialog({ onConfirm, onClose }: { onConfirm: () => void; onClose: () => void }) {
  const t = useT();
  return (
    <Dialog
      title={t("polish.deleteTitle")}
      description={t("polish.deleteText")}
      onClose={onClose}
      returnFocus={() => document.querySelector<HTMLElement>(".composer-input")}
    >
      <div className="dialog-actions">
        <button type="button" className="ghost-button" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button
          type="button"
          className="danger-button"
          onClick={() => {
            onClose();
            onConfirm();
          }}
        >
          {t("polish.deleteConfirm")}
        </button>
      </div>
    </Dialog>
  );
}
