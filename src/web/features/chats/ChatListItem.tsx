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
  const time = chat.lastMessage ? shortStamp(chat.lastMessage.createdAt, new Date(), locale) : null;
  const text = typing ?? preview(chat, myId);
  // A request counts no unread (it shows under "Requests" instead).
  const unread = chat.request ? 0 : chat.unread;
  // The name holds the visible text in reading order (title, preview, time, unread): what is
  // seen is what a voice user says, and the DOM follows the same order (placed by CSS grid).
  const name = [chat.title, text, time, unread > 0 ? t("polish.unread", { count: unread }) : null]
    .filter((part) => part !== null)
    .join(", ");
  return (
    <li className={active ? "chat-item is-active" : "chat-item"}>
      <a
        className="chat-link"
        href={chatHref(chat.id)}
        aria-current={active ? "page" : undefined}
        aria-label={name}
      >
        <span className="avatar-wrap">
          {/* The initial is drawn by CSS: as text it would lead the visible text, ahead of the title. */}
          <span
            className="avatar avatar-initial"
            aria-hidden="true"
            data-initial={chat.title.slice(0, 1).toUpperCase()}
          />
          <OnlineDot chat={chat} myId={myId} />
        </span>
        {/* Spaces between the parts: their text reads as words, not run together. */}
        <span className="chat-text">
          <span className="chat-title" dir="auto">
            {chat.title}
          </span>{" "}
          <span className={typing ? "chat-preview is-typing" : "chat-preview"} dir="auto">
            {text}
          </span>{" "}
          {chat.lastMessage && time ? (
            <time className="chat-time" dateTime={chat.lastMessage.createdAt}>
              {time}
            </time>
          ) : null}{" "}
          {unread > 0 ? <span className="unread-badge">{unread > 99 ? "99+" : unread}</span> : null}
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
