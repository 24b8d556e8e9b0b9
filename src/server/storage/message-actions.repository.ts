import type { Transaction } from "kysely";
import type { Db } from "./database.js";
import type { Database, MemberRole } from "./schema.js";

export interface StoredMessageState {
  seq: number;
  sender_id: string;
  created_at: number;
  deleted_at: number | null;
  system: string | null;
}

export interface MemberState {
  role: MemberRole;
  clearedSeq: number;
  visibleFromSeq: number;
  hidden: boolean;
}

/**
 * The operations of one change to a chat's messages, inside the transaction that holds the chat
 * row: every rev handed out here is committed in order, after all earlier ones.
 */
export interface ChatChange {
  kind: "direct" | "group";
  nextRev(): number;
  /** The member and whether they hid `seq`; undefined for non-members and those who left. */
  member(userId: string, seq: number): Promise<MemberState | undefined>;
  message(seq: number): Promise<StoredMessageState | undefined>;
  setBody(seq: number, body: string, editedAt: number): Promise<void>;
  /** Body, reply and reactions go; the row stays in its place. */
  tombstone(seq: number, deletedAt: number): Promise<void>;
  /** Gives each message replying to `seq` a new rev; returns their seqs. */
  touchReplies(seq: number): Promise<number[]>;
  /** Adds the reaction unless present, or refuses a new emoji beyond `maxDistinct` (0 = no limit). */
  addReaction(
    seq: number,
    emoji: string,
    userId: string,
    maxDistinct: number,
  ): Promise<"added" | "present" | "full">;
  removeReaction(seq: number, emoji: string, userId: string): Promise<boolean>;
  /** Gives the message a new rev (its reactions changed). */
  touch(seq: number): Promise<void>;
}

export function createMessageActionsRepository(db: Db) {
  return {
    /**
     * Runs `work` in one transaction that first takes the chat row (a write, so SQLite takes its
     * write lock at once and PostgreSQL its row lock): revs follow commit order, as for sends.
     * Returns undefined when the chat does not exist.
     */
    async inChat<T>(chatId: string, work: (change: ChatChange) => Promise<T>): Promise<T | undefined> {
      return db.transaction().execute(async (trx) => {
        const chat = await trx
          .updateTable("chats")
          .set((eb) => ({ last_rev: eb.ref("last_rev") }))
          .where("id", "=", chatId)
          .returning(["last_rev", "kind"])
          .executeTakeFirst();
        if (!chat) return undefined;
        let rev = chat.last_rev;
        const change = changeOps(trx, chatId, chat.kind, () => ++rev);
        const result = await work(change);
        if (rev !== chat.last_rev)
          await trx.updateTable("chats").set({ last_rev: rev }).where("id", "=", chatId).execute();
        return result;
      });
    },

    /** Hides a message for one member (idempotent); returns false when it was hidden already. */
    async hide(chatId: string, userId: string, seq: number): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const member = await trx
          .updateTable("chat_members")
          .set((eb) => ({ hidden_pos: eb("hidden_pos", "+", 1) }))
          .where("chat_id", "=", chatId)
          .where("user_id", "=", userId)
          .returning("hidden_pos")
          .executeTakeFirst();
        if (!member) return false;
        const inserted = await trx
          .insertInto("hidden_messages")
          .values({ chat_id: chatId, user_id: userId, seq, pos: member.hidden_pos })
          .onConflict((oc) => oc.columns(["chat_id", "user_id", "seq"]).doNothing())
          .returning("pos")
          .executeTakeFirst();
        if (!inserted) {
          // Already hidden: give the position back so the counter only counts real hides.
          await trx
            .updateTable("chat_members")
            .set((eb) => ({ hidden_pos: eb("hidden_pos", "-", 1) }))
            .where("chat_id", "=", chatId)
            .where("user_id", "=", userId)
            .execute();
        }
        return inserted !== undefined;
      });
    },

    /** For each seq, the members who can see it (not left, not cleared, joined before, not hidden). */
    async viewersOf(chatId: string, seqs: number[]): Promise<Map<number, string[]>> {
      const viewers = new Map<number, string[]>(seqs.map((seq) => [seq, []]));
      if (seqs.length === 0) return viewers;
      const [members, hidden] = await Promise.all([
        db
          .selectFrom("chat_members")
          .select(["user_id", "cleared_seq", "visible_from_seq"])
          .where("chat_id", "=", chatId)
          .where("left_at", "is", null)
          .execute(),
        db
          .selectFrom("hidden_messages")
          .select(["user_id", "seq"])
          .where("chat_id", "=", chatId)
          .where("seq", "in", seqs)
          .execute(),
      ]);
      const hiddenKeys = new Set(hidden.map((h) => `${h.seq}:${h.user_id}`));
      for (const seq of seqs) {
        const list = viewers.get(seq) ?? [];
        for (const m of members) {
          if (seq > m.cleared_seq && seq >= m.visible_from_seq && !hiddenKeys.has(`${seq}:${m.user_id}`)) {
            list.push(m.user_id);
          }
        }
      }
      return viewers;
    },
  };
}

function changeOps(
  trx: Transaction<Database>,
  chatId: string,
  kind: ChatChange["kind"],
  nextRev: () => number,
): ChatChange {
  return {
    kind,
    nextRev,
    async member(userId, seq) {
      const row = await trx
        .selectFrom("chat_members as cm")
        .select((eb) => [
          "cm.role",
          "cm.cleared_seq",
          "cm.visible_from_seq",
          eb
            .exists(
              eb
                .selectFrom("hidden_messages as h")
                .select("h.seq")
                .whereRef("h.chat_id", "=", "cm.chat_id")
                .whereRef("h.user_id", "=", "cm.user_id")
                .where("h.seq", "=", seq),
            )
            .as("hidden"),
        ])
        .where("cm.chat_id", "=", chatId)
        .where("cm.user_id", "=", userId)
        .where("cm.left_at", "is", null)
        .executeTakeFirst();
      return (
        row && {
          role: row.role,
          clearedSeq: row.cleared_seq,
          visibleFromSeq: row.visible_from_seq,
          hidden: Boolean(row.hidden),
        }
      );
    },
    async message(seq) {
      return trx
        .selectFrom("messages")
        .select(["seq", "sender_id", "created_at", "deleted_at", "system"])
        .where("chat_id", "=", chatId)
        .where("seq", "=", seq)
        .executeTakeFirst();
    },
    async setBody(seq, body, editedAt) {
      await trx
        .updateTable("messages")
        .set({ body, edited_at: editedAt, rev: nextRev() })
        .where("chat_id", "=", chatId)
        .where("seq", "=", seq)
        .execute();
    },
    async tombstone(seq, deletedAt) {
      await trx
        .deleteFrom("message_reactions")
        .where("chat_id", "=", chatId)
        .where("seq", "=", seq)
        .execute();
      await trx
        .updateTable("messages")
        .set({ body: "", reply_to_seq: null, deleted_at: deletedAt, rev: nextRev() })
        .where("chat_id", "=", chatId)
        .where("seq", "=", seq)
        .execute();
    },
    async touchReplies(seq) {
      const replies = await trx
        .selectFrom("messages")
        .select("seq")
        .where("chat_id", "=", chatId)
        .where("reply_to_seq", "=", seq)
        .orderBy("seq")
        .execute();
      for (const reply of replies) await this.touch(reply.seq);
      return replies.map((r) => r.seq);
    },
    async addReaction(seq, emoji, userId, maxDistinct) {
      const rows = await trx
        .selectFrom("message_reactions")
        .select(["emoji", "user_id", "emoji_rev"])
        .where("chat_id", "=", chatId)
        .where("seq", "=", seq)
        .execute();
      if (rows.some((r) => r.emoji === emoji && r.user_id === userId)) return "present";
      const distinct = new Set(rows.map((r) => r.emoji));
      if (!distinct.has(emoji) && maxDistinct > 0 && distinct.size >= maxDistinct) return "full";
      const rev = nextRev();
      const emojiRev = rows.find((r) => r.emoji === emoji)?.emoji_rev ?? rev;
      await trx
        .insertInto("message_reactions")
        .values({ chat_id: chatId, seq, emoji, user_id: userId, rev, emoji_rev: emojiRev })
        .execute();
      await trx
        .updateTable("messages")
        .set({ rev })
        .where("chat_id", "=", chatId)
        .where("seq", "=", seq)
        .execute();
      return "added";
    },
    async removeReaction(seq, emoji, userId) {
      const removed = await trx
        .deleteFrom("message_reactions")
        .where("chat_id", "=", chatId)
        .where("seq", "=", seq)
        .where("emoji", "=", emoji)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) return false;
      await this.touch(seq);
      return true;
    },
    async touch(seq) {
      await trx
        .updateTable("messages")
        .set({ rev: nextRev() })
        .where("chat_id", "=", chatId)
        .where("seq", "=", seq)
        .execute();
    },
  };
}

export type MessageActionsRepository = ReturnType<typeof createMessageActionsRepository>;
