import type { Chat, Message } from "../../protocol/index.js";

/** Puts a chat first (most recent activity), replacing an older copy of it. */
export function upsertChat(chats: readonly Chat[], chat: Chat): Chat[] {
  return [chat, ...chats.filter((c) => c.id !== chat.id)];
}

export function removeChat(chats: readonly Chat[], chatId: string): Chat[] {
  return chats.filter((c) => c.id !== chatId);
}

export function updateChat(chats: readonly Chat[], chatId: string, update: (chat: Chat) => Chat): Chat[] {
  return chats.map((c) => (c.id === chatId ? update(c) : c));
}

/**
 * Applies a new message to the list: the chat moves to the top with the message as its preview,
 * and its unread count grows when the message is from someone else (not a system note) and the
 * chat is not being read.
 * A message older than the current preview (a late duplicate) changes nothing.
 * Returns null when the chat is not in the list (the caller reloads the list).
 */
export function applyMessage(
  chats: readonly Chat[],
  message: Message,
  opts: { myId: string; reading: boolean },
): Chat[] | null {
  const chat = chats.find((c) => c.id === message.chatId);
  if (!chat) return null;
  if (chat.lastMessage && chat.lastMessage.seq >= message.seq) return chats as Chat[];
  // System notes and tombstones never count as unread.
  const fromOther = message.sender.id !== opts.myId && message.system === null && message.deletedAt === null;
  // Answering a message request (on any of my devices) ends it, as on the server.
  const base = message.sender.id === opts.myId ? withoutRequest(chat) : chat;
  return upsertChat(chats, {
    ...base,
    lastMessage: message,
    unread: fromOther && !opts.reading ? chat.unread + 1 : opts.reading ? 0 : chat.unread,
  });
}

/** Message requests count in no total until accepted. */
export function totalUnread(chats: readonly Chat[]): number {
  return chats.reduce((sum, c) => sum + (c.request ? 0 : c.unread), 0);
}

/** Splits the list into message requests (shown first, on their own) and the other chats. */
export function splitRequests(chats: readonly Chat[]): { requests: Chat[]; others: Chat[] } {
  const requests: Chat[] = [];
  const others: Chat[] = [];
  for (const chat of chats) (chat.request ? requests : others).push(chat);
  return { requests, others };
}

/** The chat without its message-request mark (accepted). */
export function withoutRequest(chat: Chat): Chat {
  const { request: _accepted, ...rest } = chat;
  return rest;
}

/** Chats whose title contains the query, case-insensitively. */
export function filterChats(chats: readonly Chat[], query: string): Chat[] {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return chats as Chat[];
  return chats.filter((c) => c.title.toLocaleLowerCase().includes(q));
}

/** The tab title: the total unread count in front when there is any. */
export function documentTitle(unread: number, appName = "Glasschat"): string {
  return unread > 0 ? `(${unread > 99 ? "99+" : unread}) ${appName}` : appName;
}
