import { type FormEvent, useId, useState } from "react";
import type { Chat, User } from "../../../protocol/index.js";
import { LIMITS } from "../../../protocol/limits.js";
import { ApiError } from "../../api/http.js";
import { Dialog } from "../../app/Dialog.js";
import { describeError, serverText } from "../../app/errors.js";
import { t, useT } from "../../i18n/index.js";
import { InviteByEmail } from "../account/InviteByEmail.js";

interface Props {
  me: User;
  createChat: (email: string) => Promise<Chat>;
  onCreated: (chat: Chat) => void;
  onClose: () => void;
}

function messageFor(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "user_not_found") return t("chats.noSuchUser");
    if (error.code === "invalid_input") return serverText(error.fields.email ?? error.message);
  }
  return describeError(error);
}

/** Starts (or reopens) a direct chat with the person who has this email. */
export function NewChatDialog({ me, createChat, onCreated, onClose }: Props) {
  const t = useT();
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The email that has no account yet: "Invite by email" is offered for it. */
  const [unknownEmail, setUnknownEmail] = useState<string | null>(null);
  const id = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const wanted = email.trim().toLowerCase();
    if (!wanted) return setError(t("chats.enterEmail"));
    if (me.email && wanted === me.email.trim().toLowerCase()) {
      return setError(t("chats.ownEmail"));
    }
    setBusy(true);
    setError(null);
    setUnknownEmail(null);
    try {
      onCreated(await createChat(wanted));
    } catch (err) {
      if (err instanceof ApiError && err.code === "user_not_found") setUnknownEmail(wanted);
      else setError(messageFor(err));
      setBusy(false);
    }
  }

  return (
    <Dialog title={t("chats.newChat")} description={t("chats.newChatDescription")} onClose={onClose}>
      <form className="dialog-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-email`}>{t("chats.friendEmail")}</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="off"
            maxLength={LIMITS.emailMax}
            value={email}
            onChange={(e) => {
              setEmail(e.currentTarget.value);
              setUnknownEmail(null);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            autoFocus
          />
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
          {unknownEmail ? <InviteByEmail key={unknownEmail} email={unknownEmail} onChat={onCreated} /> : null}
        </div>
        <div className="dialog-actions">
          <button type="button" className="ghost-button" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="primary-button" disabled={busy}>
            {t("chats.startChat")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
