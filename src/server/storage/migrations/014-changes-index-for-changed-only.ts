import { type Kysely, sql } from "kysely";

/*
 * The changes feed's index holds only messages changed since they were stored (issue 16): a new
 * message no longer writes an entry into messages_changes, which on a busy server is one more
 * B-tree leaf dirtied per chat per commit. `created_rev` is the rev a message was stored with;
 * while `rev = created_rev` the message is unchanged and the feed finds it by seq instead
 * (storage/changes.repository.ts: creation revs rise with seq). Rows from before this migration
 * have no created_rev and stay in the index, so the feed reads them as before. Same SQL on both
 * dialects.
 */
const CHANGED = sql`created_rev is null or rev <> created_rev`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("messages").addColumn("created_rev", "integer").execute();
  await db.schema.dropIndex("messages_changes").execute();
  await sql`create unique index messages_changes on messages (chat_id, rev) where ${CHANGED}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("messages_changes").execute();
  await db.schema
    .createIndex("messages_changes")
    .unique()
    .on("messages")
    .columns(["chat_id", "rev"])
    .execute();
  await db.schema.alterTable("messages").dropColumn("created_rev").execute();
}
