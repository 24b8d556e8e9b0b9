import SqliteDatabase from "better-sqlite3";
import { SqliteDialect } from "kysely";

export interface SqliteOptions {
  path: string;
  synchronous: "full" | "normal";
}

/**
 * WAL with synchronous=FULL: a committed transaction survives a crash of the process and of the
 * machine. NORMAL exists only so the benchmark can show what FULL costs.
 */
export function createSqliteDialect(options: SqliteOptions): {
  dialect: SqliteDialect;
  database: SqliteDatabase.Database;
} {
  // The busy timeout lets several processes share one file: writers wait instead of failing.
  const database = new SqliteDatabase(options.path, { timeout: 5000 });
  database.pragma("journal_mode = WAL");
  database.pragma(`synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
  database.pragma("foreign_keys = ON");
  return { dialect: new SqliteDialect({ database }), database };
}
