import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { clientId, closeAllSockets, connected, eventually, nextEvent, pair, send } from "./support/client.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/databases.js";
import { expectNoLossNorDoubles, FailoverClient } from "./support/failover.js";
import { health } from "./support/metrics.js";
import { type ServerProcess, startServerProcess } from "./support/process.js";
import { hasRedisServer, type PrivateRedis, startPrivateRedis } from "./support/redis.js";

// This test stops and restarts Redis, so it runs its own redis-server, never the shared one.
const ready = hasRedisServer && DIALECTS.includes("postgres");
if (process.env.CI === "true" && !ready)
  throw new Error("CI=true but redis-server or TEST_DATABASE_URL is missing: the Redis fault test must run.");
if (!ready)
  console.warn("Redis restart test skipped: it needs redis-server and TEST_DATABASE_URL (PostgreSQL).");

describe.runIf(ready)("two nodes while Redis restarts", () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  const dataDirs: string[] = [];
  let nodes: ServerProcess[] = [];
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    redis = await startPrivateRedis();
    const start = () => {
      const dataDir = mkdtempSync(join(tmpdir(), "glasschat-node-"));
      dataDirs.push(dataDir);
      return startServerProcess({
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        SESSION_SECRET: "a-shared-secret-for-every-node-0123456789",
        DATA_DIR: dataDir,
      });
    };
    nodes = await Promise.all([start(), start()]);
  });
  afterAll(async () => {
    for (const node of nodes) node.child.kill("SIGKILL");
    await Promise.all(nodes.map((n) => n.exited));
    await redis?.stop();
    await database?.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => closeAllSockets());
  const url = (i: number) => (nodes[i] as ServerProcess).url;

  it("never acknowledges a send it then loses, and fan-out resumes by itself", async () => {
    const { alice, bob, chatId } = await pair(url(0));
    const clients = [
      new FailoverClient("alice", [url(0)], alice.cookie, chatId),
      new FailoverClient("bob", [url(1)], bob.cookie, chatId),
    ];
    for (const c of clients) await c.start();
    await clients[0]?.send("before the outage");
    let sending = true;
    let unavailable = 0;
    const loops = clients.map(async (c) => {
      let n = 0;
      while (sending) if (!(await c.send(`${c.name} ${n++}`))) unavailable++;
    });
    await eventually(() => expect(clients.every((c) => c.acked.size >= 20)).toBe(true), 10_000);

    await redis.stop();
    await eventually(async () => {
      const reply = await health(url(0));
      expect(reply.status).toBe(503);
      expect(reply.body.redis).toBe("unreachable");
    });
    const ackedInOutage = clients.map((c) => c.acked.size);
    // Sends go on while Redis is down: each is stored and acknowledged, or refused.
    await eventually(
      () => expect(clients.every((c, i) => c.acked.size >= (ackedInOutage[i] ?? 0) + 10)).toBe(true),
      10_000,
    );
    await redis.start();
    await eventually(async () => expect((await health(url(0))).body.redis).toBe("ok"), 15_000);
    await eventually(async () => expect((await health(url(1))).body.redis).toBe("ok"), 15_000);
    const ackedAfter = clients.map((c) => c.acked.size);
    await eventually(
      () => expect(clients.every((c, i) => c.acked.size >= (ackedAfter[i] ?? 0) + 10)).toBe(true),
      10_000,
    );
    sending = false;
    await Promise.all(loops);

    // Fan-out across nodes works again without any restart: a new message reaches node 2 live.
    const aliceSocket = await connected(url(0), alice.cookie);
    const bobSocket = await connected(url(1), bob.cookie);
    await eventually(async () => {
      const arrives = nextEvent(bobSocket, "message:new", 1000);
      await send(aliceSocket, { chatId, body: "after the outage", clientId: clientId() });
      expect((await arrives).body).toBe("after the outage");
    }, 15_000);

    // Nothing acknowledged was lost or doubled; sends refused during the outage stored nothing.
    const stored = await expectNoLossNorDoubles(url(0), clients);
    const ackedTotal = clients.reduce((n, c) => n + c.acked.size, 0);
    expect(stored.length - ackedTotal).toBeGreaterThanOrEqual(1); // + "after the outage" (and its retries)
    expect(clients.every((c) => Object.keys(c.refused).every((code) => code === "unavailable"))).toBe(true);
    expect(unavailable).toBe(clients.reduce((n, c) => n + (c.refused.unavailable ?? 0), 0));
    for (const c of clients) c.stop();
  }, 90_000);
});
