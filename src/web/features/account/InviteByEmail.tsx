import "./account.css";
import { useState } from "react";
import type { Chat } from "../../../protocol/index.js";
import { describeError } from "../../app/errors.js";
import { useT } from "../../i18n/index.js";
import { sendInvitation } from "./invitations-store.js";

/** Shown in "New chat" when the email has no account: invites it instead. */
export function InviteByEmail({ email, onChat }: { email: string; onChat: (chat: Chat) => void }) {
  const t = useT();
  const [state, setState] = useState<
    { status: "idle" | "busy" } | { status: "sent"; email: string } | { status: "error"; message: string }
  >({ status: "idle" });

  async function invite() {
    setState({ status: "busy" });
    try {
      const reply = await sendInvitation(email);
      if ("chat" in reply) onChat(reply.chat);
      else setState({ status: "sent", email: reply.invitation.email });
    } catch (error) {
      setState({ status: "error", message: describeError(error) });
    }
  }

  if (state.status === "sent") {
    return (
      <p className="invite-sent" role="status">
        {t("account.invite.sent", { email: state.email })}
      </p>
    );
  }
  return (
    <div className="invite-offer">
      <p>{t("account.invite.noAccount")}</p>
      <button type="button" className="primary-button" disabled={state.status === "busy"} onClick={invite}>
        {t("account.invite.button")}
      </button>
      {state.status === "error" ? (
        <p className="field-error" role="alert">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
