import { sql } from "kysely";
import type { Db } from "./database.js";
import { isUniqueViolation } from "./dialects/errors.js";
import {
  lastVisibleSeq,
  type MessageRow,
  pendingRequest,
  type ReactionRow,
  rowsByKeys,
  unreadCount,
} from "./message-rows.js";
import type { ChatsTable, MemberRole } from "./schema.js";

export interface ChatListRow {
  id: string;
  kind: ChatsTable["kind"];
  title: string | null;
  created_at: number;
  last_activity_at: number;
  last_rev: number;
  /** The caller's membership: for the feed cursor. */
  cleared_seq: number;
  visible_from_seq: number;
  hidden_pos: number;
  /** The newest message the caller can see, if any. */
  last_visible_seq: number | null;
  /** A message request for the caller (see pendingRequest); absent where never one (groups). */
  request?: boolean;
}

export interface MemberRow {
  chat_id: string;
  id: string;
  username: string;
  role: MemberRole;
  /** For receipts and presence, shown only as `privacy.ts` allows. */
  read_seq: number;
  share_read_receipts: number;
  share_last_seen: number;
  last_seen_at: number | null;
}

/** The columns of a MemberRow (chat_members as cm, users as u). */
export const MEMBER_COLUMNS = [
  "cm.chat_id",
  "u.id",
  "u.username",
  "cm.role",
  "cm.read_seq",
  "u.share_read_receipts",
  "u.share_last_seen",
  "u.last_seen_at",
] as const;

export interface ChatListData {
  chats: ChatListRow[];
  members: MemberRow[];
  unread: Map<string, number>;
  /** The chats' last visible messages and their reactions. */
  lastMessages: MessageRow[];
  reactions: ReactionRow[];
}

export interface Membership {
  kind: ChatsTable["kind"];
  removedAt: number | null;
  clearedSeq: number;
  readSeq: number;
  role: MemberRole;
  visibleFromSeq: number;
  leftAt: number | null;
  hiddenPos: number;
  /** Where the chat's counters stand (chats.last_seq, chats.last_rev). */
  lastSeq: number;
  lastRev: number;
}

export function createChatsRepository(db: Db) {
  return {
    /**
     * The caller's visible chats with last visible message, members and unread counts:
     * three queries whatever the number of chats. `onlyChatId` narrows it to one chat.
     */
    async listForUser(userId: string, onlyChatId?: string): Promise<ChatListData> {
      let chatsQuery = db
        .selectFrom("chat_members as cm")
        .innerJoin("chats as c", "c.id", "cm.chat_id")
        .select((eb) => [
          "c.id",
          "c.kind",
          "c.title",
          "c.created_at",
          "c.last_activity_at",
          "c.last_rev",
          "cm.cleared_seq",
          "cm.visible_from_seq",
          "cm.hidden_pos",
          lastVisibleSeq(eb),
          unreadCount(eb),
          pendingRequest(eb),
        ])
        .where("cm.user_id", "=", userId)
        .where("cm.removed_at", "is", null)
        .where("cm.left_at", "is", null)
        .orderBy("c.last_activity_at", "desc")
        .orderBy("c.id");
      if (onlyChatId) chatsQuery = chatsQuery.where("c.id", "=", onlyChatId);

      const visibleChatIds = db
        .selectFrom("chat_members")
        .select("chat_id")
        .where("user_id", "=", userId)
        .where("removed_at", "is", null)
        .where("left_at", "is", null);
      let membersQuery = db
        .selectFrom("chat_members as cm")
        .innerJoin("users as u", "u.id", "cm.user_id")
        .select(MEMBER_COLUMNS)
        .where("cm.left_at", "is", null)
        .orderBy("cm.joined_at")
        .orderBy("u.username");
      membersQuery = onlyChatId
        ? membersQuery.where("cm.chat_id", "=", onlyChatId)
        : membersQuery.where("cm.chat_id", "in", visibleChatIds);

      const [chatRows, members] = await Promise.all([chatsQuery.execute(), membersQuery.execute()]);
      const unread = new Map<string, number>();
      const chats = chatRows.map(({ unread: count, ...row }) => {
        unread.set(row.id, Number(count ?? 0));
        return {
          ...row,
          last_visible_seq: row.last_visible_seq === null ? null : Number(row.last_visible_seq),
          // SQLite answers 0/1, PostgreSQL a boolean.
          request: Boolean(row.request),
        };
      });
      const keys = chats.flatMap((c) =>
        c.last_visible_seq === null ? [] : [{ chatId: c.id, seq: c.last_visible_seq }],
      );
      const { rows: lastMessages, reactions } = await rowsByKeys(db, keys);
      return { chats, members, unread, lastMessages, reactions };
    },

    /** Every chat the user belongs to, removed from the list or not: their sockets follow all of them. */
    async chatIdsOf(userId: string): Promise<string[]> {
      const rows = await db
        .selectFrom("chat_members")
        .select("chat_id")
        .where("user_id", "=", userId)
        .where("left_at", "is", null)
        .execute();
      return rows.map((r) => r.chat_id);
    },

    async membership(chatId: string, userId: string): Promise<Membership | undefined> {
      const row = await db
        .selectFrom("chat_members as cm")
        .innerJoin("chats as c", "c.id", "cm.chat_id")
        .select([
          "c.kind",
          "cm.removed_at",
          "cm.cleared_seq",
          "cm.read_seq",
          "cm.role",
          "cm.visible_from_seq",
          "cm.left_at",
          "cm.hidden_pos",
          "c.last_seq",
          "c.last_rev",
        ])
        .where("cm.chat_id", "=", chatId)
        .where("cm.user_id", "=", userId)
        .executeTakeFirst();
      return (
        row && {
          kind: row.kind,
          removedAt: row.removed_at,
          clearedSeq: row.cleared_seq,
          readSeq: row.read_seq,
          role: row.role,
          visibleFromSeq: row.visible_from_seq,
          leftAt: row.left_at,
          hiddenPos: row.hidden_pos,
          lastSeq: row.last_seq,
          lastRev: row.last_rev,
        }
      );
    },

    async findDirect(directKey: string): Promise<string | undefined> {
      const row = await db
        .selectFrom("chats")
        .select("id")
        .where("direct_key", "=", directKey)
        .executeTakeFirst();
      return row?.id;
    },

    /**
     * Creates the chat with its members; when a concurrent request made it first, returns that one.
     * `receiver`: the other member's side starts as a message request, and/or removed from their
     * list (they block the caller: it stays out of their list and empty for them).
     */
    async createDirect(chat: {
      id: string;
      directKey: string;
      memberIds: string[];
      now: number;
      receiver?: { userId: string; request: boolean; hidden: boolean };
    }) {
      try {
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto("chats")
            .values({
              id: chat.id,
              kind: "direct",
              direct_key: chat.directKey,
              created_at: chat.now,
              last_activity_at: chat.now,
            })
            .execute();
          await trx
            .insertInto("chat_members")
            .values(
              chat.memberIds.map((userId) => {
                const side = chat.receiver?.userId === userId ? chat.receiver : undefined;
                return {
                  chat_id: chat.id,
                  user_id: userId,
                  joined_at: chat.now,
                  request: side?.request ? 1 : 0,
                  removed_at: side?.hidden ? chat.now : null,
                };
              }),
            )
            .execute();
        });
        return { chatId: chat.id, created: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const existing = await this.findDirect(chat.directKey);
        if (!existing) throw error;
        return { chatId: existing, created: false };
      }
    },

    async setRemoved(chatId: string, userId: string, removedAt: number | null): Promise<void> {
      await db
        .updateTable("chat_members")
        .set({ removed_at: removedAt })
        .where("chat_id", "=", chatId)
        .where("user_id", "=", userId)
        .execute();
    },

    /** Hides everything up to now for one member; returns the seq it was cleared up to. */
    async clearForMember(chatId: string, userId: string): Promise<number | undefined> {
      const lastSeq = db.selectFrom("chats").select("last_seq").where("id", "=", chatId);
      const row = await db
        .updateTable("chat_members")
        .set({ cleared_seq: lastSeq, read_seq: lastSeq })
        .where("chat_id", "=", chatId)
        .where("user_id", "=", userId)
        .returning("cleared_seq")
        .executeTakeFirst();
      return row?.cleared_seq;
    },

    /** Deletes the history for every member; seq numbers keep counting from where they were. */
    /** Returns the seq up to which the history was cleared (undefined: no such chat). */
    async clearForEveryone(chatId: string): Promise<number | undefined> {
      return db.transaction().execute(async (trx) => {
        // Taking the chat row first orders this against concurrent sends (which bump it too).
        const chat = await trx
          .updateTable("chats")
          .set((eb) => ({ last_activity_at: eb.ref("last_activity_at") }))
          .where("id", "=", chatId)
          .returning("last_seq")
          .executeTakeFirst();
        if (!chat) return undefined;
        await trx
          .deleteFrom("messages")
          .where("chat_id", "=", chatId)
          .where("seq", "<=", chat.last_seq)
          .execute();
        await trx
          .updateTable("chat_members")
          .set({ cleared_seq: chat.last_seq, read_seq: chat.last_seq })
          .where("chat_id", "=", chatId)
          .execute();
        return chat.last_seq;
      });
    },

    /**
     * Marks messages read up to `seq`, clamped to what exists, never moving backwards; answers the
     * new read position if it moved, else undefined.
     */
    async markRead(chatId: string, userId: string, seq?: number): Promise<number | undefined> {
      const lastSeq = sql<number>`(select last_seq from chats where chats.id = chat_members.chat_id)`;
      const target =
        seq === undefined
          ? lastSeq
          : sql<number>`case when ${lastSeq} < ${seq} then ${lastSeq} else ${seq} end`;
      const result = await db
        .updateTable("chat_members")
        .set({ read_seq: target })
        .where("chat_id", "=", chatId)
        .where("user_id", "=", userId)
        .where("read_seq", "<", target)
        .returning("read_seq")
        .executeTakeFirst();
      return result === undefined ? undefined : Number(result.read_seq);
    },
  };
}

export type ChatsRepository = ReturnType<typeof createChatsRepository>;
