import type SqliteDatabase from "better-sqlite3";
import type { NewMessage, StoreResult } from "../messages.repository.js";

/** Whether the sender can see the message a reply answers (same chat; not cleared, hidden or before they joined). */
const REPLY_VISIBLE = `(
  @replyToSeq is null or exists (
    select 1 from messages r join chat_members cm on cm.chat_id = r.chat_id and cm.user_id = @senderId
    where r.chat_id = c.id and r.seq = @replyToSeq and r.seq > cm.cleared_seq and r.seq >= cm.visible_from_seq
      and not exists (select 1 from hidden_messages h where h.chat_id = r.chat_id and h.user_id = @senderId and h.seq = r.seq)
  ))`;

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
 * The send path's statements, prepared once: usually two per message (insert, bump the counters)
 * plus the cheap restore check, all of a batch in one IMMEDIATE transaction (one fsync).
 * The insert reads the chat's counters inside the write lock, so seq and rev order is commit
 * order even with several processes on one file; a reply's target is checked in the same insert.
 */
export function prepareMessageStore(sqlite: SqliteDatabase.Database): (batch: NewMessage[]) => StoreResult[] {
  const insert = sqlite.prepare<
    [
      {
        chatId: string;
        senderId: string;
        clientId: string;
        body: string;
        createdAt: number;
        replyToSeq: number | null;
      },
    ],
    { seq: number; rev: number; withheld_from: string | null }
  >(
    `insert into messages (chat_id, seq, rev, sender_id, client_id, body, created_at, reply_to_seq)
     select c.id, c.last_seq + 1, c.last_rev + 1, @senderId, @clientId, @body, @createdAt, @replyToSeq
     from chats c where c.id = @chatId and ${REPLY_VISIBLE}
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

  const storeAll = sqlite.transaction((batch: NewMessage[]): StoreResult[] =>
    batch.map((m) => {
      const inserted = insert.get({
        chatId: m.chatId,
        senderId: m.senderId,
        clientId: m.clientId,
        body: m.body,
        createdAt: m.createdAt,
        replyToSeq: m.replyToSeq,
      });
      if (!inserted) {
        const duplicate = findDuplicate.get(m.chatId, m.senderId, m.clientId);
        if (duplicate)
          return {
            kind: "duplicate",
            seq: duplicate.seq,
            body: duplicate.body,
            createdAt: duplicate.created_at,
          };
        return m.replyToSeq === null ? { kind: "missing_chat" } : { kind: "invalid_reply" };
      }
      bump.run(inserted.seq, inserted.rev, m.createdAt, m.chatId);
      const blocker = inserted.withheld_from;
      if (blocker !== null) withhold.run(m.chatId, blocker, inserted.seq, -inserted.seq);
      const restored = blocker === null ? restore.all(m.chatId) : restoreExcept.all(m.chatId, blocker);
      return {
        kind: "stored",
        seq: inserted.seq,
        rev: inserted.rev,
        restoredFor: restored.map((r) => r.user_id),
        hiddenFor: blocker === null ? [] : [blocker],
      };
    }),
  );
  return (batch) => storeAll.immediate(batch);
}
