import type { Chat, UserRef } from "../../protocol/index.js";
import type { ChatsRepository, Membership } from "../storage/chats.repository.js";
import type { UsersRepository } from "../storage/users.repository.js";
import { assembleChats } from "./chat-view.js";
import { AppError, notFound } from "./errors.js";
import { newId } from "./ids.js";
import type { Notifier } from "./notifier.js";

export interface ChatsDeps {
  chats: ChatsRepository;
  users: UsersRepository;
  notifier: Notifier;
  now: () => number;
}

export type ChatsService = ReturnType<typeof createChatsService>;

export function createChatsService({ chats, users, notifier, now }: ChatsDeps) {
  /** Non-members get the same answer as for a chat that does not exist. */
  async function requireMember(chatId: string, userId: string): Promise<Membership> {
    const membership = await chats.membership(chatId, userId);
    if (!membership || membership.leftAt !== null) throw notFound();
    return membership;
  }

  async function view(chatId: string, viewerId: string): Promise<Chat> {
    const [chat] = assembleChats(await chats.listForUser(viewerId, chatId), viewerId);
    if (!chat) throw notFound();
    return chat;
  }

  return {
    requireMember,
    view,

    async list(viewerId: string): Promise<Chat[]> {
      return assembleChats(await chats.listForUser(viewerId), viewerId);
    },

    /** Opens (or reopens) the direct chat between the caller and the owner of `email`. */
    async startDirect(caller: UserRef, email: string): Promise<{ chat: Chat; created: boolean }> {
      const other = await users.findByEmail(email);
      if (!other)
        throw new AppError("user_not_found", "No user has this email.", { email: "No user has this email." });
      if (other.id === caller.id) {
        throw new AppError("invalid_input", "You cannot start a chat with yourself.", {
          email: "This is your own email.",
        });
      }
      const directKey = [caller.id, other.id].sort().join(":");
      const existingId = await chats.findDirect(directKey);
      const { chatId, created } = existingId
        ? { chatId: existingId, created: false }
        : await chats.createDirect({
            id: newId("c"),
            directKey,
            memberIds: [caller.id, other.id],
            now: now(),
          });

      if (created) {
        notifier.addToChat([caller.id, other.id], chatId);
        notifier.chatAppeared(other.id, await view(chatId, other.id));
        return { chat: await view(chatId, caller.id), created };
      }
      const membership = await requireMember(chatId, caller.id);
      const wasRemoved = membership.removedAt !== null;
      if (wasRemoved) await chats.setRemoved(chatId, caller.id, null);
      const chat = await view(chatId, caller.id);
      // A chat that comes back to the caller's list appears in their other tabs too.
      if (wasRemoved) notifier.chatAppeared(caller.id, chat);
      return { chat, created: false };
    },

    /** Hides the chat from the caller's list until a new message arrives in it. */
    async remove(chatId: string, userId: string): Promise<void> {
      await requireMember(chatId, userId);
      await chats.setRemoved(chatId, userId, now());
    },

    async clear(chatId: string, userId: string, forEveryone: boolean): Promise<void> {
      await requireMember(chatId, userId);
      if (!forEveryone) return chats.clearForMember(chatId, userId);
      const seq = await chats.clearForEveryone(chatId);
      if (seq !== undefined) notifier.chatCleared(chatId, seq);
    },
  };
}
