import { type Kysely, SqliteAdapter, sql } from "kysely";

/*
 * SQLite: new messages are indexed right after their commit instead of inside it (the FTS5
 * insert cost the send path about 40 % of its CPU): storage/search-indexer.ts indexes every
 * message above the high-water mark `search_indexed.up_to` (a messages rowid) and moves the mark
 * in the same transaction, so what a crash loses is found again at the next start.
 *  - The insert trigger goes; edits and deletions (not on the send path) keep their triggers,
 *    for the messages already indexed only: a message above the mark is indexed later, as it is then.
 *  - Rowids are reused when the largest is deleted (clear for everyone): the mark then comes down
 *    to the largest one left, so a reused rowid is above it and gets indexed.
 * PostgreSQL keeps its GIN index in the transaction (docs/api.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) return;
  await sql`drop trigger messages_search_insert`.execute(db);
  await sql`drop trigger messages_search_update`.execute(db);
  await sql`drop trigger messages_search_delete`.execute(db);
  // A prefix index for 3 letters only: shorter words match whole (domain/search-text.ts), and each
  // prefix index costs every insert (2 and 3: about 17 µs a message, 3: about 15, none: 11).
  await sql`drop table message_search`.execute(db);
  await sql`create virtual table message_search using fts5(
    body, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '3')`.execute(db);
  await sql`create table search_indexed (id integer primary key check (id = 0), up_to integer not null)`.execute(
    db,
  );
  // Mark 0: the indexer indexes every message anew before the server serves (openDatabase).
  await sql`insert into search_indexed (id, up_to) values (0, 0)`.execute(db);
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
  // One trigger, so that the index entry goes before the mark may come down below it.
  await sql
    .raw(`create trigger messages_search_delete after delete on messages
      begin
        delete from message_search where rowid = -old.rowid and ${INDEXED("old")} and ${indexed("old")};
        update search_indexed set up_to = coalesce((select max(rowid) from messages), 0)
          where up_to > coalesce((select max(rowid) from messages), 0);
      end`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) return;
  for (const name of ["messages_search_update", "messages_search_delete"])
    await sql`drop trigger ${sql.id(name)}`.execute(db);
  await sql`drop table search_indexed`.execute(db);
  await sql`drop table message_search`.execute(db);
  await sql`create virtual table message_search using fts5(
    body, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`.execute(db);
  await sql
    .raw(`insert into message_search (rowid, body) select -rowid, body from messages m where ${INDEXED("m")}`)
    .execute(db);
  await sql
    .raw(`create trigger messages_search_insert after insert on messages when ${INDEXED("new")}
      begin insert into message_search (rowid, body) values (-new.rowid, new.body); end`)
    .execute(db);
  await sql
    .raw(`create trigger messages_search_update after update of body, deleted_at, system on messages
      when old.body is not new.body or old.deleted_at is not new.deleted_at or old.system is not new.system
      begin
        delete from message_search where rowid = -old.rowid;
        insert into message_search (rowid, body) select -new.rowid, new.body where ${INDEXED("new")};
      end`)
    .execute(db);
  await sql
    .raw(`create trigger messages_search_delete after delete on messages when ${INDEXED("old")}
      begin delete from message_search where rowid = -old.rowid; end`)
    .execute(db);
}

/** Only messages people wrote and did not delete are searched. */
const INDEXED = (row: string) => `${row}.system is null and ${row}.deleted_at is null`;

function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}
