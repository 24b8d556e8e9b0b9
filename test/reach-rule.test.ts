import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../src/server/config.js";
import { createReachService, type ReachService } from "../src/server/domain/reach.service.js";
import { type DatabaseHandle, openDatabase } from "../src/server/storage/database.js";
import { createReachRepository } from "../src/server/storage/reach.repository.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/databases.js";

/** The rule typing, presence and receipts ask: blocked either way, for one pair or a whole fan-out. */
describe.each(DIALECTS)("who reaches whom (%s)", (dialect) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let reach: ReachService;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    handle = await openDatabase(parseDatabaseUrl(database.url));
    await handle.db
      .insertInto("users")
      .values(
        ["ann", "ben", "cat", "dan"].map((name) => ({
          id: name,
          email: `${name}@example.com`,
          username: name,
          password_hash: "x",
          created_at: 0,
        })),
      )
      .execute();
    reach = createReachService({ reach: createReachRepository(handle.db), now: () => 1 });
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it("answers blocked either way, in both directions, for a pair and for many peers at once", async () => {
    await reach.block("ann", "ben");
    await reach.block("cat", "ann");
    expect(await reach.blockedEitherWay("ann", "ben")).toBe(true);
    expect(await reach.blockedEitherWay("ben", "ann")).toBe(true);
    expect(await reach.blockedEitherWay("ann", "cat")).toBe(true);
    expect(await reach.blockedEitherWay("ann", "dan")).toBe(false);
    expect(await reach.blockedEitherWay("ben", "cat")).toBe(false);
    expect([...(await reach.blockedAmong("ann", ["ben", "cat", "dan"]))].sort()).toEqual(["ben", "cat"]);
    expect([...(await reach.blockedAmong("dan", ["ann", "ben"]))]).toEqual([]);
    expect([...(await reach.blockedAmong("ann", []))]).toEqual([]);
    await reach.unblock("ann", "ben");
    expect(await reach.blockedEitherWay("ben", "ann")).toBe(false);
  });
});
