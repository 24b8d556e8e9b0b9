import { useState } from "react";
import type { Chat } from "../../../protocol/index.js";
import { Dialog } from "../../app/Dialog.js";
import { describeError } from "../../app/errors.js";

interface Props {
  chat: Chat;
  clearChat: (chatId: string, forEveryone: boolean) => Promise<void>;
  onClose: () => void;
}

/** Asks whose history to clear: only mine, or every member's. */
export function ClearChatDialog({ chat, clearChat, onClose }: Props) {
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
      title={`Clear chat with ${chat.title}?`}
      description="Clear it for you only, or delete the history for everyone in the chat."
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
        <button type="button" className="danger-button" disabled={busy} onClick={() => clear(true)}>
          Clear for everyone
        </button>
      </div>
    </Dialog>
  );
}
