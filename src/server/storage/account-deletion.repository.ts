import type { Db } from "./database.js";

/** The reads and writes that deleting an account needs beyond what other repositories offer. */
export function createAccountDeletionRepository(db: Db) {
  return {
    async passwordHashOf(userId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom("users")
        .select("password_hash")
        .where("id", "=", userId)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      return row?.password_hash;
    },

    /** Ends every session (push subscriptions go with them); returns their ids. */
    async deleteSessions(userId: string): Promise<string[]> {
      const rows = await db.deleteFrom("sessions").where("user_id", "=", userId).returning("id").execute();
      return rows.map((row) => row.id);
    },

    /** The user's messages that are neither tombstones nor system messages, by chat. */
    async liveMessagesBy(userId: string): Promise<Map<string, number[]>> {
      const rows = await db
        .selectFrom("messages")
        .select(["chat_id", "seq"])
        .where("sender_id", "=", userId)
        .where("deleted_at", "is", null)
        .where("system", "is", null)
        .orderBy("chat_id")
        .orderBy("seq")
        .execute();
      const byChat = new Map<string, number[]>();
      for (const row of rows) byChat.set(row.chat_id, [...(byChat.get(row.chat_id) ?? []), row.seq]);
      return byChat;
    },

    /** The user's reactions, by chat (to take them back with "erase"). */
    async reactionsBy(userId: string): Promise<Map<string, { seq: number; emoji: string }[]>> {
      const rows = await db
        .selectFrom("message_reactions")
        .select(["chat_id", "seq", "emoji"])
        .where("user_id", "=", userId)
        .orderBy("chat_id")
        .orderBy("seq")
        .execute();
      const byChat = new Map<string, { seq: number; emoji: string }[]>();
      for (const row of rows) {
        const list = byChat.get(row.chat_id) ?? [];
        list.push({ seq: row.seq, emoji: row.emoji });
        byChat.set(row.chat_id, list);
      }
      return byChat;
    },

    /** Chats the user is still in, with the other members (to tell them). */
    async chatsOf(userId: string): Promise<{ id: string; kind: "direct" | "group"; others: string[] }[]> {
      const rows = await db
        .selectFrom("chat_members as mine")
        .innerJoin("chats as c", "c.id", "mine.chat_id")
        .leftJoin("chat_members as other", (join) =>
          join
            .onRef("other.chat_id", "=", "mine.chat_id")
            .onRef("other.user_id", "<>", "mine.user_id")
            .on("other.left_at", "is", null),
        )
        .select(["c.id", "c.kind", "other.user_id as other_id"])
        .where("mine.user_id", "=", userId)
        .where("mine.left_at", "is", null)
        .execute();
      const chats = new Map<string, { id: string; kind: "direct" | "group"; others: string[] }>();
      for (const row of rows) {
        const chat = chats.get(row.id) ?? { id: row.id, kind: row.kind, others: [] };
        if (row.other_id) chat.others.push(row.other_id);
        chats.set(row.id, chat);
      }
      return [...chats.values()];
    },

    /**
     * The row stays (messages name it) as "deleted-user"; the email becomes a value no address
     * can equal, and the password hash one no password verifies against, so both are free again.
     */
    async anonymize(userId: string, username: string, now: number): Promise<void> {
      await db
        .updateTable("users")
        .set({ username, email: `deleted:${userId}`, password_hash: "", deleted_at: now })
        .where("id", "=", userId)
        .execute();
    },
  };
}

export type AccountDeletionRepository = ReturnType<typeof createAccountDeletionRepository>;
