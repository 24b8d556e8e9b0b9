import { type Kysely, SqliteAdapter, sql } from "kysely";

/*
 * Web Push subscriptions (one per browser endpoint, owned by the session that made it, so they end
 * with it) and account deletion: a deleted account keeps its row (its messages still name it) as
 * "deleted-user", so usernames become unique among live accounts only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("users").addColumn("deleted_at", "bigint").execute();
  if (await isSqlite(db)) await rebuildSqliteUsersWithoutUniqueUsername(db);
  else await sql`alter table users drop constraint users_username_key`.execute(db);
  await db.schema
    .createIndex("users_username_key")
    .on("users")
    .column("username")
    .unique()
    .where(sql.ref("deleted_at"), "is", null)
    .execute();

  await db.schema
    .createTable("push_subscriptions")
    .addColumn("endpoint", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("session_id", "text", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("p256dh", "text", (c) => c.notNull())
    .addColumn("auth", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("push_subscriptions_user").on("push_subscriptions").column("user_id").execute();
  await db.schema
    .createIndex("push_subscriptions_session")
    .on("push_subscriptions")
    .column("session_id")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("push_subscriptions").execute();
  await db.schema.dropIndex("users_username_key").execute();
  if (!(await isSqlite(db))) {
    await sql`alter table users add constraint users_username_key unique (username)`.execute(db);
  }
  await db.schema.alterTable("users").dropColumn("deleted_at").execute();
}

async function isSqlite(db: Kysely<unknown>): Promise<boolean> {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * SQLite cannot drop a column's UNIQUE constraint: the table is rebuilt without it (SQLite's
 * documented twelve-step procedure), keeping every column and index other migrations added.
 * SQLite migrations run outside a transaction on one connection, so foreign keys can be paused.
 */
async function rebuildSqliteUsersWithoutUniqueUsername(db: Kysely<unknown>): Promise<void> {
  const table = await sql<{ sql: string }>`
    select sql from sqlite_master where type = 'table' and name = 'users'`.execute(db);
  const createSql = table.rows[0]?.sql ?? "";
  const rebuilt = createSql
    .replace(/^create table\s+"?users"?/i, 'create table "users_rebuild"')
    .replace(/("username"\s+text\s+not null)\s+unique/i, "$1");
  if (rebuilt === createSql || /"username"[^,]*unique/i.test(rebuilt)) {
    throw new Error("users table: unexpected definition, cannot drop the username constraint");
  }
  const indexes = await sql<{ sql: string }>`
    select sql from sqlite_master where type = 'index' and tbl_name = 'users' and sql is not null`.execute(
    db,
  );
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin`.execute(db);
    await sql.raw(rebuilt).execute(db);
    await sql`insert into users_rebuild select * from users`.execute(db);
    await sql`drop table users`.execute(db);
    await sql`alter table users_rebuild rename to users`.execute(db);
    for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
    const broken = await sql`pragma foreign_key_check`.execute(db);
    if (broken.rows.length > 0) throw new Error("users table rebuild broke foreign keys");
    await sql`commit`.execute(db);
  } catch (error) {
    await sql`rollback`.execute(db).catch(() => {});
    throw error;
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
