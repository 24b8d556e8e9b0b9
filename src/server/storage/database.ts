import { Kysely, Migrator, sql } from "kysely";
import type { DatabaseTarget } from "../config.js";
import { createPostgresDialect } from "./dialects/postgres.js";
import { createPostgresMessageWriter } from "./dialects/postgres-message-writer.js";
import { createSqliteDialect } from "./dialects/sqlite.js";
import { createSqliteMessageWriter } from "./dialects/sqlite-message-writer.js";
import type { MessageWriter } from "./messages.repository.js";
import { migrations } from "./migrations/index.js";
import type { Database } from "./schema.js";

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: DatabaseTarget["dialect"];
  /** The send path's writer for this dialect. */
  messageWriter: MessageWriter;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  sqliteSynchronous?: "full" | "normal";
}

export async function openDatabase(
  target: DatabaseTarget,
  options: DatabaseOptions = {},
): Promise<DatabaseHandle> {
  let db: Db;
  let messageWriter: MessageWriter;
  if (target.dialect === "sqlite") {
    const { dialect, database } = createSqliteDialect({
      path: target.path,
      synchronous: options.sqliteSynchronous ?? "full",
    });
    db = new Kysely<Database>({ dialect });
    messageWriter = createSqliteMessageWriter(db, database);
  } else {
    const { dialect, pool } = createPostgresDialect(target.url);
    db = new Kysely<Database>({ dialect });
    messageWriter = createPostgresMessageWriter(pool);
  }
  const handle: DatabaseHandle = {
    db,
    dialect: target.dialect,
    messageWriter,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
  return handle;
}

export async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "schema_migrations",
    migrationLockTableName: "schema_migrations_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error)
    throw new Error(
      `database migration ${failed?.migrationName ?? ""} failed: ${String((error as Error).message ?? error)}`,
    );
}
