import { useCallback, useEffect, useMemo, useState } from "react";
import type { Chat, ReplyRef } from "../../../protocol/index.js";
import { describeError } from "../../app/errors.js";
import { BackIcon, UsersIcon } from "../../app/icons.js";
import type { Messenger } from "../../app/messenger.js";
import { navigateToChat } from "../../app/route.js";
import { type ChatHistory, emptyHistory } from "../../app/state.js";
import { isModerator, lastEditable, type NameOf } from "../../lib/conversation.js";
import type { ClientMessage } from "../../lib/messages.js";
import type { TypingState } from "../../lib/presence.js";
import { ChatStatus } from "../presence/ChatStatus.js";
import { ReceiptsContext } from "../presence/ReadReceipt.js";
import { Composer } from "./Composer.js";
import type { BubbleActions } from "./MessageBubble.js";
import { MessageList } from "./MessageList.js";

interface Props {
  chat: Chat | undefined;
  chatId: string;
  history: ChatHistory | undefined;
  myId: string;
  names: Record<string, string>;
  messenger: Messenger;
  onShowMembers: () => void;
  /** Who is typing where; my own read-receipts switch. */
  typing?: TypingState;
  shareReceipts?: boolean;
}

/** The open conversation: its header, the history and the message box. */
export function MessagePane(props: Props) {
  const { chat, chatId, history, myId, names, messenger, onShowMembers, typing = {} } = props;
  const h = history ?? emptyHistory();
  const [editing, setEditing] = useState<ClientMessage | null>(null);
  const [replyingTo, setReplyingTo] = useState<ClientMessage | null>(null);
  const [jumpTarget, setJumpTarget] = useState<{ id: string; token: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const onLoadOlder = useCallback(() => void messenger.loadOlder(chatId), [messenger, chatId]);
  const onLoadNewer = useCallback(() => void messenger.loadNewer(chatId), [messenger, chatId]);
  const onJump = useCallback(() => void messenger.jumpToLatest(chatId), [messenger, chatId]);
  const title = chat?.title ?? "Chat";
  const isGroup = chat?.kind === "group";
  const moderator = isModerator(chat, myId);

  const nameOf: NameOf = useCallback(
    (id: string) => (id === myId ? "You" : (names[id] ?? "someone")),
    [names, myId],
  );

  const actions: BubbleActions = useMemo(() => {
    const report = (p: Promise<unknown>) => {
      setNotice(null);
      p.catch((error: unknown) => setNotice(describeError(error)));
    };
    return {
      retry: (clientId) => void messenger.retry(chatId, clientId),
      reply: (m) => {
        setEditing(null);
        setReplyingTo(m);
      },
      edit: (m) => {
        setReplyingTo(null);
        setEditing(m);
      },
      deleteForMe: (m) =>
        report(
          messenger.deleteForMe(chatId, m.id).then(() => {
            // The row and its focused button are gone: the message box is the next sensible place.
            document.querySelector<HTMLElement>(".composer-input")?.focus();
          }),
        ),
      deleteForEveryone: (m) => report(messenger.deleteForEveryone(m)),
      react: (m, emoji) => report(messenger.toggleReaction(m, emoji)),
      showOriginal: (ref: ReplyRef) =>
        report(
          messenger.ensureHeld(chatId, ref.id).then((held) => {
            if (held) setJumpTarget((t) => ({ id: ref.id, token: (t?.token ?? 0) + 1 }));
            else setNotice("The original message is no longer available.");
          }),
        ),
    };
  }, [messenger, chatId]);

  const receipts = useMemo(
    () => ({ chat, myId, iShare: props.shareReceipts !== false }),
    [chat, myId, props.shareReceipts],
  );
  // Leaving the chat ends my typing in it.
  useEffect(() => () => messenger.typing(chatId, false), [messenger, chatId]);

  const cancel = useCallback(() => {
    setEditing(null);
    setReplyingTo(null);
  }, []);

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
        <div className="conversation-heading">
          <h2 className="conversation-title" dir="auto">
            {title}
          </h2>
          {chat ? (
            <ChatStatus
              chat={chat}
              typing={typing}
              myId={myId}
              fallback={
                isGroup
                  ? `${chat.members.length} ${chat.members.length === 1 ? "member" : "members"}`
                  : undefined
              }
            />
          ) : null}
        </div>
        {isGroup ? (
          <button type="button" className="ghost-button members-button" onClick={onShowMembers}>
            <UsersIcon />
            <span>Members</span>
          </button>
        ) : null}
      </header>
      {h.error ? (
        <div className="pane-error" role="alert">
          <span>{h.error}</span>
          <button type="button" className="ghost-button" onClick={onJump}>
            Try again
          </button>
        </div>
      ) : null}
      {notice ? (
        <div className="pane-error" role="alert">
          <span>{notice}</span>
          <button type="button" className="ghost-button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      <ReceiptsContext.Provider value={receipts}>
        <MessageList
          history={h}
          myId={myId}
          isGroup={isGroup}
          moderator={moderator}
          nameOf={nameOf}
          actions={actions}
          jumpTarget={jumpTarget}
          onLoadOlder={onLoadOlder}
          onLoadNewer={onLoadNewer}
          onJumpToLatest={onJump}
        />
      </ReceiptsContext.Provider>
      <Composer
        editing={editing}
        replyingTo={replyingTo}
        onTyping={(active) => messenger.typing(chatId, active)}
        onSend={(body) => {
          messenger.typing(chatId, false);
          const replyTo = replyingTo;
          setReplyingTo(null);
          void messenger.send(chatId, body, replyTo);
        }}
        onSaveEdit={(m, body) => {
          setEditing(null);
          setNotice(null);
          messenger
            .editMessage(chatId, m.id, body)
            .catch((error: unknown) => setNotice(describeError(error)));
        }}
        onCancel={cancel}
        onEditLast={() => {
          const last = lastEditable(h.items, myId, new Date());
          if (last) {
            setReplyingTo(null);
            setEditing(last);
          }
        }}
      />
    </section>
  );
}
