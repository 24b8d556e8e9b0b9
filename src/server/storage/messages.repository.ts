import type { Db } from "./database.js";

export interface MessageRow {
  chat_id: string;
  seq: number;
  sender_id: string;
  sender_username: string;
  client_id: string;
  body: string;
  created_at: number;
}

export interface NewMessage {
  chatId: string;
  senderId: string;
  clientId: string;
  body: string;
  createdAt: number;
}

export type StoreResult =
  /** Stored now; `restoredFor` are members whose removed chat came back with it. */
  | { kind: "stored"; seq: number; restoredFor: string[] }
  /** A retry: the message stored the first time. */
  | { kind: "duplicate"; seq: number; body: string; createdAt: number }
  | { kind: "missing_chat" }
  | { kind: "failed"; error: unknown };

export interface PageQuery {
  chatId: string;
  /** Only messages above this seq are visible to the caller (clear-for-me). */
  visibleAfter: number;
  beforeSeq?: number;
  afterSeq?: number;
  limit: number;
}

type Executor = Pick<Db, "selectFrom" | "updateTable" | "insertInto">;

/** One message inside an open transaction: seq comes from the chat's counter in that same transaction. */
async function storeOne(trx: Executor, m: NewMessage): Promise<StoreResult> {
  const existing = await trx
    .selectFrom("messages")
    .select(["seq", "body", "created_at"])
    .where("chat_id", "=", m.chatId)
    .where("sender_id", "=", m.senderId)
    .where("client_id", "=", m.clientId)
    .executeTakeFirst();
  if (existing)
    return { kind: "duplicate", seq: existing.seq, body: existing.body, createdAt: existing.created_at };

  const chat = await trx
    .updateTable("chats")
    .set((eb) => ({ last_seq: eb("last_seq", "+", 1), last_activity_at: m.createdAt }))
    .where("id", "=", m.chatId)
    .returning("last_seq")
    .executeTakeFirst();
  if (!chat) return { kind: "missing_chat" };

  await trx
    .insertInto("messages")
    .values({
      chat_id: m.chatId,
      seq: chat.last_seq,
      sender_id: m.senderId,
      client_id: m.clientId,
      body: m.body,
      created_at: m.createdAt,
    })
    .execute();
  const restored = await trx
    .updateTable("chat_members")
    .set({ removed_at: null })
    .where("chat_id", "=", m.chatId)
    .where("removed_at", "is not", null)
    .returning("user_id")
    .execute();
  return { kind: "stored", seq: chat.last_seq, restoredFor: restored.map((r) => r.user_id) };
}

export function createMessagesRepository(db: Db) {
  return {
    /**
     * Stores messages in one transaction (one durable commit for all of them). If that
     * transaction fails, each message is tried alone so one bad message cannot sink the others.
     */
    async storeBatch(batch: NewMessage[]): Promise<StoreResult[]> {
      try {
        return await db.transaction().execute(async (trx) => {
          const results: StoreResult[] = [];
          for (const m of batch) results.push(await storeOne(trx, m));
          return results;
        });
      } catch (error) {
        if (batch.length === 1) return [{ kind: "failed", error }];
        const results: StoreResult[] = [];
        for (const m of batch) results.push(...(await this.storeBatch([m])));
        return results;
      }
    },

    async page(q: PageQuery): Promise<{ rows: MessageRow[]; hasMore: boolean }> {
      const ascending = q.afterSeq !== undefined;
      let query = db
        .selectFrom("messages as m")
        .innerJoin("users as u", "u.id", "m.sender_id")
        .select([
          "m.chat_id",
          "m.seq",
          "m.sender_id",
          "u.username as sender_username",
          "m.client_id",
          "m.body",
          "m.created_at",
        ])
        .where("m.chat_id", "=", q.chatId)
        .where("m.seq", ">", Math.max(q.visibleAfter, q.afterSeq ?? 0))
        .orderBy("m.seq", ascending ? "asc" : "desc")
        .limit(q.limit + 1);
      if (q.beforeSeq !== undefined) query = query.where("m.seq", "<", q.beforeSeq);
      const rows = await query.execute();
      const hasMore = rows.length > q.limit;
      const page = rows.slice(0, q.limit);
      return { rows: ascending ? page : page.reverse(), hasMore };
    },
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
