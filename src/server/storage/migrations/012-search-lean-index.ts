import { type Kysely, SqliteAdapter, sql } from "kysely";

/*
 * SQLite: a leaner FTS5 table for the same search (bench/search.ts, docs/api.md):
 *  - detail=none: rowids only, no positions. Every query word is a one-token prefix
 *    (domain/search-text.ts): no phrase or NEAR queries, which detail=none refuses;
 *  - the tokenizer's token characters are letters, digits, private-use characters and every
 *    combining mark (`categories 'L* N* Co M*'`), a superset of the query's words
 *    (search-text.ts WORD): a query word is always one FTS5 token, never a phrase (an error with
 *    detail=none), and a Devanagari or Thai word with its vowel signs is one word, as in highlights;
 *  - the 3-letter prefix index stays: without it, on 1,000,000 messages, the two-word search took
 *    p50 6.8 ms instead of 4.8 (FTS5 then merges every term of a 3-letter prefix), for about
 *    0.7 µs a message indexed.
 * The triggers of 011 stay as they are; the index is rebuilt from messages by the post-commit
 * indexer (mark 0) before the server serves. PostgreSQL: nothing changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) return;
  await replaceIndex(
    db,
    sql`create virtual table message_search using fts5(
      body, content = '', contentless_delete = 1, detail = none, prefix = '3',
      tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'")`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) return;
  await replaceIndex(
    db,
    sql`create virtual table message_search using fts5(
      body, content = '', contentless_delete = 1,
      tokenize = 'unicode61 remove_diacritics 2', prefix = '3')`,
  );
}

/** Swaps the FTS5 table; the triggers (011) name it, so they are made again after it. */
async function replaceIndex(db: Kysely<unknown>, create: ReturnType<typeof sql>): Promise<void> {
  await sql`drop trigger messages_search_update`.execute(db);
  await sql`drop trigger messages_search_delete`.execute(db);
  await sql`drop table message_search`.execute(db);
  await create.execute(db);
  await sql`update search_indexed set up_to = 0`.execute(db);
  await createTriggers(db);
}

/** 011's triggers, unchanged: edits and deletions of messages at or below the mark. */
async function createTriggers(db: Kysely<unknown>): Promise<void> {
  const indexed = (row: string) => `${row}.rowid <= (select up_to from search_indexed)`;
  await sql
    .raw(`create trigger messages_search_update after update of body, deleted_at, system on messages
      when (old.body is not new.body or old.deleted_at is not new.deleted_at or old.system is not new.system)
        and ${indexed("old")}
      begin
        delete from message_search where rowid = -old.rowid;
        insert into message_search (rowid, body) select -new.rowid, new.body
          where ${INDEXED("new")};
      end`)
    .execute(db);
  await sql
    .raw(`create trigger messages_search_delete after delete on messages
      begin
        delete from message_search where rowid = -old.rowid and ${INDEXED("old")} and ${indexed("old")};
        update search_indexed set up_to = coalesce((select max(rowid) from messages), 0)
          where up_to > coalesce((select max(rowid) from messages), 0);
      end`)
    .execute(db);
}

/** Only messages people wrote and did not delete are searched. */
const INDEXED = (row: string) => `${row}.system is null and ${row}.deleted_at is null`;

function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}
