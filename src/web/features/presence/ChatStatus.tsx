import type { Chat } from "../../../protocol/index.js";
import { useT } from "../../i18n/index.js";
import type { TypingState } from "../../lib/presence.js";
import { presenceLabel, typingLabel } from "./labels.js";
import { useNow } from "./useNow.js";

/**
 * The line under a chat's title: who is typing, else (direct chats) "online" / "last seen …",
 * else `fallback` (a group's member count).
 */
export function ChatStatus({
  chat,
  typing,
  myId,
  fallback,
}: {
  chat: Chat;
  typing: TypingState;
  myId: string;
  fallback?: string;
}) {
  useT();
  const now = useNow();
  const typingText = typingLabel(chat, typing, myId, Date.now());
  const text = typingText ?? presenceLabel(chat, myId, now) ?? fallback;
  if (!text) return null;
  return (
    <p
      className={typingText ? "conversation-subtitle is-typing" : "conversation-subtitle"}
      aria-live="polite"
    >
      {text}
    </p>
  );
}
