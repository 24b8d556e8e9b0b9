import type { Kysely } from "kysely";

// Migrations take an untyped handle and import no app code, so they stay valid as the app changes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user_id").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("chats")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("direct_key", "text", (c) => c.unique())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_seq", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_activity_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("chat_members")
    .addColumn("chat_id", "text", (c) => c.notNull().references("chats.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("joined_at", "bigint", (c) => c.notNull())
    .addColumn("removed_at", "bigint")
    .addColumn("cleared_seq", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("read_seq", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("chat_members_pk", ["chat_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("chat_members_user_id")
    .on("chat_members")
    .columns(["user_id", "chat_id"])
    .execute();

  await db.schema
    .createTable("messages")
    .addColumn("chat_id", "text", (c) => c.notNull().references("chats.id").onDelete("cascade"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("sender_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    // History pages and unread counts walk (chat_id, seq).
    .addPrimaryKeyConstraint("messages_pk", ["chat_id", "seq"])
    // Retries of one send carry the same clientId: the key that makes them idempotent.
    .addUniqueConstraint("messages_client_id", ["chat_id", "sender_id", "client_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["messages", "chat_members", "chats", "sessions", "users"]) {
    await db.schema.dropTable(table).execute();
  }
}
