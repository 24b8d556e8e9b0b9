import "../account/account.css";
import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import type { SessionInfo } from "../../../protocol/index.js";
import { LIMITS } from "../../../protocol/limits.js";
import { ApiError } from "../../api/http.js";
import { describeError } from "../../app/errors.js";
import { currentLocale, useT } from "../../i18n/index.js";
import { accountApi } from "../account/account-api.js";
import { describeDevice } from "../account/device.js";
import { PasswordField } from "../auth/Field.js";

/** Settings → Account: change the password, and every signed-in device with "Sign out". */
export function AccountSettings() {
  const t = useT();
  return (
    <section className="settings-section account-settings" aria-labelledby="account-settings-title">
      <h2 id="account-settings-title">{t("account.settings.title")}</h2>
      <ChangePassword />
      <Sessions />
    </section>
  );
}

function ChangePassword() {
  const t = useT();
  const id = useId();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [state, setState] = useState<
    { status: "idle" | "busy" | "done" } | { status: "error"; message: string; field?: "current" | "next" }
  >({ status: "idle" });

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (state.status === "busy") return;
    if (next.length < LIMITS.passwordMin) {
      setState({
        status: "error",
        message: t("auth.passwordHint", { min: LIMITS.passwordMin }),
        field: "next",
      });
      return;
    }
    setState({ status: "busy" });
    try {
      await accountApi.changePassword(current, next);
      setCurrent("");
      setNext("");
      setState({ status: "done" });
    } catch (error) {
      if (error instanceof ApiError && error.code === "invalid_credentials")
        setState({ status: "error", message: t("account.password.wrong"), field: "current" });
      else setState({ status: "error", message: describeError(error) });
    }
  }

  const fieldError = (field: "current" | "next") =>
    state.status === "error" && state.field === field ? state.message : undefined;
  return (
    <form className="settings-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("account.password.title")}</h3>
      <PasswordField
        id={`${id}-current`}
        label={t("account.password.current")}
        choosing={false}
        value={current}
        onChange={(e) => setCurrent(e.currentTarget.value)}
        error={fieldError("current")}
        required
      />
      <PasswordField
        id={`${id}-new`}
        label={t("account.password.new")}
        choosing
        value={next}
        onChange={(e) => setNext(e.currentTarget.value)}
        error={fieldError("next")}
        required
      />
      <p className={state.status === "error" ? "form-error" : "settings-note"} role="status">
        {state.status === "done"
          ? t("account.password.done")
          : state.status === "error" && !state.field
            ? state.message
            : null}
      </p>
      <button type="submit" className="primary-button" disabled={state.status === "busy"}>
        {t("account.password.submit")}
      </button>
    </form>
  );
}

function Sessions() {
  const t = useT();
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    accountApi.sessions().then(setSessions, () => setError(t("account.sessions.error")));
  }, [t]);
  useEffect(load, [load]);

  const date = new Intl.DateTimeFormat(currentLocale(), { dateStyle: "medium", timeStyle: "short" });
  const others = sessions?.filter((s) => !s.current) ?? [];
  return (
    <div className="settings-sessions">
      <h3>{t("account.sessions.title")}</h3>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {/* biome-ignore lint/a11y/noRedundantRoles: Safari drops list semantics from ul with list-style: none */}
      <ul role="list" className="session-list" aria-busy={sessions === null}>
        {(sessions ?? []).map((session) => {
          const device = describeDevice(session.userAgent) ?? t("account.sessions.unknownDevice");
          return (
            <li key={session.id} className="session-item">
              <span className="session-device">{device}</span>
              <span className="session-meta">
                {session.current
                  ? t("account.sessions.current")
                  : t("account.sessions.lastUsed", { date: date.format(new Date(session.lastUsedAt)) })}
              </span>
              {session.current ? null : (
                <button
                  type="button"
                  className="ghost-button"
                  aria-label={t("account.sessions.signOutLabel", { device })}
                  onClick={() => {
                    setError(null);
                    accountApi.endSession(session.id).then(load, (e: unknown) => setError(describeError(e)));
                  }}
                >
                  {t("account.sessions.signOut")}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {sessions !== null && others.length === 0 ? (
        <p className="settings-note">{t("account.sessions.empty")}</p>
      ) : null}
    </div>
  );
}
