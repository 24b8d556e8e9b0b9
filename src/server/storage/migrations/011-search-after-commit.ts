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
 * PostgreSQL keeps its GIN index (fastupdate): measured, it costs the send path less (docs/api.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) return;
  await sql`drop trigger messages_search_insert`.execute(db);
  await sql`drop trigger messages_search_update`.execute(db);
  await sql`drop trigger messages_search_delete`.execute(db);
  await sql`create table search_indexed (id integer primary key check (id = 0), up_to integer not null)`.execute(
    db,
  );
  // Everything stored so far was indexed by the insert trigger.
  await sql`insert into search_indexed (id, up_to) select 0, coalesce(max(rowid), 0) from messages`.execute(
    db,
  );
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
  await sql
    .raw(`insert into message_search (rowid, body) select -rowid, body from messages m
      where ${INDEXED("m")} and m.rowid > (select up_to from search_indexed)`)
    .execute(db);
  await sql`drop table search_indexed`.execute(db);
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
