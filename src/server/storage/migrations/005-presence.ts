import type { Kysely } from "kysely";

/*
 * Presence for `--workers` without Redis: which sockets are connected on which worker, and each
 * worker's heartbeat, in the database all workers share (with Redis it lives there instead).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("presence_nodes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("alive_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("presence_sockets")
    .addColumn("socket_id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("node_id", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("presence_sockets_user").on("presence_sockets").column("user_id").execute();
  await db.schema.createIndex("presence_sockets_node").on("presence_sockets").column("node_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("presence_sockets").execute();
  await db.schema.dropTable("presence_nodes").execute();
}
