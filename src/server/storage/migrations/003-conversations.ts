import { type ColumnDefinitionBuilder, type Kysely, sql } from "kysely";

/*
 * Conversations (protocol v2): edits, tombstones, replies, reactions, hide-for-me, groups and the
 * changes feed. Migrations take an untyped handle and import no app code, so they stay valid as
 * the app changes. SQLite adds one column per ALTER TABLE, so each column is its own statement.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const addColumns = async (
    table: string,
    columns: [
      string,
      "integer" | "bigint" | "text",
      ((c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder)?,
    ][],
  ) => {
    for (const [name, type, build] of columns) {
      await db.schema
        .alterTable(table)
        .addColumn(name, type, build ?? ((c) => c))
        .execute();
    }
  };

  // Every stored change to a message gets the chat's next rev (see chats.last_rev). Existing
  // messages were each changed once, when created: rev = seq keeps revs unique and in commit order.
  await addColumns("messages", [
    ["rev", "integer", (c) => c.notNull().defaultTo(0)],
    ["edited_at", "bigint"],
    ["deleted_at", "bigint"],
    ["reply_to_seq", "integer"],
    // JSON `{event, userIds, title?}` for a message the server writes when a group changes.
    ["system", "text"],
  ]);
  await sql`update messages set rev = seq`.execute(db);
  // The changes feed walks (chat_id, rev); each rev belongs to one message at a time.
  await db.schema
    .createIndex("messages_changes")
    .unique()
    .on("messages")
    .columns(["chat_id", "rev"])
    .execute();
  // Editing or deleting a message finds the messages that reply to it.
  await sql`create index messages_replies on messages (chat_id, reply_to_seq) where reply_to_seq is not null`.execute(
    db,
  );

  await addColumns("chats", [
    ["last_rev", "integer", (c) => c.notNull().defaultTo(0)],
    // Groups only; a direct chat is titled after the other member.
    ["title", "text"],
  ]);
  await sql`update chats set last_rev = last_seq`.execute(db);

  await addColumns("chat_members", [
    ["role", "text", (c) => c.notNull().defaultTo("member")],
    // The first seq this member can see: a member added to a group sees the messages from the
    // system message that added them on. 0 = everything.
    ["visible_from_seq", "integer", (c) => c.notNull().defaultTo(0)],
    // Set when the member left or was removed from a group: the chat then answers them 404.
    ["left_at", "bigint"],
    // The member's own counter for hide-for-me (hidden_messages.pos), never shown to others.
    ["hidden_pos", "integer", (c) => c.notNull().defaultTo(0)],
  ]);

  await db.schema
    .createTable("message_reactions")
    .addColumn("chat_id", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("emoji", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    // The rev of the change that added it (orders the people of one emoji) and the rev at which
    // this emoji was first used on the message while it has stayed there (orders the emoji).
    .addColumn("rev", "integer", (c) => c.notNull())
    .addColumn("emoji_rev", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("message_reactions_pk", ["chat_id", "seq", "emoji", "user_id"])
    .addForeignKeyConstraint(
      "message_reactions_message",
      ["chat_id", "seq"],
      "messages",
      ["chat_id", "seq"],
      (c) => c.onDelete("cascade"),
    )
    .execute();

  await db.schema
    .createTable("hidden_messages")
    .addColumn("chat_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("seq", "integer", (c) => c.notNull())
    // The member's hidden_pos when they hid it: the changes feed resumes this stream by position.
    .addColumn("pos", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("hidden_messages_pk", ["chat_id", "user_id", "seq"])
    .addForeignKeyConstraint(
      "hidden_messages_message",
      ["chat_id", "seq"],
      "messages",
      ["chat_id", "seq"],
      (c) => c.onDelete("cascade"),
    )
    .execute();
  await db.schema
    .createIndex("hidden_messages_pos")
    .unique()
    .on("hidden_messages")
    .columns(["chat_id", "user_id", "pos"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("hidden_messages").execute();
  await db.schema.dropTable("message_reactions").execute();
  await db.schema.dropIndex("messages_replies").execute();
  await db.schema.dropIndex("messages_changes").execute();
  for (const [table, column] of [
    ["chat_members", "hidden_pos"],
    ["chat_members", "left_at"],
    ["chat_members", "visible_from_seq"],
    ["chat_members", "role"],
    ["chats", "title"],
    ["chats", "last_rev"],
    ["messages", "system"],
    ["messages", "reply_to_seq"],
    ["messages", "deleted_at"],
    ["messages", "edited_at"],
    ["messages", "rev"],
  ]) {
    await db.schema
      .alterTable(table as string)
      .dropColumn(column as string)
      .execute();
  }
}
