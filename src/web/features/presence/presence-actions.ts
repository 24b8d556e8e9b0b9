import { EVENTS } from "../../../protocol/events.js";
import type { ChatReadEvent, PresenceEvent, TypingEvent } from "../../../protocol/index.js";
import type { MessengerContext } from "../../app/state.js";
import { updateChat } from "../../lib/chats.js";
import { setTyping, TYPING_TTL_MS } from "../../lib/presence.js";

/** A peer came or went (or stopped sharing: nulls): every chat's entry for them follows. */
export function applyPresence(ctx: MessengerContext, event: PresenceEvent): void {
  ctx.store.set((s) => ({
    ...s,
    chats: s.chats.map((chat) =>
      chat.members.some((m) => m.id === event.userId)
        ? {
            ...chat,
            members: chat.members.map((m) =>
              m.id === event.userId ? { ...m, online: event.online, lastSeenAt: event.lastSeenAt } : m,
            ),
          }
        : chat,
    ),
  }));
  if (event.online === false) dropTypist(ctx, event.userId);
}

export function applyRead(ctx: MessengerContext, event: ChatReadEvent): void {
  ctx.store.set((s) => ({
    ...s,
    chats: updateChat(s.chats, event.chatId, (chat) => ({
      ...chat,
      members: chat.members.map((m) => (m.id === event.userId ? { ...m, readSeq: event.seq } : m)),
    })),
  }));
}

const expiries = new Map<string, ReturnType<typeof setTimeout>>();

/** Shows or ends someone's typing; it also ends by itself 6 s after the last renewal. */
export function applyTyping(ctx: MessengerContext, event: TypingEvent): void {
  const key = `${event.chatId} ${event.userId}`;
  clearTimeout(expiries.get(key));
  expiries.delete(key);
  const until = event.typing ? Date.now() + TYPING_TTL_MS : null;
  ctx.store.set((s) => ({ ...s, typing: setTyping(s.typing, event.chatId, event.userId, until) }));
  if (event.typing) {
    expiries.set(
      key,
      setTimeout(() => applyTyping(ctx, { ...event, typing: false }), TYPING_TTL_MS),
    );
  }
}

function dropTypist(ctx: MessengerContext, userId: string): void {
  for (const chatId of Object.keys(ctx.store.get().typing)) {
    if (ctx.store.get().typing[chatId]?.[userId]) applyTyping(ctx, { chatId, userId, typing: false });
  }
}

/** Disconnected: nobody's typing state can be trusted any more. */
export function clearTyping(ctx: MessengerContext): void {
  for (const timer of expiries.values()) clearTimeout(timer);
  expiries.clear();
  ctx.store.set((s) => (Object.keys(s.typing).length === 0 ? s : { ...s, typing: {} }));
}

/** A message from someone ends their typing at once. */
export function typistSent(ctx: MessengerContext, chatId: string, userId: string): void {
  if (ctx.store.get().typing[chatId]?.[userId]) applyTyping(ctx, { chatId, userId, typing: false });
}

/** My own typing: `typing:start` at most once per 2 s while typing, `typing:stop` when done. */
export function createTypingSignal(ctx: MessengerContext) {
  const lastStart = new Map<string, number>();
  return (chatId: string, active: boolean): void => {
    if (!ctx.socket.connected) return;
    const now = Date.now();
    if (active) {
      if (now - (lastStart.get(chatId) ?? 0) < 2000) return;
      lastStart.set(chatId, now);
      ctx.socket.emit(EVENTS.typingStart, { chatId });
    } else if (lastStart.has(chatId)) {
      lastStart.delete(chatId);
      ctx.socket.emit(EVENTS.typingStop, { chatId });
    }
  };
}
