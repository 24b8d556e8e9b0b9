import { useEffect, useState } from "react";
import type { User } from "../../protocol/index.js";
import { api } from "../api/endpoints.js";
import { ApiRequestError } from "../api/http.js";
import { AuthScreen } from "../features/auth/AuthScreen.js";
import { useT } from "../i18n/index.js";
import { ChatScreen } from "./ChatScreen.js";
import { describeError } from "./errors.js";
import { createMessenger, type Messenger } from "./messenger.js";

type Session =
  | { status: "checking" }
  | { status: "signed-out" }
  | { status: "error"; message: string }
  | { status: "signed-in"; user: User };

/** Asks the server who we are (the session cookie survives reloads), then shows sign-in or the messenger. */
export function App() {
  const t = useT();
  const [session, setSession] = useState<Session>({ status: "checking" });
  const [messenger, setMessenger] = useState<Messenger | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.me().then(
      (user) => !cancelled && setSession({ status: "signed-in", user }),
      (error: unknown) => {
        if (cancelled) return;
        if (error instanceof ApiRequestError && error.code === "unauthorized")
          setSession({ status: "signed-out" });
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
    return <AuthScreen onSignedIn={(u) => setSession({ status: "signed-in", user: u })} />;
  }
  return messenger ? <ChatScreen messenger={messenger} /> : <div className="splash" aria-busy="true" />;
}
