import type { Party } from "../domain/privacy.js";
import type { Db } from "./database.js";

interface PartyRow {
  id: string;
  share_read_receipts: number;
  share_last_seen: number;
}

const toParty = (row: PartyRow): Party => ({
  id: row.id,
  shareReadReceipts: row.share_read_receipts === 1,
  shareLastSeen: row.share_last_seen === 1,
});

/** The users and switches behind receipts, typing and presence. */
export function createPresenceRepository(db: Db) {
  return {
    /** The user's switches (undefined: no such user). */
    async party(userId: string): Promise<Party | undefined> {
      const row = await db
        .selectFrom("users")
        .select(["id", "share_read_receipts", "share_last_seen"])
        .where("id", "=", userId)
        .executeTakeFirst();
      return row && toParty(row);
    },

    /** The chat's current members with their switches. */
    async membersOf(chatId: string): Promise<Party[]> {
      const rows = await db
        .selectFrom("chat_members as cm")
        .innerJoin("users as u", "u.id", "cm.user_id")
        .select(["u.id", "u.share_read_receipts", "u.share_last_seen"])
        .where("cm.chat_id", "=", chatId)
        .where("cm.left_at", "is", null)
        .execute();
      return rows.map(toParty);
    },

    /** Every distinct other user who shares a chat with `userId` (each once, however many chats). */
    async peersOf(userId: string): Promise<Party[]> {
      const rows = await db
        .selectFrom("chat_members as mine")
        .innerJoin("chat_members as theirs", "theirs.chat_id", "mine.chat_id")
        .innerJoin("users as u", "u.id", "theirs.user_id")
        .select(["u.id", "u.share_read_receipts", "u.share_last_seen"])
        .distinct()
        .where("mine.user_id", "=", userId)
        .where("mine.left_at", "is", null)
        .where("theirs.left_at", "is", null)
        .where("theirs.user_id", "<>", userId)
        .execute();
      return rows.map(toParty);
    },

    /** The chats `userId` belongs to, each with its other members' switches. */
    async chatsWithMembers(userId: string): Promise<Map<string, Party[]>> {
      const rows = await db
        .selectFrom("chat_members as mine")
        .innerJoin("chat_members as theirs", "theirs.chat_id", "mine.chat_id")
        .innerJoin("users as u", "u.id", "theirs.user_id")
        .select(["mine.chat_id", "u.id", "u.share_read_receipts", "u.share_last_seen"])
        .where("mine.user_id", "=", userId)
        .where("mine.left_at", "is", null)
        .where("theirs.left_at", "is", null)
        .where("theirs.user_id", "<>", userId)
        .execute();
      const byChat = new Map<string, Party[]>();
      for (const row of rows) {
        const list = byChat.get(row.chat_id) ?? [];
        list.push(toParty(row));
        byChat.set(row.chat_id, list);
      }
      return byChat;
    },

    /** Read positions of a chat's members (0: nothing read yet). */
    async readSeqsOf(chatId: string, userIds: string[]): Promise<Map<string, number>> {
      if (userIds.length === 0) return new Map();
      const rows = await db
        .selectFrom("chat_members")
        .select(["user_id", "read_seq"])
        .where("chat_id", "=", chatId)
        .where("user_id", "in", userIds)
        .execute();
      return new Map(rows.map((r) => [r.user_id, Number(r.read_seq)]));
    },

    async lastSeenOf(userId: string): Promise<number | null> {
      const row = await db
        .selectFrom("users")
        .select("last_seen_at")
        .where("id", "=", userId)
        .executeTakeFirst();
      return row?.last_seen_at == null ? null : Number(row.last_seen_at);
    },

    /** Records when the user's last socket closed (never moving it backwards). */
    async setLastSeen(userId: string, at: number): Promise<void> {
      await db
        .updateTable("users")
        .set({ last_seen_at: at })
        .where("id", "=", userId)
        .where((eb) => eb.or([eb("last_seen_at", "is", null), eb("last_seen_at", "<", at)]))
        .execute();
    },
  };
}

export type PresenceRepository = ReturnType<typeof createPresenceRepository>;
