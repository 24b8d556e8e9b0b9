import { type Kysely, sql } from "kysely";

// Migrations take an untyped handle and import no app code, so they stay valid as the app changes.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Insights read a member's chats over a time range: (chat_id, created_at) finds the range in each
  // chat; sender_id, seq and the body's length make it a covering index on SQLite (no table reads
  // for the grouping, the visibility check and the character count). The parenthesised
  // expression is valid on both dialects.
  await sql`create index messages_insights on messages (chat_id, created_at, sender_id, seq, (length(body)))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("messages_insights").execute();
}
