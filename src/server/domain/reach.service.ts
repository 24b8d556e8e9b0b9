import type { UserRef } from "../../protocol/index.js";
import type { ReachRepository } from "../storage/reach.repository.js";
import { AppError } from "./errors.js";
import type { Sent } from "./messages.service.js";

export interface ReachDeps {
  reach: ReachRepository;
  now: () => number;
}

export type ReachService = ReturnType<typeof createReachService>;

/**
 * The one rule of who reaches whom: blocking and message requests. Every path a message or a
 * signal takes asks here (or reads what the send path stored by this rule):
 * - A message a blocked user sends into a direct chat with the blocker is stored, in the send's
 *   own transaction, with a hidden_messages row for the blocker (pos = -seq; see the SQLite and
 *   PostgreSQL message writers). Every read that honours hidden_messages (history, changes feed,
 *   unread, chat list previews, reply checks, and search) therefore leaves it out for them, and it
 *   stays hidden after unblocking. `Sent.hiddenFor` names them for the fan-out, which excludes
 *   their user rooms on every node; push and mail ask `hiddenFromRecipient`.
 * - A direct chat started by a blocked user arrives nowhere on the blocker's side (removed from
 *   their list, no `chat:new`); the starter gets the answers anyone gets.
 * - In groups nothing is hidden.
 * - In a direct chat, edits and reactions the blocked user makes reach the blocker with no event
 *   (`toldOfChange`); what is stored shows them when the blocker reads the message again.
 * - Typing, presence and receipts stop both ways: ask `blockedEitherWay` / `blockedAmong`.
 * - A direct chat from someone the receiver never wrote to is a message request for them: no
 *   unread count, no push or mail (`mayNotify`) until they accept it or write in it.
 */
export function createReachService({ reach, now }: ReachDeps) {
  async function requireOtherUser(callerId: string, userId: string): Promise<void> {
    if (userId === callerId)
      throw new AppError("invalid_input", "You cannot block yourself.", { userId: "This is you." });
    if (!(await reach.userExists(userId)))
      throw new AppError("user_not_found", "No such user.", { userId: "No such user." });
  }

  return {
    /** The blocked user is not told; what they send from now on is withheld from the caller. */
    async block(callerId: string, userId: string): Promise<void> {
      await requireOtherUser(callerId, userId);
      await reach.block(callerId, userId, now());
    },

    /** Live delivery resumes; what was sent while blocked stays hidden. */
    async unblock(callerId: string, userId: string): Promise<void> {
      await requireOtherUser(callerId, userId);
      await reach.unblock(callerId, userId);
    },

    blockedBy: (callerId: string): Promise<UserRef[]> => reach.blockedBy(callerId),

    /** Whether either of the two blocks the other (typing, presence and receipts stop both ways). */
    async blockedEitherWay(a: string, b: string): Promise<boolean> {
      return (await reach.blockedEitherWay(a, [b])).has(b);
    },

    /** Of `peerIds`, those `userId` blocks or is blocked by: one round trip for a whole fan-out. */
    blockedAmong: (userId: string, peerIds: string[]): Promise<Set<string>> =>
      reach.blockedEitherWay(userId, peerIds),

    /**
     * Who of `viewerIds` is told live of a change `actorId` made to a message (an edit, a
     * reaction): in a direct chat not someone who blocks the actor, as for their new messages.
     */
    async toldOfChange(kind: "direct" | "group", actorId: string, viewerIds: string[]): Promise<string[]> {
      if (kind === "group") return viewerIds;
      const blockers = await reach.blockersAmong(actorId, viewerIds);
      return blockers.size === 0 ? viewerIds : viewerIds.filter((id) => !blockers.has(id));
    },

    /** For each of `userIds`, those of them they block or are blocked by (one query for a group). */
    async blockedAmongEach(userIds: string[]): Promise<Map<string, Set<string>>> {
      const among = new Map<string, Set<string>>();
      for (const [blocker, blocked] of await reach.blocksWithin(userIds)) {
        for (const [user, peer] of [
          [blocker, blocked],
          [blocked, blocker],
        ] as const) {
          const set = among.get(user) ?? new Set<string>();
          set.add(peer);
          among.set(user, set);
        }
      }
      return among;
    },

    /**
     * How a new direct chat from `starterId` starts on `receiverId`'s side. `fromInvitation`: it
     * comes from the receiver's own invitation (accounts and invitations pass true): never a request.
     */
    async receiverSide(
      starterId: string,
      receiverId: string,
      options: { fromInvitation?: boolean } = {},
    ): Promise<{ userId: string; request: boolean; hidden: boolean }> {
      const [hidden, wrote] = await Promise.all([
        reach.blocks(receiverId, starterId),
        options.fromInvitation ? Promise.resolve(true) : reach.hasWrittenTo(receiverId, starterId),
      ]);
      return { userId: receiverId, request: !wrote, hidden };
    },

    /** Ends a message request for its receiver; false when it was none. */
    accept: (chatId: string, userId: string): Promise<boolean> => reach.acceptRequest(chatId, userId),

    /** A stored message that must not reach this member (they block its sender). */
    hiddenFromRecipient: (sent: { readonly hiddenFor: readonly string[] }, userId: string): boolean =>
      sent.hiddenFor.includes(userId),

    /** Whether push or mail may tell `userId` about this message: not withheld, no pending request. */
    async mayNotify(
      sent: { readonly hiddenFor: readonly string[]; readonly message: Pick<Sent["message"], "chatId"> },
      userId: string,
    ): Promise<boolean> {
      if (sent.hiddenFor.includes(userId)) return false;
      return !(await reach.pendingRequest(sent.message.chatId, userId));
    },
  };
}
