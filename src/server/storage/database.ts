import { Kysely, Migrator, sql } from "kysely";
import type { DatabaseTarget } from "../config.js";
import { createPostgresDialect, createPostgresPool } from "./dialects/postgres.js";
import { createPostgresMessageWriter } from "./dialects/postgres-message-writer.js";
import { createPostgresSearchIndexer } from "./dialects/postgres-search-indexer.js";
import { createSqliteDialect } from "./dialects/sqlite.js";
import { createSqliteMessageWriter } from "./dialects/sqlite-message-writer.js";
import { createSqliteSearchIndexer } from "./dialects/sqlite-search-indexer.js";
import type { MessageWriter } from "./messages.repository.js";
import { migrations } from "./migrations/index.js";
import type { Database } from "./schema.js";
import { indexAfterCommit, type SearchIndexer } from "./search-indexer.js";

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: DatabaseTarget["dialect"];
  /** The send path's writer for this dialect. */
  messageWriter: MessageWriter;
  /** Indexes messages for search after their commit (none with searchIndex off). */
  searchIndexer: SearchIndexer | undefined;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  sqliteSynchronous?: "full" | "normal";
  /** SQLite: the send path's commits on their own thread, on the main thread, or chosen by core count. */
  sqliteWriter?: "auto" | "thread" | "inline";
  /** False (benchmarks only): new messages are left out of the search index. */
  searchIndex?: boolean;
  /** PostgreSQL: how often the indexer looks for chats another node left behind (30 s). */
  searchSweepMs?: number;
  /** A failed post-commit indexing step (it is retried). */
  onIndexError?: (error: unknown) => void;
}

export async function openDatabase(
  target: DatabaseTarget,
  options: DatabaseOptions = {},
): Promise<DatabaseHandle> {
  const synchronous = options.sqliteSynchronous ?? "full";
  const db = new Kysely<Database>({
    dialect:
      target.dialect === "sqlite"
        ? createSqliteDialect({ path: target.path, synchronous })
        : createPostgresDialect(target.url),
  });
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
  // Made after migrating: the writers prepare their statements against the final schema.
  const writer: MessageWriter =
    target.dialect === "sqlite"
      ? createSqliteMessageWriter({ path: target.path, synchronous }, options.sqliteWriter ?? "auto")
      : createPostgresMessageWriter(
          // Its own small pool: every lookup of the send path is by key, so sequential scans are
          // never right there, though the planner picks them while a new database's tables are small.
          // Tight timeouts: one stuck batch holds every send of the process behind it.
          createPostgresPool(target.url, {
            max: 2,
            settings: "-c enable_seqscan=off",
            statementTimeoutMs: 5000,
            lockTimeoutMs: 3000,
          }),
        );
  const onIndexError = options.onIndexError ?? (() => {});
  const searchIndexer =
    options.searchIndex === false
      ? undefined
      : target.dialect === "sqlite"
        ? createSqliteSearchIndexer({ path: target.path, synchronous }, onIndexError)
        : createPostgresSearchIndexer(
            // A lost commit of the indexer loses its marks too: the sweep does it again.
            createPostgresPool(target.url, {
              max: 1,
              settings: "-c synchronous_commit=off",
              statementTimeoutMs: 60_000,
              lockTimeoutMs: 10_000,
            }),
            { sweepIntervalMs: options.searchSweepMs ?? 30_000 },
            onIndexError,
          );
  try {
    // What the last run committed but did not index yet (e.g. it was killed): before anything is served.
    await searchIndexer?.flush();
  } catch (error) {
    await searchIndexer?.close().catch(() => {});
    await writer.close();
    await db.destroy();
    throw error;
  }
  const messageWriter = searchIndexer ? indexAfterCommit(writer, searchIndexer) : writer;
  return {
    db,
    dialect: target.dialect,
    messageWriter,
    searchIndexer,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await messageWriter.close();
      await searchIndexer?.close();
      await db.destroy();
    },
  };
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
