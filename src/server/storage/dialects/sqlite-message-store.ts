import type SqliteDatabase from "better-sqlite3";
import type { NewMessage, StoreResult } from "../messages.repository.js";

/**
 * The send path's statements, prepared once: usually two per message (insert, bump the counter)
 * plus the cheap restore check, all of a batch in one IMMEDIATE transaction (one fsync).
 * The insert reads the chat's counter inside the write lock, so seq order is commit order even
 * with several processes on one file.
 */
export function prepareMessageStore(sqlite: SqliteDatabase.Database): (batch: NewMessage[]) => StoreResult[] {
  const insert = sqlite.prepare<[string, string, string, number, string], { seq: number }>(
    `insert into messages (chat_id, seq, sender_id, client_id, body, created_at)
     select id, last_seq + 1, ?, ?, ?, ? from chats where id = ?
     on conflict (chat_id, sender_id, client_id) do nothing
     returning seq`,
  );
  const bump = sqlite.prepare<[number, number, string]>(
    "update chats set last_seq = ?, last_activity_at = ? where id = ?",
  );
  const findDuplicate = sqlite.prepare<
    [string, string, string],
    { seq: number; body: string; created_at: number }
  >("select seq, body, created_at from messages where chat_id = ? and sender_id = ? and client_id = ?");
  const restore = sqlite.prepare<[string], { user_id: string }>(
    "update chat_members set removed_at = null where chat_id = ? and removed_at is not null returning user_id",
  );

  const storeAll = sqlite.transaction((batch: NewMessage[]): StoreResult[] =>
    batch.map((m) => {
      const inserted = insert.get(m.senderId, m.clientId, m.body, m.createdAt, m.chatId);
      if (!inserted) {
        const duplicate = findDuplicate.get(m.chatId, m.senderId, m.clientId);
        return duplicate
          ? { kind: "duplicate", seq: duplicate.seq, body: duplicate.body, createdAt: duplicate.created_at }
          : { kind: "missing_chat" };
      }
      bump.run(inserted.seq, m.createdAt, m.chatId);
      return { kind: "stored", seq: inserted.seq, restoredFor: restore.all(m.chatId).map((r) => r.user_id) };
    }),
  );
  return (batch) => storeAll.immediate(batch);
}
