import type { Chat, ChatMember, Message } from "../../protocol/index.js";

/** chatId → userId → when the typing state ends by itself (epoch ms). */
export type TypingState = Record<string, Record<string, number>>;

/** A typing state the client drops by itself this long after its last renewal. */
export const TYPING_TTL_MS = 6000;

/** Who is typing in the chat now (never me), in member order. */
export function typingMembers(chat: Chat, typing: TypingState, myId: string, now: number): ChatMember[] {
  const inChat = typing[chat.id];
  if (!inChat) return [];
  return chat.members.filter((m) => m.id !== myId && (inChat[m.id] ?? 0) > now);
}

export function setTyping(
  state: TypingState,
  chatId: string,
  userId: string,
  until: number | null,
): TypingState {
  const inChat = { ...state[chatId] };
  if (until === null) delete inChat[userId];
  else inChat[userId] = until;
  const next = { ...state };
  if (Object.keys(inChat).length === 0) delete next[chatId];
  else next[chatId] = inChat;
  return next;
}

/** The other person of a direct chat. */
export const peerOf = (chat: Chat, myId: string): ChatMember | undefined =>
  chat.kind === "direct" ? chat.members.find((m) => m.id !== myId) : undefined;

/**
 * How far my own message got: in a direct chat "read" once the other person's read position
 * passed it (else "stored"); in a group who has seen it. `none` when no read position is shared.
 */
export type Receipt =
  | { kind: "none" }
  | { kind: "read" }
  | { kind: "stored" }
  | { kind: "seen"; by: ChatMember[] };

export function receiptOf(chat: Chat, message: Pick<Message, "seq">, myId: string, iShare: boolean): Receipt {
  if (!iShare) return { kind: "none" };
  if (chat.kind === "direct") {
    const peer = peerOf(chat, myId);
    if (!peer || peer.readSeq === null) return { kind: "none" };
    return peer.readSeq >= message.seq ? { kind: "read" } : { kind: "stored" };
  }
  const by = chat.members.filter((m) => m.id !== myId && m.readSeq !== null && m.readSeq >= message.seq);
  return by.length > 0 ? { kind: "seen", by } : { kind: "none" };
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "5 minutes ago", "yesterday", "just now"-ish ("now") in the given locale. */
export function relativeTime(iso: string, now: number, locale: string): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, "second");
}
