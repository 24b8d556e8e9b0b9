import type { Chat } from "../../../protocol/index.js";
import { currentLocale, t } from "../../i18n/index.js";
import { peerOf, relativeTime, type TypingState, typingMembers } from "../../lib/presence.js";

/** "typing…" (direct chat), "Ann is typing…", "Ann and Ben are typing…"; null when nobody types. */
export function typingLabel(chat: Chat, typing: TypingState, myId: string, now: number): string | null {
  const typists = typingMembers(chat, typing, myId, now);
  if (typists.length === 0) return null;
  if (chat.kind === "direct") return t("presence.typing");
  const [first] = typists;
  if (typists.length === 1 && first) return t("presence.typingOne", { name: first.username });
  const names = new Intl.ListFormat(currentLocale(), { type: "conjunction" }).format(
    typists.map((m) => m.username),
  );
  return t("presence.typingMany", { names });
}

/** A direct chat's other person: "online", "last seen 5 minutes ago", or null when not shared. */
export function presenceLabel(chat: Chat, myId: string, now: number): string | null {
  const peer = peerOf(chat, myId);
  if (!peer || peer.online === null) return null;
  if (peer.online) return t("presence.online");
  if (!peer.lastSeenAt) return null;
  return t("presence.lastSeen", { time: relativeTime(peer.lastSeenAt, now, currentLocale()) });
}
