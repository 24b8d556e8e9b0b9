import type { Chat, Message, UserRef } from "../../protocol/index.js";
import type {
  AppliedChange,
  GroupChange,
  GroupState,
  GroupsRepository,
  StoredEntry,
} from "../storage/groups.repository.js";
import { toMessage } from "./chat-view.js";
import type { ChatsService } from "./chats.service.js";
import { AppError, notFound } from "./errors.js";
import { authorize, planAdd, planRemove, planRename, planRole } from "./group-changes.js";
import type { GroupNotifier } from "./group-notifier.js";
import { newId } from "./ids.js";

export interface GroupsDeps {
  groups: GroupsRepository;
  chatsService: ChatsService;
  notifier: GroupNotifier;
  now: () => number;
  /** GROUP_MAX_MEMBERS: members in all, the creator included; 0 = no limit. */
  maxMembers: number;
  /**
   * Counts `count` email look-ups by the user against the per-user look-up limit (the same one
   * that starting a direct chat counts against), or throws `rate_limited`.
   */
  /** Email look-ups count against the caller's limit (chats.service), as for direct chats. */
  limitLookups: (userId: string, count: number) => void;
}

export type GroupsService = ReturnType<typeof createGroupsService>;

/** A stored system entry as the protocol shows it; its sender is the member who acted. */
function systemMessage(chatId: string, stored: StoredEntry, senderUsername: string): Message {
  return toMessage({
    chat_id: chatId,
    seq: stored.seq,
    rev: stored.rev,
    sender_id: stored.senderId,
    sender_username: senderUsername,
    client_id: stored.clientId,
    body: "",
    created_at: stored.createdAt,
    edited_at: null,
    deleted_at: null,
    system: stored.system,
    reply_to_seq: null,
    r_sender_id: null,
    r_sender_username: null,
    r_body: null,
    r_deleted_at: null,
  });
}

export function createGroupsService(deps: GroupsDeps) {
  const { groups, chatsService, notifier, now, maxMembers } = deps;
  const { limitLookups } = deps;

  async function currentState(chatId: string): Promise<GroupState> {
    const state = await groups.state(chatId);
    if (!state) throw notFound();
    return state;
  }

  /** The chat as each of these users sees it now; those who left meanwhile are absent. */
  async function viewsOf(chatId: string, userIds: string[]): Promise<Map<string, Chat>> {
    return chatsService.assembleEach(await groups.viewsOf(chatId, userIds));
  }

  /**
   * Runs a planned change and tells everyone. Leavers are out of the room on every node before
   * this resolves (so before the change is acknowledged); then the system messages go out, the
   * leavers get `chat:left`, new or returning members `chat:new`, and the others `chat:updated`.
   */
  async function apply(
    chatId: string,
    actor: UserRef,
    plan: (state: GroupState) => GroupChange | null,
  ): Promise<AppliedChange | null> {
    const applied = await groups.change(chatId, now(), plan);
    if (applied === undefined) throw notFound();
    if (applied === null) return null;
    const { state, change, entries, restoredFor } = applied;
    const leavers = change.leave ?? [];
    const added = change.add ?? [];
    await Promise.all(leavers.map((userId) => notifier.leaveChat(userId, chatId)));
    if (added.length > 0) notifier.joinChat(added, chatId);
    for (const stored of entries) notifier.messageCreated(systemMessage(chatId, stored, actor.username));
    for (const userId of leavers) notifier.chatLeft(userId, chatId);
    if (change.deleteChat) return applied;

    const appeared = new Set([...added, ...restoredFor]);
    const members = [...state.members.map((m) => m.userId).filter((id) => !leavers.includes(id)), ...added];
    for (const [userId, chat] of await viewsOf(chatId, members)) {
      if (appeared.has(userId)) notifier.chatAppeared(userId, chat);
      else notifier.chatUpdated(userId, chat);
    }
    return applied;
  }

  return {
    /**
     * Creates a group: the caller is its owner, everyone listed a member. Each listed email is
     * one look-up; every unknown one is named in `fields` by its index (`emails.2`), so the
     * caller can flag it without the answer echoing addresses back.
     */
    async create(caller: UserRef, title: string, emails: string[]): Promise<Chat> {
      const distinct = [...new Set(emails)];
      if (maxMembers > 0 && distinct.length > maxMembers - 1) {
        throw new AppError("invalid_input", `A group holds at most ${maxMembers} members, you included.`, {
          emails: `Add at most ${maxMembers - 1} people.`,
        });
      }
      limitLookups(caller.id, distinct.length);
      const found = new Map((await groups.usersByEmails(distinct)).map((u) => [u.email, u]));
      const unknown: Record<string, string> = {};
      const own: Record<string, string> = {};
      emails.forEach((email, i) => {
        const user = found.get(email);
        if (!user) unknown[`emails.${i}`] = "No user has this email.";
        else if (user.id === caller.id) own[`emails.${i}`] = "This is your own email.";
      });
      if (Object.keys(own).length > 0)
        throw new AppError("invalid_input", "You are in the group already: leave out your own email.", own);
      if (Object.keys(unknown).length > 0)
        throw new AppError("user_not_found", "No user has some of these emails.", unknown);

      const memberIds = distinct.map((email) => found.get(email)?.id as string);
      const chatId = newId("c");
      const stored = await groups.create({
        id: chatId,
        title,
        ownerId: caller.id,
        memberIds,
        now: now(),
        entry: { senderId: caller.id, system: { event: "group_created", userIds: memberIds, title } },
      });
      notifier.joinChat([caller.id, ...memberIds], chatId);
      notifier.messageCreated(systemMessage(chatId, stored, caller.username));
      // The caller's other tabs see the new group too.
      for (const [userId, chat] of await viewsOf(chatId, [caller.id, ...memberIds])) {
        notifier.chatAppeared(userId, chat);
      }
      return chatsService.view(chatId, caller.id);
    },

    async rename(actor: UserRef, chatId: string, title: string): Promise<Chat> {
      authorize(await currentState(chatId), actor.id, "rename");
      await apply(chatId, actor, (state) => planRename(state, actor.id, title));
      return chatsService.view(chatId, actor.id);
    },

    /** Adds the owner of `email` (one look-up, counted only for those allowed to add). */
    async addMember(actor: UserRef, chatId: string, email: string): Promise<Chat> {
      authorize(await currentState(chatId), actor.id, "add_member");
      limitLookups(actor.id, 1);
      const [user] = await groups.usersByEmails([email]);
      if (!user) {
        throw new AppError("user_not_found", "No user has this email.", { email: "No user has this email." });
      }
      await apply(chatId, actor, (state) => planAdd(state, actor.id, user.id, maxMembers));
      return chatsService.view(chatId, actor.id);
    },

    async setRole(actor: UserRef, chatId: string, userId: string, role: "admin" | "member"): Promise<Chat> {
      await apply(chatId, actor, (state) => planRole(state, actor.id, userId, role));
      return chatsService.view(chatId, actor.id);
    },

    /** Removes a member, or (for oneself) leaves; resolves once the leaver is out of every room. */
    async removeMember(actor: UserRef, chatId: string, userId: string): Promise<void> {
      await apply(chatId, actor, (state) => planRemove(state, actor.id, userId));
    },
  };
}
