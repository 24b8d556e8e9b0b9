import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import type { User } from "../../../protocol/index.js";
import { LIMITS } from "../../../protocol/limits.js";
import { api } from "../../api/endpoints.js";
import { ApiError } from "../../api/http.js";
import { LogoMark } from "../../app/icons.js";
import { currentLocale, useT } from "../../i18n/index.js";
import { linkErrorMessage } from "../account/account-errors.js";
import { ForgotPassword } from "../account/ForgotPassword.js";
import { leaveMailLink } from "../account/link-route.js";
import { LanguageSelect } from "../settings/LanguageSelect.js";
import { ThemeToggle } from "../theme/ThemeToggle.js";
import { type AuthErrors, authErrorsFrom } from "./auth-errors.js";
import { Field, FormEnd, PasswordField } from "./Field.js";
import type { AuthMode, AuthValues } from "./validate.js";

/** The protocol's zod schemas are a third of the bundle: load them beside the form, not before it. */
const loadValidation = () => import("./validate.js");

const NO_ERRORS: AuthErrors = { fields: {}, form: null };

/**
 * The split-pane sign-in card. Exactly one "Log in" and one "Sign up" button exist at any time:
 * the form's submit button for the current mode, and the switch to the other mode.
 */
export function AuthScreen({
  onSignedIn,
  invitation,
}: {
  onSignedIn: (user: User) => void;
  /** The token of an invitation link: the form opens on sign-up and sends it along. */
  invitation?: string | undefined;
}) {
  const t = useT();
  const [mode, setMode] = useState<AuthMode>(invitation ? "signup" : "login");
  const [forgot, setForgot] = useState(false);
  const [values, setValues] = useState<AuthValues>({ email: "", username: "", password: "" });
  const [errors, setErrors] = useState<AuthErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const emailRef = useRef<HTMLInputElement>(null);
  const signup = mode === "signup";

  useEffect(() => {
    void loadValidation();
    // Shown after a log-out (or on arrival): the email field is where one starts.
    emailRef.current?.focus();
  }, []);

  const switchMode = () => {
    setMode(signup ? "login" : "signup");
    setErrors(NO_ERRORS);
    emailRef.current?.focus();
  };

  const update = (key: keyof AuthValues) => (e: { currentTarget: HTMLInputElement }) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [key]: value }));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const { validateAuth } = await loadValidation();
    const invalid = validateAuth(mode, values);
    if (invalid) {
      setErrors(invalid);
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const user = signup
        ? await api.register({ ...values, locale: currentLocale(), ...(invitation ? { invitation } : {}) })
        : await api.login({ email: values.email, password: values.password });
      if (invitation) leaveMailLink();
      onSignedIn(user);
    } catch (error) {
      setErrors(
        error instanceof ApiError && error.code === "token_invalid"
          ? { fields: {}, form: linkErrorMessage(error) }
          : authErrorsFrom(error),
      );
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <div className="auth-corner">
        <ThemeToggle />
      </div>
      <div className={`auth-card panel ${signup ? "is-signup" : "is-login"}`}>
        <section className="auth-brand" aria-label={t("app.brandAbout")}>
          <div className="brand">
            <LogoMark />
            <span>Glasschat</span>
          </div>
          <p className="auth-tagline">{signup ? t("auth.taglineSignup") : t("auth.taglineLogin")}</p>
          <p className="auth-sub">{t("auth.sub")}</p>
          <div className="mode-switch" data-mode={mode}>
            <span className="mode-switch-thumb" aria-hidden="true" />
            {signup ? (
              <button type="button" className="mode-switch-option" onClick={switchMode}>
                {t("auth.login")}
              </button>
            ) : (
              <span className="mode-switch-option is-current">{t("auth.login")}</span>
            )}
            {signup ? (
              <span className="mode-switch-option is-current">{t("auth.signup")}</span>
            ) : (
              <button type="button" className="mode-switch-option" onClick={switchMode}>
                {t("auth.signup")}
              </button>
            )}
          </div>
        </section>
        <section className="auth-form-pane">
          {forgot ? (
            <ForgotPassword initialEmail={values.email} onBack={() => setForgot(false)} />
          ) : (
            <>
              <h1 className="auth-title">{signup ? t("auth.titleSignup") : t("auth.titleLogin")}</h1>
              {invitation && signup ? (
                <p className="auth-note auth-invited">{t("account.invite.banner")}</p>
              ) : null}
              <form
                className="auth-form"
                onSubmit={submit}
                noValidate
                aria-describedby={errors.form ? `${id}-form-error` : undefined}
              >
                <Field
                  ref={emailRef}
                  id={`${id}-email`}
                  label={t("auth.email")}
                  type="email"
                  autoComplete="email"
                  maxLength={LIMITS.emailMax}
                  value={values.email}
                  onChange={update("email")}
                  error={errors.fields.email}
                  required
                />
                {signup ? (
                  <Field
                    id={`${id}-username`}
                    label={t("auth.username")}
                    autoComplete="username"
                    autoCapitalize="none"
                    spellCheck={false}
                    maxLength={LIMITS.usernameMax}
                    value={values.username}
                    onChange={update("username")}
                    error={errors.fields.username}
                    hint={t("auth.usernameHint", { min: LIMITS.usernameMin, max: LIMITS.usernameMax })}
                    required
                  />
                ) : null}
                <PasswordField
                  id={`${id}-password`}
                  label={t("auth.password")}
                  choosing={signup}
                  value={values.password}
                  onChange={update("password")}
                  error={errors.fields.password}
                  required
                />
                <FormEnd
                  errorId={`${id}-form-error`}
                  error={errors.form}
                  busy={busy}
                  label={signup ? t("auth.signup") : t("auth.login")}
                />
              </form>
              {signup ? null : (
                <button type="button" className="link-button forgot-link" onClick={() => setForgot(true)}>
                  {t("account.forgot.link")}
                </button>
              )}
            </>
          )}
        </section>
      </div>
      <footer className="auth-footer">
        <LanguageSelect />
      </footer>
    </main>
  );
}
