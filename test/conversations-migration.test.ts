import { Kysely, Migrator } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../src/server/config.js";
import { openDatabase } from "../src/server/storage/database.js";
import { createPostgresDialect } from "../src/server/storage/dialects/postgres.js";
import { createSqliteDialect } from "../src/server/storage/dialects/sqlite.js";
import { migrations } from "../src/server/storage/migrations/index.js";
import type { Database } from "../src/server/storage/schema.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/databases.js";

describe.each(DIALECTS)("migration 003 conversations (%s)", (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(() => database?.drop());

  it("gives existing v1 messages rev = seq and each chat last_rev = last_seq", async () => {
    database = await createTestDatabase(dialect);
    const target = parseDatabaseUrl(database.url);
    const db = new Kysely<Database>({
      dialect:
        target.dialect === "sqlite"
          ? createSqliteDialect({ path: target.path, synchronous: "normal" })
          : createPostgresDialect(target.url),
    });
    const v1 = { "001-initial": migrations["001-initial"], "002-insights": migrations["002-insights"] };
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => v1 as typeof migrations },
      migrationTableName: "schema_migrations",
      migrationLockTableName: "schema_migrations_lock",
    });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const raw = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await raw
      .insertInto("users")
      .values({ id: "u1", email: "a@x.io", username: "ann", password_hash: "x", created_at: 1 })
      .execute();
    await raw
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
    await raw
      .insertInto("messages")
      .values(
        [1, 2, 3].map((seq) => ({
          chat_id: "c1",
          seq,
          sender_id: "u1",
          client_id: `k${seq}`,
          body: "hi",
          created_at: seq,
        })),
      )
      .execute();
    await db.destroy();

    const handle = await openDatabase(target);
    try {
      const rows = await handle.db.selectFrom("messages").select(["seq", "rev"]).orderBy("seq").execute();
      expect(rows).toEqual([1, 2, 3].map((seq) => ({ seq, rev: seq })));
      const chat = await handle.db
        .selectFrom("chats")
        .select(["last_seq", "last_rev"])
        .executeTakeFirstOrThrow();
      expect(chat).toEqual({ last_seq: 3, last_rev: 3 });
    } finally {
      await handle.close();
    }
  });
});
