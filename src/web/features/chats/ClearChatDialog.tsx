import { useState } from "react";
import type { Chat } from "../../../protocol/index.js";
import { Dialog } from "../../app/Dialog.js";
import { describeError } from "../../app/errors.js";
import { isModerator } from "../../lib/conversation.js";

interface Props {
  chat: Chat;
  myId: string;
  clearChat: (chatId: string, forEveryone: boolean) => Promise<void>;
  onClose: () => void;
}

/** Asks whose history to clear: only mine, or every member's. */
export function ClearChatDialog({ chat, myId, clearChat, onClose }: Props) {
  // In a group only the owner and admins clear for everyone: the others are not offered it.
  const forEveryone = chat.kind === "direct" || isModerator(chat, myId);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function clear(forEveryone: boolean) {
    setBusy(true);
    try {
      await clearChat(chat.id, forEveryone);
      onClose();
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={chat.kind === "group" ? `Clear “${chat.title}”?` : `Clear chat with ${chat.title}?`}
      description={
        forEveryone
          ? "Clear it for you only, or delete the history for everyone in the chat."
          : "Clear the history for you only; the other members keep theirs."
      }
      onClose={onClose}
    >
      <p className="field-error" role="alert">
        {error}
      </p>
      <div className="dialog-actions">
        <button type="button" className="ghost-button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="ghost-button" disabled={busy} onClick={() => clear(false)}>
          Clear for me
        </button>
        {forEveryone ? (
          <button type="button" className="danger-button" disabled={busy} onClick={() => clear(true)}>
            Clear for everyone
          </button>
        ) : null}
      </div>
    </Dialog>
  );
}
