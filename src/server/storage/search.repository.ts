import { type RawBuilder, sql } from "kysely";
import type { Db } from "./database.js";
import { type MessageRow, type ReactionRow, rowsByKeys, type Viewer, visibleTo } from "./message-rows.js";

/**
 * Where a search page ends: the last result's (created_at, chat_id, seq), newest first; on SQLite
 * also its rowid, the order the index is walked in (see `search`).
 */
export interface SearchPosition {
  createdAt: number;
  chatId: string;
  seq: number;
  rowid?: number;
}

export interface SearchRequest {
  userId: string;
  /** SQLite: the FTS5 MATCH text; PostgreSQL: the to_tsquery('simple', …) text. Never user syntax. */
  match: string;
  chatId?: string;
  after?: SearchPosition;
  limit: number;
}

interface KeyRow {
  chat_id: string;
  seq: number;
  created_at: number;
  /** SQLite only: messages.rowid. */
  k: number | null;
}

/**
 * Full-text search over both dialects (indexes: migrations 007, 011 and 013). The candidates come from
 * the dialect's index; who may see them is decided here, the same way for both, in one query:
 *  - the caller is a member who has not left (`left_at`); a chat removed from the list still counts,
 *  - the message is above their clear, from their joining on, not hidden for them,
 *  - not a tombstone or a system message (the index holds neither; checked again here).
 * Blocking hook: a block that hides a user's messages for the blocker by writing hidden_messages
 * rows is honoured as it is; a rule kept elsewhere adds its `not exists` next to `hidden` below.
 */
export function createSearchRepository(db: Db, dialect: "sqlite" | "postgres") {
  function visible(userId: string): RawBuilder<unknown> {
    return sql`m.seq > cm.cleared_seq and m.seq >= cm.visible_from_seq
      and m.system is null and m.deleted_at is null
      and not exists (select 1 from hidden_messages h
        where h.chat_id = m.chat_id and h.user_id = ${userId} and h.seq = m.seq)`;
  }

  /** The matching candidates the caller may see after `request.after`, newest first, one more than a page. */
  function keysQuery(request: SearchRequest) {
    // The candidates' table: messages on SQLite, message_search on PostgreSQL.
    const chat = sql.ref(dialect === "sqlite" ? "m.chat_id" : "s.chat_id");
    const member = sql`chat_members cm on cm.chat_id = ${chat} and cm.user_id = ${request.userId}
      and cm.left_at is null`;
    const inChat = request.chatId === undefined ? sql`` : sql`and ${chat} = ${request.chatId}`;
    const limit = request.limit + 1;
    const after = request.after;
    if (dialect === "sqlite") {
      // The FTS table drives the join (cross join fixes the order) and is walked in its rowid
      // order, minus the message's rowid: newest first. The query stops after one page of visible
      // matches instead of sorting them all (a one-letter query would otherwise read most of the
      // index on the server's thread). A message's rowid is its place in commit order: createdAt
      // order but for messages sent in the same few milliseconds.
      const before = after?.rowid === undefined ? sql`` : sql`and s.rowid > ${after.rowid}`;
      return sql<KeyRow>`select m.chat_id, m.seq, m.created_at, s.rowid as k
        from message_search s cross join messages m on m.rowid = -s.rowid cross join ${member}
        where message_search match ${request.match} ${before} and ${visible(request.userId)} ${inChat}
        order by s.rowid limit ${limit}`;
    }
    const before =
      after === undefined
        ? sql``
        : sql`and (s.created_at < ${after.createdAt} or (s.created_at = ${after.createdAt}
            and (s.chat_id < ${after.chatId} or (s.chat_id = ${after.chatId} and s.seq < ${after.seq}))))`;
    // message_search (013) holds exactly the messages that are neither tombstones nor system
    // messages, with their created_at: the candidates are found and ordered without reading messages.
    return sql<KeyRow>`select s.chat_id, s.seq, s.created_at, null as k
      from message_search s join ${member}
      where s.vector @@ to_tsquery('simple', ${request.match})
        and s.seq > cm.cleared_seq and s.seq >= cm.visible_from_seq
        and not exists (select 1 from hidden_messages h
          where h.chat_id = s.chat_id and h.user_id = ${request.userId} and h.seq = s.seq)
        ${inChat} ${before}
      order by s.created_at desc, s.chat_id desc, s.seq desc limit ${limit}`;
  }

  return {
    /** One page of matching messages the caller can see, newest first, and whether more follow. */
    async search(
      request: SearchRequest,
    ): Promise<{ rows: MessageRow[]; reactions: ReactionRow[]; next: SearchPosition | null }> {
      const { rows: keys } = await keysQuery(request).execute(db);
      const page = keys.slice(0, request.limit);
      const last = page.at(-1);
      const next =
        keys.length > request.limit && last
          ? {
              createdAt: Number(last.created_at),
              chatId: last.chat_id,
              seq: Number(last.seq),
              ...(last.k === null ? {} : { rowid: Number(last.k) }),
            }
          : null;
      const found = await rowsByKeys(
        db,
        page.map((k) => ({ chatId: k.chat_id, seq: Number(k.seq) })),
      );
      // The index holds no tombstone or system message; checked again on what is shown.
      const shown = found.rows.filter((r) => r.deleted_at === null && r.system === null);
      const byKey = new Map(shown.map((r) => [`${r.chat_id}\u0000${r.seq}`, r]));
      const rows = page.flatMap((k) => byKey.get(`${k.chat_id}\u0000${Number(k.seq)}`) ?? []);
      return { rows, reactions: found.reactions, next };
    },

    /** The seq of the first message of the chat created at or after `at` that the viewer can see. */
    async firstVisibleAtOrAfter(chatId: string, viewer: Viewer, at: number): Promise<number | undefined> {
      const row = await db
        .selectFrom("messages as m")
        .select("m.seq")
        .where("m.chat_id", "=", chatId)
        .where("m.created_at", ">=", at)
        .where(visibleTo(viewer))
        // In the order of messages_insights (chat_id, created_at, …): the first row is the answer,
        // nothing to sort (two messages of one chat in the same millisecond: either will do).
        .orderBy("m.created_at")
        .limit(1)
        .executeTakeFirst();
      return row?.seq;
    },
  };
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;
