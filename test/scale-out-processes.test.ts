import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat } from "../src/protocol/index.js";
import {
  clientId,
  closeAllSockets,
  connected,
  eventually,
  nextEvent,
  pair,
  request,
  send,
  signUp,
} from "./support/client.js";
import {
  createTestDatabase,
  SCALE_OUT_READY,
  TEST_REDIS_URL,
  type TestDatabase,
} from "./support/databases.js";
import { expectNoLossNorDoubles, FailoverClient } from "./support/failover.js";
import { health } from "./support/metrics.js";
import { type ServerProcess, startServerProcess } from "./support/process.js";

const redisUrl = TEST_REDIS_URL;
const ready = SCALE_OUT_READY;
if (!ready)
  console.warn(
    "Multi-process scale-out tests skipped: they need TEST_REDIS_URL and TEST_DATABASE_URL (PostgreSQL).",
  );

const SECRET = "a-shared-secret-for-every-node-0123456789";

describe.runIf(ready)("three server processes sharing Redis and PostgreSQL", () => {
  let database: TestDatabase;
  const dataDirs: string[] = [];
  let nodes: ServerProcess[] = [];
  const start = () => {
    const dataDir = mkdtempSync(join(tmpdir(), "glasschat-node-"));
    dataDirs.push(dataDir);
    return startServerProcess({
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl as string,
      SESSION_SECRET: SECRET,
      DATA_DIR: dataDir,
    });
  };
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    nodes = await Promise.all([start(), start(), start()]);
  });
  afterAll(async () => {
    for (const node of nodes) node.child.kill("SIGKILL");
    await Promise.all(nodes.map((n) => n.exited));
    await database?.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => closeAllSockets());
  const url = (i: number) => (nodes[i] as ServerProcess).url;

  it("reports database and Redis reachability in /healthz", async () => {
    const reply = await health(url(0));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: "ok", database: "ok", redis: "ok" });
  });

  it("A on node 1, B on node 2, A's second tab on node 3: messages, chat:new, chat:cleared, logout", async () => {
    const { alice, bob, chatId } = await pair(url(0));
    const carol = await signUp(url(2), "carol");
    const aliceOn1 = await connected(url(0), alice.cookie);
    const bobOn2 = await connected(url(1), bob.cookie);
    const aliceOn3 = await connected(url(2), alice.cookie);
    const carolOn2 = await connected(url(1), carol.cookie);

    const toBob = nextEvent(bobOn2, "message:new");
    const toAliceTab2 = nextEvent(aliceOn3, "message:new");
    expect((await send(aliceOn1, { chatId, body: "from node 1", clientId: clientId() })).ok).toBe(true);
    expect((await toBob).body).toBe("from node 1");
    expect((await toAliceTab2).body).toBe("from node 1");

    const backOn1 = nextEvent(aliceOn1, "message:new");
    const backOn3 = nextEvent(aliceOn3, "message:new");
    expect((await send(bobOn2, { chatId, body: "from node 2", clientId: clientId() })).ok).toBe(true);
    expect((await backOn1).body).toBe("from node 2");
    expect((await backOn3).body).toBe("from node 2");

    // Started through node 3's HTTP API; carol's socket on node 2 joins the chat from there.
    const toCarol = nextEvent(carolOn2, "chat:new");
    const created = await request<{ chat: Chat }>(url(2), "POST", "/api/chats", {
      body: { email: carol.email },
      cookie: alice.cookie,
    });
    expect((await toCarol).id).toBe(created.body.chat.id);
    const toCarolMessage = nextEvent(carolOn2, "message:new");
    await send(aliceOn1, { chatId: created.body.chat.id, body: "hi carol", clientId: clientId() });
    expect((await toCarolMessage).body).toBe("hi carol");

    const cleared = nextEvent(bobOn2, "chat:cleared");
    await request(url(2), "POST", `/api/chats/${chatId}/clear`, {
      body: { forEveryone: true },
      cookie: alice.cookie,
    });
    expect(await cleared).toEqual({ chatId, seq: expect.any(Number) });

    const gone = [aliceOn1, aliceOn3].map(
      (s) =>
        new Promise<string>((resolve, reject) => {
          s.once("disconnect", resolve);
          setTimeout(() => reject(new Error("a tab stayed connected after logout")), 5000);
        }),
    );
    await request(url(1), "POST", "/api/auth/logout", { cookie: alice.cookie });
    expect(await Promise.all(gone)).toEqual(["io server disconnect", "io server disconnect"]);
  });

  it("a node killed mid-conversation: its clients reconnect to another node and catch up", async () => {
    const { alice, bob, chatId } = await pair(url(0));
    // Bob is on node 2 and moves to node 3 when it dies; alice stays on node 1.
    const clients = [
      new FailoverClient("alice", [url(0)], alice.cookie, chatId),
      new FailoverClient("bob", [url(1), url(2)], bob.cookie, chatId),
    ];
    for (const c of clients) await c.start();
    await clients[0]?.send("before the crash");
    let sending = true;
    const loops = clients.map(async (c) => {
      let n = 0;
      while (sending) await c.send(`${c.name} ${n++}`);
    });
    await eventually(() => expect(clients.every((c) => c.acked.size >= 20)).toBe(true), 10_000);
    const victim = nodes[1] as ServerProcess;
    victim.child.kill("SIGKILL");
    await victim.exited;
    const ackedAtCrash = clients.map((c) => c.acked.size);
    await eventually(
      () => expect(clients.every((c, i) => c.acked.size >= (ackedAtCrash[i] ?? 0) + 20)).toBe(true),
      15_000,
    );
    sending = false;
    await Promise.all(loops);
    expect(clients[1]?.reconnects).toBeGreaterThan(0);
    expect(clients[1]?.url).toBe(url(2));
    const stored = await expectNoLossNorDoubles(url(0), clients);
    expect(stored.length).toBe(clients.reduce((n, c) => n + c.acked.size, 0));
    for (const c of clients) c.stop();
  });
});
