import type { Kysely } from "kysely";

/*
 * Per-user settings (privacy and notifications) and the last-seen time presence stores when a
 * user's last socket closes. Booleans are 0/1 integers in both dialects, as elsewhere.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const name of ["share_read_receipts", "share_last_seen", "push_previews", "email_notifications"]) {
    await db.schema
      .alterTable("users")
      .addColumn(name, "integer", (c) => c.notNull().defaultTo(1))
      .execute();
  }
  await db.schema.alterTable("users").addColumn("last_seen_at", "bigint").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    "last_seen_at",
    "email_notifications",
    "push_previews",
    "share_last_seen",
    "share_read_receipts",
  ]) {
    await db.schema.alterTable("users").dropColumn(name).execute();
  }
}
