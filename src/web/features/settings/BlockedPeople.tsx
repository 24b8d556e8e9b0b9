import { useId, useState } from "react";
import { describeError } from "../../app/errors.js";
import { useT } from "../../i18n/index.js";
import { unblockUser, useBlocks } from "../blocking/blocks.js";

/**
 * The Settings section "Blocked people": everyone I block, each with "Unblock". Self-contained
 * (it loads the list when mounted), to be placed in the Settings page.
 */
export function BlockedPeople() {
  const t = useT();
  const id = useId();
  const { users, status } = useBlocks();
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const unblock = (userId: string) => {
    setBusyId(userId);
    setError(null);
    unblockUser(userId)
      .catch((e: unknown) => setError(describeError(e)))
      .finally(() => setBusyId(null));
  };

  return (
    <section className="settings-section blocked-people" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("blocking.blockedPeople")}</h2>
      <p className="settings-hint">{t("blocking.blockedHint")}</p>
      {error ? (
        <p className="settings-error" role="alert">
          {error}
        </p>
      ) : null}
      {status === "error" ? <p role="alert">{t("blocking.loadFailed")}</p> : null}
      {status === "ready" && users.length === 0 ? <p>{t("blocking.noneBlocked")}</p> : null}
      {users.length > 0 ? (
        // biome-ignore lint/a11y/noRedundantRoles: Safari drops list semantics from ul with list-style: none
        <ul className="blocked-list" role="list" aria-busy={status === "loading"}>
          {users.map((user) => (
            <li key={user.id} className="blocked-person">
              <span dir="auto">{user.username}</span>
              <button
                type="button"
                className="ghost-button"
                disabled={busyId === user.id}
                aria-label={t("blocking.unblockNamed", { name: user.username })}
                onClick={() => unblock(user.id)}
              >
                {t("blocking.unblock")}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
