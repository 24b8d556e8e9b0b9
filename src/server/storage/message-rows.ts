import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Db } from "./database.js";
import type { ChatMembersTable, ChatsTable, Database } from "./schema.js";

/** A message as stored, with its sender's name and the message it replies to (current state). */
export interface MessageRow {
  chat_id: string;
  seq: number;
  rev: number;
  sender_id: string;
  sender_username: string;
  client_id: string;
  body: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  system: string | null;
  /** JSON of the attached files (StoredFileRef[]); absent or null: none. */
  files?: string | null;
  reply_to_seq: number | null;
  r_sender_id: string | null;
  r_sender_username: string | null;
  r_body: string | null;
  r_deleted_at: number | null;
}

export interface ReactionRow {
  chat_id: string;
  seq: number;
  emoji: string;
  user_id: string;
}

/** Who reads, and what of the chat they can see: seq > clearedSeq, seq ≥ visibleFromSeq, not hidden. */
export interface Viewer {
  userId: string;
  clearedSeq: number;
  visibleFromSeq: number;
}

type MessagesScope = ExpressionBuilder<Database & { m: Database["messages"] }, "m">;

/** Messages with the sender and the replied-to message joined in; every read of messages starts here. */
export function selectMessageRows(db: Db) {
  return db
    .selectFrom("messages as m")
    .innerJoin("users as u", "u.id", "m.sender_id")
    .leftJoin("messages as r", (join) =>
      join.onRef("r.chat_id", "=", "m.chat_id").onRef("r.seq", "=", "m.reply_to_seq"),
    )
    .leftJoin("users as ru", "ru.id", "r.sender_id")
    .select([
      "m.chat_id",
      "m.seq",
      "m.rev",
      "m.sender_id",
      "u.username as sender_username",
      "m.client_id",
      "m.body",
      "m.created_at",
      "m.edited_at",
      "m.deleted_at",
      "m.system",
      "m.files",
      "m.reply_to_seq",
      "r.sender_id as r_sender_id",
      "ru.username as r_sender_username",
      "r.body as r_body",
      "r.deleted_at as r_deleted_at",
    ]);
}

/** A query over a member row `cm` of a chat `c` (the chat list and its per-member views). */
type MemberScope = ExpressionBuilder<Database & { cm: ChatMembersTable; c: ChatsTable }, "cm" | "c">;

/** Whose view a rule takes: a member row `cm` of the query, or one user given by id. */
export type Member = "cm" | { userId: string };

const userOf = (member: Member): Expression<string> =>
  member === "cm" ? sql.ref<string>("cm.user_id") : sql.val(member.userId);

/**
 * "Not hidden for this member": the message `m` (or the message a file `f` is attached to) has
 * no hidden_messages row for them. Every visibility rule that honours hiding uses this one.
 */
export function notHiddenFor(member: Member, message: "m" | "f" = "m"): RawBuilder<SqlBool> {
  return sql<SqlBool>`not exists (select 1 from hidden_messages as h where h.chat_id = ${sql.ref(
    `${message}.chat_id`,
  )} and h.seq = ${sql.ref(`${message}.seq`)} and h.user_id = ${userOf(member)})`;
}

/** The largest of these integer expressions, portably (SQLite has no `greatest`, PostgreSQL no `max(a, b)`). */
function greatest(first: RawBuilder<number>, ...rest: RawBuilder<number>[]): RawBuilder<number> {
  return rest.reduce((a, b) => sql<number>`(case when ${a} > ${b} then ${a} else ${b} end)`, first);
}

/**
 * The first seq member `cm` can see: above their clear and from their joining on. One bound, not
 * two comparisons: both databases then range the (chat_id, seq) key on it instead of filtering.
 */
export function visibleFloor(): RawBuilder<number> {
  return greatest(sql<number>`cm.cleared_seq + 1`, sql<number>`cm.visible_from_seq`);
}

/** The first seq that is unread for member `cm` (and visible to them): one bound, as above. */
export function unreadFloor(): RawBuilder<number> {
  return greatest(
    sql<number>`cm.read_seq + 1`,
    sql<number>`cm.cleared_seq + 1`,
    sql<number>`cm.visible_from_seq`,
  );
}

/**
 * The newest message of chat `c` that member `cm` can see: walks the chat's newest messages
 * backwards by key and stops at the first one above their clear, from their joining on, and
 * not hidden for them (the same rule as `visibleTo`, on the member's columns).
 */
export function lastVisibleSeq(eb: MemberScope) {
  return eb
    .selectFrom("messages as m")
    .select("m.seq")
    .whereRef("m.chat_id", "=", "c.id")
    .where("m.seq", ">=", visibleFloor())
    .where(notHiddenFor("cm"))
    .orderBy("m.seq", "desc")
    .limit(1)
    .as("last_visible_seq");
}

/**
 * How many messages of chat `c` are unread for member `cm`: from others, after their read
 * position, visible to them, no system messages or tombstones. A subquery per member row, so
 * each count ranges that chat's key from the member's floor (a join lets the planner hash the
 * whole messages table instead).
 */
export function unreadCount(eb: MemberScope) {
  return eb
    .selectFrom("messages as m")
    .select((inner) => inner.fn.countAll<number | string>().as("n"))
    .whereRef("m.chat_id", "=", "c.id")
    .where("m.seq", ">=", unreadFloor())
    .whereRef("m.sender_id", "<>", "cm.user_id")
    .where("m.system", "is", null)
    .where("m.deleted_at", "is", null)
    .where(notHiddenFor("cm"))
    .as("unread");
}

/**
 * A message request stays one until the member accepts it or writes in the chat. A CASE, not an
 * AND: the look-up of the member's own messages runs only for a request, whatever order the
 * planner would give the two conditions.
 */
export function pendingRequest(eb: MemberScope) {
  return eb
    .case()
    .when("cm.request", "=", 1)
    .then(
      eb.not(
        eb.exists(
          eb
            .selectFrom("messages as own")
            .select("own.seq")
            .whereRef("own.chat_id", "=", "c.id")
            .whereRef("own.sender_id", "=", "cm.user_id"),
        ),
      ),
    )
    .else(sql<boolean>`false`)
    .end()
    .as("request");
}

/** The condition "this viewer can see m" (apart from the chat itself). */
export function visibleTo(viewer: Viewer, afterSeq?: number) {
  // One lower bound, not several: SQLite ranges its index scan on only one of them, and on a long
  // history the wrong one (e.g. seq > 0 instead of an `after=` cursor) reads every older message.
  const from = Math.max(viewer.clearedSeq + 1, viewer.visibleFromSeq, (afterSeq ?? 0) + 1);
  return (eb: MessagesScope) => eb.and([eb("m.seq", ">=", from), notHiddenFor({ userId: viewer.userId })]);
}

/** Reactions of these messages of one chat: emoji by first use, people by when they reacted. */
export async function reactionsOf(db: Db, chatId: string, seqs: number[]): Promise<ReactionRow[]> {
  if (seqs.length === 0) return [];
  return db
    .selectFrom("message_reactions")
    .select(["chat_id", "seq", "emoji", "user_id"])
    .where("chat_id", "=", chatId)
    .where("seq", "in", seqs)
    .orderBy("seq")
    .orderBy("emoji_rev")
    .orderBy("rev")
    .execute();
}

/** Messages (and their reactions) by key, across chats: the chat list's previews. */
export async function rowsByKeys(
  db: Db,
  keys: { chatId: string; seq: number }[],
): Promise<{ rows: MessageRow[]; reactions: ReactionRow[] }> {
  if (keys.length === 0) return { rows: [], reactions: [] };
  const [rows, reactions] = await Promise.all([
    selectMessageRows(db)
      .where((eb) =>
        eb.or(keys.map((k) => eb.and([eb("m.chat_id", "=", k.chatId), eb("m.seq", "=", k.seq)]))),
      )
      .execute(),
    db
      .selectFrom("message_reactions")
      .select(["chat_id", "seq", "emoji", "user_id"])
      .where((eb) => eb.or(keys.map((k) => eb.and([eb("chat_id", "=", k.chatId), eb("seq", "=", k.seq)]))))
      .orderBy("chat_id")
      .orderBy("seq")
      .orderBy("emoji_rev")
      .orderBy("rev")
      .execute(),
  ]);
  return { rows, reactions };
}
