import { memo } from "react";
import type { Chat } from "../../../protocol/index.js";
import { chatHref } from "../../app/route.js";
import { t, useLocale, useT } from "../../i18n/index.js";
import { previewText } from "../../lib/conversation.js";
import { shortStamp } from "../../lib/days.js";
import { OnlineDot } from "../presence/OnlineDot.js";
import { ChatMenu } from "./ChatMenu.js";

interface Props {
  chat: Chat;
  active: boolean;
  myId: string;
  onClear: (chat: Chat) => void;
  onRemove: (chat: Chat) => void;
  /** Direct chats: whether I block the other person, and how to change it. */
  blocked?: boolean;
  onToggleBlock?: (chat: Chat) => void;
  /** "typing…" / "Ann is typing…": shown instead of the preview while someone types. */
  typing?: string | null;
}

function preview(chat: Chat, myId: string): string {
  const last = chat.lastMessage;
  if (!last) return t("chats.noMessages");
  const nameOf = (id: string) =>
    id === myId
      ? t("messages.you")
      : (chat.members.find((m) => m.id === id)?.username ??
        (last.sender.id === id ? last.sender.username : t("messages.someone")));
  return previewText(last, myId, nameOf);
}

/** One row: a link that opens the chat (title, preview, time, unread) and the chat's menu. */
export const ChatListItem = memo(function ChatListItem({
  chat,
  active,
  myId,
  onClear,
  onRemove,
  blocked,
  onToggleBlock,
  typing,
}: Props) {
  const t = useT();
  const locale = useLocale();
  const descId = `chat-${chat.id}-desc`;
  return (
    <li className={active ? "chat-item is-active" : "chat-item"}>
      <a
        className="chat-link"
        href={chatHref(chat.id)}
        aria-current={active ? "page" : undefined}
        aria-label={
          chat.unread > 0 ? t("chats.unreadLabel", { title: chat.title, count: chat.unread }) : chat.title
        }
        aria-describedby={descId}
      >
        <span className="avatar-wrap">
          <span className="avatar" aria-hidden="true">
            {chat.title.slice(0, 1).toUpperCase()}
          </span>
          <OnlineDot chat={chat} myId={myId} />
        </span>
        <span className="chat-text">
          <span className="chat-title-row">
            <span className="chat-title" dir="auto">
              {chat.title}
            </span>
            {chat.lastMessage ? (
              <time className="chat-time" dateTime={chat.lastMessage.createdAt}>
                {shortStamp(chat.lastMessage.createdAt, new Date(), locale)}
              </time>
            ) : null}
          </span>
          <span className="chat-preview-row" id={descId}>
            <span className={typing ? "chat-preview is-typing" : "chat-preview"} dir="auto">
              {typing ?? preview(chat, myId)}
            </span>
            {chat.unread > 0 && !chat.request ? (
              <span className="unread-badge" aria-hidden="true">
                {chat.unread > 99 ? "99+" : chat.unread}
              </span>
            ) : null}
          </span>
        </span>
      </a>
      <ChatMenu
        chatTitle={chat.title}
        onClear={() => onClear(chat)}
        onRemove={() => onRemove(chat)}
        blocking={
          chat.kind === "direct" && onToggleBlock
            ? { blocked: blocked === true, onToggle: () => onToggleBlock(chat) }
            : undefined
        }
      />
    </li>
  );
});
