import { type FormEvent, useId, useState } from "react";
import type { Chat, User } from "../../../protocol/index.js";
import { LIMITS } from "../../../protocol/limits.js";
import { ApiRequestError } from "../../api/http.js";
import { Dialog } from "../../app/Dialog.js";
import { describeError } from "../../app/errors.js";
import { InviteByEmail } from "../account/InviteByEmail.js";

interface Props {
  me: User;
  createChat: (email: string) => Promise<Chat>;
  onCreated: (chat: Chat) => void;
  onClose: () => void;
}

function messageFor(error: unknown): string {
  if (error instanceof ApiRequestError) {
    if (error.code === "user_not_found") return "Nobody has signed up with that email yet.";
    if (error.code === "invalid_input") return error.fields.email ?? error.message;
  }
  return describeError(error);
}

/** Starts (or reopens) a direct chat with the person who has this email. */
export function NewChatDialog({ me, createChat, onCreated, onClose }: Props) {
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The email that has no account yet: "Invite by email" is offered for it. */
  const [unknownEmail, setUnknownEmail] = useState<string | null>(null);
  const id = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const wanted = email.trim().toLowerCase();
    if (!wanted) return setError("Enter your friend's email.");
    if (me.email && wanted === me.email.trim().toLowerCase()) {
      return setError("That is your own email. Enter a friend's email.");
    }
    setBusy(true);
    setError(null);
    setUnknownEmail(null);
    try {
      onCreated(await createChat(wanted));
    } catch (err) {
      if (err instanceof ApiRequestError && err.code === "user_not_found") setUnknownEmail(wanted);
      else setError(messageFor(err));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="New chat"
      description="Start a conversation with someone who has an account here."
      onClose={onClose}
    >
      <form className="dialog-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-email`}>Friend's email</label>
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
            Cancel
          </button>
          <button type="submit" className="primary-button" disabled={busy}>
            Start chat
          </button>
        </div>
      </form>
    </Dialog>
  );
}
