import { useState } from "react";
import type { Chat } from "../../../protocol/index.js";
import { Dialog } from "../../app/Dialog.js";
import { describeError } from "../../app/errors.js";
import { useT } from "../../i18n/index.js";
import { isModerator } from "../../lib/conversation.js";

interface Props {
  chat: Chat;
  myId: string;
  clearChat: (chatId: string, forEveryone: boolean) => Promise<void>;
  onClose: () => void;
}

/** Asks whose history to clear: only mine, or every member's. */
export function ClearChatDialog({ chat, myId, clearChat, onClose }: Props) {
  const t = useT();
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
      title={
        chat.kind === "group"
          ? t("chats.clearGroupTitle", { title: chat.title })
          : t("chats.clearDirectTitle", { title: chat.title })
      }
      description={forEveryone ? t("chats.clearBoth") : t("chats.clearMine")}
      onClose={onClose}
    >
      <p className="field-error" role="alert">
        {error}
      </p>
      <div className="dialog-actions">
        <button type="button" className="ghost-button" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button type="button" className="ghost-button" disabled={busy} onClick={() => clear(false)}>
          {t("chats.clearForMe")}
        </button>
        {forEveryone ? (
          <button type="button" className="danger-button" disabled={busy} onClick={() => clear(true)}>
            {t("chats.clearForEveryone")}
          </button>
        ) : null}
      </div>
    </Dialog>
  );
}
