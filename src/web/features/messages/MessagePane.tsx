import { useCallback } from "react";
import type { Chat } from "../../../protocol/index.js";
import { BackIcon } from "../../app/icons.js";
import type { Messenger } from "../../app/messenger.js";
import { navigateToChat } from "../../app/route.js";
import { type ChatHistory, emptyHistory } from "../../app/state.js";
import { Composer } from "./Composer.js";
import { MessageList } from "./MessageList.js";

interface Props {
  chat: Chat | undefined;
  chatId: string;
  history: ChatHistory | undefined;
  myId: string;
  messenger: Messenger;
}

/** The open conversation: its header, the history and the message box. */
export function MessagePane({ chat, chatId, history, myId, messenger }: Props) {
  const h = history ?? emptyHistory();
  const onLoadOlder = useCallback(() => void messenger.loadOlder(chatId), [messenger, chatId]);
  const onLoadNewer = useCallback(() => void messenger.loadNewer(chatId), [messenger, chatId]);
  const onJump = useCallback(() => void messenger.jumpToLatest(chatId), [messenger, chatId]);
  const onRetry = useCallback(
    (clientId: string) => void messenger.retry(chatId, clientId),
    [messenger, chatId],
  );
  const title = chat?.title ?? "Chat";

  return (
    <section className="conversation panel" aria-label={`Chat with ${title}`}>
      <header className="conversation-header">
        <button
          type="button"
          className="icon-button back-button"
          aria-label="Back to chats"
          onClick={() => navigateToChat(null)}
        >
          <BackIcon />
        </button>
        <span className="avatar" aria-hidden="true">
          {title.slice(0, 1).toUpperCase()}
        </span>
        <h2 className="conversation-title">{title}</h2>
      </header>
      {h.error ? (
        <div className="pane-error" role="alert">
          <span>{h.error}</span>
          <button type="button" className="ghost-button" onClick={onJump}>
            Try again
          </button>
        </div>
      ) : null}
      <MessageList
        history={h}
        myId={myId}
        isGroup={chat?.kind === "group"}
        onLoadOlder={onLoadOlder}
        onLoadNewer={onLoadNewer}
        onJumpToLatest={onJump}
        onRetry={onRetry}
      />
      <Composer onSend={(body) => void messenger.send(chatId, body)} />
    </section>
  );
}
