import type { Chat, UserRef } from "../../protocol/index.js";
import type { ChatsRepository, Membership } from "../storage/chats.repository.js";
import type { UsersRepository } from "../storage/users.repository.js";
import { assembleChats } from "./chat-view.js";
import { AppError, notFound } from "./errors.js";
import { newId } from "./ids.js";
import type { Notifier } from "./notifier.js";
import { decide } from "./permissions.js";

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

  /** Tells the user's sockets how the chat looks to them now (their own view changed). */
  async function announceView(chatId: string, userId: string): Promise<void> {
    const [chat] = assembleChats(await chats.listForUser(userId, chatId), userId);
    if (chat) notifier.chatUpdated(userId, chat);
  }

  return {
    requireMember,
    view,
    announceView,

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
      const membership = await requireMember(chatId, userId);
      if (membership.removedAt !== null) return;
      const [chat] = assembleChats(await chats.listForUser(userId, chatId), userId);
      await chats.setRemoved(chatId, userId, now());
      // The caller's other tabs drop it from their list at once.
      if (chat) notifier.chatUpdated(userId, { ...chat, removed: true });
    },

    async clear(chatId: string, userId: string, forEveryone: boolean): Promise<void> {
      const membership = await requireMember(chatId, userId);
      if (!forEveryone) {
        const seq = await chats.clearForMember(chatId, userId);
        if (seq === undefined) return;
        notifier.chatClearedFor(userId, chatId, seq);
        return announceView(chatId, userId);
      }
      const decision = decide({
        action: "clear_for_everyone",
        chatKind: membership.kind,
        role: membership.role,
        now: now(),
        windowS: 0,
      });
      if (!decision.allowed) throw new AppError("forbidden", decision.reason);
      const seq = await chats.clearForEveryone(chatId);
      if (seq !== undefined) notifier.chatCleared(chatId, seq);
    },
  };
}
