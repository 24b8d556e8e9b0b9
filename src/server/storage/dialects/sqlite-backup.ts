import { existsSync } from "node:fs";
import SqliteDatabase from "better-sqlite3";

/** Largest page count better-sqlite3 accepts per step: the rest of the copy in one step. */
const ALL_PAGES = 0x7fffffff;

/**
 * A consistent copy of a live database through SQLite's online backup API. Copying every page in
 * a single step keeps one read snapshot for the whole copy: a write from another connection
 * (the running server) between steps would restart the backup, and under steady load never end.
 * In WAL mode the server keeps writing meanwhile; the copy holds what was committed at its start.
 */
export async function backupSqlite(sourcePath: string, destinationPath: string): Promise<void> {
  const source = new SqliteDatabase(sourcePath, { fileMustExist: true, timeout: 5000 });
  try {
    await source.backup(destinationPath, { progress: () => ALL_PAGES });
  } finally {
    source.close();
  }
  // The copy is a standalone file: no -wal beside it, so it can be archived alone.
  const copy = new SqliteDatabase(destinationPath);
  try {
    copy.pragma("journal_mode = DELETE");
  } finally {
    copy.close();
  }
}

/** `PRAGMA integrity_check`: "ok", or SQLite's list of problems. */
export function integrityCheck(path: string): string {
  const database = new SqliteDatabase(path, { fileMustExist: true, readonly: true });
  try {
    const rows = database.pragma("integrity_check") as Array<{ integrity_check: string }>;
    return rows.map((row) => row.integrity_check).join("\n");
  } finally {
    database.close();
  }
}

/**
 * True when some process has the database open. Every connection to a WAL database holds a shared
 * lock while open, even idle, so an exclusive lock is granted only when nobody else has it open.
 */
export function sqliteInUse(path: string): boolean {
  if (!existsSync(path)) return false;
  const database = new SqliteDatabase(path, { fileMustExist: true, timeout: 0 });
  try {
    database.pragma("locking_mode = EXCLUSIVE");
    database.exec("BEGIN EXCLUSIVE");
    database.exec("COMMIT");
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_BUSY") return true;
    throw error;
  } finally {
    database.close();
  }
}
