import { SqliteDialect } from "kysely";
import { openSqlite, type SqliteOptions } from "./sqlite-connection.js";

export function createSqliteDialect(options: SqliteOptions): SqliteDialect {
  return new SqliteDialect({ database: openSqlite(options) });
}
