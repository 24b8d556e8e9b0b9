import { useState } from "react";
import type { Chat } from "../../../protocol/index.js";
import { describeError } from "../../app/errors.js";
import type { Messenger } from "../../app/messenger.js";
import { navigateToChat } from "../../app/route.js";
import { useT } from "../../i18n/index.js";
import { updateChat, withoutRequest } from "../../lib/chats.js";
import { blocksApi, blockUser, peerOf } from "./blocks.js";

interface Props {
  chat: Chat;
  myId: string;
  messenger: Messenger;
}

/** In place of the message box while a chat is a message request: Accept, Block or Delete. */
export function RequestBar({ chat, myId, messenger }: Props) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const peer = peerOf(chat, myId);

  const run = (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    action()
      .catch((e: unknown) => setError(describeError(e)))
      .finally(() => setBusy(false));
  };
  const blockAndLeave = async () => {
    if (peer) await blockUser(peer);
    await leave();
  };
  const leave = async () => {
    await messenger.removeChat(chat.id);
    navigateToChat(null);
  };
  const accept = async () => {
    const accepted = await blocksApi.accept(chat.id);
    // The server tells my other tabs with chat:updated; this one need not wait for it.
    messenger.store.set((s) => ({
      ...s,
      chats: updateChat(s.chats, chat.id, (c) => ({ ...withoutRequest(c), unread: accepted.unread })),
    }));
  };

  return (
    <section className="request-bar" aria-label={t("blocking.requests")}>
      <p className="request-text">{t("blocking.requestNotice", { name: chat.title })}</p>
      {error ? (
        <p className="request-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="request-actions">
        <button type="button" className="primary-button" disabled={busy} onClick={() => run(accept)}>
          {t("blocking.accept")}
        </button>
        {peer ? (
          <button type="button" className="ghost-button" disabled={busy} onClick={() => run(blockAndLeave)}>
            {t("blocking.block")}
          </button>
        ) : null}
        <button type="button" className="ghost-button" disabled={busy} onClick={() => run(leave)}>
          {t("blocking.delete")}
        </button>
      </div>
    </section>
  );
}
