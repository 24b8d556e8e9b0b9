import type SqliteDatabase from "better-sqlite3";
import type { NewMessage, StoreResult } from "../messages.repository.js";

/** Whether the sender can see the message a reply answers (same chat; not cleared, hidden or before they joined). */
const REPLY_VISIBLE = `(
  ? is null or exists (
    select 1 from messages r join chat_members cm on cm.chat_id = r.chat_id and cm.user_id = ?
    where r.chat_id = c.id and r.seq = ? and r.seq > cm.cleared_seq and r.seq >= cm.visible_from_seq
      and not exists (select 1 from hidden_messages h where h.chat_id = r.chat_id and h.user_id = cm.user_id and h.seq = r.seq)
  ))`;

interface ChatCounters {
  seq: number;
  rev: number;
  lastAt: number;
  /** Index in the batch of the chat's first stored message: it carries the restored members. */
  first: number;
  /** The blocker a message of this batch was withheld from (direct chats: at most one). */
  withheldFrom: string | null;
}

/**
 * The member a message is withheld from, in its own insert (one probe of blocks_blocked, empty
 * unless someone blocks the sender): in a direct chat, the other member if they block the sender
 * (domain/reach.service.ts). A direct chat has one other member, so at most one.
 */
const WITHHELD_FROM = `(
  select b.blocker_id from blocks b where b.blocked_id = sender_id and exists (
    select 1 from chat_members cm join chats k on k.id = cm.chat_id
    where cm.chat_id = messages.chat_id and cm.user_id = b.blocker_id and k.kind = 'direct'
  )) as withheld_from`;

/**
 * The send path's statements, prepared once: one insert per message, and once per chat of the
 * batch a read of its counters, their update and the restore check, all of a batch in one
 * IMMEDIATE transaction (one fsync). The counters are read inside the write lock, so seq and rev
 * order is commit order even with several processes on one file; a reply's target is checked in
 * the same insert.
 */
export function prepareMessageStore(sqlite: SqliteDatabase.Database): (batch: NewMessage[]) => StoreResult[] {
  const counters = sqlite.prepare<[string], { last_seq: number; last_rev: number }>(
    "select last_seq, last_rev from chats where id = ?",
  );
  // Positional parameters, in this order: binding them costs less than looking names up in an object.
  const insert = sqlite.prepare<
    [
      seq: number,
      rev: number,
      createdRev: number,
      senderId: string,
      clientId: string,
      body: string,
      createdAt: number,
      replyToSeq: number | null,
      chatId: string,
      replyToSeq: number | null,
      senderId: string,
      replyToSeq: number | null,
    ],
    { seq: number; rev: number; withheld_from: string | null }
  >(
    `insert into messages (chat_id, seq, rev, created_rev, sender_id, client_id, body, created_at, reply_to_seq)
     select c.id, ?, ?, ?, ?, ?, ?, ?, ?
     from chats c where c.id = ? and ${REPLY_VISIBLE}
     on conflict (chat_id, sender_id, client_id) do nothing
     returning seq, rev, ${WITHHELD_FROM}`,
  );
  const bump = sqlite.prepare<[number, number, number, string]>(
    "update chats set last_seq = ?, last_rev = ?, last_activity_at = ? where id = ?",
  );
  const findDuplicate = sqlite.prepare<
    [string, string, string],
    { seq: number; body: string; created_at: number }
  >("select seq, body, created_at from messages where chat_id = ? and sender_id = ? and client_id = ?");
  const restore = sqlite.prepare<[string], { user_id: string }>(
    "update chat_members set removed_at = null where chat_id = ? and removed_at is not null and left_at is null returning user_id",
  );

  // pos = -seq: below every feed position, so it never shows in a changes feed.
  const withhold = sqlite.prepare<[string, string, number, number]>(
    "insert into hidden_messages (chat_id, user_id, seq, pos) values (?, ?, ?, ?)",
  );
  const restoreExcept = sqlite.prepare<[string, string], { user_id: string }>(
    "update chat_members set removed_at = null where chat_id = ? and removed_at is not null and left_at is null and user_id <> ? returning user_id",
  );

  const storeAll = sqlite.transaction((batch: NewMessage[]): StoreResult[] => {
    const chats = new Map<string, ChatCounters | null>();
    const results = batch.map((m, index): StoreResult => {
      let chat = chats.get(m.chatId);
      if (chat === undefined) {
        const row = counters.get(m.chatId);
        chat = row
          ? { seq: row.last_seq, rev: row.last_rev, lastAt: 0, first: -1, withheldFrom: null }
          : null;
        chats.set(m.chatId, chat);
      }
      const inserted =
        chat &&
        insert.get(
          chat.seq + 1,
          chat.rev + 1,
          chat.rev + 1,
          m.senderId,
          m.clientId,
          m.body,
          m.createdAt,
          m.replyToSeq,
          m.chatId,
          m.replyToSeq,
          m.senderId,
          m.replyToSeq,
        );
      if (!chat || !inserted) {
        const duplicate = chat && findDuplicate.get(m.chatId, m.senderId, m.clientId);
        if (duplicate)
          return {
            kind: "duplicate",
            seq: duplicate.seq,
            body: duplicate.body,
            createdAt: duplicate.created_at,
          };
        if (!chat) return { kind: "missing_chat" };
        return m.replyToSeq === null ? { kind: "missing_chat" } : { kind: "invalid_reply" };
      }
      chat.seq = inserted.seq;
      chat.rev = inserted.rev;
      chat.lastAt = m.createdAt;
      if (chat.first < 0) chat.first = index;
      const blocker = inserted.withheld_from;
      if (blocker !== null) {
        withhold.run(m.chatId, blocker, inserted.seq, -inserted.seq);
        chat.withheldFrom = blocker;
      }
      return {
        kind: "stored",
        seq: inserted.seq,
        rev: inserted.rev,
        restoredFor: [],
        hiddenFor: blocker === null ? [] : [blocker],
      };
    });
    for (const [chatId, chat] of chats) {
      if (!chat || chat.first < 0) continue;
      bump.run(chat.seq, chat.rev, chat.lastAt, chatId);
      const first = results[chat.first];
      // A chat the blocker removed does not come back for a withheld message.
      const restored =
        chat.withheldFrom === null ? restore.all(chatId) : restoreExcept.all(chatId, chat.withheldFrom);
      if (first?.kind === "stored") first.restoredFor = restored.map((r) => r.user_id);
    }
    return results;
  });
  return (batch) => storeAll.immediate(batch);
}
