import type { ExpressionBuilder } from "kysely";
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
    .whereRef("m.seq", ">", "cm.cleared_seq")
    .whereRef("m.seq", ">=", "cm.visible_from_seq")
    .where((inner) =>
      inner.not(
        inner.exists(
          inner
            .selectFrom("hidden_messages as h")
            .select("h.seq")
            .whereRef("h.chat_id", "=", "m.chat_id")
            .whereRef("h.seq", "=", "m.seq")
            .whereRef("h.user_id", "=", "cm.user_id"),
        ),
      ),
    )
    .orderBy("m.seq", "desc")
    .limit(1)
    .as("last_visible_seq");
}

/** A message request stays one until the member accepts it or writes in the chat. */
export function pendingRequest(eb: MemberScope) {
  return eb
    .and([
      eb("cm.request", "=", 1),
      eb.not(
        eb.exists(
          eb
            .selectFrom("messages as own")
            .select("own.seq")
            .whereRef("own.chat_id", "=", "c.id")
            .whereRef("own.sender_id", "=", "cm.user_id"),
        ),
      ),
    ])
    .as("request");
}

/** The condition "this viewer can see m" (apart from the chat itself). */
export function visibleTo(viewer: Viewer, afterSeq?: number) {
  // One lower bound, not several: SQLite ranges its index scan on only one of them, and on a long
  // history the wrong one (e.g. seq > 0 instead of an `after=` cursor) reads every older message.
  const from = Math.max(viewer.clearedSeq + 1, viewer.visibleFromSeq, (afterSeq ?? 0) + 1);
  return (eb: MessagesScope) =>
    eb.and([
      eb("m.seq", ">=", from),
      eb.not(
        eb.exists(
          eb
            .selectFrom("hidden_messages as h")
            .select("h.seq")
            .whereRef("h.chat_id", "=", "m.chat_id")
            .whereRef("h.seq", "=", "m.seq")
            .where("h.user_id", "=", viewer.userId),
        ),
      ),
    ]);
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
