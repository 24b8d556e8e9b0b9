import type { Chat, Message } from "../../../protocol/index.js";
import { api } from "../../api/endpoints.js";
import { handleError } from "../../app/errors.js";
import type { MessengerContext, MessengerState } from "../../app/state.js";
import { applyMessage, removeChat as dropChat, updateChat, upsertChat } from "../../lib/chats.js";
import { updatePreview } from "../../lib/conversation.js";
import {
  clearHistory,
  clearHistoryUpTo,
  hideInHistory,
  loadLatest,
  updateInHistory,
} from "../messages/history.js";

/** The chat the user is looking at right now (open, and the tab visible). */
export function isReading(ctx: MessengerContext, chatId: string): boolean {
  return ctx.store.get().openChatId === chatId && document.visibilityState === "visible";
}

function setUnread(ctx: MessengerContext, chatId: string, unread: number): void {
  ctx.store.set((s) => {
    const chat = s.chats.find((c) => c.id === chatId);
    if (!chat || chat.unread === unread) return s;
    return { ...s, chats: updateChat(s.chats, chatId, (c) => ({ ...c, unread })) };
  });
}

/** Loads the list from the server (start, reconnect, a chat that is not in the list). */
export async function reloadChats(ctx: MessengerContext): Promise<void> {
  try {
    const chats = await api.listChats();
    ctx.store.set((s) => ({
      ...s,
      chatsStatus: "ready",
      chats: chats.map((c) => (c.id === s.openChatId ? { ...c, unread: 0 } : c)),
      histories: adoptCursors(s.histories, chats),
    }));
  } catch (error) {
    handleError(ctx, error);
    ctx.store.set((s) => (s.chatsStatus === "loading" ? { ...s, chatsStatus: "error" } : s));
  }
}

/** Opens a chat (or none): its unread count clears, and the newest page is fetched (which marks it read). */
export function openChat(ctx: MessengerContext, chatId: string | null): void {
  if (ctx.store.get().openChatId === chatId) return;
  ctx.store.set((s) => ({ ...s, openChatId: chatId }));
  if (chatId === null) return;
  setUnread(ctx, chatId, 0);
  void loadLatest(ctx, chatId);
}

/** Tells the server the open chat was read up to seq, so its unread count stays 0. */
export function markRead(ctx: MessengerContext, chatId: string, seq: number): void {
  setUnread(ctx, chatId, 0);
  api.markRead(chatId, { seq }).catch((error: unknown) => handleError(ctx, error));
}

/** A live message: the list's preview, order and unread count follow it. */
export function receiveIntoChats(ctx: MessengerContext, message: Message): void {
  const reading = isReading(ctx, message.chatId);
  let known = true;
  ctx.store.set((s) => {
    const chats = applyMessage(s.chats, message, { myId: s.me.id, reading });
    if (chats === null) known = false;
    return chats ? { ...s, chats } : s;
  });
  // A chat we do not hold (removed here and now back, or created elsewhere): the list knows it.
  if (!known) void reloadChats(ctx);
  if (reading && message.sender.id !== ctx.store.get().me.id) markRead(ctx, message.chatId, message.seq);
}

export function receiveChat(ctx: MessengerContext, chat: Chat): void {
  ctx.store.set((s) => {
    const existing = s.chats.find((c) => c.id === chat.id);
    // Keep the newer preview if a message overtook the chat:new event.
    const lastMessage =
      existing?.lastMessage && (!chat.lastMessage || existing.lastMessage.seq > chat.lastMessage.seq)
        ? existing.lastMessage
        : chat.lastMessage;
    const unread = s.openChatId === chat.id ? 0 : chat.unread;
    return { ...s, chats: upsertChat(s.chats, { ...chat, lastMessage, unread }) };
  });
}

export async function createChat(ctx: MessengerContext, email: string): Promise<Chat> {
  const chat = await api.createChat({ email });
  receiveChat(ctx, chat);
  return chat;
}

/**
 * The chat's history is gone for this user up to `seq` (all of it without one): the window drops
 * it, and the preview with it when the preview was part of it.
 */
export function applyCleared(ctx: MessengerContext, chatId: string, seq?: number): void {
  if (seq === undefined) clearHistory(ctx, chatId);
  else clearHistoryUpTo(ctx, chatId, seq);
  ctx.store.set((s) => ({
    ...s,
    chats: updateChat(s.chats, chatId, (c) =>
      seq === undefined || (c.lastMessage && c.lastMessage.seq <= seq)
        ? { ...c, lastMessage: null, unread: 0 }
        : c,
    ),
  }));
}

/** A window loaded before its chat's cursor was known takes the list's (see ChatHistory.cursor). */
function adoptCursors(histories: MessengerState["histories"], chats: readonly Chat[]) {
  let next = histories;
  for (const chat of chats) {
    const h = next[chat.id];
    if (h && h.cursor === null && chat.cursor) next = { ...next, [chat.id]: { ...h, cursor: chat.cursor } };
  }
  return next;
}

/** The chat as I now see it (`chat:updated`, or the answer to my own group change). */
export function chatUpdated(ctx: MessengerContext, chat: Chat): void {
  if (chat.removed) {
    ctx.lostChat(chat.id); // I removed it from my list on another device
    return;
  }
  ctx.store.set((s) => {
    const existing = s.chats.find((c) => c.id === chat.id);
    if (!existing) return { ...s, chats: upsertChat(s.chats, chat) };
    const lastMessage =
      existing.lastMessage && (!chat.lastMessage || existing.lastMessage.seq > chat.lastMessage.seq)
        ? existing.lastMessage
        : chat.lastMessage;
    const unread = s.openChatId === chat.id ? 0 : chat.unread;
    return { ...s, chats: updateChat(s.chats, chat.id, () => ({ ...chat, lastMessage, unread })) };
  });
}

/** Drops a chat and its window from this client (left, removed, or removed from my list). */
export function forgetChat(ctx: MessengerContext, chatId: string): void {
  ctx.store.set((s) => {
    const { [chatId]: _dropped, ...histories } = s.histories;
    return {
      ...s,
      chats: dropChat(s.chats, chatId),
      histories,
      openChatId: s.openChatId === chatId ? null : s.openChatId,
    };
  });
}

/** A changed message: its window and, when it is the chat's last message, the list's preview. */
export function messageUpdated(ctx: MessengerContext, message: Message): void {
  updateInHistory(ctx, message);
  ctx.store.set((s) => {
    const chats = updatePreview(s.chats, message);
    return chats === s.chats ? s : { ...s, chats };
  });
}

/** Hidden for me: gone from the window; a preview that showed it is fetched again. */
export function messageHidden(ctx: MessengerContext, chatId: string, messageId: string): void {
  hideInHistory(ctx, chatId, [messageId]);
  const chat = ctx.store.get().chats.find((c) => c.id === chatId);
  if (chat?.lastMessage?.id === messageId) void reloadChats(ctx);
}

export async function clearChat(ctx: MessengerContext, chatId: string, forEveryone: boolean): Promise<void> {
  await api.clearChat(chatId, forEveryone);
  applyCleared(ctx, chatId);
}

export async function removeChat(ctx: MessengerContext, chatId: string): Promise<void> {
  await api.removeChat(chatId);
  forgetChat(ctx, chatId);
}

/** Back in the tab with a chat open: what arrived meanwhile is now read. */
export function readOpenChat(ctx: MessengerContext): void {
  const { openChatId, chats } = ctx.store.get();
  const chat = chats.find((c) => c.id === openChatId);
  if (chat && chat.unread > 0 && chat.lastMessage) markRead(ctx, chat.id, chat.lastMessage.seq);
}
