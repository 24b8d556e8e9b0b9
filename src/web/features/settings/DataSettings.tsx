import { type FormEvent, useId, useState } from "react";
import { ApiError, request } from "../../api/http.js";
import { Dialog } from "../../app/Dialog.js";
import { describeError } from "../../app/errors.js";
import { useT } from "../../i18n/index.js";
import "./settings-sections.css";

export interface DataSettingsProps {
  /** The account is gone and every session with it: show the sign-in screen. */
  onDeleted: () => void;
}

function DeleteAccountDialog({ onClose, onDeleted }: { onClose: () => void; onDeleted: () => void }) {
  const t = useT();
  const id = useId();
  const [messages, setMessages] = useState<"keep" | "erase" | null>(null);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!messages || !password) return;
    setBusy(true);
    setProblem(null);
    try {
      await request<void>("DELETE", "/api/me", { password, messages });
      onDeleted();
    } catch (error) {
      const wrong = error instanceof ApiError && error.code === "invalid_credentials";
      setProblem(wrong ? t("accountData.delete.wrongPassword") : describeError(error));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={t("accountData.delete.title")}
      description={t("accountData.delete.warning")}
      onClose={onClose}
    >
      <form onSubmit={submit} className="settings-delete-form">
        <fieldset className="settings-choices">
          {(["keep", "erase"] as const).map((choice) => (
            <div key={choice}>
              <input
                id={`${id}-${choice}`}
                type="radio"
                name={`${id}-messages`}
                value={choice}
                checked={messages === choice}
                onChange={() => setMessages(choice)}
                required
              />
              <label htmlFor={`${id}-${choice}`}>{t(`accountData.delete.${choice}`)}</label>
            </div>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-password`}>{t("accountData.delete.password")}</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="current-password"
            value={password}
            required
            aria-describedby={problem ? `${id}-problem` : undefined}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {problem ? (
          <p role="alert" id={`${id}-problem`} className="form-error">
            {problem}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="ghost-button" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="danger-button" disabled={busy || !messages || !password}>
            {t("accountData.delete.confirm")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Settings → Your data: download everything (a ZIP), or delete the account. */
export function DataSettings({ onDeleted }: DataSettingsProps) {
  const t = useT();
  const [deleting, setDeleting] = useState(false);
  return (
    <section className="settings-section" aria-labelledby="settings-data">
      <h2 id="settings-data">{t("accountData.heading")}</h2>
      <p className="settings-hint">{t("accountData.export.hint")}</p>
      <a className="ghost-button" href="/api/me/export" download>
        {t("accountData.export.label")}
      </a>
      <div>
        <button type="button" className="danger-button" onClick={() => setDeleting(true)}>
          {t("accountData.delete.open")}
        </button>
      </div>
      {deleting ? <DeleteAccountDialog onClose={() => setDeleting(false)} onDeleted={onDeleted} /> : null}
    </section>
  );
}
