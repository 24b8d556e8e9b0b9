import type { Db } from "./database.js";
import { isPerMessageFailure, isUniqueViolation } from "./dialects/errors.js";
import {
  type MessageRow,
  type ReactionRow,
  reactionsOf,
  selectMessageRows,
  type Viewer,
  visibleTo,
} from "./message-rows.js";

export type { MessageRow, ReactionRow, Viewer } from "./message-rows.js";

export interface NewMessage {
  chatId: string;
  senderId: string;
  clientId: string;
  body: string;
  createdAt: number;
  /** The seq of the message it answers (of the same chat), or null. */
  replyToSeq: number | null;
}

export type StoreResult =
  /**
   * Stored now; `restoredFor` are members whose removed chat came back with it; `hiddenFor` are
   * members it is withheld from (they block the sender: see domain/reach.service.ts).
   */
  | { kind: "stored"; seq: number; rev: number; restoredFor: string[]; hiddenFor: string[] }
  /** A retry: the message stored the first time. */
  | { kind: "duplicate"; seq: number; body: string; createdAt: number }
  | { kind: "missing_chat" }
  /** `replyToSeq` names no message of the chat that the sender can see: nothing stored. */
  | { kind: "invalid_reply" }
  | { kind: "failed"; error: unknown };

export interface PageQuery {
  chatId: string;
  viewer: Viewer;
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

    async page(q: PageQuery): Promise<{ rows: MessageRow[]; reactions: ReactionRow[]; hasMore: boolean }> {
      const ascending = q.afterSeq !== undefined;
      let query = selectMessageRows(db)
        .where("m.chat_id", "=", q.chatId)
        .where(visibleTo(q.viewer, q.afterSeq))
        .orderBy("m.seq", ascending ? "asc" : "desc")
        .limit(q.limit + 1);
      if (q.beforeSeq !== undefined) query = query.where("m.seq", "<", q.beforeSeq);
      const rows = await query.execute();
      const hasMore = rows.length > q.limit;
      const page = rows.slice(0, q.limit);
      const ordered = ascending ? page : page.reverse();
      const reactions = await reactionsOf(
        db,
        q.chatId,
        ordered.map((r) => r.seq),
      );
      return { rows: ordered, reactions, hasMore };
    },

    /** Messages as stored (whoever looks), with their reactions, in seq order. */
    async findMany(
      chatId: string,
      seqs: number[],
    ): Promise<{ rows: MessageRow[]; reactions: ReactionRow[] }> {
      if (seqs.length === 0) return { rows: [], reactions: [] };
      const [rows, reactions] = await Promise.all([
        selectMessageRows(db)
          .where("m.chat_id", "=", chatId)
          .where("m.seq", "in", seqs)
          .orderBy("m.seq")
          .execute(),
        reactionsOf(db, chatId, seqs),
      ]);
      return { rows, reactions };
    },

    /** One message as stored (whoever looks), with its reactions. */
    async find(
      chatId: string,
      seq: number,
    ): Promise<{ row: MessageRow; reactions: ReactionRow[] } | undefined> {
      const row = await selectMessageRows(db)
        .where("m.chat_id", "=", chatId)
        .where("m.seq", "=", seq)
        .executeTakeFirst();
      return row && { row, reactions: await reactionsOf(db, chatId, [seq]) };
    },
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
