import type { Message } from "../../../protocol/index.js";
import { api } from "../../api/endpoints.js";
import type { MessengerContext } from "../../app/state.js";
import { hasReacted } from "../../lib/conversation.js";
import { messageHidden, messageUpdated } from "../chats/chat-actions.js";

export async function editMessage(
  ctx: MessengerContext,
  chatId: string,
  messageId: string,
  body: string,
): Promise<void> {
  messageUpdated(ctx, await api.editMessage(chatId, messageId, body));
}

export async function deleteForMe(ctx: MessengerContext, chatId: string, messageId: string): Promise<void> {
  await api.deleteMessage(chatId, messageId, "me");
  messageHidden(ctx, chatId, messageId);
}

/**
 * The server answers 204 and sends the tombstone as `message:updated`; it is shown at once with
 * the rev it had, so the server's copy (a higher rev) still replaces it.
 */
export async function deleteForEveryone(ctx: MessengerContext, message: Message): Promise<void> {
  await api.deleteMessage(message.chatId, message.id, "everyone");
  const tombstone: Message = {
    ...message,
    body: "",
    files: [],
    reactions: [],
    replyTo: null,
    deletedAt: new Date().toISOString(),
  };
  const { histories } = ctx.store.get();
  const held = histories[message.chatId]?.items.find((m) => m.id === message.id);
  if (held && !held.deletedAt) {
    // Same rev as held: applyUpdate would skip it, so swap it in directly.
    ctx.store.set((s) => {
      const h = s.histories[message.chatId];
      if (!h) return s;
      const items = h.items.map((m) =>
        m.id === message.id && m.rev === held.rev ? { ...tombstone, status: m.status } : m,
      );
      return { ...s, histories: { ...s.histories, [message.chatId]: { ...h, items } } };
    });
  }
}

/** Adds my reaction with this emoji, or takes it back when I already reacted so. */
export async function toggleReaction(ctx: MessengerContext, message: Message, emoji: string): Promise<void> {
  const me = ctx.store.get().me.id;
  const updated = hasReacted(message, emoji, me)
    ? await api.unreact(message.chatId, message.id, emoji)
    : await api.react(message.chatId, message.id, emoji);
  messageUpdated(ctx, updated);
}
