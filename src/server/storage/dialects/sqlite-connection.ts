import SqliteDatabase from "better-sqlite3";

export interface SqliteOptions {
  path: string;
  synchronous: "full" | "normal";
}

/**
 * One connection with Glasschat's settings. WAL with synchronous=FULL: a committed transaction
 * survives a crash of the process and of the machine (NORMAL exists only so the benchmark can
 * show what FULL costs). The busy timeout lets connections and processes share the file: a writer
 * waits for another one instead of failing.
 */
export function openSqlite(options: SqliteOptions): SqliteDatabase.Database {
  const database = new SqliteDatabase(options.path, { timeout: 5000 });
  database.pragma("journal_mode = WAL");
  database.pragma(`synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
  database.pragma("foreign_keys = ON");
  return database;
}
