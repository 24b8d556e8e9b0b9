import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from "react";
import type { User } from "../../protocol/index.js";
import { api } from "../api/endpoints.js";
import { ApiError } from "../api/http.js";
import { mailLinkFromHash } from "../features/account/link-route.js";
import { AuthScreen } from "../features/auth/AuthScreen.js";
import { useT } from "../i18n/index.js";
import { ChatScreen } from "./ChatScreen.js";
import { describeError } from "./errors.js";
import { createMessenger, type Messenger } from "./messenger.js";

// Pages opened from a mail link: loaded only then, so the first paint stays lean.
const ResetPasswordPage = lazy(() =>
  import("../features/account/MailLinkPage.js").then((m) => ({ default: m.ResetPasswordPage })),
);
const UnsubscribePage = lazy(() =>
  import("../features/account/MailLinkPage.js").then((m) => ({ default: m.UnsubscribePage })),
);

type Session =
  | { status: "checking" }
  | { status: "signed-out" }
  | { status: "error"; message: string }
  | { status: "signed-in"; user: User };

const subscribeHash = (listener: () => void) => {
  window.addEventListener("hashchange", listener);
  window.addEventListener("popstate", listener);
  return () => {
    window.removeEventListener("hashchange", listener);
    window.removeEventListener("popstate", listener);
  };
};
const currentHash = () => window.location.hash;

/** Asks the server who we are (the session cookie survives reloads), then shows sign-in or the messenger. */
export function App() {
  const t = useT();
  const [session, setSession] = useState<Session>({ status: "checking" });
  const [messenger, setMessenger] = useState<Messenger | null>(null);
  const [, rerender] = useState(0);
  const mailLink = mailLinkFromHash(useSyncExternalStore(subscribeHash, currentHash));

  useEffect(() => {
    let cancelled = false;
    api.me().then(
      (user) => !cancelled && setSession({ status: "signed-in", user }),
      (error: unknown) => {
        if (cancelled) return;
        if (error instanceof ApiError && error.code === "unauthorized") setSession({ status: "signed-out" });
        else
          setSession({
            status: "error",
            message: describeError(error),
          });
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const user = session.status === "signed-in" ? session.user : null;
  useEffect(() => {
    if (!user) return;
    const m = createMessenger(user, () => {
      window.location.hash = "";
      setSession({ status: "signed-out" });
    });
    setMessenger(m);
    return () => {
      m.stop();
      setMessenger(null);
    };
  }, [user]);

  // Links from mail: a reset ends every session, so it signs this tab out too.
  if (mailLink?.kind === "reset")
    return (
      <Suspense fallback={<div className="splash" aria-busy="true" />}>
        <ResetPasswordPage
          token={mailLink.token}
          onDone={() => {
            rerender((n) => n + 1);
            setSession({ status: "signed-out" });
          }}
        />
      </Suspense>
    );
  if (mailLink?.kind === "unsubscribe")
    return (
      <Suspense fallback={<div className="splash" aria-busy="true" />}>
        <UnsubscribePage token={mailLink.token} onDone={() => rerender((n) => n + 1)} />
      </Suspense>
    );
  if (session.status === "checking") return <div className="splash" aria-busy="true" />;
  if (session.status === "error") {
    return (
      <main className="splash">
        <div className="panel splash-card" role="alert">
          <p>{session.message}</p>
          <button type="button" className="primary-button" onClick={() => window.location.reload()}>
            {t("app.retry")}
          </button>
        </div>
      </main>
    );
  }
  if (session.status === "signed-out") {
    return (
      <AuthScreen
        invitation={mailLink?.kind === "invite" ? mailLink.token : undefined}
        onSignedIn={(u) => setSession({ status: "signed-in", user: u })}
      />
    );
  }
  return messenger ? <ChatScreen messenger={messenger} /> : <div className="splash" aria-busy="true" />;
}
