import type { Chat, UserRef } from "../../protocol/index.js";
import type { ChatListData, ChatsRepository, Membership } from "../storage/chats.repository.js";
import type { UsersRepository } from "../storage/users.repository.js";
import { assembleChats, memberIdsOf } from "./chat-view.js";
import { AppError, notFound } from "./errors.js";
import { newId } from "./ids.js";
import type { Notifier } from "./notifier.js";
import { decide } from "./permissions.js";
import { RateLimiter } from "./rate-limiter.js";
import type { ReachService } from "./reach.service.js";

export interface ChatsDeps {
  chats: ChatsRepository;
  users: UsersRepository;
  notifier: Notifier;
  /** Blocking and message requests: how a new direct chat starts on the receiver's side. */
  reach: ReachService;
  now: () => number;
  /** Email look-ups per user per hour (each tells whether an address has an account); 0: no limit. */
  lookupsPerHour?: number;
  /** Which of these users are connected now (presence); default: nobody. */
  onlineAmong?: (userIds: string[]) => Promise<Set<string>>;
}

export type ChatsService = ReturnType<typeof createChatsService>;

export function createChatsService(deps: ChatsDeps) {
  const { chats, users, notifier, reach, now, lookupsPerHour = 0 } = deps;
  const lookups = new RateLimiter(lookupsPerHour, 60 * 60 * 1000, now);

  /** The rows as the viewer sees them, with the members' online state where shared. */
  async function assemble(data: ChatListData, viewerId: string): Promise<Chat[]> {
    const [online, blocked] = await Promise.all([
      onlineOf(data),
      reach.blockedAmong(viewerId, memberIdsOf(data)),
    ]);
    return assembleChats(data, viewerId, online, blocked);
  }

  /** One chat as each of these viewers sees it: one presence and one block look-up for all of them. */
  async function assembleEach(views: Map<string, ChatListData>): Promise<Map<string, Chat>> {
    const assembled = new Map<string, Chat>();
    const first = views.values().next().value;
    if (!first) return assembled;
    const [online, blocked] = await Promise.all([
      onlineOf(first),
      reach.blockedAmongEach(memberIdsOf(first)),
    ]);
    for (const [userId, data] of views) {
      const [chat] = assembleChats(data, userId, online, blocked.get(userId));
      if (chat) assembled.set(userId, chat);
    }
    return assembled;
  }

  /** Which members of these chats are connected now. */
  async function onlineOf(data: ChatListData): Promise<Set<string>> {
    return deps.onlineAmong ? deps.onlineAmong(memberIdsOf(data)) : new Set<string>();
  }

  /** Counts `count` email look-ups by `userId`, or refuses them all with `rate_limited`. */
  function limitLookups(userId: string, count = 1): void {
    for (let i = 0; i < count; i++) {
      const wait = lookups.reserve(userId);
      if (wait > 0) {
        for (let j = 0; j < i; j++) lookups.release(userId);
        throw new AppError("rate_limited", `Too many look-ups. Try again in ${wait} s.`, undefined, wait);
      }
    }
  }

  /** Non-members get the same answer as for a chat that does not exist. */
  async function requireMember(chatId: string, userId: string): Promise<Membership> {
    const membership = await chats.membership(chatId, userId);
    if (!membership || membership.leftAt !== null) throw notFound();
    return membership;
  }

  async function view(chatId: string, viewerId: string): Promise<Chat> {
    const [chat] = await assemble(await chats.listForUser(viewerId, chatId), viewerId);
    if (!chat) throw notFound();
    return chat;
  }

  /** Tells the user's sockets how the chat looks to them now (their own view changed). */
  async function announceView(chatId: string, userId: string): Promise<void> {
    const [chat] = await assemble(await chats.listForUser(userId, chatId), userId);
    if (chat) notifier.chatUpdated(userId, chat);
  }

  return {
    requireMember,
    assemble,
    assembleEach,
    view,
    announceView,
    limitLookups,

    async list(viewerId: string): Promise<Chat[]> {
      return assemble(await chats.listForUser(viewerId), viewerId);
    },

    /**
     * Opens (or reopens) the direct chat between the caller and the owner of `email`. A new chat is
     * a message request on the other side unless `fromInvitation` (the other's own invitation); if
     * the other blocks the caller, the caller gets the same answer and the other nothing at all.
     */
    async startDirect(
      caller: UserRef,
      email: string,
      options: { fromInvitation?: boolean } = {},
    ): Promise<{ chat: Chat; created: boolean }> {
      limitLookups(caller.id);
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
      const receiver = existingId ? undefined : await reach.receiverSide(caller.id, other.id, options);
      const { chatId, created } = existingId
        ? { chatId: existingId, created: false }
        : await chats.createDirect({
            id: newId("c"),
            directKey,
            memberIds: [caller.id, other.id],
            now: now(),
            receiver,
          });

      if (created) {
        // The blocker's sockets join the room too: live delivery resumes as soon as they unblock.
        notifier.addToChat([caller.id, other.id], chatId);
        if (!receiver?.hidden) notifier.chatAppeared(other.id, await view(chatId, other.id));
        return { chat: await view(chatId, caller.id), created };
      }
      const membership = await requireMember(chatId, caller.id);
      const wasRemoved = membership.removedAt !== null;
      if (wasRemoved) await chats.setRemoved(chatId, caller.id, null);
      // Starting a chat the other person had started as a request to me is accepting it.
      const accepted = await reach.accept(chatId, caller.id);
      if (accepted && !wasRemoved) await announceView(chatId, caller.id);
      const chat = await view(chatId, caller.id);
      // A chat that comes back to the caller's list appears in their other tabs too.
      if (wasRemoved) notifier.chatAppeared(caller.id, chat);
      return { chat, created: false };
    },

    /** Accepts a message request (a no-op for any other chat); the caller's other tabs follow. */
    async accept(chatId: string, userId: string): Promise<Chat> {
      await requireMember(chatId, userId);
      if (await reach.accept(chatId, userId)) await announceView(chatId, userId);
      return view(chatId, userId);
    },

    /** Hides the chat from the caller's list until a new message arrives in it. */
    async remove(chatId: string, userId: string): Promise<void> {
      const membership = await requireMember(chatId, userId);
      if (membership.removedAt !== null) return;
      const [chat] = await assemble(await chats.listForUser(userId, chatId), userId);
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
