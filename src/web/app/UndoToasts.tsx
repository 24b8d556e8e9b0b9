import { useT } from "../i18n/index.js";
import type { Undoable } from "./undo.js";

/** The undo offers: a polite live region (always present, so additions are announced). */
export function UndoToasts({ pending, onUndo }: { pending: Undoable[]; onUndo: (id: number) => void }) {
  const t = useT();
  return (
    <section className="toasts" aria-label={t("polish.toasts")}>
      <div role="status" aria-live="polite" className="toast-list">
        {pending.map((entry) => (
          <div key={entry.id} className="toast panel" data-undo-id={entry.id}>
            <span>{entry.message}</span>
            <button type="button" className="ghost-button toast-undo" onClick={() => onUndo(entry.id)}>
              {t("polish.undo")}
            </button>
          </div>
        ))}
      </div>
    </section>
  );
}
