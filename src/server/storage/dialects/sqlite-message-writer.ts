import type SqliteDatabase from "better-sqlite3";
import type { Db } from "../database.js";
import type { NewMessage, StoreResult } from "../messages.repository.js";

interface DuplicateRow {
  seq: number;
  body: string;
  created_at: number;
}

/**
 * The send path on SQLite: prepared statements in one synchronous transaction per batch, about
 * five times cheaper per message than building each query through Kysely. It runs while holding
 * Kysely's connection (`db.connection()`), so it never interleaves with a Kysely transaction.
 */
export function createSqliteMessageWriter(db: Db, sqlite: SqliteDatabase.Database) {
  let write: ((batch: NewMessage[]) => StoreResult[]) | undefined;

  function prepare() {
    const findDuplicate = sqlite.prepare<[string, string, string], DuplicateRow>(
      "select seq, body, created_at from messages where chat_id = ? and sender_id = ? and client_id = ?",
    );
    const bumpSeq = sqlite.prepare<[number, string], { last_seq: number }>(
      "update chats set last_seq = last_seq + 1, last_activity_at = ? where id = ? returning last_seq",
    );
    const insert = sqlite.prepare<[string, number, string, string, string, number]>(
      "insert into messages (chat_id, seq, sender_id, client_id, body, created_at) values (?, ?, ?, ?, ?, ?)",
    );
    const restore = sqlite.prepare<[string], { user_id: string }>(
      "update chat_members set removed_at = null where chat_id = ? and removed_at is not null returning user_id",
    );
    return sqlite.transaction((batch: NewMessage[]): StoreResult[] =>
      batch.map((m) => {
        const duplicate = findDuplicate.get(m.chatId, m.senderId, m.clientId);
        if (duplicate)
          return {
            kind: "duplicate",
            seq: duplicate.seq,
            body: duplicate.body,
            createdAt: duplicate.created_at,
          };
        const chat = bumpSeq.get(m.createdAt, m.chatId);
        if (!chat) return { kind: "missing_chat" };
        insert.run(m.chatId, chat.last_seq, m.senderId, m.clientId, m.body, m.createdAt);
        return {
          kind: "stored",
          seq: chat.last_seq,
          restoredFor: restore.all(m.chatId).map((r) => r.user_id),
        };
      }),
    );
  }

  return {
    storeBatch(batch: NewMessage[]): Promise<StoreResult[]> {
      return db.connection().execute(async () => {
        write ??= prepare();
        return write(batch);
      });
    },
  };
}
