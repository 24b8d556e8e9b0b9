import { existsSync } from "node:fs";
import SqliteDatabase from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import { type DatabaseTarget, describeDatabase } from "../config.js";
import type { Db } from "./database.js";
import { createPostgresPool } from "./dialects/postgres.js";
import { migrations } from "./migrations/index.js";
import type { Database } from "./schema.js";

/**
 * The database as the admin tool sees it: no migrations run, no send path, one connection. The
 * server may be running at the same time (SQLite's busy timeout makes the two share the file).
 */
export interface AdminDatabase {
  db: Db;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function openAdminDatabase(target: DatabaseTarget): AdminDatabase {
  if (!databaseExists(target)) {
    throw new Error(
      `there is no database at ${describeDatabase(target)} yet (the server creates it at its first start)`,
    );
  }
  const dialect =
    target.dialect === "sqlite"
      ? new SqliteDialect({
          database: new SqliteDatabase(target.path, { fileMustExist: true, timeout: 5000 }),
        })
      : new PostgresDialect({ pool: createPostgresPool(target.url, { max: 1 }) });
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/** False for a SQLite file that does not exist yet (the server creates it at first start). */
export function databaseExists(target: DatabaseTarget): boolean {
  return target.dialect === "postgres" || existsSync(target.path);
}

export interface MigrationState {
  applied: string[];
  /** Known to this version, not yet applied: the server applies them at its next start. */
  pending: string[];
  /** Applied, but unknown to this version: the database belongs to a newer Glasschat. */
  unknown: string[];
}

export async function migrationState(db: Db): Promise<MigrationState> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "schema_migrations",
    migrationLockTableName: "schema_migrations_lock",
  });
  const known = await migrator.getMigrations();
  const applied = known.filter((m) => m.executedAt !== undefined).map((m) => m.name);
  const pending = known.filter((m) => m.executedAt === undefined).map((m) => m.name);
  let recorded: string[] = [];
  try {
    const rows = await sql<{ name: string }>`select name from schema_migrations`.execute(db);
    recorded = rows.rows.map((row) => row.name);
  } catch {
    recorded = [];
  }
  const names = new Set(known.map((m) => m.name));
  return { applied, pending, unknown: recorded.filter((name) => !names.has(name)) };
}
