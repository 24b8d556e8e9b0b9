import type { UserRef } from "../../protocol/index.js";
import type { Db } from "./database.js";
import { pendingRequest } from "./message-rows.js";

/** Who blocks whom, and who has written to whom: the facts behind blocking and message requests. */
export function createReachRepository(db: Db) {
  return {
    /** Idempotent. */
    async block(blockerId: string, blockedId: string, now: number): Promise<void> {
      await db
        .insertInto("blocks")
        .values({ blocker_id: blockerId, blocked_id: blockedId, created_at: now })
        .onConflict((oc) => oc.columns(["blocker_id", "blocked_id"]).doNothing())
        .execute();
    },

    /** Idempotent. */
    async unblock(blockerId: string, blockedId: string): Promise<void> {
      await db
        .deleteFrom("blocks")
        .where("blocker_id", "=", blockerId)
        .where("blocked_id", "=", blockedId)
        .execute();
    },

    /** The people this user blocks, by name. */
    blockedBy(blockerId: string): Promise<UserRef[]> {
      return db
        .selectFrom("blocks as b")
        .innerJoin("users as u", "u.id", "b.blocked_id")
        .select(["u.id", "u.username"])
        .where("b.blocker_id", "=", blockerId)
        .orderBy("u.username")
        .execute();
    },

    /** Of `peerIds`, those who block `userId` or whom `userId` blocks: one query for any number. */
    async blockedEitherWay(userId: string, peerIds: string[]): Promise<Set<string>> {
      if (peerIds.length === 0) return new Set();
      const [theyBlock, iBlock] = await Promise.all([
        db
          .selectFrom("blocks")
          .select("blocker_id as peer")
          .where("blocked_id", "=", userId)
          .where("blocker_id", "in", peerIds)
          .execute(),
        db
          .selectFrom("blocks")
          .select("blocked_id as peer")
          .where("blocker_id", "=", userId)
          .where("blocked_id", "in", peerIds)
          .execute(),
      ]);
      return new Set([...theyBlock, ...iBlock].map((r) => r.peer));
    },

    /** Every block between two of `userIds`, as [blocker, blocked]: one query for a whole group. */
    async blocksWithin(userIds: string[]): Promise<[string, string][]> {
      if (userIds.length < 2) return [];
      const rows = await db
        .selectFrom("blocks")
        .select(["blocker_id", "blocked_id"])
        .where("blocker_id", "in", userIds)
        .where("blocked_id", "in", userIds)
        .execute();
      return rows.map((r) => [r.blocker_id, r.blocked_id]);
    },

    /** Of `userIds`, those who block `blockedId`. */
    async blockersAmong(blockedId: string, userIds: string[]): Promise<Set<string>> {
      if (userIds.length === 0) return new Set();
      const rows = await db
        .selectFrom("blocks")
        .select("blocker_id")
        .where("blocked_id", "=", blockedId)
        .where("blocker_id", "in", userIds)
        .execute();
      return new Set(rows.map((r) => r.blocker_id));
    },

    async blocks(blockerId: string, blockedId: string): Promise<boolean> {
      const row = await db
        .selectFrom("blocks")
        .select("blocker_id")
        .where("blocker_id", "=", blockerId)
        .where("blocked_id", "=", blockedId)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Whether `writerId` ever wrote a message (not a system one) in a chat `readerId` belongs to. */
    async hasWrittenTo(writerId: string, readerId: string): Promise<boolean> {
      const row = await db
        .selectFrom("chat_members as mine")
        .innerJoin("chat_members as theirs", "theirs.chat_id", "mine.chat_id")
        .innerJoin("messages as m", (join) =>
          join.onRef("m.chat_id", "=", "mine.chat_id").onRef("m.sender_id", "=", "mine.user_id"),
        )
        .select("m.seq")
        .where("mine.user_id", "=", writerId)
        .where("theirs.user_id", "=", readerId)
        .where("m.system", "is", null)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Ends a message request: the receiver accepted it. True when it was one. */
    async acceptRequest(chatId: string, userId: string): Promise<boolean> {
      const result = await db
        .updateTable("chat_members")
        .set({ request: 0 })
        .where("chat_id", "=", chatId)
        .where("user_id", "=", userId)
        .where("request", "=", 1)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Whether the chat is a message request for this member (as the chat list shows it). */
    async pendingRequest(chatId: string, userId: string): Promise<boolean> {
      const row = await db
        .selectFrom("chat_members as cm")
        .innerJoin("chats as c", "c.id", "cm.chat_id")
        .select((eb) => pendingRequest(eb))
        .where("cm.chat_id", "=", chatId)
        .where("cm.user_id", "=", userId)
        .executeTakeFirst();
      // SQLite answers 0/1, PostgreSQL a boolean.
      return Boolean(row?.request);
    },

    async userExists(userId: string): Promise<boolean> {
      const row = await db.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst();
      return row !== undefined;
    },
  };
}

export type ReachRepository = ReturnType<typeof createReachRepository>;
