import type { Db } from "./database.js";
import {
  type MessageRow,
  type ReactionRow,
  reactionsOf,
  selectMessageRows,
  type Viewer,
  visibleTo,
} from "./message-rows.js";

export interface ChangesQuery {
  chatId: string;
  viewer: Viewer;
  afterRev: number;
  afterPos: number;
  limit: number;
}

export interface ChangesRows {
  /** Messages the viewer can see, changed after `afterRev`, in rev order (up to limit + 1). */
  rows: MessageRow[];
  reactions: ReactionRow[];
  /** The viewer's hides after `afterPos`, in position order (up to limit + 1). */
  hidden: { seq: number; pos: number }[];
}

export function createChangesRepository(db: Db) {
  return {
    /** Two range reads on their own indexes: messages by (chat_id, rev), hides by (chat_id, user_id, pos). */
    async since(q: ChangesQuery): Promise<ChangesRows> {
      const [rows, hidden] = await Promise.all([
        selectMessageRows(db)
          .where("m.chat_id", "=", q.chatId)
          .where("m.rev", ">", q.afterRev)
          .where(visibleTo(q.viewer))
          .orderBy("m.rev")
          .limit(q.limit + 1)
          .execute(),
        db
          .selectFrom("hidden_messages")
          .select(["seq", "pos"])
          .where("chat_id", "=", q.chatId)
          .where("user_id", "=", q.viewer.userId)
          .where("pos", ">", q.afterPos)
          .orderBy("pos")
          .limit(q.limit + 1)
          .execute(),
      ]);
      const reactions = await reactionsOf(
        db,
        q.chatId,
        rows.slice(0, q.limit).map((r) => r.seq),
      );
      return { rows, reactions, hidden };
    },

    /** Where the chat's rev counter stands (the feed's end when nothing is left to read). */
    async lastRev(chatId: string): Promise<number> {
      const row = await db.selectFrom("chats").select("last_rev").where("id", "=", chatId).executeTakeFirst();
      return row?.last_rev ?? 0;
    },
  };
}

export type ChangesRepository = ReturnType<typeof createChangesRepository>;
