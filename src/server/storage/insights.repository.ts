import { type RawBuilder, sql } from "kysely";
import type { Db } from "./database.js";
import { notHiddenFor } from "./message-rows.js";
import type { ChatsTable } from "./schema.js";

/** One local hour of one direction: `bucket` is local epoch ms / 1 h. */
export interface HourBucketRow {
  bucket: number;
  /** 1 when the caller sent these messages, 0 when others did. */
  sent: number;
  messages: number;
  characters: number;
}

export interface ChatCountRow {
  chat_id: string;
  count: number;
}

/** How many replies took `gap` whole seconds. */
export interface ReplyGapRow {
  gap: number;
  count: number;
}

export interface ChatMemberRow {
  chat_id: string;
  kind: ChatsTable["kind"];
  /** A group's own title (null for direct chats). */
  title: string | null;
  id: string;
  username: string;
}

/** The offset in force from `startUtc` (inclusive) to `endUtc` (exclusive): local = UTC + offsetMs. */
export interface OffsetSpan {
  startUtc: number;
  endUtc: number;
  offsetMs: number;
}

export interface InsightsScope {
  userId: string;
  /** Only this chat (membership already checked); all the caller's chats when absent. */
  chatId?: string;
  /** Messages with startUtc ≤ created_at < endUtc. */
  startUtc: number;
  endUtc: number;
  /** Offsets covering [startUtc, endUtc) in order, at least one. */
  offsets: OffsetSpan[];
}

const HOUR_MS = 3_600_000;

/**
 * `m.created_at` in local time: a CASE over the offset boundaries of the range. The boundaries are
 * integers the service computed, inlined as literals so that both dialects keep integer
 * arithmetic (better-sqlite3 would bind parameters as REAL and turn `/` into a real division).
 */
function localTime(offsets: OffsetSpan[]): RawBuilder<number> {
  const last = offsets[offsets.length - 1];
  if (!last) throw new Error("no offsets");
  if (offsets.length === 1) return sql<number>`(m.created_at + ${sql.lit(last.offsetMs)})`;
  const branches = offsets
    .slice(0, -1)
    .map((o) => sql`when m.created_at < ${sql.lit(o.endUtc)} then ${sql.lit(o.offsetMs)}`);
  return sql<number>`(m.created_at + case ${sql.join(branches, sql` `)} else ${sql.lit(last.offsetMs)} end)`;
}

/**
 * Statistics over the messages a member can see: every chat they belong to (also ones removed
 * from their list, never groups they left), only messages after their `cleared_seq` and from the
 * moment they joined, none deleted for everyone, hidden for them, or written by the server. Everything is grouped in SQL; the
 * service only folds the (few thousand at most) grouped rows.
 */
export function createInsightsRepository(db: Db) {
  function visibleMessages(scope: InsightsScope) {
    let query = db
      .selectFrom("chat_members as cm")
      .innerJoin("messages as m", (join) =>
        join
          .onRef("m.chat_id", "=", "cm.chat_id")
          // Two plain comparisons, not visibleFloor(): this walks messages_insights by created_at,
          // so the seq bound is a per-row filter here, and these are cheaper to evaluate.
          .onRef("m.seq", ">", "cm.cleared_seq")
          .onRef("m.seq", ">=", "cm.visible_from_seq"),
      )
      .where("cm.user_id", "=", scope.userId)
      .where("cm.left_at", "is", null)
      .where("m.created_at", ">=", scope.startUtc)
      .where("m.created_at", "<", scope.endUtc)
      // What people wrote and the member still sees: no system notes, tombstones or hidden ones.
      .where("m.system", "is", null)
      .where("m.deleted_at", "is", null)
      .where(notHiddenFor("cm"));
    if (scope.chatId !== undefined) query = query.where("cm.chat_id", "=", scope.chatId);
    return query;
  }

  return {
    /** Messages and characters per local hour, split into sent and received. */
    async hourBuckets(scope: InsightsScope): Promise<HourBucketRow[]> {
      const rows = await visibleMessages(scope)
        .select([
          sql<number>`${localTime(scope.offsets)} / ${sql.lit(HOUR_MS)}`.as("bucket"),
          sql<number>`case when m.sender_id = ${scope.userId} then 1 else 0 end`.as("sent"),
          (eb) => eb.fn.countAll<number>().as("messages"),
          sql<number>`sum(length(m.body))`.as("characters"),
        ])
        .groupBy([sql`1`, sql`2`])
        .execute();
      return rows.map((r) => ({
        bucket: Number(r.bucket),
        sent: Number(r.sent),
        messages: Number(r.messages),
        characters: Number(r.characters),
      }));
    },

    /** The busiest chats, most messages first (ties by id, so the order is stable). */
    async topChats(scope: InsightsScope, limit: number): Promise<ChatCountRow[]> {
      const rows = await visibleMessages(scope)
        // cm.chat_id, not m.chat_id: rows arrive in that order from the membership index, so SQLite
        // groups them as they stream instead of sorting them first.
        .select(["cm.chat_id", (eb) => eb.fn.countAll<number>().as("count")])
        .groupBy("cm.chat_id")
        .orderBy("count", "desc")
        .orderBy("cm.chat_id")
        .limit(limit)
        .execute();
      return rows.map((r) => ({ chat_id: r.chat_id, count: Number(r.count) }));
    },

    /**
     * Reply gaps: each message of the caller whose direct predecessor in the chat (seq − 1, also
     * visible to them) came from someone else. Seqs have no holes among visible messages (clearing
     * for everyone deletes a prefix), so seq − 1 is the previous message.
     */
    async replyGaps(scope: InsightsScope): Promise<ReplyGapRow[]> {
      const rows = await visibleMessages(scope)
        .innerJoin("messages as p", (join) =>
          join
            .onRef("p.chat_id", "=", "m.chat_id")
            .on((eb) => eb("p.seq", "=", eb("m.seq", "-", 1)))
            .onRef("p.seq", ">", "cm.cleared_seq"),
        )
        .where("m.sender_id", "=", scope.userId)
        .where("p.sender_id", "<>", scope.userId)
        .select([
          sql<number>`(m.created_at - p.created_at) / ${sql.lit(1000)}`.as("gap"),
          (eb) => eb.fn.countAll<number>().as("count"),
        ])
        .groupBy(sql`1`)
        .execute();
      return rows.map((r) => ({ gap: Number(r.gap), count: Number(r.count) }));
    },

    /** Members of the given chats (for titles), in join order. */
    async members(chatIds: string[]): Promise<ChatMemberRow[]> {
      if (chatIds.length === 0) return [];
      return db
        .selectFrom("chat_members as cm")
        .innerJoin("chats as c", "c.id", "cm.chat_id")
        .innerJoin("users as u", "u.id", "cm.user_id")
        .select(["cm.chat_id", "c.kind", "c.title", "u.id", "u.username"])
        .where("cm.chat_id", "in", chatIds)
        .where("cm.left_at", "is", null)
        .orderBy("cm.joined_at")
        .orderBy("u.username")
        .execute();
    },
  };
}

export type InsightsRepository = ReturnType<typeof createInsightsRepository>;
