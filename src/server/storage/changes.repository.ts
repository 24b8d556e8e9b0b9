import { type SqlBool, sql } from "kysely";
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
  /** The chat's counters, read with the membership just before. */
  counters: { lastSeq: number; lastRev: number };
}

export interface ChangesRows {
  /** Messages the viewer can see, changed after `afterRev`, in rev order (up to limit + 1). */
  rows: MessageRow[];
  reactions: ReactionRow[];
  /** The viewer's hides after `afterPos`, in position order (up to limit + 1). */
  hidden: { seq: number; pos: number }[];
}

/** Messages changed since they were stored: the rows messages_changes holds (migration 014). */
const changedSinceStored = sql<SqlBool>`(m.created_rev is null or m.rev <> m.created_rev)`;

/** Below this many seqs, scanning is cheaper than another probe. */
const SCAN_SPAN = 64;

export function createChangesRepository(db: Db) {
  /** Whether the newest message at or below `seq` was stored at or before `afterRev` (or none is). */
  async function storedBy(chatId: string, seq: number, afterRev: number): Promise<boolean> {
    if (seq <= 0) return true;
    const row = await db
      .selectFrom("messages")
      .select("created_rev")
      .where("chat_id", "=", chatId)
      .where("seq", "<=", seq)
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst();
    return row?.created_rev == null || row.created_rev <= afterRev;
  }

  /** The largest seq in [low, high] for which `storedBy` holds, to within SCAN_SPAN (`low` must hold). */
  async function narrow(chatId: string, afterRev: number, low: number, high: number): Promise<number> {
    let from = low;
    let to = high;
    while (to - from > SCAN_SPAN) {
      const middle = Math.floor((from + to + 1) / 2);
      if (await storedBy(chatId, middle, afterRev)) from = middle;
      else to = middle - 1;
    }
    return from;
  }

  /**
   * The messages changed or stored after `afterRev`, in rev order, in one statement (one snapshot:
   * two reads could miss a message changed between them): the changed ones by (chat_id, rev)
   * from messages_changes, the unchanged ones by (chat_id, seq) from above `fromSeq`.
   */
  function messagesAfter(q: ChangesQuery, fromSeq: number): Promise<MessageRow[]> {
    const changed = selectMessageRows(db)
      .where("m.chat_id", "=", q.chatId)
      .where("m.rev", ">", q.afterRev)
      .where(changedSinceStored)
      .where(visibleTo(q.viewer))
      .orderBy("m.rev")
      .limit(q.limit + 1);
    const unchanged = selectMessageRows(db)
      .where("m.chat_id", "=", q.chatId)
      .where(visibleTo(q.viewer, fromSeq))
      .where("m.created_rev", ">", q.afterRev)
      // Unchanged: rev = created_rev, written as <= (a rev only rises). PostgreSQL guesses that an
      // equality of two columns holds for 0.5 % of rows, and would then sort the whole chat.
      .whereRef("m.rev", "<=", "m.created_rev")
      .orderBy("m.seq")
      .limit(q.limit + 1);
    return db
      .selectFrom(changed.as("changed"))
      .selectAll()
      .unionAll(db.selectFrom(unchanged.as("unchanged")).selectAll())
      .orderBy("rev")
      .limit(q.limit + 1)
      .execute();
  }

  return {
    /**
     * The messages changed or stored after `afterRev` (above), and the viewer's hides after
     * `afterPos` by (chat_id, user_id, pos).
     *
     * Where the unchanged ones start: creation revs rise with seq (both come from the chat's
     * counters in one commit), and rows without one (stored before migration 014) come first and
     * are all in messages_changes, so `storedBy(s)` holds for every s up to that point and for
     * none above it. A message's creation rev is its seq plus the changes made before it (each
     * moves rev one further ahead of seq): at most the chat's current lead, which puts the start
     * between afterRev minus the lead and afterRev. A small lead is scanned (a probe of it runs
     * alongside, in case); a large one is narrowed down by probes first.
     */
    async since(q: ChangesQuery): Promise<ChangesRows> {
      const { lastSeq, lastRev } = q.counters;
      const high = Math.max(0, Math.min(q.afterRev, lastSeq));
      const guess = Math.min(high, Math.max(0, q.afterRev - (lastRev - lastSeq)));
      const wide = high - guess > SCAN_SPAN;
      const start = wide
        ? storedBy(q.chatId, guess, q.afterRev).then((holds) =>
            narrow(q.chatId, q.afterRev, holds ? guess : 0, high),
          )
        : Promise.resolve(guess);
      const [firstRows, hidden, guessHolds] = await Promise.all([
        start.then((seq) => messagesAfter(q, seq)),
        db
          .selectFrom("hidden_messages")
          .select(["seq", "pos"])
          .where("chat_id", "=", q.chatId)
          .where("user_id", "=", q.viewer.userId)
          .where("pos", ">", q.afterPos)
          .orderBy("pos")
          .limit(q.limit + 1)
          .execute(),
        wide || storedBy(q.chatId, guess, q.afterRev),
      ]);
      // Never expected (the counters would have to move against each other): search from 0.
      const rows = guessHolds
        ? firstRows
        : await messagesAfter(q, await narrow(q.chatId, q.afterRev, 0, high));
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
