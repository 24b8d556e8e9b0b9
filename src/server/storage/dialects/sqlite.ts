import type SqliteDatabase from "better-sqlite3";
import { SqliteDialect } from "kysely";
import { openSqlite, type SqliteOptions } from "./sqlite-connection.js";

/** Distinct statements kept prepared; queries with `in (…)` lists of many lengths cycle through. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query anew; compiling the SQL costs more than running a
 * history page. This keeps the most recently used statements prepared (least recently used out).
 * Kysely runs one query at a time on the connection and never streams here, so a statement is
 * never busy when it is reused; SQLite re-prepares one by itself after a schema change.
 */
function withStatementCache(database: SqliteDatabase.Database) {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteDatabase.Statement {
      let statement = statements.get(sql);
      if (statement) statements.delete(sql);
      else {
        statement = database.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          const oldest = statements.keys().next().value;
          if (oldest !== undefined) statements.delete(oldest);
        }
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

export function createSqliteDialect(options: SqliteOptions): SqliteDialect {
  return new SqliteDialect({ database: withStatementCache(openSqlite(options)) });
}
