import "./account.css";
import { type FormEvent, type ReactNode, useEffect, useId, useState } from "react";
import { LIMITS } from "../../../protocol/limits.js";
import { LogoMark } from "../../app/icons.js";
import { useT } from "../../i18n/index.js";
import { FormEnd, PasswordField } from "../auth/Field.js";
import { accountApi } from "./account-api.js";
import { linkErrorMessage } from "./account-errors.js";
import { leaveMailLink } from "./link-route.js";

/** The product's name is not translated. */
const PRODUCT_NAME = "Glasschat";

type Status = { status: "idle" | "busy" | "done" } | { status: "error"; message: string };

/** The card that pages opened from a mail link sit in. */
function LinkCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="panel link-card">
        <div className="brand">
          <LogoMark />
          <span>{PRODUCT_NAME}</span>
        </div>
        <h1 className="auth-title">{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** `#/reset/<token>`: choose a new password; afterwards every session is signed out. */
export function ResetPasswordPage({ token, onDone }: { token: string; onDone: () => void }) {
  const t = useT();
  const id = useId();
  const [password, setPassword] = useState("");
  const [state, setState] = useState<Status>({ status: "idle" });
  const tooShort = password.length > 0 && password.length < LIMITS.passwordMin;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (state.status === "busy" || password.length < LIMITS.passwordMin) return;
    setState({ status: "busy" });
    try {
      await accountApi.confirmPasswordReset(token, password);
      setState({ status: "done" });
    } catch (error) {
      setState({ status: "error", message: linkErrorMessage(error) });
    }
  }
  const finish = () => {
    leaveMailLink();
    onDone();
  };

  return (
    <LinkCard title={t("account.reset.title")}>
      {state.status === "done" ? (
        <>
          <p className="auth-note" role="status">
            {t("account.reset.done")}
          </p>
          <button type="button" className="primary-button" onClick={finish}>
            {t("account.reset.toLogin")}
          </button>
        </>
      ) : (
        <form className="auth-form" onSubmit={submit} noValidate>
          <PasswordField
            id={`${id}-password`}
            label={t("account.reset.password")}
            choosing
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={tooShort ? t("auth.passwordHint", { min: LIMITS.passwordMin }) : undefined}
            required
            autoFocus
          />
          <FormEnd
            error={state.status === "error" ? state.message : null}
            busy={state.status === "busy"}
            label={t("account.reset.submit")}
          />
          <button type="button" className="link-button" onClick={finish}>
            {t("account.forgot.back")}
          </button>
        </form>
      )}
    </LinkCard>
  );
}

/** `#/unsubscribe/<token>`: turns off unread-messages mail, signed in or not. */
export function UnsubscribePage({ token, onDone }: { token: string; onDone: () => void }) {
  const t = useT();
  const [state, setState] = useState<Status>({ status: "busy" });
  useEffect(() => {
    accountApi.unsubscribe(token).then(
      () => setState({ status: "done" }),
      (error: unknown) => setState({ status: "error", message: linkErrorMessage(error) }),
    );
  }, [token]);
  return (
    <LinkCard title={t("account.unsubscribe.title")}>
      <p className={state.status === "error" ? "form-error" : "auth-note"} role="status">
        {state.status === "error"
          ? state.message
          : state.status === "done"
            ? t("account.unsubscribe.done")
            : t("account.unsubscribe.working")}
      </p>
      <button
        type="button"
        className="primary-button"
        onClick={() => {
          leaveMailLink();
          onDone();
        }}
      >
        {t("account.unsubscribe.open")}
      </button>
    </LinkCard>
  );
}
