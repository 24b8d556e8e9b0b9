import type { Db } from "./database.js";
import { notHiddenFor, unreadFloor } from "./message-rows.js";

/** One chat of one user in an unread-messages mail. */
export interface UnreadChatRow {
  userId: string;
  email: string;
  username: string;
  locale: string | null;
  chatId: string;
  kind: "direct" | "group";
  title: string | null;
  count: number;
}

/** What the unread-messages mail needs: who is due one, for which chats, and the claim on it. */
export function createEmailNotificationsRepository(db: Db) {
  return {
    /**
     * Chats (no pending message requests) with messages from others that are unread, visible to
     * the member (so nothing from someone they block), at least `olderThan`
     * old, and newer than the user's last such mail, for users who want mail, got none since
     * `lastMailBefore`, and are not disabled. Counted like the chat list's unread.
     */
    async dueUnread(olderThan: number, lastMailBefore: number, limit: number): Promise<UnreadChatRow[]> {
      const rows = await db
        .selectFrom("chat_members as cm")
        .innerJoin("users as u", "u.id", "cm.user_id")
        .innerJoin("chats as c", "c.id", "cm.chat_id")
        .innerJoin("messages as m", (join) =>
          join.onRef("m.chat_id", "=", "cm.chat_id").on("m.seq", ">=", unreadFloor()),
        )
        .select([
          "u.id as userId",
          "u.email",
          "u.username",
          "u.locale",
          "c.id as chatId",
          "c.kind",
          "c.title",
          (eb) => eb.fn.countAll<number | string>().as("count"),
        ])
        .where("u.email_notifications", "=", 1)
        .where("u.disabled_at", "is", null)
        .where((eb) =>
          eb.or([eb("u.email_notified_at", "is", null), eb("u.email_notified_at", "<=", lastMailBefore)]),
        )
        .where("cm.left_at", "is", null)
        // A message request sends no mail until it is accepted or answered.
        .where("cm.request", "=", 0)
        .whereRef("m.sender_id", "<>", "cm.user_id")
        .where("m.system", "is", null)
        .where("m.deleted_at", "is", null)
        .where("m.created_at", "<=", olderThan)
        .where((eb) => eb(eb.ref("m.created_at"), ">", eb.fn.coalesce("u.email_notified_at", eb.val(0))))
        .where(notHiddenFor("cm"))
        .groupBy(["u.id", "u.email", "u.username", "u.locale", "c.id", "c.kind", "c.title"])
        .orderBy("u.id")
        .limit(limit)
        .execute();
      return rows.map((row) => ({ ...row, count: Number(row.count) }));
    },

    /** The other member's username in each of these direct chats of `userId`. */
    async directTitles(userId: string, chatIds: string[]): Promise<Map<string, string>> {
      if (chatIds.length === 0) return new Map();
      const rows = await db
        .selectFrom("chat_members as cm")
        .innerJoin("users as u", "u.id", "cm.user_id")
        .select(["cm.chat_id", "u.username"])
        .where("cm.chat_id", "in", chatIds)
        .where("cm.user_id", "<>", userId)
        .execute();
      return new Map(rows.map((row) => [row.chat_id, row.username]));
    },

    /**
     * Records a mail for `userId` at `now` unless one was recorded after `lastMailBefore`: true for
     * the one caller (of every process) that may send it.
     */
    async claim(userId: string, now: number, lastMailBefore: number): Promise<boolean> {
      const result = await db
        .updateTable("users")
        .set({ email_notified_at: now })
        .where("id", "=", userId)
        .where((eb) =>
          eb.or([eb("email_notified_at", "is", null), eb("email_notified_at", "<=", lastMailBefore)]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export type EmailNotificationsRepository = ReturnType<typeof createEmailNotificationsRepository>;
