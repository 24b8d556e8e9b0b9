import "./account.css";
import { useEffect, useState, useSyncExternalStore } from "react";
import { describeError } from "../../app/errors.js";
import { currentLocale, useT } from "../../i18n/index.js";
import { invitationsStore, refreshInvitations, revokeInvitation } from "./invitations-store.js";

/**
 * The caller's pending invitations under the chat list, each with "Revoke". Re-read whenever the
 * number of chats changes: an accepted invitation arrives as a new chat (chat:new).
 */
export function PendingInvitations({ chatCount }: { chatCount: number }) {
  const t = useT();
  const invitations = useSyncExternalStore(invitationsStore.subscribe, invitationsStore.get);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: chatCount is the trigger, not an input
  useEffect(() => {
    refreshInvitations().catch(() => undefined);
  }, [chatCount]);

  if (invitations.length === 0) return null;
  const date = new Intl.DateTimeFormat(currentLocale(), { dateStyle: "medium" });
  return (
    <section className="pending-invitations" aria-label={t("account.pending.title")}>
      <h2 className="pending-title">{t("account.pending.title")}</h2>
      {/* biome-ignore lint/a11y/noRedundantRoles: Safari drops list semantics from ul with list-style: none */}
      <ul role="list">
        {invitations.map((invitation) => (
          <li key={invitation.id} className="pending-item">
            <span className="pending-email" dir="auto">
              {invitation.email}
            </span>
            <span className="pending-expiry">
              {t("account.pending.expires", { date: date.format(new Date(invitation.expiresAt)) })}
            </span>
            <button
              type="button"
              className="ghost-button pending-revoke"
              aria-label={t("account.pending.revokeLabel", { email: invitation.email })}
              onClick={() => {
                setError(null);
                revokeInvitation(invitation.id).catch((e: unknown) => setError(describeError(e)));
              }}
            >
              {t("account.pending.revoke")}
            </button>
          </li>
        ))}
      </ul>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
