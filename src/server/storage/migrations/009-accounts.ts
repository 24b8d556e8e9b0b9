import type { Kysely } from "kysely";

/*
 * Accounts and reach: when and from what a session was last used, the language mail is written in,
 * accounts an admin disabled, when the last unread-messages mail went out, and the single-use
 * tokens of password resets and invitations (stored as SHA-256 hashes: a database leak yields no
 * usable link).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("sessions").addColumn("last_used_at", "bigint").execute();
  await db.schema.alterTable("sessions").addColumn("user_agent", "text").execute();
  await db.schema.alterTable("users").addColumn("locale", "text").execute();
  await db.schema.alterTable("users").addColumn("disabled_at", "bigint").execute();
  await db.schema.alterTable("users").addColumn("email_notified_at", "bigint").execute();

  await db.schema
    .createTable("account_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    // reset: the account; invite: the inviter (null for the admin command's invitations).
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .addColumn("revoked_at", "bigint")
    .execute();
  await db.schema
    .createIndex("account_tokens_user")
    .on("account_tokens")
    .columns(["user_id", "kind"])
    .execute();
  await db.schema
    .createIndex("account_tokens_email")
    .on("account_tokens")
    .columns(["email", "kind"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("account_tokens").execute();
  for (const name of ["email_notified_at", "disabled_at", "locale"]) {
    await db.schema.alterTable("users").dropColumn(name).execute();
  }
  for (const name of ["user_agent", "last_used_at"]) {
    await db.schema.alterTable("sessions").dropColumn(name).execute();
  }
}
