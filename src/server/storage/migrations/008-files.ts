import { type Kysely, PostgresAdapter } from "kysely";

/*
 * Files (uploads) and, for FILE_STORAGE=database, their bytes in chunks. A file belongs to its
 * uploader until it is sent: `chat_id` + `client_id` name the message it was claimed for (the
 * uploader's message with that clientId in that chat) and `seq` is set once that message is
 * stored. `messages.files` keeps the attached files' JSON, so every read of a message has them.
 * `blob_key` / `thumb_key` name the bytes in the file store (disk or `file_chunks`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("files")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("owner_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("width", "integer")
    .addColumn("height", "integer")
    .addColumn("blob_key", "text", (c) => c.notNull())
    .addColumn("thumb_key", "text")
    .addColumn("thumb_size", "integer")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("chat_id", "text")
    .addColumn("client_id", "text")
    .addColumn("seq", "integer")
    .execute();
  await db.schema.createIndex("files_owner").on("files").columns(["owner_id", "created_at"]).execute();
  await db.schema.createIndex("files_message").on("files").columns(["chat_id", "seq"]).execute();

  await db.schema
    .createTable("file_chunks")
    .addColumn("blob_key", "text", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addColumn("data", postgres ? "bytea" : "blob", (c) => c.notNull())
    .addPrimaryKeyConstraint("file_chunks_pk", ["blob_key", "n"])
    .execute();

  await db.schema.alterTable("messages").addColumn("files", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("messages").dropColumn("files").execute();
  await db.schema.dropTable("file_chunks").execute();
  await db.schema.dropTable("files").execute();
}
