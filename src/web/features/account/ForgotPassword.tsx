import "./account.css";
import { type FormEvent, useId, useState } from "react";
import { LIMITS } from "../../../protocol/limits.js";
import { describeError } from "../../app/errors.js";
import { useT } from "../../i18n/index.js";
import { Field, FormEnd } from "../auth/Field.js";
import { accountApi } from "./account-api.js";

/** "Forgot password?": asks for the email; the answer is the same whether or not it has an account. */
export function ForgotPassword({ initialEmail, onBack }: { initialEmail: string; onBack: () => void }) {
  const t = useT();
  const id = useId();
  const [email, setEmail] = useState(initialEmail);
  const [state, setState] = useState<
    { status: "idle" | "busy" | "sent" } | { status: "error"; message: string }
  >({
    status: "idle",
  });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (state.status === "busy" || !email.trim()) return;
    setState({ status: "busy" });
    try {
      await accountApi.requestPasswordReset(email.trim());
      setState({ status: "sent" });
    } catch (error) {
      setState({ status: "error", message: describeError(error) });
    }
  }

  return (
    <>
      <h1 className="auth-title">{t("account.forgot.title")}</h1>
      {state.status === "sent" ? (
        <p className="auth-note" role="status">
          {t("account.forgot.sent")}
        </p>
      ) : (
        <form className="auth-form" onSubmit={submit} noValidate>
          <p className="auth-note">{t("account.forgot.intro")}</p>
          <Field
            id={`${id}-email`}
            label={t("account.email")}
            type="email"
            autoComplete="email"
            maxLength={LIMITS.emailMax}
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            required
            autoFocus
          />
          <FormEnd
            error={state.status === "error" ? state.message : null}
            busy={state.status === "busy"}
            label={t("account.forgot.submit")}
          />
        </form>
      )}
      <button type="button" className="link-button" onClick={onBack}>
        {t("account.forgot.back")}
      </button>
    </>
  );
}
