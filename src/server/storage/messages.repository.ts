import type { Db } from "./database.js";
import { isPerMessageFailure, isUniqueViolation } from "./dialects/errors.js";

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

/** Stores a batch of messages in one transaction; each dialect has its own lean implementation. */
export interface MessageWriter {
  storeBatch(batch: NewMessage[]): Promise<StoreResult[]>;
  /** After the last batch: releases the writer's own connection or thread. */
  close(): Promise<void>;
}

export function createMessagesRepository(db: Db, writer: MessageWriter) {
  /** A message alone; a unique violation means a concurrent retry won the race, so read it back. */
  async function storeAlone(message: NewMessage, attempt = 1): Promise<StoreResult> {
    try {
      const [result] = await writer.storeBatch([message]);
      return result ?? { kind: "failed", error: new Error("no result") };
    } catch (error) {
      if (attempt === 1 && isUniqueViolation(error)) return storeAlone(message, 2);
      return { kind: "failed", error };
    }
  }

  return {
    /**
     * Stores messages in one transaction: one durable commit for all of them. If that transaction
     * fails for a reason one message can cause, each message is tried alone so one bad message
     * cannot sink the others; a database that is unreachable or busy fails them all at once.
     */
    async storeBatch(batch: NewMessage[]): Promise<StoreResult[]> {
      try {
        return await writer.storeBatch(batch);
      } catch (error) {
        if (!isPerMessageFailure(error)) return batch.map(() => ({ kind: "failed", error }));
        const results: StoreResult[] = [];
        for (const message of batch) results.push(await storeAlone(message));
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
