import { Kysely, Migrator, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../src/server/config.js";
import { ftsQuery, queryWords, tsQuery } from "../src/server/domain/search-text.js";
import { createPostgresDialect, createPostgresPool } from "../src/server/storage/dialects/postgres.js";
import { createPostgresSearchIndexer } from "../src/server/storage/dialects/postgres-search-indexer.js";
import { createSqliteDialect } from "../src/server/storage/dialects/sqlite.js";
import { createSqliteSearchIndexer } from "../src/server/storage/dialects/sqlite-search-indexer.js";
import { migrations } from "../src/server/storage/migrations/index.js";
import type { Database } from "../src/server/storage/schema.js";
import { createSearchRepository } from "../src/server/storage/search.repository.js";
import type { SearchIndexer } from "../src/server/storage/search-indexer.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/databases.js";

describe.each(DIALECTS)("migrations 007, 011, 012 and 013, search (%s)", (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(() => database?.drop());

  it("indexes the messages already stored, keeps later changes in step, and rolls back cleanly", async () => {
    database = await createTestDatabase(dialect);
    const target = parseDatabaseUrl(database.url);
    const db = new Kysely<Database>({
      dialect:
        target.dialect === "sqlite"
          ? createSqliteDialect({ path: target.path, synchronous: "normal" })
          : createPostgresDialect(target.url),
    });
    const migrator = (upTo?: string) =>
      new Migrator({
        db,
        provider: {
          getMigrations: async () =>
            Object.fromEntries(Object.entries(migrations).filter(([name]) => !upTo || name <= upTo)),
        },
        migrationTableName: "schema_migrations",
        migrationLockTableName: "schema_migrations_lock",
      });
    let indexer: SearchIndexer | undefined;
    try {
      expect((await migrator("004-settings").migrateToLatest()).error).toBeUndefined();
      await db
        .insertInto("users")
        .values({ id: "u1", email: "a@x.io", username: "ann", password_hash: "x", created_at: 1 })
        .execute();
      await db
        .insertInto("chats")
        .values({
          id: "c1",
          kind: "direct",
          direct_key: "u1:u1",
          created_at: 1,
          last_seq: 3,
          last_activity_at: 1,
        })
        .execute();
      await db.insertInto("chat_members").values({ chat_id: "c1", user_id: "u1", joined_at: 1 }).execute();
      const row = (seq: number, body: string) => ({
        chat_id: "c1",
        seq,
        rev: seq,
        sender_id: "u1",
        client_id: `k${seq}`,
        body,
        created_at: seq,
      });
      await db
        .insertInto("messages")
        .values([row(1, "Old Crème brûlée"), row(2, "tombstone crème"), row(3, "système crème")])
        .execute();
      // As the send path does: the chat's counter covers its messages (PostgreSQL indexes up to it).
      const store = async (seq: number, body: string) => {
        await db.insertInto("messages").values(row(seq, body)).execute();
        await db.updateTable("chats").set({ last_seq: seq }).where("id", "=", "c1").execute();
        await indexer?.flush();
      };
      await db.updateTable("messages").set({ deleted_at: 5, body: "" }).where("seq", "=", 2).execute();
      await db.updateTable("messages").set({ system: "{}" }).where("seq", "=", 3).execute();

      expect((await migrator().migrateToLatest()).error).toBeUndefined();
      indexer =
        target.dialect === "sqlite"
          ? createSqliteSearchIndexer({ path: target.path, synchronous: "normal" }, (error) => {
              throw error;
            })
          : createPostgresSearchIndexer(
              createPostgresPool(target.url, { max: 1, statementTimeoutMs: 5000, lockTimeoutMs: 5000 }),
              { sweepIntervalMs: 60_000 },
              (error) => {
                throw error;
              },
            );
      await indexer.flush(); // 011 and 012 index every message anew; 013 has indexed the stored ones
      const search = createSearchRepository(db, dialect);
      const find = async (q: string) => {
        const words = queryWords(q);
        const { rows } = await search.search({
          userId: "u1",
          match: dialect === "sqlite" ? ftsQuery(words) : tsQuery(words),
          limit: 10,
        });
        return rows.map((r) => r.seq);
      };
      expect(await find("creme")).toEqual([1]);
      await db.updateTable("messages").set({ body: "new text" }).where("seq", "=", 1).execute();
      expect(await find("creme")).toEqual([]);
      expect(await find("new text")).toEqual([1]);
      await store(4, "later crème"); // indexed after the commit (011, 013)
      expect(await find("CRÈME")).toEqual([4]);
      await db.deleteFrom("messages").where("seq", "=", 4).execute();
      expect(await find("creme")).toEqual([]);

      await db.insertInto("messages").values(row(5, "pending crème")).execute();
      await indexer?.close();
      indexer = undefined;
      // Down to 010: the insert trigger (SQLite) or the GIN index in the transaction (PostgreSQL)
      // is back, and what was not indexed yet is indexed.
      const { error } = await migrator().migrateTo("010-push-and-account-deletion");
      expect(error).toBeUndefined();
      await db.insertInto("messages").values(row(6, "after the rollback crème")).execute();
      // PostgreSQL at 010 searches the messages' own GIN index (the repository reads 013's table).
      const found =
        dialect === "sqlite"
          ? await find("creme")
          : (
              await sql<{ seq: number }>`select seq from messages
                where glasschat_search_vector(body) @@ to_tsquery('simple', 'creme:*')
                  and system is null and deleted_at is null order by seq desc`.execute(db)
            ).rows.map((r) => r.seq);
      expect(found).toEqual([6, 5]);
    } finally {
      await indexer?.close();
      await db.destroy();
    }
  });
});
