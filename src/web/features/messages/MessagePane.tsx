import { type DragEvent, type ReactNode, useCallback, useEffect, useMemo, useState } from "react";
import type { Chat, ReplyRef } from "../../../protocol/index.js";
import { describeError } from "../../app/errors.js";
import { BackIcon, UsersIcon } from "../../app/icons.js";
import type { Messenger } from "../../app/messenger.js";
import { navigateToChat } from "../../app/route.js";
import { type ChatHistory, emptyHistory } from "../../app/state.js";
import { useT } from "../../i18n/index.js";
import { isModerator, lastEditable, type NameOf } from "../../lib/conversation.js";
import type { ClientMessage } from "../../lib/messages.js";
import type { TypingState } from "../../lib/presence.js";
import { BlockedNotice } from "../blocking/BlockedNotice.js";
import { RequestBar } from "../blocking/RequestBar.js";
import { AttachmentTray } from "../files/AttachmentTray.js";
import { useUploads } from "../files/useUploads.js";
import { ChatStatus } from "../presence/ChatStatus.js";
import { ReceiptsContext } from "../presence/ReadReceipt.js";
import { ChatTools } from "../search/ChatTools.js";
import { MessageSearch } from "../search/MessageSearch.js";
import { useJumps } from "../search/useJumps.js";
import { Composer } from "./Composer.js";
import { ConfirmDeleteDialog } from "./ConfirmDeleteDialog.js";
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
  /** The chat's menu (clear, remove, ...), at the end of the header on every screen size. */
  menu?: ReactNode;
}

/** The open conversation: its header, the history and the message box. */
export function MessagePane(props: Props) {
  const { chat, chatId, history, myId, names, messenger, onShowMembers, menu, typing = {} } = props;
  const t = useT();
  const h = history ?? emptyHistory();
  const [editing, setEditing] = useState<ClientMessage | null>(null);
  const [replyingTo, setReplyingTo] = useState<ClientMessage | null>(null);
  const [jumpTarget, setJumpTarget] = useState<{ id: string; token: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  // A search result or a date: the window moves there, then the message is shown and highlighted.
  const showMessage = useCallback(
    (id: string) =>
      requestAnimationFrame(() => setJumpTarget((target) => ({ id, token: (target?.token ?? 0) + 1 }))),
    [],
  );
  const jumpMissed = useCallback(() => setNotice(t("search.notFound")), [t]);
  useJumps(chatId, history, messenger, showMessage, jumpMissed);
  const uploads = useUploads();
  const [dragging, setDragging] = useState(false);
  const carriesFiles = (e: DragEvent) => e.dataTransfer.types.includes("Files");
  const [confirmDelete, setConfirmDelete] = useState<ClientMessage | null>(null);
  const onLoadOlder = useCallback(() => void messenger.loadOlder(chatId), [messenger, chatId]);
  const onLoadNewer = useCallback(() => void messenger.loadNewer(chatId), [messenger, chatId]);
  const onJump = useCallback(() => void messenger.jumpToLatest(chatId), [messenger, chatId]);
  const title = chat?.title ?? t("messages.chatFallback");
  const isGroup = chat?.kind === "group";
  const moderator = isModerator(chat, myId);

  // Also a new function when the language changes: the memoised rows re-render with it.
  const you = t("messages.you");
  const someone = t("messages.someone");
  const nameOf: NameOf = useCallback(
    (id: string) => (id === myId ? you : (names[id] ?? someone)),
    [names, myId, you, someone],
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
      deleteForEveryone: (m) => setConfirmDelete(m),
      react: (m, emoji) => report(messenger.toggleReaction(m, emoji)),
      showOriginal: (ref: ReplyRef) =>
        report(
          messenger.ensureHeld(chatId, ref.id).then((held) => {
            if (held) setJumpTarget((t) => ({ id: ref.id, token: (t?.token ?? 0) + 1 }));
            else setNotice(t("messages.originalGone"));
          }),
        ),
    };
  }, [messenger, chatId, t]);

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
    <section
      className={`conversation panel${dragging ? " is-dropping" : ""}`}
      aria-label={t("messages.conversationWith", { title })}
      onDragOver={(e) => {
        if (!carriesFiles(e) || editing) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => {
        setDragging(false);
        if (!carriesFiles(e) || editing) return;
        e.preventDefault();
        uploads.add([...e.dataTransfer.files]);
      }}
    >
      {dragging ? (
        <div className="drop-hint" aria-hidden="true">
          {t("files.dropHere")}
        </div>
      ) : null}
      <header className="conversation-header">
        <button
          type="button"
          className="icon-button back-button"
          aria-label={t("messages.back")}
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
              fallback={isGroup ? t("messages.memberCount", { count: chat.members.length }) : undefined}
            />
          ) : null}
        </div>
        {isGroup ? (
          <button type="button" className="ghost-button members-button" onClick={onShowMembers}>
            <UsersIcon />
            <span>{t("messages.members")}</span>
          </button>
        ) : null}
        <ChatTools chatId={chatId} searching={searching} onToggleSearch={() => setSearching((v) => !v)} />
        {menu}
      </header>
      {searching ? (
        <div className="chat-search-panel">
          <MessageSearch chats={chat ? [chat] : []} myId={myId} chatId={chatId} autoFocus />
        </div>
      ) : null}
      {h.error ? (
        <div className="pane-error" role="alert">
          <span>{h.error}</span>
          <button type="button" className="ghost-button" onClick={onJump}>
            {t("messages.retryLoad")}
          </button>
        </div>
      ) : null}
      {notice ? (
        <div className="pane-error" role="alert">
          <span>{notice}</span>
          <button type="button" className="ghost-button" onClick={() => setNotice(null)}>
            {t("messages.dismiss")}
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
      <BlockedNotice chat={chat} myId={myId} />
      {chat?.request ? (
        <RequestBar chat={chat} myId={myId} messenger={messenger} />
      ) : (
        <Composer
          editing={editing}
          replyingTo={replyingTo}
          onAttachFiles={uploads.add}
          attachments={
            <AttachmentTray uploads={uploads.uploads} onRemove={uploads.remove} onRetry={uploads.retry} />
          }
          filesReady={uploads.ready}
          filesBlocking={uploads.uploads.length > 0 && !uploads.ready}
          onTyping={(active) => messenger.typing(chatId, active)}
          onSend={(body) => {
            messenger.typing(chatId, false);
            const replyTo = replyingTo;
            const files = uploads.files;
            setReplyingTo(null);
            uploads.clear();
            void messenger.send(chatId, body, replyTo, files);
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
      )}
      {confirmDelete ? (
        <ConfirmDeleteDialog
          onClose={() => setConfirmDelete(null)}
          onConfirm={() => {
            setNotice(null);
            messenger
              .deleteForEveryone(confirmDelete)
              .catch((error: unknown) => setNotice(describeError(error)));
          }}
        />
      ) : null}
    </section>
  );
}
