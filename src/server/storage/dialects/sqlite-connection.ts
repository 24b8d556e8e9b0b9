import SqliteDatabase from "better-sqlite3";

export interface SqliteOptions {
  path: string;
  synchronous: "full" | "normal";
}

/**
 * WAL pages after which a commit copies the WAL back into the database (SQLite's default: 1,000).
 * Every send batch rewrites one leaf page per chat and per index of `messages`, and the copy
 * writes each distinct page once: checkpointing less often copies a page once for many commits
 * (about 7 % of the send path's SQLite CPU, issue 16). The WAL file then grows to about 16 MB.
 */
const WAL_AUTOCHECKPOINT_PAGES = 4000;

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
  database.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  return database;
}
