import type { Kysely } from "kysely";

/*
 * Blocking and message requests. `blocks` is who blocks whom; the send path looks it up by the
 * sender (blocks_blocked), so a sender nobody blocks costs one probe of an empty index range.
 * A message a blocked user sends into a direct chat with the blocker is stored with a
 * hidden_messages row for the blocker (pos = -seq: below every feed position, so it never shows
 * in a changes feed's hiddenIds either). `chat_members.request` (0/1) marks the receiver's side
 * of a direct chat started by someone they never wrote to.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("blocks")
    .addColumn("blocker_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("blocked_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("blocks_pk", ["blocker_id", "blocked_id"])
    .execute();
  await db.schema.createIndex("blocks_blocked").on("blocks").columns(["blocked_id", "blocker_id"]).execute();
  await db.schema
    .alterTable("chat_members")
    .addColumn("request", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("chat_members").dropColumn("request").execute();
  await db.schema.dropTable("blocks").execute();
}
