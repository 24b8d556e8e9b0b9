import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import type { Config } from "../config.js";

/** SQLite files are never copied as files: the database goes through the online backup. */
const SQLITE_FILE = /\.(db|sqlite3?)(-wal|-shm|-journal)?$/;
/** Our own probes and temporary files. */
const TRANSIENT = /^\.(write-test-|restore-|backup-)|\.partial-\d+$/;

/**
 * What a backup keeps from the data folder besides the database: every top-level file (the
 * session secret and any other generated secret) and the `files/` folder, as paths relative to
 * DATA_DIR with `/`.
 */
export function dataFolderEntries(config: Config, exclude: string[] = []): string[] {
  const dir = config.dataDir;
  const skip = new Set(exclude.map((path) => resolve(path)));
  if (config.database.dialect === "sqlite") skip.add(resolve(config.database.path));
  const names: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip.has(path) || TRANSIENT.test(entry.name)) continue;
    if (entry.isFile() && !SQLITE_FILE.test(entry.name)) names.push(entry.name);
    if (entry.isDirectory() && entry.name === "files") names.push(...walk(dir, path));
  }
  return names.sort();
}

function walk(root: string, dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(root, path));
    else if (entry.isFile() && statSync(path).isFile()) found.push(relative(root, path).split(sep).join("/"));
  }
  return found;
}
